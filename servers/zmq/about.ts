import type { LabAbout } from '../../lib/labs/about.ts';

/**
 * The ZeroMQ lab, not built yet: shown as "coming". It declares no ports until its server exists
 * (README's port table lists only what a running lab reads).
 */
export const zmqAbout = {
  id: 'zmq',
  title: 'ZeroMQ',
  tagline: 'ZMTP greetings and frames, socket patterns, and a tunnel through SSH.',
  topics: ['REQ/REP', 'PUB/SUB', 'ZMTP 3.1', 'SSH tunnel'],
  live: false,
  ports: [],
  settings: [],
} as const satisfies LabAbout;
