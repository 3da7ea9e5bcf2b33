/**
 * The ZeroMQ lab's server application, on the real `zeromq` package (libzmq 4.3.5): the seed's REP
 * ("World from <port>" after a think time), a PUB with a few topics, a PUSH ventilator and PULL sink
 * (fan-out / fan-in), an exclusive PAIR and a REP with CURVE. Every socket binds an ipc:// endpoint
 * in a private directory (0700, sockets 0600) that only the lab's taps reach: no TCP port a client
 * could use to go around the tap. What the application sends and receives is emitted for the
 * endpoint view.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import * as zmq from 'zeromq';
import { ZMQ_SOCKETS, ZMQ_TOPICS, type ZmqSocketName } from './lab/contracts.ts';
import { receiveEach } from './receive-each.ts';

/** Longest Unix socket path Linux takes (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

export interface ZmqServerOptions {
  /** Directory for the ipc sockets; created 0700 (an existing one is tightened to 0700). */
  dir: string;
  /** The public port of a socket, for the REP's `World from <port>` (the port the client dialled). */
  publicPort(name: ZmqSocketName): number;
  thinkMs: number;
  /** The CURVE REP's long-term key pair, Z85. */
  curve: { publicKey: string; secretKey: string };
  /** Milliseconds between two PUB rounds (one message per topic); default 1000. */
  publishIntervalMs?: number;
  /** Milliseconds between two ventilator tasks; default 500. */
  taskIntervalMs?: number;
  /** The sockets' heartbeats; default HEARTBEAT (tests shorten them). */
  heartbeat?: ZmqHeartbeat;
}

/**
 * The lab sockets' heartbeats (libzmq ZMQ_HEARTBEAT_IVL, ZMQ_HEARTBEAT_TIMEOUT): a PING every `intervalMs`,
 * and the connection closed when nothing at all arrives within `timeoutMs` of a PING.
 */
export interface ZmqHeartbeat {
  intervalMs: number;
  timeoutMs: number;
}

/** PING every 20 s; a peer silent for 60 s after one is dropped, so a peer that stops answering goes after about 80 s. */
export const HEARTBEAT: ZmqHeartbeat = { intervalMs: 20_000, timeoutMs: 60_000 };

/** One application-level event: a multipart message the application received or sent, or a socket event. */
export type ZmqAppEvent =
  | { socket: ZmqSocketName; type: 'received' | 'sent'; frames: Buffer[] }
  | { socket: ZmqSocketName; type: 'monitor'; event: string; detail?: string };

export interface ZmqServer {
  /** ipc:// endpoint of each socket (the tap's target is its path). */
  endpoints: Record<ZmqSocketName, string>;
  paths: Record<ZmqSocketName, string>;
  thinkMs: number;
  readonly taskIntervalMs: number;
  readonly tasksSent: number;
  readonly resultsReceived: number;
  events: EventEmitter<{ app: [ZmqAppEvent] }>;
  stop(): Promise<void>;
}

