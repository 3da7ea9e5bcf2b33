/**
 * The lab's SSH server: ssh2 behind the tap, which hands it each connection in process (`accept`;
 * a bare server for comparisons listens on a loopback port instead; `admit` refuses anything
 * else), with host keys passed in, strict KEX (ssh2 always offers kex-strict-s), OpenSSH-like limits, password
 * and publickey login (auth.ts: the accounts say who may log in and to which files), a simulated
 * shell and SFTP over the login's jail, and direct-tcpip to an allow-list only. It reports
 * everything as events and never touches the bus or the UI.
 *
 * Each accepted socket gets its own ssh2 Server object (then `injectSocket`), so the `debug`
 * callback of that object belongs to exactly one connection: no guessing which connection a
 * debug line is about. Host keys and algorithms can therefore change between connections.
 */
import { EventEmitter, once } from 'node:events';
import net, { type AddressInfo, type Socket } from 'node:net';
import ssh2, { type Algorithms, type Connection, type ParsedKey } from 'ssh2';
import type { Jail } from '../../lib/sandbox/jail.ts';
import type { MemorySocket } from '../../lib/wire/duplex-pair.ts';
import { authenticate, singleAccount, type SshAccount, type SshAccounts } from './auth.ts';
import type { SshEventBody, SshServerEvent, SshServerEvents } from '../../lib/protocols/ssh/server-events.ts';
import { handleDirectTcpip } from './forwarding.ts';
import type { LoopbackOrigin } from '../../lib/wire/origins.ts';
import { handleSession } from './session.ts';
import { disconnectWithReason, peekOutboundPayload, setNoMoreSessions } from './ssh2-internals.ts';

export type { SshServerEvent, SshServerEvents } from '../../lib/protocols/ssh/server-events.ts';

/** OpenSSH-like limits (sshd_config LoginGraceTime, MaxAuthTries, MaxSessions). */
export interface SshLimits {
  loginGraceMs: number;
  maxAuthTries: number;
  maxSessions: number;
  /** Channel opens refused on one connection before it is dropped as a flood. */
  maxRefusedOpens: number;
  /** Largest file SFTP will write. */
  maxFileSize: number;
}

export const DEFAULT_LIMITS: SshLimits = {
  loginGraceMs: 120_000,
  maxAuthTries: 6,
  maxSessions: 10,
  maxRefusedOpens: 100,
  maxFileSize: 256 * 1024 * 1024,
};

/** What every SSH server is given, whoever its accounts are. */
interface SshServerBase {
  host: string;
  /**
   * Internal port (0 picks a free one), or null for none: connections then arrive only through
   * `accept`, so there is no port anyone could reach the server on around the tap.
   */
  port: number | null;
  /** Host private keys (OpenSSH or PEM), e.g. ed25519 and ecdsa-sha2-nistp256. */
  hostKeys: string[];
  /** Ports on 127.0.0.1 that direct-tcpip may reach. */
  forwardPorts(): readonly number[];
  /** Where those ports listen, for the server's own connection (dialHostOf LAB_HOST); default 127.0.0.1. */
  forwardHost?: string;
  /** Restricts the offered algorithms (the "restrict algorithms" fault). */
  algorithms?: Algorithms;
  /** Software version in the version line (after "SSH-2.0-"). */
  ident?: string;
  hostname?: string;
  limits?: Partial<SshLimits>;
  /**
   * Whether to serve a freshly accepted socket. The lab admits only its tap's upstream sockets,
   * so nobody can go around the tap (and its transcript and limits).
   */
  admit?(socket: ServerSocket): boolean;
  /** Whose forwarded connections the connection from `remotePort` opens (parent, sandbox): lib/wire/origins.ts. */
  forwardOrigin?(remotePort: number): LoopbackOrigin | undefined;
}

/** A bare server's one account (benches, comparisons, unit tests). */
interface OneAccount {
  jail: Jail;
  credentials: { user: string; password: string };
  /** The account's authorized_keys lines, read at each publickey attempt. */
  authorizedKeys(): readonly string[];
}

/** The server's options: who logs in is either one fixed account, or `accounts` (the lab: one per sandbox). */
export type SshServerOptions = SshServerBase & (OneAccount | { accounts: SshAccounts });

