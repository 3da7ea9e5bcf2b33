/**
 * The simulated shell: parses a command line, runs it from the command table over the sandbox
 * jail, applies `>`/`>>` redirection, and writes terminal-safe output. Never a real process.
 */
import fs from 'node:fs/promises';
import type { Jail } from '../../../lib/sandbox/jail.ts';
import { terminalSafe } from './output.ts';
import { describeError, shownPath, type ShellContext } from './context.ts';
import { MAX_OUTPUT } from './fs-commands.ts';
import { COMMANDS } from './misc-commands.ts';
import { parseLine } from './parse.ts';

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

  constructor(private readonly options: ShellOptions) {}

  get prompt(): string {
    return `${this.options.user}@${this.options.hostname}:${this.cwd === '/' ? '/' : this.cwd}$ `;
  }

  /** Runs one command line; resolves to its exit status. */
  async execute(line: string): Promise<number> {
    const trimmed = line.trim();
    if (!trimmed) return 0;
    this.history.push(trimmed);
    if (this.history.length > MAX_HISTORY) this.history.shift();
    const { io, pty } = this.options;
    const writeErr = (text: string) => (io.writeError ?? io.write)(terminalSafe(text, pty));

    const parsed = parseLine(trimmed);
    if ('error' in parsed) {
      writeErr(`-sh: ${parsed.error}\n`);
      return 2;
    }
    const [name, ...args] = parsed.argv;
    if (name === undefined) return 0;
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      writeErr(`-sh: ${shownPath(name)}: command not found\n`);
      return 127;
    }

    let captured = '';
    const out = parsed.redirect
      ? (text: string) => {
          if (captured.length < MAX_OUTPUT) captured += text.slice(0, MAX_OUTPUT - captured.length);
        }
      : (text: string) => io.write(terminalSafe(text, pty));
    const ctx: ShellContext = {
      jail: this.options.jail,
      cwd: this.cwd,
      setCwd: (path) => {
        this.cwd = path;
      },
      user: this.options.user,
      hostname: this.options.hostname,
      history: this.history,
      out,
      err: writeErr,
      clear: () => io.write('\x1b[H\x1b[2J'),
      exit: (code) => {
        this.exitCode = code;
      },
    };
    let status: number;
    try {
      status = await command.run(ctx, args);
    } catch (err) {
      writeErr(`${name}: ${describeError(err)}\n`);
      status = 1;
    }
    if (parsed.redirect) {
      try {
        const real = await this.options.jail.resolve(parsed.redirect.path, this.cwd);
        await fs.writeFile(real, captured, { flag: parsed.redirect.append ? 'a' : 'w' });
      } catch (err) {
        writeErr(`-sh: ${shownPath(parsed.redirect.path)}: ${describeError(err)}\n`);
        status = 1;
      }
    }
    return status;
  }
}
