import net from 'node:net';

/**
 * A raw TCP client for line protocols (SMTP, FTP control), like telnet: send lines, wait for
 * a reply matching a pattern. Waits read only what arrived after the previous wait, are
 * event-driven, not timed; a test timeout ends a hang.
 */
export class LineClient {
  private buffer = '';
  /** Where the next wait starts reading: just past what the previous wait matched. */
  private cursor = 0;
  private closedFlag = false;
  private readonly closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.buffer += data;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedFlag = true;
      for (const resolve of this.closeWaiters.splice(0)) resolve();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Everything received so far. */
  get received(): string {
    return this.buffer;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /**
   * Resolves with what arrived since the previous wait, up to and including the first match of
   * `pattern` in it, and moves the cursor past that match: text an earlier wait (or reply) already
   * consumed never satisfies a later one, so the greeting's 220 cannot answer STARTTLS's 220.
   */
  waitFor(pattern: RegExp): Promise<string> {
    return this.matchFrom(this.cursor, pattern);
  }

  /** Sends a line and resolves with the reply: everything up to the first final `NNN ` line. */
  command(line: string): Promise<string> {
    const start = this.buffer.length;
    this.send(line);
    return this.replyFrom(start);
  }

  /** The first complete reply (ending in a `NNN text` line) received after offset `start`; moves the cursor past it. */
  replyFrom(start: number): Promise<string> {
    return this.matchFrom(start, /^\d{3} .*\r\n/m);
  }

  /** Text from `start` through the first match of `pattern` after it; moves the cursor past the match. */
  private matchFrom(start: number, pattern: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const fresh = this.buffer.slice(start);
        const match = pattern.exec(fresh);
        if (match) {
          const end = match.index + match[0].length;
          this.cursor = Math.max(this.cursor, start + end);
          return resolve(fresh.slice(0, end));
        }
        if (this.closedFlag) return reject(new Error(`connection closed before ${pattern}; received: ${JSON.stringify(fresh)}`));
        this.socket.once('data', () => setImmediate(check));
        this.closeWaiters.push(() => setImmediate(check));
      };
      check();
    });
  }

  whenClosed(): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}
