/**
 * The simulated shell: parses a command line (parse.ts), runs its lists and pipelines from the
 * command table over the sandbox jail, applies `<`, `>` and `>>`, and writes terminal-safe
 * output. A pipeline passes each command's captured output to the next as its input: never a
 * real process.
 */
import { terminalSafe } from './output.ts';
import { escapeControls } from '../../../lib/wire/escape.ts';
import type { Jail } from '../../../lib/sandbox/jail.ts';
import { describeError, shownPath, type ShellContext } from './context.ts';
import { MAX_OUTPUT, readBounded } from './input.ts';
import { complete, type Completion } from './complete.ts';
import { expandWord } from './expand.ts';
import { COMMANDS } from './misc-commands.ts';
import { parseLine, wordText, type SimpleCommand, type Word } from './parse.ts';

const COMMAND_NAMES = Object.keys(COMMANDS).sort();

/** How the shell talks to its channel. */
export interface ShellIO {
  /** Terminal output, already safe. */
  write(text: string): void;
  /** Standard error; the same stream unless the session separates them (exec). */
  writeError?(text: string): void;
}

/** Settings of one shell. */
export interface ShellOptions {
  jail: Jail;
  user: string;
  hostname: string;
  /** A pty is attached: newlines become CR LF. */
  pty: boolean;
  io: ShellIO;
}

const MAX_HISTORY = 500;

/** One shell session's state (cwd, history) and its command runner. */
export class SimulatedShell {
  cwd = '/';
  readonly history: string[] = [];
  exitCode: number | null = null;
  /** `$?`: the status of the last pipeline run. */
  private lastStatus = 0;

  constructor(private readonly options: ShellOptions) {}

  get prompt(): string {
    // A folder's name may hold invisible characters (any client can make one): marked, as in `ls`.
    return `${this.options.user}@${this.options.hostname}:${this.cwd === '/' ? '/' : escapeControls(this.cwd)}$ `;
  }

  /** What Tab completes at the end of `line` (servers/ssh/shell/complete.ts). */
  complete(line: string): Promise<Completion> {
    return complete(line, { commands: COMMAND_NAMES, jail: this.options.jail, cwd: this.cwd });
  }

  /** Runs one command line (a list of pipelines); resolves to the status of the last one run. */
  async execute(line: string): Promise<number> {
    const trimmed = line.trim();
    if (!trimmed) return 0;
    this.history.push(trimmed);
    if (this.history.length > MAX_HISTORY) this.history.shift();

    const parsed = parseLine(trimmed);
    if ('error' in parsed) {
      this.writeErr(`-sh: ${parsed.error}\n`);
      return (this.lastStatus = 2);
    }
    let status = 0;
    for (const item of parsed.list) {
      // `a && b` runs b after success, `a || b` after failure; a skipped pipeline keeps the status.
      if ((item.when === 'and' && status !== 0) || (item.when === 'or' && status === 0)) continue;
      status = this.lastStatus = await this.runPipeline(item.pipeline);
      if (this.exitCode !== null) break;
    }
    return status;
  }

  private writeErr(text: string): void {
    const { io, pty } = this.options;
    (io.writeError ?? io.write)(terminalSafe(text, pty));
  }

  /** Runs each command in turn, its output the next one's input; the status is the last command's. */
  private async runPipeline(pipeline: SimpleCommand[]): Promise<number> {
    let input: string | null = null;
    let status = 0;
    for (let i = 0; i < pipeline.length && this.exitCode === null; i++) {
      const last = i === pipeline.length - 1;
      ({ status, output: input } = await this.runCommand(pipeline[i], i === 0 ? null : (input ?? ''), !last));
    }
    return status;
  }

  /** The values of `$NAME` (the shell has no assignments: these few, and `$?`). */
  private variable(name: string): string {
    const { user, hostname } = this.options;
    const values: Record<string, string> = { HOME: '/', USER: user, LOGNAME: user, HOSTNAME: hostname, PWD: this.cwd, '?': String(this.lastStatus) };
    return Object.hasOwn(values, name) ? values[name] : '';
  }

