import { createFtpDissector } from '../../lib/protocols/ftp/dissector.ts';
import { UNFILED } from '../../lib/wire/recorder.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import { admitLogin, LOGIN_REFUSALS } from '../daemon/logins.ts';
import { SandboxJails } from '../ssh/sandbox-accounts.ts';
import { start as startFtpServer } from './index.ts';
import { DataRelays, type ControlInfo } from './lab/data-relays.ts';
import { attachEndpointView } from './lab/endpoint.ts';
import { FtpConsole } from './lab/console.ts';
import { ftpRoutes } from './lab/routes.ts';
import { maskPasswords } from './lab/unfiled-pass.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { z } from 'zod';
import { labInteger, labPort, labText } from '../../lib/labs/env.ts';
import { ftpAbout } from './about.ts';

/** Control connections per client address (Postfix/OpenSSH-style limit; PROTOCOL-FACTS.md). */
const MAX_CONNECTIONS_PER_CLIENT = 10;

/** The host part of 'addr:port' as the tap records it (IPv6-safe, IPv4-mapped prefix dropped). */
function hostOf(client: string): string {
  return client.slice(0, client.lastIndexOf(':')).replace(/^::ffff:/i, '');
}

/** The FTP lab's settings: control port, public passive range (null = any free port, for tests), upload limit per file. */
export interface FtpSettings {
  port: number;
  pasvRange: { min: number; max: number } | null;
  maxFileBytes: number;
}

/** GET /api/lab → ftp. */
export interface FtpInfo {
  port: number;
  passiveRange: { min: number; max: number } | null;
  /** What 227 names for a client reaching the lab where the calling browser did (each reply names the address its client reached). */
  passiveAddress: string;
  maxFileBytes: number;
  maxConnectionsPerClient: number;
  firewall: boolean;
  tls: string;
}

/** 'min-max' as a port range, or null if it is not one (empty, inverted, out of 1–65535). */
function parseRange(text: string): { min: number; max: number } | null {
  const [min, max] = text.split('-').map(Number);
  return min >= 1 && max <= 65535 && min <= max ? { min, max } : null;
}

const settings = z
  .object({
    FTP_PORT: labPort(ftpAbout, 'FTP_PORT'),
    FTP_PASV_RANGE: labText(ftpAbout, 'FTP_PASV_RANGE', /^\d{1,5}-\d{1,5}$/).refine((text) => parseRange(text) !== null, {
      error: (issue) => `${String(issue.input)} is not a port range like 30000-30009`,
    }),
    FTP_MAX_FILE_SIZE: labInteger(ftpAbout, 'FTP_MAX_FILE_SIZE', 1024),
  })
  .transform((env): FtpSettings => ({ port: env.FTP_PORT, pasvRange: parseRange(env.FTP_PASV_RANGE), maxFileBytes: env.FTP_MAX_FILE_SIZE }));

/** Knobs tests turn (the defaults are the lab's). */
export interface FtpLabOptions {
  /** Close control connections not logged in after this long (default FTP_LOGIN_GRACE_MS). */
  loginGraceMs?: number;
}

/**
 * The FTP & FTPS lab: ftp-srv (with our fixes) on an internal port, the tap on FTP_PORT, a relay
 * for every data connection (recorded as its own connection with `parent` = the control one), the
 * endpoint view after AUTH TLS, a raw/friendly console, and /api/ftp/… routes. Each login opens
 * its sandbox (admitLogin: a student's id and password, or the lab's own login) and that sandbox's
 * files; passive replies name the address the client reached the lab by.
 */
export const ftpLab: LabModule<'ftp', FtpSettings, FtpInfo> = createFtpLab({});

/** Builds the FTP lab with `options` (tests); `ftpLab` is it with the defaults. */
export function createFtpLab(options: FtpLabOptions): LabModule<'ftp', FtpSettings, FtpInfo> {
  // Passive ports: free ports the system picks, so test files can run in parallel; a small upload limit.
  return { about: ftpAbout, settings, testSettings: { pasvRange: null, maxFileBytes: 8 * 1024 * 1024 }, start: (ctx) => startFtpLab(ctx, options) };
}

