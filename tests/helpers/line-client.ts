import net from 'node:net';

/**
 * A raw TCP client for line protocols (SMTP, FTP control), like telnet: send lines, wait for
 * a reply matching a pattern. Waits are event-driven, not timed; a test timeout ends a hang.
 */
export class LineClient {
  private buffer = '';
  private waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  private closedFlag = false;
  private readonly closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.buffer += data;
      this.check();
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

  /** Resolves with everything received up to and including the first match after `from`. */
  waitFor(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      this.waiters.push({ pattern, resolve });
      this.check();
    });
  }

  /** Sends a line and resolves with the reply: everything up to the first final `NNN ` line. */
  command(line: string): Promise<string> {
    const start = this.buffer.length;
    this.send(line);
    return this.replyFrom(start);
  }

  /** The first complete reply (ending in a `NNN text` line) received after offset `start`. */
  replyFrom(start: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const fresh = this.buffer.slice(start);
        const match = fresh.match(/^\d{3} .*\r\n/m);
        if (match && match.index !== undefined) return resolve(fresh.slice(0, match.index + match[0].length));
        if (this.closedFlag) return reject(new Error(`connection closed; received: ${JSON.stringify(fresh)}`));
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

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pattern.test(this.buffer)) return true;
      w.resolve(this.buffer);
      return false;
    });
  }
}
