import net from 'node:net';
import type { Tap } from '../wire/tap.ts';
import type { LabConsole } from './labs/lab.ts';

/** What a browser console reports to its terminal. */
export type ConsoleStatus =
  | { state: 'connecting' }
  | { state: 'open'; conn: string }
  | { state: 'closed'; reason: string };

const MAX_LINE = 64 * 1024;

/**
 * A browser terminal's raw console (like `telnet 127.0.0.1 2525`): a TCP client run by the
 * daemon against the tap's public port, so it is tapped, dissected and steppable exactly like
 * an external client. The terminal renders the dissected messages, not these raw bytes.
 */
export class ConsoleSession implements LabConsole {
  private socket: net.Socket | null = null;
  private greeted = false;
  private readonly early: string[] = [];

  constructor(
    private readonly tap: Tap,
    private readonly onStatus: (status: ConsoleStatus) => void,
    private readonly options: { waitForGreeting: boolean },
  ) {}

  open(): void {
    this.close('reconnecting');
    this.greeted = !this.options.waitForGreeting;
    this.onStatus({ state: 'connecting' });
    const socket = net.connect(this.tap.port, '127.0.0.1');
    this.socket = socket;
    socket.setNoDelay(true);
    // Label the connection before the tap accepts it (the connect syscall has run by this tick).
    process.nextTick(() => {
      if (socket.localPort) this.tap.labelNextFrom(socket.localPort, 'browser console');
    });
    socket.once('connect', () => {
      this.tap
        .whenAccepted(socket.localPort ?? 0)
        .then((connection) => {
          if (this.socket === socket) this.onStatus({ state: 'open', conn: connection.recorder.info.id });
        })
        .catch(() => {});
    });
    socket.on('data', () => {
      // smtp-server answers a client that talks before its greeting with "421 You talk too soon".
      if (!this.greeted) {
        this.greeted = true;
        for (const line of this.early.splice(0)) socket.write(line);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = null;
        this.onStatus({ state: 'closed', reason: 'Connection closed.' });
      }
    });
  }

  resize(): void {}

  /** Raw consoles are line-based: keystrokes are edited in the browser and sent as lines. */
  input(data: string): void {
    this.sendLine(data);
  }

  /** Sends one line as typed, terminated with CRLF as the protocol requires. */
  sendLine(line: string): void {
    if (!this.socket || this.socket.destroyed) {
      this.onStatus({ state: 'closed', reason: 'Not connected — press Reconnect.' });
      return;
    }
    const wire = `${line.slice(0, MAX_LINE)}\r\n`;
    if (this.greeted) this.socket.write(wire);
    else this.early.push(wire);
  }

  close(reason = 'Closed by you.'): void {
    const socket = this.socket;
    this.socket = null;
    this.early.length = 0;
    if (socket && !socket.destroyed) {
      socket.destroy();
      this.onStatus({ state: 'closed', reason });
    }
  }
}
