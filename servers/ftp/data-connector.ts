/**
 * Our data connectors, replacing ftp-srv's (src/connector/passive.js, active.js). Fixes:
 * - Passive FTPS with clients that start the data-channel TLS handshake only after 150 (Python
 *   ftplib): ftp-srv waited for the handshake before sending 150 — a deadlock ending in 425. We hand
 *   the TLS socket over as soon as TCP connects; writes queue until the handshake is done.
 * - PROT C / PROT P honoured (ftp-srv always encrypted data after AUTH TLS and refused PROT C).
 * - Active mode connects when the transfer command arrives (RFC 959 §3.2), so a blocked
 *   connect-back fails that command with 425 at once instead of after a 5 s poll.
 * - Data routes: the lab may take over the data connections to observe them (the tap's pipeline):
 *   it listens on the advertised port (passive) or connects back (active) itself and hands the
 *   server an in-process end of each connection, so nothing in a reply is rewritten and no internal
 *   data port exists that anyone could reach around the tap.
 */
import { once } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { BaseConnector, Bluebird, type ConnectorLike, type FtpConnectionLike } from './internals.ts';

/** How long a passive port waits for the client, and an active connect-back may take. */
export const DATA_CONNECT_TIMEOUT_MS = 10_000;
/** How long 226 waits for the client to close its side of the data connection. */
export const DATA_CLOSE_GRACE_MS = 2_000;

/** What the lab learns about each data connection the server sets up. */
export interface DataRouteRequest {
  sessionId: string;
  /** The control connection's remote port as the server sees it (the tap's upstream port). */
  controlPort: number;
  /** PROT P in force: the data connection will run TLS. */
  tls: boolean;
}

/** Hooks letting the lab observe data connections; without them (or when they answer null) the server connects directly. */
export interface DataRoutes {
  /**
   * Passive: resolve with the address and port to advertise (the address the client reached the
   * lab by) and hand the server the data connection through `accept` once the client connected;
   * null: the server listens on a port of its own.
   */
  passive?(request: DataRouteRequest & { command: 'PASV' | 'EPSV'; accept(socket: Duplex): void }): Promise<PassivePort | null>;
  /** Active: resolve with the connection to the client to use; null: connect to it directly; reject to fail with 425. */
  active?(request: DataRouteRequest & { host: string; port: number; family: 4 | 6; command: string }): Promise<Duplex | null>;
}

/** Where a passive data connection is awaited: the address the 227 reply names, and the port. */
export interface PassivePort {
  address: string;
  port: number;
}

/** Per-connection state the data connectors need. */
export interface DataSettings {
  routes: DataRoutes;
  /** TLS for the data channel when the connection is secure and PROT P is set; else null. */
  dataTls(): tls.SecureContext | null;
  /** The transfer command being handled (for labelling active connect-backs). */
  currentCommand(): string;
}

/** A data connection: a socket, an in-process end the lab handed over, or TLS over either. */
type DataSocket = Duplex;

const plainAddress = (address: string | undefined) => (address ?? '').replace(/^::ffff:/i, '');

/**
 * A data socket that closes before the peer finished sending (the control connection went away
 * mid-upload, so we ended it) never emits 'end', and ftp-srv's STOR then waits forever: its file
 * stays open until garbage collection (DEP0137). Report such a close as an error, which STOR
 * answers by destroying its file stream (closing the descriptor and dropping the partial file).
 * So is a close before the server ended its own sending (the client went away mid-download, and
 * the lab's relay destroyed our end): ftp-srv's RETR ignores failed writes and would say 226.
 */
function failOnEarlyClose(socket: DataSocket): DataSocket {
  socket.once('close', () => {
    if (!socket.readableEnded || !socket.writableEnded) socket.emit('error', new DataConnectionClosed());
  });
  return socket;
}

class DataConnectionClosed extends Error {
  constructor() {
    super('Data connection closed before the transfer ended');
  }
}

/** The peer reset or closed the data connection (not the server's own error destroying it, such as a full quota). */
function isConnectionFailure(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return err instanceof DataConnectionClosed || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED';
}

