/**
 * The ZeroMQ lab's routes (/api/zmq/…), its console kinds and what it adds to GET /api/lab, declared
 * once for the daemon (routes.ts), the page (components/zmq) and the tests. Pure zod and types: the
 * browser imports this file.
 */
import { z } from 'zod';
import { route } from '../../../lib/http/contract.ts';
import { ZMQ_ROLES } from '../about.ts';

/**
 * The browser consoles the lab offers (console.open `kind`), one per socket pattern, plus CURVE and
 * the SSH tunnel. Each is a line console run by the daemon; `help` lists its commands.
 */
export const ZMQ_CONSOLE_KINDS = ['req', 'sub', 'workers', 'pair', 'curve', 'tunnel'] as const;
export type ZmqConsoleKind = (typeof ZMQ_CONSOLE_KINDS)[number];

/** The lab's sockets, each behind its own public port (ZMQ_BASE_PORT + offset). */
export const ZMQ_SOCKETS = ZMQ_ROLES;
export type ZmqSocketName = (typeof ZMQ_SOCKETS)[number];

/** The offset of each socket's public port from ZMQ_BASE_PORT: its index among the roles (about.ts). */
export const ZMQ_PORT_OFFSETS = Object.fromEntries(ZMQ_SOCKETS.map((name, i) => [name, i])) as Record<ZmqSocketName, number>;

/** The topics the PUB socket publishes every second. */
export const ZMQ_TOPICS = ['weather.seoul', 'weather.tehran', 'clock'] as const;

/** Longest think time the REP may be given (ms). */
export const MAX_THINK_MS = 10_000;
/** Most workers the lab runs for one sandbox. */
export const MAX_WORKERS = 8;

const Ports = z.object({ rep: z.number(), pub: z.number(), push: z.number(), pull: z.number(), pair: z.number(), curve: z.number() });

/** One of the lab's own PULL workers (connected to the PUSH port) and what it did. */
export const WorkerSchema = z.object({
  id: z.number(),
  /** Tasks it received from the ventilator (PUSH, round-robin). */
  tasks: z.number(),
  /** Results it sent to the sink (PULL, fan-in). */
  results: z.number(),
});

/** The calling sandbox's workers, the ventilator's task count and the sink's result count. */
export const WorkersSchema = z.object({
  workers: z.array(WorkerSchema),
  /** Tasks the ventilator has handed to libzmq since the lab started. */
  tasksSent: z.number(),
  /** Results the sink has received since the lab started (from any worker, the lab's or yours). */
  resultsReceived: z.number(),
  /** Milliseconds between two tasks. */
  taskIntervalMs: z.number(),
});
export type ZmqWorkers = z.infer<typeof WorkersSchema>;

/** GET /api/lab → zmq. */
export const ZmqInfoSchema = z.object({
  host: z.string(),
  ports: Ports,
  /** The internal ipc:// endpoints the sockets bind (only the taps reach them). */
  endpoints: z.object({ rep: z.string(), pub: z.string(), push: z.string(), pull: z.string(), pair: z.string(), curve: z.string() }),
  /** The REP's think time before each reply (ms). */
  thinkMs: z.number(),
  topics: z.array(z.string()),
  /** The CURVE REP's long-term public key, Z85 (40 characters): a client needs it to connect. */
  curveServerKey: z.string(),
  /** The SSH lab's port and user, for tunnels (null without the SSH lab). */
  ssh: z.object({ port: z.number(), user: z.string() }).nullable(),
  consoles: z.array(z.enum(ZMQ_CONSOLE_KINDS)),
});
export type ZmqInfo = z.infer<typeof ZmqInfoSchema>;

export const zmqContracts = {
  /** The REP's think time: 1000 ms like the seed's time.sleep(1), 0 for benchmarks. */
  think: route({
    method: 'POST',
    path: '/api/zmq/think',
    body: z.object({ ms: z.number().int().min(0).max(MAX_THINK_MS) }).strict(),
    reply: z.object({ thinkMs: z.number() }),
  }),
  /** The calling sandbox's workers and the fan-in tallies. */
  workers: route({ method: 'GET', path: '/api/zmq/workers', reply: WorkersSchema }),
  /** Starts or stops the lab's own PULL workers for the calling sandbox until `count` run. */
  setWorkers: route({
    method: 'POST',
    path: '/api/zmq/workers',
    body: z.object({ count: z.number().int().min(0).max(MAX_WORKERS) }).strict(),
    reply: WorkersSchema,
  }),
};
