/**
 * The lab's FTP/FTPS server: ftp-srv 4.6.3 on an internal loopback port (the tap sits in front),
 * with our fixes at its boundary (see README "ftp-srv fixes"): AUTH TLS race, passive FTPS after
 * 150, PROT C/P, PORT bounce, sandbox FileSystem (symlinks, leaked paths, traversal), no
 * process-wide signal handlers. Explicit TLS with the lab certificate; anonymous off; one user.
 * It knows nothing of the UI: it emits typed events; the lab decides what to do with them.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { FtpSrv, type FileSystem } from 'ftp-srv';
import { Jail } from '../../lib/sandbox/jail.ts';
import { installCommandOverrides } from './commands.ts';
import type { DataRoutes } from './data-connector.ts';
import type { FtpConnectionLike } from './internals.ts';
import { SandboxFileSystem } from './jail-fs.ts';
import { eventLogger, type FtpLogEvents } from './logger.ts';
import { withoutSignalHandlers } from './no-signal-handlers.ts';

export type { DataRoutes, DataRouteRequest } from './data-connector.ts';

export interface FtpServerOptions {
  host: string;
  /** Internal control port; 0 picks a free one. */
  port: number;
  /** The sandbox's file tree (lib/sandbox/jail.ts). */
  root: string;
  tls: { key: string; cert: string };
  credentials: { user: string; password: string };
  /** Largest upload per file, bytes. */
  maxFileBytes: number;
  /** Most bytes the sandbox may hold. */
  maxSandboxBytes?: number;
  /** Lab hooks in front of/behind data connections (observation, firewall simulation). */
  routes?: DataRoutes;
  greeting?: string;
}

/** What the server reports; the lab turns these into endpoint-view messages. */
export interface FtpServerEvents extends FtpLogEvents {
  /** A control connection began; remotePort is the tap's upstream port, for correlation. */
  session: [{ sessionId: string; remotePort: number }];
  /** AUTH TLS completed on a control connection. */
  secure: [{ sessionId: string; protocol: string | null; cipher: string }];
  /** A login attempt and its outcome. */
  login: [{ sessionId: string; user: string; ok: boolean }];
  closed: [{ sessionId: string }];
}

export interface RunningFtpServer {
  ports: { control: number };
  events: EventEmitter<FtpServerEvents>;
  stop(): Promise<void>;
}

/** Starts ftp-srv on an internal port. */
export async function start(options: FtpServerOptions): Promise<RunningFtpServer> {
  const events = new EventEmitter<FtpServerEvents>();
  const jail = await Jail.open(options.root, { quotaBytes: options.maxSandboxBytes });
  const tlsOptions = { key: options.tls.key, cert: options.tls.cert };
  const tlsContext = tls.createSecureContext(tlsOptions);
  let controlPort = 0;

  const server = withoutSignalHandlers(
    () =>
      new FtpSrv({
        url: `ftp://${options.host}:${options.port}`,
        pasv_url: '127.0.0.1',
        anonymous: false,
        tls: tlsOptions,
        greeting: options.greeting ?? 'Protocol Lab FTP server — files stay in your sandbox',
        log: eventLogger(events, () => controlPort),
        timeout: 10 * 60 * 1000,
      }),
  );

  // 'connect' is emitted by ftp-srv but missing from its typings.
  (server as unknown as EventEmitter).on('connect', ({ connection }: { connection: FtpConnectionLike }) => {
    const conn = connection;
    events.emit('session', { sessionId: conn.id, remotePort: conn.commandSocket.remotePort ?? 0 });
    installCommandOverrides(conn, {
      tlsContext,
      routes: options.routes ?? {},
      onSecure: (c, info) => events.emit('secure', { sessionId: c.id, ...info }),
    });
  });
  server.on('disconnect', ({ id }) => events.emit('closed', { sessionId: id }));
  server.on('login', ({ connection, username, password }, resolve, reject) => {
    const ok = username === options.credentials.user && password === options.credentials.password;
    events.emit('login', { sessionId: connection.id, user: username, ok });
    if (!ok) return reject(new Error('Login incorrect'));
    resolve({ fs: new SandboxFileSystem(jail, { maxFileBytes: options.maxFileBytes }) as unknown as FileSystem });
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
      await server.close();
    },
  };
}
