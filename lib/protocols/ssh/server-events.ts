/**
 * What the SSH server reports. It never talks to the bus or the UI: the daemon subscribes and
 * turns these into endpoint-view messages. Every event names its connection by `remotePort`
 * (the port the server saw the client connect from — the tap's upstream port).
 */
import type { EventEmitter } from 'node:events';

/** Identity shared by every event of one connection. */
export interface ConnRef {
  /** Server-local connection number. */
  connId: number;
  /** The client's TCP port as the server saw it. */
  remotePort: number;
}

/** One SFTP request or reply, already summarised for display (bulk READ/WRITE collapsed). */
export interface SftpEventDetail {
  /** 'client' = request, 'server' = reply. */
  dir: 'client' | 'server';
  /** SSH_FXP name without prefix: OPEN, HANDLE, STATUS… */
  name: string;
  id?: number;
  /** Short human summary: 'OPEN /notes.txt WRITE|CREAT|TRUNC'. */
  summary: string;
  fields?: { name: string; value: string }[];
  /** For STATUS replies. */
  status?: number;
}

/** Every event the server emits, discriminated by `type`. */
export type SshServerEvent =
  | (ConnRef & { type: 'debug'; line: string })
  | (ConnRef & { type: 'connect'; clientIdent: string })
  /** The EXT_INFO payload (RFC 8308 §2.3) exactly as the server encoded it, before encryption. */
  | (ConnRef & { type: 'ext-info'; payload: Uint8Array })
  | (ConnRef & {
      type: 'auth';
      method: string;
      username: string;
      outcome: 'success' | 'failure' | 'pk-ok';
      methodsLeft?: string[];
      keyType?: string;
      keyFingerprint?: string;
      signed?: boolean;
      failures: number;
    })
  | (ConnRef & { type: 'pty'; term: string; cols: number; rows: number })
  | (ConnRef & { type: 'window-change'; cols: number; rows: number })
  | (ConnRef & { type: 'command'; mode: 'shell' | 'exec'; line: string; exitCode: number })
  | (ConnRef & { type: 'sftp'; detail: SftpEventDetail })
  | (ConnRef & { type: 'sftp-session'; state: 'open' | 'closed' })
  | (ConnRef & { type: 'tcpip'; destIP: string; destPort: number; allowed: boolean })
  | (ConnRef & { type: 'global-request'; name: string; allowed: boolean })
  | (ConnRef & { type: 'limit'; which: 'grace' | 'auth-tries' | 'sessions' | 'channel-flood'; disconnectCode?: number })
  | (ConnRef & { type: 'error'; message: string })
  | (ConnRef & { type: 'closed' });

/** An event before the connection identity is added (what session handlers emit). */
export type SshEventBody = SshServerEvent extends infer E ? (E extends SshServerEvent ? Omit<E, keyof ConnRef> : never) : never;

/** The server's event emitter: one channel, typed by the union above. */
export type SshServerEvents = EventEmitter<{ event: [SshServerEvent] }>;
