import { createFtpDissector } from '../../lib/protocols/ftp/dissector.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import { start as startFtpServer } from './index.ts';
import { DataRelays, type ControlInfo } from './lab/data-relays.ts';
import { attachEndpointView } from './lab/endpoint.ts';
import { FtpConsole } from './lab/console.ts';
import { ftpRoutes } from './lab/routes.ts';
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
 * endpoint view after AUTH TLS, a raw/friendly console, and /api/ftp/… routes.
 */
export const ftpLab: LabModule<'ftp', FtpSettings, FtpInfo> = createFtpLab({});

/** Builds the FTP lab with `options` (tests); `ftpLab` is it with the defaults. */
export function createFtpLab(options: FtpLabOptions): LabModule<'ftp', FtpSettings, FtpInfo> {
  // Passive ports: any free port, so test files can run in parallel; a small upload limit.
  return { about: ftpAbout, settings, testSettings: { pasvRange: null, maxFileBytes: 8 * 1024 * 1024 }, start: (ctx) => startFtpLab(ctx, options) };
}

async function startFtpLab(ctx: LabContext<FtpSettings>, options: FtpLabOptions): Promise<RunningLab<FtpInfo>> {
  const { config, bus } = ctx;
  let tap: Tap | null = null;
  const control = (remotePort: number): ControlInfo | undefined => {
    const connection = tap?.byUpstreamPort(remotePort);
    if (!tap || !connection) return undefined;
    return { recorder: connection.recorder, owner: connection.owner, step: tap.step, clientAddress: hostOf(connection.recorder.info.client) };
  };
  const relays = new DataRelays({ bus, host: config.host, range: config.ftp.pasvRange, control });

  const root = sandboxRoot(config.dataDir, config.sandbox);
  const server = await startFtpServer({
    host: '127.0.0.1',
    port: 0,
    root,
    tls: ctx.tls,
    credentials: ctx.credentials,
    maxFileBytes: config.ftp.maxFileBytes,
    maxSandboxBytes: config.sandboxQuotaBytes,
    routes: relays.routes(),
    // Only the tap's own upstream sockets: the internal port must not be a way around the tap.
    acceptControl: (remotePort) => tap?.byUpstreamPort(remotePort) !== undefined,
    loginGraceMs: options.loginGraceMs,
  });
  attachEndpointView(server, (port) => tap?.byUpstreamPort(port), (sessionId, command) => relays.noteCommand(sessionId, command));

  const runningTap = await openLabTap(ctx, server, {
    protocol: 'ftp',
    port: config.ftp.port,
    target: server.ports.control,
    dissector: () => createFtpDissector(),
    portEnvVar: 'FTP_PORT',
    maxConnectionsPerClient: MAX_CONNECTIONS_PER_CLIENT,
    refusalLine: '421 Too many connections from your address, try again later\r\n',
  });
  tap = runningTap;
  const consoles = new Set<FtpConsole>();
  const routes = ftpRoutes({ ctx, tap: runningTap, relays, root });

  return {
    protocol: 'ftp',
    tap: runningTap,
    endpoints: [{ protocol: 'ftp', name: 'FTP / FTPS (explicit)', host: config.host, port: runningTap.port, listening: () => runningTap.listening }],
    openConsole: (io) => {
      const session = new FtpConsole(runningTap, io, ctx.credentials.user, ctx.credentials.password);
      consoles.add(session);
      session.onClose(() => consoles.delete(session));
      return session;
    },
    routes: routes.routes,
    info: () => ({
      port: runningTap.port,
      passiveRange: config.ftp.pasvRange,
      passiveAddress: '127.0.0.1',
      maxFileBytes: config.ftp.maxFileBytes,
      maxConnectionsPerClient: MAX_CONNECTIONS_PER_CLIENT,
      firewall: relays.firewall,
      tls: 'explicit (AUTH TLS), lab certificate',
    }),
    stop: async () => {
      for (const session of consoles) session.close();
      await routes.close();
      await runningTap.close();
      await relays.close();
      await server.stop();
    },
  };
}
