/**
 * Drives a SimulatedShell from raw channel input. With a pty it is a tiny line editor like a
 * login shell's (echo, backspace, Ctrl-C/D/L/U, ↑/↓ history, Tab completion, prompt); without one it reads
 * commands line by line silently, as `sh` does when its input is not a terminal.
 */
import { retype } from '../../../lib/text/terminal-cells.ts';
import { escapeControls } from '../../../lib/wire/escape.ts';
import type { SimulatedShell } from './shell.ts';

/** Longest command line accepted; longer input is cut (and the bell rung). */
const MAX_LINE = 4096;
/** Most completions Tab lists; the rest are counted. */
const MAX_LISTED = 100;

/** Callbacks of an interactive session. */
export interface InteractiveIO {
  write(text: string): void;
  /** A command finished (for the endpoint view). */
  onCommand(line: string, exitCode: number): void;
  /** The shell ended (exit, Ctrl-D, EOF). */
  onExit(code: number): void;
}

/** Feeds keystrokes or piped lines into the shell, one command at a time. */
export class InteractiveShell {
  private line = '';
  private escape: string | null = null;
  private historyIndex = -1;
  private queue: Promise<void> = Promise.resolve();
  private ended = false;
  private pendingText = '';

  constructor(
    private readonly shell: SimulatedShell,
    private readonly io: InteractiveIO,
    private readonly pty: boolean,
    /** The client terminal's width (pty-req, window-change): erasing must know where the line wrapped. */
    private readonly cols: () => number = () => 80,
  ) {}

  /**
   * Changes the echoed line to `next`: back up to where they differ, across rows and two-cell characters.
   * The echo shows invisible characters marked (`\u{202E}`), as every other view of client text does, so a
   * typed or completed name never reads differently from what the command will get; the line itself keeps
   * them as typed. Marking the whole line each time lets a joiner change with its neighbours (kept inside an
   * emoji, marked elsewhere).
   */
  private replaceLine(next: string): void {
    this.io.write(retype(this.shell.prompt, escapeControls(this.line), escapeControls(next), this.cols()));
    this.line = next;
  }

  /** Prints the welcome text and first prompt (pty only). */
  start(motd: string): void {
    if (this.pty) this.io.write(motd + this.shell.prompt);
  }

  /** Raw input from the channel. */
  feed(data: string): void {
    this.queue = this.queue.then(() => (this.pty ? this.feedKeys(data) : this.feedLines(data)));
  }

  /** The client sent EOF. */
  end(): void {
    this.queue = this.queue.then(async () => {
      if (!this.pty && this.pendingText.trim()) await this.run(this.pendingText);
      this.finish(0);
    });
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.io.onExit(code);
  }

  private async run(line: string): Promise<void> {
    const code = await this.shell.execute(line);
    if (line.trim()) this.io.onCommand(line.trim(), code);
    if (this.shell.exitCode !== null) this.finish(this.shell.exitCode);
  }

  private async feedLines(data: string): Promise<void> {
    this.pendingText += data;
    let nl: number;
    while (!this.ended && (nl = this.pendingText.indexOf('\n')) !== -1) {
      const line = this.pendingText.slice(0, nl);
      this.pendingText = this.pendingText.slice(nl + 1);
      await this.run(line.slice(0, MAX_LINE));
    }
    if (this.pendingText.length > MAX_LINE) this.pendingText = this.pendingText.slice(0, MAX_LINE);
  }

  private async feedKeys(data: string): Promise<void> {
    for (const ch of data) {
      if (this.ended) return;
      if (this.escape !== null) {
        this.escape += ch;
        if (this.escape.length === 1 && ch !== '[' && ch !== 'O') this.escape = null;
        else if (this.escape.length > 1 && /[\x40-\x7e]/.test(ch)) {
          this.arrow(this.escape);
          this.escape = null;
        } else if (this.escape.length > 16) this.escape = null;
        continue;
      }
      const code = ch.codePointAt(0) ?? 0;
      if (ch === '\r' || ch === '\n') {
        const line = this.line;
        this.line = '';
        this.historyIndex = -1;
        this.io.write('\r\n');
        await this.run(line);
        if (!this.ended) this.io.write(this.shell.prompt);
      } else if (code === 0x7f || code === 0x08) {
        if (this.line.length > 0) this.replaceLine(Array.from(this.line).slice(0, -1).join(''));
      } else if (code === 0x03) {
        this.line = '';
        this.io.write('^C\r\n' + this.shell.prompt);
      } else if (code === 0x04) {
        if (this.line === '') {
          this.io.write('logout\r\n');
          this.finish(0);
        }
      } else if (code === 0x0c) {
        this.io.write('\x1b[H\x1b[2J' + this.shell.prompt + escapeControls(this.line));
      } else if (code === 0x15) {
        this.replaceLine('');
      } else if (code === 0x09) {
        await this.tab();
      } else if (code === 0x1b) {
        this.escape = '';
      } else if (code >= 0x20 && !(code >= 0x80 && code <= 0x9f)) {
        if (this.line.length >= MAX_LINE) {
          this.io.write('\x07');
          continue;
        }
        this.replaceLine(this.line + ch);
      }
    }
  }

  /** Tab: completes the word as far as it is unambiguous; when it cannot go further, lists the matches. */
  private async tab(): Promise<void> {
    const { insert, candidates } = await this.shell.complete(this.line);
    if (insert && this.line.length + insert.length <= MAX_LINE) {
      this.replaceLine(this.line + insert);
    } else if (candidates.length > 1) {
      const listed = candidates.slice(0, MAX_LISTED).map(escapeControls).join('  ');
      const more = candidates.length > MAX_LISTED ? `  … ${candidates.length - MAX_LISTED} more` : '';
      this.io.write(`\r\n${listed}${more}\r\n${this.shell.prompt}${escapeControls(this.line)}`);
    } else {
      this.io.write('\x07');
    }
  }

  private arrow(sequence: string): void {
    const key = sequence.at(-1);
    const history = this.shell.history;
    if ((key !== 'A' && key !== 'B') || history.length === 0) return;
    if (key === 'A') this.historyIndex = this.historyIndex === -1 ? history.length - 1 : Math.max(0, this.historyIndex - 1);
    else this.historyIndex = this.historyIndex === -1 ? -1 : this.historyIndex + 1;
    if (this.historyIndex >= history.length) this.historyIndex = -1;
    const replacement = this.historyIndex === -1 ? '' : history[this.historyIndex];
    this.replaceLine(replacement);
  }
}
