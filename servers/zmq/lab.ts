/**
 * The ZeroMQ lab: the server application (server.ts) on ipc:// endpoints in the data directory, one
 * tap per public port (ZMQ_BASE_PORT + 0…5) sharing one step mode, dissected as ZMTP; the endpoint
 * view from the application; the browser consoles (one per pattern, CURVE, the SSH tunnel); the lab's
 * own PULL workers per sandbox; and /api/zmq routes.
 */
import path from 'node:path';
import { z } from 'zod';
import * as zmq from 'zeromq';
import { zmtpDissector } from '../../lib/protocols/zmtp/dissector.ts';
import { z85Decode } from '../../lib/protocols/zmtp/curve-open.ts';
import { labInteger, labPort } from '../../lib/labs/env.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { SecretStore } from '../../lib/store/secrets.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { labHostKeyVerifier } from '../ssh/published-host-keys.ts';
import { zmqAbout } from './about.ts';
import { HEARTBEAT, MAX_MESSAGE_BYTES, startZmqServer, type ZmqHeartbeat, type ZmqServer } from './server.ts';
import { MAX_THINK_MS, ZMQ_CONSOLE_KINDS, ZMQ_PORT_OFFSETS, ZMQ_SOCKETS, ZMQ_TOPICS, type ZmqInfo, type ZmqSocketName } from './lab/contracts.ts';
import { openZmqConsole } from './lab/consoles.ts';
import { curveEndpointView } from './lab/curve-endpoint.ts';
import { recordEndpointView } from './lab/endpoint.ts';
import { zmqRoutes } from './lab/routes.ts';
import { WorkerPools } from './lab/workers.ts';

/** The ZeroMQ lab's settings: the first public port (the others follow it) and the REP's think time. */
export interface ZmqSettings {
  /** The first public port (REP); the other five follow it. */
  port: number;
  thinkMs: number;
  /** The sockets' heartbeats (no variable: tests shorten them); default HEARTBEAT. */
  heartbeat?: ZmqHeartbeat;
}

const settings = z
  .object({ ZMQ_BASE_PORT: labPort(zmqAbout, 'ZMQ_BASE_PORT').refine((p) => p === 0 || p + 5 <= 65535, 'ZMQ_BASE_PORT + 5 must be a port (≤ 65535)'), ZMQ_THINK_MS: labInteger(zmqAbout, 'ZMQ_THINK_MS', 0, MAX_THINK_MS) })
  .transform((env): ZmqSettings => ({ port: env.ZMQ_BASE_PORT, thinkMs: env.ZMQ_THINK_MS }));

const NAMES: Record<ZmqSocketName, string> = { rep: 'ZeroMQ REP', pub: 'ZeroMQ PUB', push: 'ZeroMQ PUSH (ventilator)', pull: 'ZeroMQ PULL (sink)', pair: 'ZeroMQ PAIR', curve: 'ZeroMQ REP (CURVE)' };
const CURVE_SECRET = 'zmq.curve.server';
const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/** The running lab, with what benchmarks and tests compare the tapped path with. */
export interface ZmqRunningLab extends RunningLab<ZmqInfo> {
  taps: readonly Tap[];
  /** Each socket's tap. */
  tapOf: Record<ZmqSocketName, Tap>;
  /** Each socket's internal ipc:// endpoint (direct, around the tap: benchmarks only). */
  endpointsDirect: Record<ZmqSocketName, string>;
  setThinkMs(ms: number): void;
  /** What the server application received and sent (tests check what a socket delivered). */
  appEvents: ZmqServer['events'];
}

/** The CURVE server key pair, generated once per data directory and kept with the other secrets. */
export async function curveServerKeys(secrets: SecretStore): Promise<{ publicKey: string; secretKey: string }> {
  const parse = (text: string) => {
    try {
      const value: unknown = JSON.parse(text);
      const keys = z.object({ publicKey: z.string().regex(Z85_KEY), secretKey: z.string().regex(Z85_KEY) }).safeParse(value);
      return keys.success ? keys.data : null;
    } catch {
      return null;
    }
  };
  const stored = secrets.get(CURVE_SECRET);
  const keys = stored === null ? null : parse(stored);
  if (keys) return keys;
  const fresh = zmq.curveKeyPair();
  secrets.set(CURVE_SECRET, JSON.stringify(fresh));
  return fresh;
}

