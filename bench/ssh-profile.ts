/**
 * Where an SSH login's main-thread time goes, tapped against direct, in one process (bench:ssh's lab and
 * bare server): a warm-up, then PROFILE_N logins each way (default 300, 4 at a time), alternating for
 * PROFILE_ROUNDS rounds (default 2). Prints the main thread's CPU per login from /proc. Asserts nothing.
 *
 *   node --import tsx bench/ssh-profile.ts
 *     The inspector's sampling profiler (100 µs): self time per login by file (PROFILE_FUNCTIONS=1: by
 *     function, natives named with their JavaScript caller), tapped − direct first. Its samples are
 *     wall-clock: a thread descheduled on a busy machine, or blocked (the store's Atomics.wait), still
 *     counts, and the builtins and runtime calls our code makes are charged to no file of ours.
 *   PROFILE_PHASES=/tmp/phases perf record -F 4000 -e cpu-clock:u -k CLOCK_MONOTONIC -g -o /tmp/perf.data -- \
 *       node --perf-basic-prof --interpreted-frames-native-stack --import tsx bench/ssh-profile.ts
 *   perf script -i /tmp/perf.data -F comm,pid,tid,time,period,event,ip,sym,dso > /tmp/perf.txt
 *   node --import tsx bench/perf-attribute.ts /tmp/phases /tmp/perf.txt
 *     CPU time only (session 30): each phase's span is written to PROFILE_PHASES, and perf-attribute.ts
 *     charges every main-thread sample to the nearest JavaScript frame on its stack.
 *
 * PROFILE_BASE=hub compares the lab's tap with a plain Tap (SSH dissector, the lab's bus) in front of the bare
 * server instead, so the difference is the lab's own layer (endpoint view, sandbox logins): bench:ssh-layers' last step.
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import { sshLab } from '../servers/ssh/lab.ts';
import { createSshDissector } from '../lib/protocols/ssh/dissector.ts';
import { Tap } from '../lib/wire/tap.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { capturing } from './lab-context.ts';
import { startBareSsh } from './ssh-bare.ts';
import { mainThreadMicros } from './report.ts';
import { sshLogins } from './ssh-login.ts';

const N = Number(process.env.PROFILE_N ?? 300);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 2);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const BY_FUNCTION = process.env.PROFILE_FUNCTIONS === '1';
const TOP = Number(process.env.PROFILE_TOP ?? 40);
const phasesFile = process.env.PROFILE_PHASES;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}
type PathName = 'tap' | 'direct';

const fileOf = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules\/|[^/]+\/(?=lib\/|servers\/|bench\/|tests\/))/, '').replace(/\?.*$/, '');

/** Adds the profile's self µs by key (file, or file and function) to `into`. */
function selfTimes(profile: Profile, into: Map<string, number>): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]);
    if (!node) continue;
    const { url, functionName, lineNumber } = node.callFrame;
    let key: string;
    if (url) key = BY_FUNCTION ? `${fileOf(url)} ${functionName || '(anon)'}:${lineNumber + 1}` : fileOf(url);
    else {
      let up = parent.get(node.id);
      while (up && !up.callFrame.url && up.callFrame.functionName !== '(root)') up = parent.get(up.id);
      const caller = BY_FUNCTION && up?.callFrame.url ? ` <- ${fileOf(up.callFrame.url)} ${up.callFrame.functionName || '(anon)'}` : '';
      key = `(${functionName || 'anonymous'})${caller}`;
    }
    into.set(key, (into.get(key) ?? 0) + (deltas[i] ?? 0));
  }
}

const ssh = capturing(sshLab);
const lab = await startTestLab({ labs: [ssh.lab] });
const labTap = lab.daemon.labs.find((l) => l.protocol === 'ssh')?.tap;
if (!labTap) throw new Error('ssh lab not started');
const ctx = ssh.context();
const bare = await startBareSsh(ctx, () => lab.daemon.labs.flatMap((l) => l.endpoints.map((e) => e.port)));
const hubTap = new Tap({ protocol: 'ssh', resolveSandbox: ctx.sandboxes.ofConnection, listen: { host: '127.0.0.1', port: 0 }, target: { accept: (socket) => bare.accept(socket) }, dissector: createSshDissector, bus: ctx.bus });
const hubPort = await hubTap.listen();
const ports: Record<PathName, number> = { tap: labTap.port, direct: process.env.PROFILE_BASE === 'hub' ? hubPort : bare.ports.ssh };
const session = new inspector.Session();
session.connect();
if (!phasesFile) {
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}

try {
  await sshLogins(ports.tap, WARMUP, 4);
  await sshLogins(ports.direct, WARMUP, 4);
  await lab.daemon.settled();
  const totals: Record<PathName, Map<string, number>> = { tap: new Map(), direct: new Map() };
  const main: Record<PathName, number> = { tap: 0, direct: 0 };
  const phases: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: PathName[] = round % 2 === 0 ? ['tap', 'direct'] : ['direct', 'tap'];
    for (const name of order) {
      if (!phasesFile) await session.post('Profiler.start');
      const before = mainThreadMicros();
      const from = process.hrtime.bigint();
      await sshLogins(ports[name], N, 4);
      await lab.daemon.settled();
      phases.push(`${name} ${from} ${process.hrtime.bigint()}`);
      main[name] += mainThreadMicros() - before;
      if (phasesFile) continue;
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
      selfTimes(profile, totals[name]);
    }
  }
  const logins = N * ROUNDS;
  console.log(`${logins} logins each way; main thread (/proc) µs a login: tap ${(main.tap / logins).toFixed(0)}, direct ${(main.direct / logins).toFixed(0)}`);
  // perf-attribute.ts reads: this process's id and the logins per path, then one line per phase (name, start, end in ns).
  if (phasesFile) fs.writeFileSync(phasesFile, `${process.pid} ${logins}\n${phases.join('\n')}\n`);
  else {
    const per = (name: PathName, key: string) => (totals[name].get(key) ?? 0) / logins;
    const row = (key: string) => `${(per('tap', key) - per('direct', key)).toFixed(1).padStart(7)} ${per('tap', key).toFixed(1).padStart(7)} ${per('direct', key).toFixed(1).padStart(7)}  ${key}`;
    const keys = [...new Set([...totals.tap.keys(), ...totals.direct.keys()])].filter((k) => k !== '(idle)');
    const busy = (name: PathName) => keys.reduce((sum, k) => sum + per(name, k), 0);
    console.log(`sampled (wall-clock, not idle) µs a login: tap ${busy('tap').toFixed(0)}, direct ${busy('direct').toFixed(0)}`);
    keys.sort((a, b) => per('tap', b) - per('direct', b) - (per('tap', a) - per('direct', a)));
    console.log('   diff     tap  direct  (µs a login)');
    for (const key of keys.slice(0, TOP)) console.log(row(key));
    console.log('…most negative:');
    for (const key of keys.slice(-8)) console.log(row(key));
  }
} finally {
  session.disconnect();
  await hubTap.close();
  await bare.stop();
  await lab.stop();
}