/** Wraps an accepted/connected socket as the TLS server side without waiting for the handshake. */
function secure(socket: Duplex, context: tls.SecureContext | null): DataSocket {
  // A reset before ftp-srv attaches its own handlers must not become an uncaught 'error'.
  socket.on('error', () => socket.destroy());
  if (!context) return failOnEarlyClose(socket);
  const wrapped = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
  wrapped.on('error', () => wrapped.destroy());
  // Destroying a TLSSocket made over an existing socket leaves that socket open: close it too.
  wrapped.once('close', () => socket.destroy());
  return failOnEarlyClose(wrapped);
}

/** What both our connectors share: the data socket, its orderly close, and the hand-back to ftp-srv. */
export abstract class LabConnector implements ConnectorLike {
  abstract type: 'passive' | 'active';
  protected dataSocket: DataSocket | null = null;
  protected ended = false;
  /** The data connection failed (reset, or closed before the transfer ended): the transfer's reply is 426. */
  broken = false;

  constructor(
    protected readonly connection: FtpConnectionLike,
    protected readonly settings: DataSettings,
  ) {}

  get socket(): DataSocket | null {
    return this.dataSocket;
  }

  /** Takes `socket` (secured as PROT says) as the data connection, and notes when it fails. */
  protected adopt(socket: Duplex, context: tls.SecureContext | null): DataSocket {
    const data = secure(socket, context);
    // The first error says why: a server that destroys the socket for its own reason (quota) causes the early close too.
    data.once('error', (err: Error) => (this.broken = isConnectionFailure(err)));
    this.dataSocket = data;
    return data;
  }

  /** Resolves with the data socket; rejects with bluebird's TimeoutError so ftp-srv replies 425. */
  waitForConnection(): PromiseLike<DataSocket> {
    return Bluebird.resolve(
      this.connect().catch((err: Error) => {
        throw new Bluebird.TimeoutError(err.message);
      }),
    );
  }

  protected abstract connect(): Promise<DataSocket>;

  /**
   * Closes the data connection and resolves once it is closed both ways (the peer answered our
   * FIN), or after DATA_CLOSE_GRACE_MS. 226 means "Closing data connection" (RFC 959 §4.2) and in
   * stream mode the close is the end of the file (§3.4.1), so the close goes first; ftp-srv sent
   * 226 and closed afterwards, which put the end of a download after its 226 on the wire.
   */
  closeData(): Promise<void> {
    const socket = this.dataSocket;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      };
      const timer = setTimeout(done, DATA_CLOSE_GRACE_MS);
      timer.unref();
      socket.once('close', done);
      // LIST never resumes its (paused) socket: read on, or the peer's FIN is never seen.
      socket.resume();
      socket.end();
    });
  }

  /** ABOR: drops the data connection at once, whatever is still queued for it (RFC 959 §4.1.3). */
  abort(): void {
    this.dataSocket?.destroy();
    this.end();
  }

  end(): void {
    this.ended = true;
    const socket = this.dataSocket;
    this.dataSocket = null;
    if (socket && !socket.destroyed) {
      // ftp-srv's `end(() => destroy())` never destroys a socket whose peer already half-closed
      // (its 'finish' came earlier), leaving data connections open: destroy once flushed, or soon.
      socket.end();
      if (socket.writableFinished) socket.destroy();
      else socket.once('finish', () => socket.destroy());
      setTimeout(() => socket.destroy(), 5_000).unref();
    }
    if (this.connection.connector === this) this.connection.connector = new BaseConnector(this.connection);
  }
}