/** Said to a client refused by `admit`, before closing: a plain line, as sshd does for refusals. */
const NOT_ADMITTED = 'This connection did not come through the lab\'s tap: connect to the lab\'s SSH port instead.\r\n';

/** A connection the server serves: accepted on its port, or the tap's in-memory end. */
export type ServerSocket = Socket | MemorySocket;

export interface RunningSshServer {
  /** The listening port; 0 without one. */
  ports: { ssh: number };
  /** Serves a connection accepted elsewhere (the tap's in-memory end), as if accepted on the port. */
  accept(socket: MemorySocket): void;
  events: SshServerEvents;
  /** Replaces the host keys for new connections (the "rotate host key" fault). */
  setHostKeys(keys: string[]): void;
  setAlgorithms(algorithms: Algorithms | undefined): void;
  stop(): Promise<void>;
}

/** RFC 4250 §4.2.2 — OpenSSH uses PROTOCOL_ERROR for "Too many authentication failures" (its description, sent too). */
const DISCONNECT_PROTOCOL_ERROR = 2;
/** SSH_MSG_EXT_INFO (RFC 8308 §2.3). */
const MSG_EXT_INFO = 7;

function parseHostKeys(keys: string[]): ParsedKey[] {
  return keys.map((text) => {
    const parsed = ssh2.utils.parseKey(text);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) throw new Error(`Invalid SSH host key: ${key instanceof Error ? key.message : 'empty'}`);
    return key;
  });
}