async function startZmqLab(ctx: LabContext<ZmqSettings>): Promise<ZmqRunningLab> {
  const { config, bus } = ctx;
  const dir = path.join(config.dataDir, 'zmq');
  const curve = await curveServerKeys(ctx.secrets);
  const taps: Partial<Record<ZmqSocketName, Tap>> = {};
  const heartbeat = ctx.settings.heartbeat ?? HEARTBEAT;
  const server = await startZmqServer({
    dir,
    publicPort: (name) => taps[name]?.port ?? 0,
    thinkMs: ctx.settings.thinkMs,
    curve,
    heartbeat,
  });
  // The CURVE port's connections get their handshake boxes opened with the server's secret key.
  const curveView = curveEndpointView(bus, z85Decode(curve.secretKey) ?? new Uint8Array(0), () => taps.curve);
  const stopAll = async () => {
    curveView.stop();
    for (const tap of Object.values(taps)) await tap.close();
    await server.stop();
  };
  for (const name of ZMQ_SOCKETS) {
    const base = ctx.settings.port;
    taps[name] = await openLabTap(ctx, { stop: stopAll }, {
      protocol: 'zmq',
      port: base === 0 ? 0 : base + ZMQ_PORT_OFFSETS[name],
      target: { path: server.paths[name] },
      // The sockets' ZMQ_MAXMSGSIZE and heartbeats: a frame over the limit, or PINGs left unanswered, are named as
      // the reason a connection closed.
      dissector: name === 'curve' ? curveView.dissector : () => zmtpDissector({ maxMessageBytes: MAX_MESSAGE_BYTES, heartbeat }),
      portEnvVar: 'ZMQ_BASE_PORT',
      // One step mode for all six ports: Step releases the lab's messages in wire order across them.
      step: taps.rep?.step,
    });
  }
  const tapOf = taps as Record<ZmqSocketName, Tap>;
  const allTaps = ZMQ_SOCKETS.map((name) => tapOf[name]);
  const endpointView = recordEndpointView(bus, tapOf);
  server.events.on('app', (event) => endpointView.record(event));

  const consoleDir = path.join(dir, 'links');
  const workers = new WorkerPools({ tapOf, dir: consoleDir });
  const publicHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const sshLab = () => ctx.labs?.find((lab) => lab.protocol === 'ssh');

  return {
    protocol: 'zmq',
    tap: tapOf.rep,
    taps: allTaps,
    tapOf,
    endpointsDirect: server.endpoints,
    setThinkMs: (ms) => void (server.thinkMs = ms),
    appEvents: server.events,
    endpoints: ZMQ_SOCKETS.map((name) => ({ protocol: 'zmq' as const, name: NAMES[name], role: name, host: config.host, port: tapOf[name].port, listening: () => tapOf[name].listening })),
    openConsole: (io, kind) =>
      openZmqConsole(kind ?? 'req', io, {
        tapOf,
        dir: consoleDir,
        curveServerKey: curve.publicKey,
        workers,
        appEvents: server.events,
        pairIgnored: endpointView.pairIgnored,
        ssh: () => {
          const lab = sshLab();
          return lab ? { tap: lab.tap, credentials: ctx.clientLogin(io.owner?.sandbox), hostVerifier: labHostKeyVerifier(lab, ctx) } : null;
        },
      }),
    routes: zmqRoutes({ sandboxes: ctx.sandboxes, workers, server, ownerSandbox: config.sandbox }),
    info: (caller) => ({
      host: publicHost,
      ports: Object.fromEntries(ZMQ_SOCKETS.map((name) => [name, tapOf[name].port])) as ZmqInfo['ports'],
      endpoints: server.endpoints,
      thinkMs: server.thinkMs,
      topics: [...ZMQ_TOPICS],
      curveServerKey: curve.publicKey,
      ssh: sshLab() ? { port: sshLab()?.tap.port ?? 0, user: caller.login.user } : null,
      consoles: [...ZMQ_CONSOLE_KINDS],
    }),
    stop: async () => {
      endpointView.stop();
      await workers.stopAll();
      await stopAll();
    },
  };
}

/** The ZeroMQ lab (registered in servers/index.ts). */
export const zmqLab: LabModule<'zmq', ZmqSettings, ZmqInfo> = { about: zmqAbout, settings, start: startZmqLab };