/** PASV/EPSV: listen on an internal port and wait for the client (or the lab's relay). */
export class PassiveDataConnector extends LabConnector {
  type = 'passive' as const;
  private server: net.Server | null = null;
  /** The lab's route listens for the client and hands the connection over (no server of ours). */
  private routed = false;
  private waiting: { resolve(s: DataSocket): void; reject(e: Error): void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** Opens the lab's route or else an internal listener; resolves with the address and port to advertise. */
  async listen(command: 'PASV' | 'EPSV'): Promise<PassivePort> {
    const context = this.settings.dataTls();
    const route = this.settings.routes.passive;
    if (route) {
      const routed = await route({
        sessionId: this.connection.id,
        controlPort: this.connection.commandSocket.remotePort ?? 0,
        tls: context !== null,
        command,
        accept: (socket) => this.take(socket, context),
      });
      if (routed !== null) {
        this.routed = true;
        return routed;
      }
    }
    const server = net.createServer({ pauseOnConnect: true }, (socket) => {
      // Only the control connection's host may use the port (passive port theft).
      if (plainAddress(socket.remoteAddress) !== plainAddress(this.connection.commandSocket.remoteAddress) || this.dataSocket) {
        socket.destroy();
        return;
      }
      this.closeServer();
      this.take(socket, context);
    });
    this.server = server;
    server.maxConnections = 1;
    server.on('error', () => this.closeServer());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.timer = setTimeout(() => this.closeServer(), DATA_CONNECT_TIMEOUT_MS * 3);
    this.timer.unref();
    // The internal listener is on loopback only: that is the address to name.
    return { address: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
  }

  /** The data connection arrived (paused: it stays so until ftp-srv pipes or resumes it after 150, so no byte is lost). */
  private take(socket: Duplex, context: tls.SecureContext | null): void {
    if (this.dataSocket || this.ended) {
      socket.destroy();
      return;
    }
    socket.pause();
    const data = this.adopt(socket, context);
    this.waiting?.resolve(data);
    this.waiting = null;
  }

  protected connect(): Promise<DataSocket> {
    if (this.dataSocket) return Promise.resolve(this.dataSocket);
    if (!this.server && !this.routed) return Promise.reject(new Error('Passive port closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error('The client did not connect to the passive port'));
      }, DATA_CONNECT_TIMEOUT_MS);
      this.waiting = {
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private closeServer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.server?.close();
    this.server = null;
  }

  override end(): void {
    this.closeServer();
    this.waiting?.reject(new Error('Data connection cancelled'));
    this.waiting = null;
    super.end();
  }
}

/** PORT/EPRT: connect back to the client when the transfer command arrives. */
export class ActiveDataConnector extends LabConnector {
  type = 'active' as const;

  constructor(
    connection: FtpConnectionLike,
    settings: DataSettings,
    private readonly target: { host: string; port: number; family: 4 | 6 },
  ) {
    super(connection, settings);
  }

  protected async connect(): Promise<DataSocket> {
    if (this.dataSocket) return this.dataSocket;
    const context = this.settings.dataTls();
    const route = this.settings.routes.active;
    const routed = route
      ? await route({
          sessionId: this.connection.id,
          controlPort: this.connection.commandSocket.remotePort ?? 0,
          tls: context !== null,
          ...this.target,
          command: this.settings.currentCommand(),
        })
      : null;
    const socket = routed ?? (await this.connectBack());
    if (this.ended) {
      socket.destroy();
      throw new Error('Data connection cancelled');
    }
    return this.adopt(socket, context);
  }

  private connectBack(): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: this.target.host, port: this.target.port, timeout: DATA_CONNECT_TIMEOUT_MS });
      s.once('connect', () => {
        s.setTimeout(0);
        resolve(s);
      });
      s.once('timeout', () => s.destroy(new Error('connect-back timed out')));
      s.once('error', reject);
    });
  }
}

/**
 * RFC 2577 §3: a PORT/EPRT address must be the client's own, and not a privileged port. Nor one of the
 * lab's own servers: a client tunnelled in over SSH comes from 127.0.0.1, so "its own address" is the
 * lab's, and the data connection would carry a file's bytes into the web port as the machine owner.
 */
export function checkActiveTarget(connection: FtpConnectionLike, host: string, port: number, ownPorts: readonly number[] = []): string | null {
  if (plainAddress(host) !== plainAddress(connection.commandSocket.remoteAddress)) return 'the address is not yours';
  if (port < 1024) return 'privileged ports are refused';
  if (ownPorts.includes(port)) return "the lab's own ports are refused";
  return null;
}