/** Starts the SSH server (on an internal port unless `port` is null). */
export async function start(options: SshServerOptions): Promise<RunningSshServer> {
  const events: SshServerEvents = new EventEmitter();
  const limits: SshLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const accounts = 'accounts' in options ? options.accounts : singleAccount(options.credentials, options.jail, options.authorizedKeys);
  let hostKeys = parseHostKeys(options.hostKeys);
  let algorithms = options.algorithms;
  const sockets = new Set<ServerSocket>();
  let nextConn = 0;

  const accept = (socket: ServerSocket) => {
    if (options.admit && !options.admit(socket)) {
      // Tracked like any socket so stop() can destroy it if the peer never closes its side.
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      socket.setTimeout(5_000, () => socket.destroy());
      socket.end(NOT_ADMITTED);
      return;
    }
    const connId = ++nextConn;
    const remotePort = socket.remotePort ?? 0;
    const emit = (event: SshEventBody) =>
      events.emit('event', { ...event, connId, remotePort } as SshServerEvent);
    // ssh2's debug lines, one per packet: built as one literal (a spread per line takes V8's slow path).
    const emitDebug = (line: string) => events.emit('event', { type: 'debug', line, connId, remotePort });
    sockets.add(socket);
    socket.on('error', () => {});
    // Interactive protocol: no Nagle delay on small packets (sshd sets TCP_NODELAY too).
    socket.setNoDelay(true);

    let client: Connection | null = null;
    let authenticated = false;
    let refusedOpens = 0;
    let extInfo: 'armed' | 'seen' | undefined;
    const grace = setTimeout(() => {
      if (authenticated) return;
      emit({ type: 'limit', which: 'grace' });
      // Like sshd's LoginGraceTime: the connection is simply dropped.
      socket.destroy();
    }, limits.loginGraceMs);
    grace.unref();
    socket.once('close', () => {
      clearTimeout(grace);
      sockets.delete(socket);
      emit({ type: 'closed' });
    });

    const server = new ssh2.Server({
      hostKeys: hostKeys.map((key) => ({ key })),
      algorithms,
      ident: options.ident ?? 'ProtocolLab_1.0',
      debug: (raw: string) => {
        const line = raw.replace(/^\[[\d.]+\] /, '');
        // ssh2's SFTP layer logs each request and reply (two lines per 32 KB of a transfer); the server
        // reports them itself, summarised, as 'sftp' events (sftp.ts), so these are not passed on.
        if (line.startsWith('SFTP: ')) return;
        if (line === 'Handshake completed' && client && !extInfo) {
          // EXT_INFO follows in this same call: keep its contents for the endpoint view (RFC 8308 §3.1).
          extInfo = 'armed';
          peekOutboundPayload(client, MSG_EXT_INFO, (payload) => {
            extInfo = 'seen';
            emit({ type: 'ext-info', payload });
          });
        }
        // Its debug line comes just before the packet: report the packet (with contents) instead.
        if (line === 'Outbound: Sending EXT_INFO' && extInfo === 'armed') {
          process.nextTick(() => extInfo !== 'seen' && emitDebug(line));
          return;
        }
        emitDebug(line);
        if (line.startsWith('Outbound: Sending CHANNEL_OPEN_FAILURE') && ++refusedOpens > limits.maxRefusedOpens && client) {
          emit({ type: 'limit', which: 'channel-flood', disconnectCode: DISCONNECT_PROTOCOL_ERROR });
          disconnectWithReason(client, DISCONNECT_PROTOCOL_ERROR, 'Too many refused channel opens');
        }
      },
    });
    server.on('connection', (connection, info) => {
      client = connection;
      emit({ type: 'connect', clientIdent: info.header.identRaw });
      wireClient(connection);
    });
    // ssh2 uses only what both kinds have (remoteAddress/Port/Family, setNoDelay, the stream itself).
    server.injectSocket(socket as Socket);

    function wireClient(connection: Connection) {
      let failures = 0;
      let sessions = 0;
      connection.on('error', (err: Error) => emit({ type: 'error', message: err.message }));
      // What the successful login opened: its sessions run as its user, over its files.
      let account: SshAccount | null = null;
      connection.on('authentication', (ctx) => {
        void authenticate(ctx, accounts, remotePort).then(
          ({ account: opened, ...result }) => {
            if (opened) account = opened;
            if (result.outcome === 'failure' && ctx.method !== 'none') failures++;
            emit({
              type: 'auth',
              method: ctx.method,
              username: ctx.username,
              ...result,
              methodsLeft: result.outcome === 'failure' ? ['publickey', 'password'] : undefined,
              failures,
            });
            if (failures >= limits.maxAuthTries) {
              emit({ type: 'limit', which: 'auth-tries', disconnectCode: DISCONNECT_PROTOCOL_ERROR });
              disconnectWithReason(connection, DISCONNECT_PROTOCOL_ERROR, 'Too many authentication failures');
            }
          },
          // Answering a connection that went away meanwhile: nothing left to tell.
          (err: unknown) => emit({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
        );
      });
      connection.on('ready', () => {
        authenticated = true;
        clearTimeout(grace);
      });
      connection.on('session', (acceptSession, rejectSession) => {
        // ssh2 opens sessions only after USERAUTH_SUCCESS, so an account is there; never serve one without.
        const login = account;
        if (!login) return rejectSession();
        const session = acceptSession();
        sessions++;
        if (sessions >= limits.maxSessions) {
          setNoMoreSessions(connection, true);
          emit({ type: 'limit', which: 'sessions' });
        }
        session.once('close', () => {
          sessions--;
          if (sessions < limits.maxSessions) setNoMoreSessions(connection, false);
        });
        handleSession(session, {
          jail: login.jail,
          user: login.user,
          hostname: options.hostname ?? 'lab',
          maxFileSize: limits.maxFileSize,
          emit,
        });
      });
      connection.on('tcpip', (acceptTcp, rejectTcp, info) => {
        const allowed = handleDirectTcpip(connection, acceptTcp, rejectTcp, info, options.forwardPorts(), options.forwardOrigin?.(remotePort), options.forwardHost);
        emit({ type: 'tcpip', destIP: info.destIP, destPort: info.destPort, allowed });
      });
      connection.on('request', (_accept, rejectRequest, name) => {
        emit({ type: 'global-request', name, allowed: false });
        rejectRequest?.();
      });
    }
  };

  const listener = net.createServer(accept);
  const listenPort = options.port;
  if (listenPort !== null) {
    // once() rejects with the 'error' (a taken port) instead of waiting for ever.
    listener.listen(listenPort, options.host);
    await once(listener, 'listening');
  }

  return {
    ports: { ssh: listenPort === null ? 0 : (listener.address() as AddressInfo).port },
    accept,
    events,
    setHostKeys(keys) {
      hostKeys = parseHostKeys(keys);
    },
    setAlgorithms(next) {
      algorithms = next;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      if (listener.listening) await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
