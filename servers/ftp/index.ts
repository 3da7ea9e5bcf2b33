/**
 * The lab's FTP/FTPS server: ftp-srv 4.6.3 on an internal loopback port (the tap sits in front),
 * with our fixes at its boundary (see README "ftp-srv fixes"): AUTH TLS race, passive FTPS after
 * 150, PROT C/P, PORT bounce, sandbox FileSystem (symlinks, leaked paths, traversal), no
 * process-wide signal handlers, no timer left behind per disconnect. Explicit TLS with the lab
 * certificate; anonymous off; who logs in, and to which files, is the lab's to say (`login`), or
 * one fixed account for a bare server.
 * It knows nothing of the UI: it emits typed events; the lab decides what to do with them.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { FtpSrv, type FileSystem } from 'ftp-srv';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import { Jail } from '../../lib/sandbox/jail.ts';
import { installCommandOverrides } from './commands.ts';
import { readControlLines } from './control-reader.ts';
import type { DataRoutes } from './data-connector.ts';
import type { FtpConnectionLike } from './internals.ts';
import { listLine, SandboxFileSystem, type NamedStats } from './jail-fs.ts';
import { eventLogger, type FtpLogEvents } from './logger.ts';
import { withoutSignalHandlers } from './no-signal-handlers.ts';
import { withoutDisconnectTimer } from './disconnect-timer.ts';

export type { DataRoutes, DataRouteRequest, PassivePort } from './data-connector.ts';

/** A login's outcome: the files its session sees, or why not (the words of the 530 reply). */
export type FtpLoginVerdict = { ok: true; jail: Jail } | { ok: false; reason: string };

/** One login attempt (USER/PASS) on the control connection from the tap's upstream port `controlPort`. */
export interface FtpLoginAttempt {
  user: string;
  password: string;
  controlPort: number;
}

/** What every FTP server is given, whoever its accounts are. */
interface FtpServerBase {
  host: string;
  /** Internal control port; 0 picks a free one. */
  port: number;
  tls: { key: string; cert: string };
  /** Largest upload per file, bytes. */
  maxFileBytes: number;
  /** Lab hooks in front of/behind data connections (observation, firewall simulation). */
  routes?: DataRoutes;
  /** Ports PORT/EPRT may not name: the lab's own servers (an FTP bounce into them, RFC 2577 §3). */
  ownPorts?(): readonly number[];
  greeting?: string;
  /**
   * Decides whether a control connection from this remote port may be served (the lab accepts only
   * its own tap's upstream sockets); refused ones get a 421 line and are closed.
   */
  acceptControl?(remotePort: number): boolean;
  /** A control connection not logged in after this long is closed with 421. Default 30 s. */
  loginGraceMs?: number;
  /**
   * True while the login grace clock stands still for this control connection (by the tap's
   * upstream port). The lab: while step mode holds the connection, every line waits for the
   * student's Step, so that time is the lab's, not the client's.
   */
  loginClockStopped?(remotePort: number): boolean;
  /** Failed PASS attempts after which the control connection is closed with 421. Default 3. */
  maxLoginFailures?: number;
}

/** A bare server's one account (benches, unit tests): these credentials, this file tree. */
interface OneAccount {
  /** The sandbox's file tree (lib/sandbox/jail.ts). */
  root: string;
  credentials: { user: string; password: string };
  /** Most bytes the sandbox may hold. */
  maxSandboxBytes?: number;
}

/** The lab's accounts: each login names its sandbox (servers/daemon/logins.ts) and opens that sandbox's files. */
interface LabAccounts {
  login(attempt: FtpLoginAttempt): Promise<FtpLoginVerdict>;
}

/** The server's options: one fixed account, or `login` deciding each attempt (the lab: one account per sandbox). */
export type FtpServerOptions = FtpServerBase & (OneAccount | LabAccounts);

