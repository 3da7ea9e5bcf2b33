/**
 * ZeroMQ lab benchmark (prints figures only), each pair measured in the same run, alternating rounds:
 *  1. REQ/REP round trips/s (think time 0) through the tap vs straight to the REP's ipc endpoint,
 *     and their ratio (target ≥ 0.85, issue 10).
 *  2. PUB→SUB messages/s through a tap (ZMTP dissector, as the lab's) vs straight to the ipc endpoint:
 *     the lab's PUB sends three messages a second, so a bench PUB floods instead.
 *  3. The tunnel's cost: REQ/REP round trips/s through the lab's SSH server (direct-tcpip) vs the tap.
 * Run: npm run bench:zmq (BENCH_ROUND_MS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_TIMEOUT_S)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import * as zmq from 'zeromq';
import { Bus } from '../lib/bus/bus.ts';
import { createZmtpDissector } from '../lib/protocols/zmtp/dissector.ts';
import { Tap } from '../lib/wire/tap.ts';
import { startDaemon } from '../servers/daemon/daemon.ts';
import { sshLab } from '../servers/ssh/lab.ts';
import { zmqLab, type ZmqRunningLab } from '../servers/zmq/lab.ts';
import { openLink } from '../servers/zmq/lab/link.ts';
import { testConfig, TEST_PASSWORD } from '../tests/helpers/daemon.ts';
import { cpuLine, mainThreadMicros, median, vsTarget, type Target } from './report.ts';
import { benchBudget } from './timeout.ts';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const budget = benchBudget('bench:zmq', 120 + ROUNDS * 6 * (ROUND_MS / 1000) * 3);
/** Issue 10's target for REQ/REP through the tap vs direct. */
const REQ_REP_RATIO: Target = { atLeast: 0.85 };

/** CPU µs per round trip of each round, by endpoint (process, and main thread alone). */
const cpuPerTrip = new Map<string, { all: number; main: number }[]>();

/**
 * Round trips/s of CONCURRENCY REQ sockets connected to `endpoint`, for one round; `settled` ends it (the lab
 * records and stores beside the forwarding: a round is over once it has caught up).
 */
async function roundTrips(endpoint: string, settled: () => Promise<void>): Promise<number> {
  const sockets = Array.from({ length: CONCURRENCY }, () => new zmq.Request({ linger: 0, receiveTimeout: 10_000 }));
  for (const socket of sockets) socket.connect(endpoint);
  // One exchange each before timing: connects and handshakes are not round trips.
  await Promise.all(sockets.map(async (s) => (await s.send('warm'), await s.receive())));
  let count = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainBefore = mainThreadMicros();
  const until = started + ROUND_MS;
  await Promise.all(
    sockets.map(async (socket) => {
      while (performance.now() < until) {
        await socket.send('Hello');
        await socket.receive();
        count++;
      }
    }),
  );
  await settled();
  const rate = count / ((performance.now() - started) / 1000);
  const used = process.cpuUsage(cpu);
  cpuPerTrip.set(endpoint, [...(cpuPerTrip.get(endpoint) ?? []), { all: (used.user + used.system) / count, main: (mainThreadMicros() - mainBefore) / count }]);
  for (const socket of sockets) socket.close();
  return rate;
}

/** Messages/s a SUB connected to `endpoint` receives from a flooding PUB, for one round. */
async function subRate(endpoint: string): Promise<number> {
  const sub = new zmq.Subscriber({ linger: 0, receiveTimeout: 5000 });
  sub.connect(endpoint);
  sub.subscribe('');
  await sub.receive(); // subscribed and flowing
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < ROUND_MS) {
    await sub.receive();
    count++;
  }
  const rate = count / ((performance.now() - started) / 1000);
  sub.close();
  return rate;
}

/** Alternates `a` and `b` for ROUNDS rounds; medians. */
async function compare(what: string, a: [string, () => Promise<number>], b: [string, () => Promise<number>]): Promise<[number, number]> {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    budget.phase(`${what}, round ${round}/${ROUNDS}: ${a[0]}`);
    xs.push(await a[1]());
    budget.phase(`${what}, round ${round}/${ROUNDS}: ${b[0]}`);
    ys.push(await b[1]());
  }
  const all = (v: number[]) => v.map((x) => x.toFixed(0)).join(', ');
  console.log(`${what} (${ROUNDS}×${ROUND_MS} ms rounds, medians):`);
  console.log(`  ${a[0].padEnd(12)} ${median(xs).toFixed(0)}/s   (rounds ${all(xs)})`);
  console.log(`  ${b[0].padEnd(12)} ${median(ys).toFixed(0)}/s   (rounds ${all(ys)})`);
  return [median(xs), median(ys)];
}