/** The longest message the lab's sockets take: far above any lesson's, and LONG frames (over 255 bytes) still fit. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** Binds every socket and starts the application loops. */
export async function startZmqServer(options: ZmqServerOptions): Promise<ZmqServer> {
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(options.dir, 0o700);
  const paths = Object.fromEntries(ZMQ_SOCKETS.map((name) => [name, path.join(options.dir, `${name}.sock`)])) as Record<ZmqSocketName, string>;
  const tooLong = Object.values(paths).find((p) => Buffer.byteLength(p) > MAX_SOCKET_PATH);
  if (tooLong) throw new Error(`ZeroMQ: the socket path ${tooLong} is longer than a Unix socket allows (${MAX_SOCKET_PATH} bytes): set LAB_DATA_DIR to a shorter directory.`);
  const endpoints = Object.fromEntries(ZMQ_SOCKETS.map((name) => [name, `ipc://${paths[name]}`])) as Record<ZmqSocketName, string>;
  const events = new EventEmitter<{ app: [ZmqAppEvent] }>();
  const emit = (event: ZmqAppEvent) => events.emit('app', event);

  // Heartbeats on (ZMTP 3.1 PING/PONG, RFC 37 §5): a dead peer is noticed, and the wire shows them. libzmq sends
  // PING every interval and arms the timeout with the first PING that finds none armed; any frame from the peer
  // disarms it. The TTL asks the peer to drop us after as long without traffic.
  // A message longer than MAX_MESSAGE_BYTES closes its sender's connection (libzmq's ZMQ_MAXMSGSIZE, checked at the
  // frame's header): without it the application took a 256 MiB message whole, for any local client to send.
  const heartbeat = options.heartbeat ?? HEARTBEAT;
  const common = { linger: 0, heartbeatInterval: heartbeat.intervalMs, heartbeatTimeout: heartbeat.timeoutMs, heartbeatTimeToLive: heartbeat.timeoutMs, maxMessageSize: MAX_MESSAGE_BYTES };
  const sockets = {
    rep: new zmq.Reply(common),
    pub: new zmq.Publisher(common),
    push: new zmq.Push(common),
    pull: new zmq.Pull(common),
    pair: new zmq.Pair(common),
    curve: new zmq.Reply({ ...common, curveServer: true, curvePublicKey: options.curve.publicKey, curveSecretKey: options.curve.secretKey }),
  } satisfies Record<ZmqSocketName, zmq.Socket>;

  let stopped = false;
  const pauses = new Set<() => void>();
  /** A pause that stop() cuts short (think times, intervals). */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      // No timer for a zero pause: a think time of 0 (benchmarks) must not cost a timer tick per request.
      if (stopped || ms <= 0) return resolve();
      const end = () => {
        clearTimeout(timer);
        pauses.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      pauses.add(end);
    });

  try {
    for (const name of ZMQ_SOCKETS) {
      await sockets[name].bind(endpoints[name]);
      fs.chmodSync(paths[name], 0o600);
    }
  } catch (err) {
    for (const socket of Object.values(sockets)) socket.close();
    throw err;
  }

  const server: ZmqServer = {
    endpoints,
    paths,
    thinkMs: options.thinkMs,
    taskIntervalMs: options.taskIntervalMs ?? 500,
    tasksSent: 0,
    resultsReceived: 0,
    events,
    stop: async () => {
      stopped = true;
      for (const end of [...pauses]) end();
      for (const socket of Object.values(sockets)) socket.close();
      await Promise.allSettled(loops);
      for (const p of Object.values(paths)) fs.rmSync(p, { force: true });
    },
  };
  const counters = server as { tasksSent: number; resultsReceived: number };

  /** Runs an application loop until the socket closes; an unexpected error is logged, not thrown. */
  const loop = async (name: ZmqSocketName, body: () => Promise<void>) => {
    try {
      await body();
    } catch (err) {
      if (!stopped) console.error(`[zmq] ${name}:`, err);
    }
  };

  const answer = (name: 'rep' | 'curve', socket: zmq.Reply) =>
    loop(name, async () => {
      for await (const frames of receiveEach(socket)) {
        emit({ socket: name, type: 'received', frames });
        await pause(server.thinkMs);
        if (stopped) return;
        const reply = [Buffer.from(`World from ${options.publicPort(name)}`)];
        await socket.send(reply);
        emit({ socket: name, type: 'sent', frames: reply });
      }
    });

  const loops = [
    answer('rep', sockets.rep),
    answer('curve', sockets.curve),
    loop('pub', async () => {
      let round = 0;
      while (!stopped) {
        // Every topic is published once per round, so the round is each topic's sequence number.
        round++;
        for (const topic of ZMQ_TOPICS) {
          if (stopped) return;
          await sockets.pub.send([topic, publication(topic, round)]);
        }
        await pause(options.publishIntervalMs ?? 1000);
      }
    }),
    loop('push', async () => {
      while (!stopped) {
        // Waits while no worker is connected: PUSH never drops a task (it blocks at its high-water mark).
        const task = [Buffer.from(`task ${counters.tasksSent + 1}`)];
        await sockets.push.send(task);
        counters.tasksSent++;
        await pause(server.taskIntervalMs);
      }
    }),
    loop('pull', async () => {
      for await (const frames of receiveEach(sockets.pull)) {
        counters.resultsReceived++;
        emit({ socket: 'pull', type: 'received', frames });
      }
    }),
    loop('pair', async () => {
      for await (const frames of receiveEach(sockets.pair)) {
        emit({ socket: 'pair', type: 'received', frames });
        const reply = [Buffer.from(`PAIR heard: ${frames.map((f) => f.toString('utf8')).join(' | ')}`)];
        await sockets.pair.send(reply);
        emit({ socket: 'pair', type: 'sent', frames: reply });
      }
    }),
    ...ZMQ_SOCKETS.map((name) =>
      loop(name, async () => {
        for await (const event of sockets[name].events) {
          const detail = 'error' in event ? String((event.error as Error).message) : undefined;
          emit({ socket: name, type: 'monitor', event: event.type, detail });
        }
      }),
    ),
  ];
  return server;
}

/**
 * One PUB message body: its topic's sequence number (`#17`: the 17th message on that topic since the
 * lab started, so a late subscriber sees how many it missed — the slow joiner), then a made-up
 * temperature per city or the time for `clock`.
 */
export function publication(topic: (typeof ZMQ_TOPICS)[number], round: number): string {
  if (topic === 'clock') return `#${round} ${new Date().toISOString()}`;
  const base = topic === 'weather.seoul' ? -2 : 14;
  return `#${round} ${base + (round % 7)} °C`;
}

/** The topic sequence number at the start of a PUB body, or null. */
export function publicationSeq(body: string): number | null {
  const match = /^#(\d{1,15}) /.exec(body);
  return match ? Number(match[1]) : null;
}
