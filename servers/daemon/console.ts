import { LOGIN_REFUSALS } from './logins.ts';
import net from 'node:net';
import tls from 'node:tls';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import { CONSOLE_LABEL } from '../../lib/wire/event.ts';
import type { ConnectionOwner } from '../../lib/wire/step.ts';
import type { Tap, TappedConnection } from '../../lib/wire/tap.ts';
import type { LabConsole } from './lab.ts';

const MAX_LINE = 64 * 1024;

/** How a line protocol asks for TLS in mid-session (SMTP STARTTLS → 220, FTP AUTH TLS → 234). */
export interface TlsUpgrade {
  command: RegExp;
  ready: RegExp;
}

/**
 * A browser terminal's raw console (like `telnet 127.0.0.1 2525`): a TCP client run by the
 * daemon against the tap's public port, so it is tapped, dissected and steppable exactly like
 * an external client. The terminal renders the dissected messages, not these raw bytes. Its
 * connection is its browser's: in that browser's sandbox, held only by that browser's step mode.
 */
export class ConsoleSession implements LabConsole {
  private socket: net.Socket | null = null;
  /** The tapped connection of the open socket, once the tap filed it (its recorder keeps the TLS key log). */
  private connection: TappedConnection | null = null;
  private greeted = false;
  private awaitingTls = false;
  private received = '';
  private readonly early: string[] = [];

  constructor(
    private readonly tap: Tap,
    private readonly onStatus: (status: ConsoleStatus) => void,
    private readonly options: { waitForGreeting: boolean; tlsUpgrade?: TlsUpgrade; owner?: ConnectionOwner },
  ) {}

  open(): void {
    this.close('reconnecting');
    this.greeted = !this.options.waitForGreeting;
    this.onStatus({ state: 'connecting' });
    const { socket, accepted } = this.tap.connectOwnClient(CONSOLE_LABEL, this.options.owner);
    this.socket = socket;
    this.connection = null;
    void accepted.then((connection) => {
      if (this.socket !== socket) return;
      this.connection = connection;
      this.onStatus({ state: 'open', conn: connection.recorder.info.id });
    });
    const onData = (chunk: Buffer) => {
      // smtp-server answers a client that talks before its greeting with "421 You talk too soon".
      if (!this.greeted) {
        this.greeted = true;
        for (const line of this.early.splice(0)) socket.write(line);
      }
      if (this.awaitingTls) this.maybeStartTls(socket, onData, chunk);
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket) {
        this.socket = null;
        // Refused before the tap filed it: say why when it is the sandbox's connection limit.
        const full = this.connection === null && this.options.owner !== undefined && this.tap.sandboxFull(this.options.owner.sandbox);
        this.onStatus({ state: 'closed', reason: full ? LOGIN_REFUSALS['sandbox-full'] : 'Connection closed.' });
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
      this.onStatus({ state: 'closed', reason: 'Not connected.' });
      return;
    }
    const wire = `${line.slice(0, MAX_LINE)}\r\n`;
    if (this.options.tlsUpgrade?.command.test(line.trim())) {
      this.awaitingTls = true;
      this.received = '';
    }
    if (this.greeted) this.socket.write(wire);
    else this.early.push(wire);
  }

  /** After the go-ahead reply, wrap the socket in TLS, as a real client would (certificate not checked: self-signed lab cert). */
  private maybeStartTls(socket: net.Socket, onData: (chunk: Buffer) => void, chunk: Buffer): void {
    this.received += chunk.toString('latin1');
    if (!this.received.includes('\n')) return;
    this.awaitingTls = false;
    if (!this.options.tlsUpgrade?.ready.test(this.received)) return;
    socket.off('data', onData);
    const secure = tls.connect({ socket, rejectUnauthorized: false, servername: 'lab.test' });
    // The lab holds this TLS session's client side: its key log lets Wireshark decrypt the pcapng export.
    const recorder = this.connection?.recorder;
    if (recorder) secure.on('keylog', (line: Buffer) => recorder.keylog(line));
    secure.on('error', () => secure.destroy());
    // The server's close_notify (after QUIT) ends the session; don't leave the TCP half open.
    secure.on('end', () => secure.destroy());
    // Keep reading (the transcript comes from the tap, not from here), or 'end' never fires.
    secure.resume();
    this.socket = secure;
    secure.on('close', () => {
      if (this.socket === secure) {
        this.socket = null;
        // Refused before the tap filed it: say why when it is the sandbox's connection limit.
        const full = this.connection === null && this.options.owner !== undefined && this.tap.sandboxFull(this.options.owner.sandbox);
        this.onStatus({ state: 'closed', reason: full ? LOGIN_REFUSALS['sandbox-full'] : 'Connection closed.' });
      }
    });
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
