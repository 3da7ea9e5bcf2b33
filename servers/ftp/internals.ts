/**
 * The parts of ftp-srv 4.6.3's internals our boundary fixes touch, typed once. ftp-srv's command
 * handlers chain bluebird methods (`.tap`, `.catch(TimeoutError, …)`) on what a connector returns,
 * so our connectors must hand back ftp-srv's own bluebird promises and TimeoutError.
 * Pinned to ftp-srv 4.6.x: re-check src/connection.js, src/connector/*.js when upgrading.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';

const requireHere = createRequire(import.meta.url);
const requireFtpSrv = createRequire(requireHere.resolve('ftp-srv'));

/** The subset of bluebird ftp-srv's handlers rely on. */
interface BluebirdStatic {
  resolve<T>(value: T | PromiseLike<T>): PromiseLike<T>;
  TimeoutError: new (message?: string) => Error;
}

/** ftp-srv's promise library: connectors must return its promises (handlers call `.tap`). */
export const Bluebird = requireFtpSrv('bluebird') as BluebirdStatic;

/** A bunyan-shaped logger as ftp-srv uses it. */
export interface BunyanLike {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
  child(fields: Record<string, unknown>): BunyanLike;
}

/** A parsed command as ftp-srv's FtpCommands.parse returns it. */
export interface FtpCommand {
  directive: string;
  arg: string | null;
  flags: string[];
  raw: string;
}

/** What ftp-srv's RETR/STOR/LIST expect of `connection.connector`. */
export interface ConnectorLike {
  type: string | false;
  /** A data connection: a socket, or an in-process end the lab handed over (TLS over either). */
  readonly socket: Duplex | null;
  waitForConnection(): PromiseLike<Duplex>;
  end(): void;
}

/** The fields of ftp-srv's FtpConnection our fixes read or replace. */
export interface FtpConnectionLike extends EventEmitter {
  id: string;
  commandSocket: net.Socket | tls.TLSSocket;
  log: BunyanLike;
  secure: boolean;
  authenticated?: boolean;
  /** How command lines are decoded (OPTS UTF8). */
  encoding?: BufferEncoding;
  connector: ConnectorLike;
  /** The session's file system once logged in (servers/ftp/jail-fs.ts). */
  fs?: {
    chmod(target: string, mode: number): Promise<void>;
    get(target: string): Promise<{ size: number; isDirectory(): boolean }>;
    delete(target: string): Promise<void>;
  };
  commands: {
    handle(command: string | FtpCommand): unknown;
    parse(message: string): FtpCommand;
    previousCommand: unknown;
  };
  server: { options: { tls: tls.SecureContextOptions | false } };
  reply(options: number | Record<string, unknown>, ...letters: unknown[]): PromiseLike<unknown>;
  /** Replies `code message` (unless code is 0) and destroys the control socket. */
  close(code?: number, message?: string): PromiseLike<unknown>;
}

type BaseConnectorClass = new (connection: FtpConnectionLike) => ConnectorLike;

/** ftp-srv's "no data connection set up" connector, restored after every transfer. */
export const BaseConnector = requireFtpSrv('./src/connector/base') as BaseConnectorClass;