async function main(): Promise<void> {
  budget.phase('starting the SSH and ZeroMQ labs');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-bench-'));
  const daemon = await startDaemon(testConfig(dataDir), [sshLab, zmqLab]);
  const lab = daemon.labs.find((l) => l.protocol === 'zmq') as ZmqRunningLab;
  const ssh = daemon.labs.find((l) => l.protocol === 'ssh');
  lab.setThinkMs(0);
  // A flooding PUB behind a tap of its own (the lab's PUB is paced at one round a second).
  const floodPath = path.join(dataDir, 'zmq', 'flood.sock');
  const flood = new zmq.Publisher({ linger: 0, sendHighWaterMark: 10_000 });
  await flood.bind(`ipc://${floodPath}`);
  // Flooding only while PUB→SUB is measured: a send loop running through the REQ/REP rounds took the
  // main thread's CPU from both paths (and more from the tapped one, which needs more of it).
  let flooding = false;
  let floodLoop: Promise<void> = Promise.resolve();
  const startFlood = () => {
    flooding = true;
    floodLoop = (async () => {
      while (flooding) await flood.send(['bench', 'x'.repeat(64)]);
    })().catch(() => {});
  };
  const floodTap = new Tap({ protocol: 'zmq', resolveSandbox: () => 'local', listen: { host: '127.0.0.1', port: 0 }, target: { path: floodPath }, dissector: createZmtpDissector, bus: new Bus() });
  await floodTap.listen();
  let tunnel: ssh2.Client | null = null;
  let tunnelLink: Awaited<ReturnType<typeof openLink>> | null = null;
  try {
    const tapped = `tcp://127.0.0.1:${lab.tapOf.rep.port}`;
    budget.phase('warm-up');
    await roundTrips(tapped, daemon.settled);
    const [direct, viaTap] = await compare(`REQ/REP round trips, ${CONCURRENCY} REQ sockets, think 0`, ['direct ipc', () => roundTrips(lab.endpointsDirect.rep, daemon.settled)], ['via tap', () => roundTrips(tapped, daemon.settled)]);
    console.log(`  ratio        ${vsTarget(viaTap / direct, REQ_REP_RATIO)}`);
    const cpuOf = (endpoint: string, which: 'all' | 'main') => median((cpuPerTrip.get(endpoint) ?? []).map((c) => c[which]));
    const [directRep, tappedRep] = [lab.endpointsDirect.rep, tapped];
    console.log(`  CPU          ${cpuLine(cpuOf(directRep, 'all'), cpuOf(tappedRep, 'all'), 'round trip', { direct: cpuOf(directRep, 'main'), tapped: cpuOf(tappedRep, 'main') })}`);

    startFlood();
    const [subDirect, subTap] = await compare('PUB→SUB messages', ['direct ipc', () => subRate(`ipc://${floodPath}`)], ['via tap', () => subRate(`tcp://127.0.0.1:${floodTap.port}`)]);
    console.log(`  ratio        ${(subTap / subDirect).toFixed(2)}`);
    flooding = false;
    await floodLoop;

    if (ssh) {
      budget.phase('opening the SSH tunnel');
      const client = new ssh2.Client();
      tunnel = client;
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve()).once('error', reject);
        client.connect({ host: '127.0.0.1', port: ssh.tap.port, username: 'student', password: TEST_PASSWORD });
      });
      tunnelLink = await openLink(path.join(dataDir, 'zmq', 'links'), () => new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 0, '127.0.0.1', lab.tapOf.rep.port, (err, channel) => (err ? reject(err) : resolve({ stream: channel })))));
      const viaTunnel = tunnelLink.endpoint;
      const [t, s] = await compare('REQ/REP through the SSH tunnel vs the tap', ['via tap', () => roundTrips(tapped, daemon.settled)], ['via SSH', () => roundTrips(viaTunnel, daemon.settled)]);
      console.log(`  tunnel cost  ${(s / t).toFixed(2)} of the tap's rate`);
    }
    budget.phase('stopping');
  } finally {
    flooding = false;
    flood.close();
    await floodLoop;
    await floodTap.close();
    await tunnelLink?.close();
    tunnel?.end();
    await daemon.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
budget.done();