/** The one fixed account's login rule: both checks always run, so the time taken says nothing about which failed. */
async function oneAccount(options: OneAccount): Promise<LabAccounts['login']> {
  const jail = await Jail.open(options.root, { quotaBytes: options.maxSandboxBytes });
  return async ({ user, password }) => {
    const rightUser = sameSecret(user, options.credentials.user);
    return sameSecret(password, options.credentials.password) && rightUser ? { ok: true, jail } : { ok: false, reason: 'Login incorrect' };
  };
}

/** Defaults for the limits above (OpenSSH-style login grace, a few password guesses per connection). */
export const FTP_LOGIN_GRACE_MS = 30_000;
export const FTP_MAX_LOGIN_FAILURES = 3;

/** What the server reports; the lab turns these into endpoint-view messages. */
export interface FtpServerEvents extends FtpLogEvents {
  /** A control connection began; remotePort is the tap's upstream port, for correlation. */
  session: [{ sessionId: string; remotePort: number }];
  /** AUTH TLS completed on a control connection. */
  secure: [{ sessionId: string; protocol: string | null; cipher: string }];
  /** One NSS key log line of a control connection's TLS session (AUTH TLS). */
  keylog: [{ sessionId: string; line: Buffer }];
  /** A login attempt and its outcome. */
  login: [{ sessionId: string; user: string; ok: boolean }];
  closed: [{ sessionId: string }];
  /** Cleartext commands that followed AUTH TLS in the same read were dropped, unexecuted (verbs only). */
  discarded: [{ sessionId: string; verbs: string[]; bytes: number }];
  /** The server closed a control connection on its own: login grace over, too many failed logins. */
  limit: [{ sessionId: string; reason: 'login-grace' | 'login-failures'; detail: string }];
  /** A control connection that did not come through the tap was refused. */
  refused: [{ remotePort: number }];
}

export interface RunningFtpServer {
  ports: { control: number };
  events: EventEmitter<FtpServerEvents>;
  stop(): Promise<void>;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The login grace period as a clock that stands still while `stopped()` says so: it ticks, adds
 * only the time that passed while running, and calls `expire` (with the time it stood still) once
 * `graceMs` has run. A tick is a tenth of the grace (at most 1 s), so a stop counts to within one.
 */
function loginClock(graceMs: number, stopped: () => boolean, expire: (stoppedMs: number) => void): NodeJS.Timeout {
  const tick = Math.min(1_000, Math.max(10, graceMs / 10));
  let ran = 0;
  let stood = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (stopped()) stood += now - last;
    else ran += now - last;
    last = now;
    if (ran < graceMs) return;
    clearInterval(timer);
    expire(stood);
  }, tick);
  timer.unref();
  return timer;
}

