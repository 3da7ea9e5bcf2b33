import type { LabAbout } from '../../lib/labs/about.ts';

/** The lab's sockets, each behind its own public port: ZMQ_BASE_PORT + its index. */
export const ZMQ_ROLES = ['rep', 'pub', 'push', 'pull', 'pair', 'curve'] as const;

/**
 * The ZeroMQ lab as the nav, the home page and README's port table show it. One variable moves all
 * six public ports together: ZMQ_BASE_PORT + 0 REP, +1 PUB, +2 PUSH, +3 PULL, +4 PAIR, +5 CURVE REP.
 */
export const zmqAbout = {
  id: 'zmq',
  title: 'ZeroMQ',
  tagline: 'ZMTP greetings and frames, socket patterns, and a tunnel through SSH.',
  topics: ['REQ/REP', 'PUB/SUB', 'ZMTP 3.1', 'SSH tunnel'],
  live: true,
  ports: [{ env: 'ZMQ_BASE_PORT', default: 5555, what: 'ZeroMQ: +0 REP, +1 PUB, +2 PUSH (ventilator), +3 PULL (sink), +4 PAIR, +5 CURVE REP', roles: ZMQ_ROLES }],
  settings: [{ env: 'ZMQ_THINK_MS', default: 1000, what: "REP think time before each reply (ms), the seed's one-second sleep; settable from the machine owner's page (one REP serves every sandbox)" }],
} as const satisfies LabAbout;