async function startFtpLab(ctx: LabContext<FtpSettings>, options: FtpLabOptions): Promise<RunningLab<FtpInfo>> {
  const { config, bus } = ctx;
  let tap: Tap | null = null;
  const control = (remotePort: number): ControlInfo | undefined => {
    const connection = tap?.byUpstreamPort(remotePort);
    if (!tap || !connection) return undefined;
    const { client, server } = connection.recorder.info;
    return { recorder: connection.recorder, owner: connection.owner, step: tap.step, clientAddress: hostOf(client), serverAddress: hostOf(server ?? `${config.host}:0`) };
  };
  const relays = new DataRelays({ bus, host: config.host, range: config.ftp.pasvRange, control });
  // One jail per sandbox (seeded when new), shared by its sessions: the sandbox quota is one budget.
  const jails = new SandboxJails({ dataDir: config.dataDir, quotaBytes: config.sandboxQuotaBytes, exists: (sandbox) => ctx.logins.exists(sandbox) });
  // The default sandbox's files are ready before the first login (and a broken data dir fails the start).
  await jails.jailOf(config.sandbox);

  const server = await startFtpServer({
    host: '127.0.0.1',
    port: 0,
    tls: ctx.tls,
    // The one rule of servers/daemon/logins.ts: the login names the sandbox, files an unfiled
    // connection there (in this tick, before 230 goes out) and the session sees that sandbox's files.
    login: async ({ user, password, controlPort }) => {
      const verdict = tap ? admitLogin(ctx.logins, tap, tap.byUpstreamPort(controlPort), { user, password }) : null;
      if (!verdict?.ok) return { ok: false, reason: LOGIN_REFUSALS[verdict?.reason ?? 'other-sandbox'] };
      return { ok: true, jail: await jails.jailOf(verdict.sandbox) };
    },
    maxFileBytes: config.ftp.maxFileBytes,
    routes: relays.routes(),
    // Active mode may not connect into the lab's own servers (the web port above all).
    ownPorts: () => [ctx.config.webPort, ...ctx.publicPorts()].filter((port) => port > 0),
    // Only the tap's own upstream sockets: the internal port must not be a way around the tap.
    acceptControl: (remotePort) => tap?.byUpstreamPort(remotePort) !== undefined,
    loginGraceMs: options.loginGraceMs,
    // Time step mode holds a connection is the class's pace: a held AUTH TLS or USER cannot log in.
    loginClockStopped: (remotePort) => {
      const connection = tap?.byUpstreamPort(remotePort);
      return connection !== undefined && tap !== null && tap.step.isHeld(connection.recorder.info.id);
    },
  });
  attachEndpointView(server, (port) => tap?.byUpstreamPort(port), (sessionId, command) => relays.noteCommand(sessionId, command));

  const runningTap = await openLabTap(ctx, server, {
    protocol: 'ftp',
    port: config.ftp.port,
    target: server.ports.control,
    // A connection only its login can file keeps no password in its transcript (unfiled-pass.ts).
    dissector: (connection) => (connection.sandbox === UNFILED ? maskPasswords(createFtpDissector()) : createFtpDissector()),
    portEnvVar: 'FTP_PORT',
    maxConnectionsPerClient: MAX_CONNECTIONS_PER_CLIENT,
    refusalLine: '421 Too many connections from your address, try again later\r\n',
  });
  tap = runningTap;
  const consoles = new Set<FtpConsole>();
  const routes = ftpRoutes({ ctx, tap: runningTap, relays });

  return {
    protocol: 'ftp',
    tap: runningTap,
    endpoints: [{ protocol: 'ftp', name: 'FTP / FTPS (explicit)', host: config.host, port: runningTap.port, listening: () => runningTap.listening }],
    openConsole: (io) => {
      const login = ctx.clientLogin(io.owner?.sandbox);
      const session = new FtpConsole(runningTap, io, login.user, login.password);
      consoles.add(session);
      session.onClose(() => consoles.delete(session));
      return session;
    },
    routes: routes.routes,
    // Recipes are built by the page from GET /api/lab's user and password: the caller's login already.
    info: (caller) => ({
      port: runningTap.port,
      passiveRange: config.ftp.pasvRange,
      passiveAddress: caller.host,
      maxFileBytes: config.ftp.maxFileBytes,
      maxConnectionsPerClient: MAX_CONNECTIONS_PER_CLIENT,
      firewall: relays.firewallOf(caller.sandbox),
      tls: 'explicit (AUTH TLS), lab certificate',
    }),
    forgetSandbox: (sandbox) => {
      jails.forget(sandbox);
      routes.forget(sandbox);
      relays.forget(sandbox);
    },
    stop: async () => {
      for (const session of consoles) session.close();
      await routes.close();
      await runningTap.close();
      await relays.close();
      await server.stop();
    },
  };
}