/** Starts ftp-srv on an internal port. */
export async function start(options: FtpServerOptions): Promise<RunningFtpServer> {
  const events = new EventEmitter<FtpServerEvents>();
  const login = 'login' in options ? options.login : await oneAccount(options);
  const tlsOptions = { key: options.tls.key, cert: options.tls.cert };
  const tlsContext = tls.createSecureContext(tlsOptions);
  let controlPort = 0;

  const server = withoutSignalHandlers(() =>
    withoutDisconnectTimer(
      new FtpSrv({
        url: `ftp://${options.host}:${options.port}`,
        pasv_url: '127.0.0.1',
        anonymous: false,
        tls: tlsOptions,
        greeting: options.greeting ?? 'Protocol Lab FTP server — files stay in your sandbox',
        log: eventLogger(events, () => controlPort),
        timeout: 10 * 60 * 1000,
        // LIST and STAT lines as SFTP and the SSH shell write them (the login as owner; ftp-srv's own show uid/gid numbers).
        file_format: (stat) => listLine(stat as NamedStats),
      }),
    ),
  );

  const graceMs = options.loginGraceMs ?? FTP_LOGIN_GRACE_MS;
  const maxFailures = options.maxLoginFailures ?? FTP_MAX_LOGIN_FAILURES;
  const failures = new Map<string, number>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  // Each session's control connection as the tap's upstream port, read at connect (before an AUTH TLS wraps the socket).
  const controlPorts = new Map<string, number>();

  // 'connect' is emitted by ftp-srv but missing from its typings.
  (server as unknown as EventEmitter).on('connect', ({ connection }: { connection: FtpConnectionLike }) => {
    const conn = connection;
    const remotePort = conn.commandSocket.remotePort ?? 0;
    if (options.acceptControl && !options.acceptControl(remotePort)) {
      // Written before ftp-srv's greeting (which then finds the socket closed and is dropped).
      events.emit('refused', { remotePort });
      const socket = conn.commandSocket;
      conn.commands.handle = () => undefined;
      socket.end('421 This port is internal to the lab: connect to the lab\'s FTP port\r\n', () => socket.destroy());
      return;
    }
    controlPorts.set(conn.id, remotePort);
    events.emit('session', { sessionId: conn.id, remotePort });
    const grace = loginClock(graceMs, () => options.loginClockStopped?.(remotePort) ?? false, (stoppedMs) => {
      if (conn.authenticated) return;
      const detail = `Not logged in after ${seconds(graceMs)}`;
      const held = stoppedMs > 0 ? ` (not counting ${seconds(stoppedMs)} while step mode held it)` : '';
      events.emit('limit', { sessionId: conn.id, reason: 'login-grace', detail: detail + held });
      void conn.close(421, `${detail}: closing the control connection`);
    });
    graceTimers.set(conn.id, grace);
    readControlLines(conn);
    installCommandOverrides(conn, {
      tlsContext,
      routes: options.routes ?? {},
      ownPorts: options.ownPorts ?? (() => []),
      onSecure: (c, info) => events.emit('secure', { sessionId: c.id, ...info }),
      onKeylog: (c, line) => events.emit('keylog', { sessionId: c.id, line }),
      onDiscarded: (c, verbs, bytes) => events.emit('discarded', { sessionId: c.id, verbs, bytes }),
      afterPass: (c) => {
        if ((failures.get(c.id) ?? 0) < maxFailures) return;
        const detail = `${maxFailures} failed logins on this connection`;
        events.emit('limit', { sessionId: c.id, reason: 'login-failures', detail });
        return c.close(421, `${detail}: closing the control connection`);
      },
    });
  });
  server.on('disconnect', ({ id }) => {
    clearInterval(graceTimers.get(id));
    graceTimers.delete(id);
    failures.delete(id);
    controlPorts.delete(id);
    events.emit('closed', { sessionId: id });
  });
  server.on('login', ({ connection, username, password }, resolve, reject) => {
    const refuse = (reason: string) => {
      failures.set(connection.id, (failures.get(connection.id) ?? 0) + 1);
      reject(new Error(reason));
    };
    login({ user: username, password, controlPort: controlPorts.get(connection.id) ?? 0 }).then(
      (verdict) => {
        events.emit('login', { sessionId: connection.id, user: username, ok: verdict.ok });
        if (!verdict.ok) return refuse(verdict.reason);
        clearInterval(graceTimers.get(connection.id));
        graceTimers.delete(connection.id);
        resolve({ fs: new SandboxFileSystem(verdict.jail, { maxFileBytes: options.maxFileBytes, owner: username }) as unknown as FileSystem });
      },
      // The sandbox's files could not be opened (disk trouble): a refusal in words, never a crash.
      () => {
        events.emit('login', { sessionId: connection.id, user: username, ok: false });
        refuse("Login failed: the sandbox's files cannot be opened right now, try again");
      },
    );
  });
  server.on('client-error', () => {
    // Resets and TLS failures of one client end that connection only; the tap records them.
  });

  await server.listen();
  const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  controlPort = address.port;

  return {
    ports: { control: controlPort },
    events,
    stop: async () => {
      for (const timer of graceTimers.values()) clearInterval(timer);
      await server.close();
    },
  };
}