  /** The command's words expanded (expand.ts); a redirection must name one file. */
  private async expand(command: SimpleCommand): Promise<{ argv: string[]; input?: string; output?: { path: string; append: boolean } } | { error: string }> {
    const context = { variable: (name: string) => this.variable(name), jail: this.options.jail, cwd: this.cwd };
    const argv = (await Promise.all(command.argv.map((word) => expandWord(word, context)))).flat();
    // A redirection's word must expand to exactly one name.
    const oneFile = async (word: Word): Promise<string | { error: string }> => {
      const fields = await expandWord(word, context);
      return fields.length === 1 ? fields[0] : { error: `${shownPath(wordText(word))}: ambiguous redirect` };
    };
    const input = command.input === undefined ? undefined : await oneFile(command.input);
    if (typeof input === 'object') return input;
    if (!command.redirect) return { argv, input };
    const path = await oneFile(command.redirect.path);
    if (typeof path === 'object') return path;
    return { argv, input, output: { path, append: command.redirect.append } };
  }

  private async runCommand(command: SimpleCommand, stdin: string | null, piped: boolean): Promise<{ status: number; output: string }> {
    const { io, pty, jail } = this.options;
    const expanded = await this.expand(command);
    if ('error' in expanded) {
      this.writeErr(`-sh: ${expanded.error}\n`);
      return { status: 1, output: '' };
    }
    if (expanded.input !== undefined) {
      try {
        const read = await readBounded(await jail.resolve(expanded.input, this.cwd));
        // The simulated shell holds input in memory: a cut one is said, as a file operand's is (input.ts).
        if (read.truncated) this.writeErr(`-sh: ${shownPath(expanded.input)}: read only the first ${MAX_OUTPUT} bytes\n`);
        stdin = read.text;
      } catch (err) {
        this.writeErr(`-sh: ${shownPath(expanded.input)}: ${describeError(err)}\n`);
        return { status: 1, output: '' };
      }
    }
    const capture = piped || command.redirect !== undefined;
    let captured = '';
    const out = capture
      ? (text: string) => {
          if (captured.length < MAX_OUTPUT) captured += text.slice(0, MAX_OUTPUT - captured.length);
        }
      : (text: string) => io.write(terminalSafe(text, pty));

    let status = 0;
    const [name, ...args] = expanded.argv;
    const found = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (name !== undefined && !found) {
      this.writeErr(`-sh: ${shownPath(name)}: command not found\n`);
      status = 127;
    } else if (found) {
      const ctx: ShellContext = {
        jail,
        cwd: this.cwd,
        setCwd: (path) => {
          this.cwd = path;
        },
        user: this.options.user,
        hostname: this.options.hostname,
        history: this.history,
        stdin,
        out,
        toTerminal: !capture,
        err: (text) => this.writeErr(text),
        clear: () => io.write('\x1b[H\x1b[2J'),
        lastStatus: this.lastStatus,
        exit: (code) => {
          this.exitCode = code;
        },
      };
      try {
        status = await found.run(ctx, args);
      } catch (err) {
        this.writeErr(`${name}: ${describeError(err)}\n`);
        status = 1;
      }
    }
    if (!expanded.output) return { status, output: captured };
    // Like a real shell, the file is written even when the command failed (or there was none: `> file`).
    try {
      const file = await jail.openFile(expanded.output.path, this.cwd, { flags: expanded.output.append ? 'a' : 'w' });
      try {
        await file.write(Buffer.from(captured, 'utf8'));
      } finally {
        await file.close();
      }
    } catch (err) {
      this.writeErr(`-sh: ${shownPath(expanded.output.path)}: ${describeError(err)}\n`);
      status = 1;
    }
    return { status, output: '' };
  }
}
