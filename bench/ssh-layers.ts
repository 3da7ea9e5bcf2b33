/**
 * npm run bench:ssh-layers — prints figures, asserts nothing. Where bench:ssh's handshake ratio goes:
 * the same logins through the tap built up one layer at a time, each stage in front of the same bare
 * ssh2 server (bench/ssh-bare.ts), so each step's cost is the difference to the stage before it.
 *   direct      the bare server on its own port
 *   forwarding  the real Tap (gates, step lane, recorder, captures) with a dissector that finds nothing,
 *               publishing on a bus nobody reads
 *   +dissector  the SSH dissector (inline, as in the lab)
 *   +store/hub  publishing on the lab's bus: the transcript store and the hub read what it records
 *   lab         the lab's own tap, which adds the endpoint view (ssh2's debug lines → the server's timeline)
 * Stages alternate for BENCH_ROUNDS rounds (default 3) after one uncounted warm-up round each; medians of
 * logins per second and main-thread µs per login (the benchmark's clients run on the same thread), each
 * ratio the median of its rounds' stage/direct.
 * Knobs: BENCH_N (logins per stage and round, default 200), BENCH_WARMUP (default 150), BENCH_ROUNDS, BENCH_TIMEOUT_S,
 * BENCH_STAGES (e.g. `+store/hub,lab`: only those, with direct; stages run back to back can tax each other's
 * figures, so compare two stages alone too before believing a step).
 */
import { sshLab } from '../servers/ssh/lab.ts';
import { createSshDissector } from '../lib/protocols/ssh/dissector.ts';
import type { DissectorFactory } from '../lib/protocols/types.ts';
import { Bus } from '../lib/bus/bus.ts';
import { Tap } from '../lib/wire/tap.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { capturing } from './lab-context.ts';
import { median, roundRatios, TARGETS, vsTarget, withCpu } from './report.ts';
import { startBareSsh } from './ssh-bare.ts';
import { sshLogins } from './ssh-login.ts';
import { benchBudget } from './timeout.ts';

const LOGINS = Number(process.env.BENCH_N ?? 200);
const WARMUP_LOGINS = Number(process.env.BENCH_WARMUP ?? 150);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 4;
const budget = benchBudget('bench:ssh-layers', 900);
budget.phase('starting the lab, a bare SSH server and the partial taps');

const ssh = capturing(sshLab);
const lab = await startTestLab({ labs: [ssh.lab] });
const labTap = lab.daemon.labs.find((l) => l.protocol === 'ssh')?.tap;
if (!labTap) throw new Error('ssh lab not started');
const ctx = ssh.context();
const bare = await startBareSsh(ctx);

const findsNothing: DissectorFactory = () => ({ push: () => [], end: () => [] });
const partialTaps: Tap[] = [];
const partialTap = async (dissector: DissectorFactory, bus: Bus): Promise<number> => {
  const tap = new Tap({ protocol: 'ssh', resolveSandbox: ctx.sandboxes.ofConnection, listen: { host: '127.0.0.1', port: 0 }, target: { accept: (socket) => bare.accept(socket) }, dissector, bus });
  partialTaps.push(tap);
  return tap.listen();
};
const stages = [
  { name: 'direct', port: bare.ports.ssh },
  { name: 'forwarding', port: await partialTap(findsNothing, new Bus()) },
  { name: '+dissector', port: await partialTap(createSshDissector, new Bus()) },
  { name: '+store/hub', port: await partialTap(createSshDissector, ctx.bus) },
  { name: 'lab', port: labTap.port },
].map((stage) => ({ ...stage, perSecond: [] as number[], mainMicros: [] as number[] }));

const only = process.env.BENCH_STAGES?.split(',');
const unknown = only?.filter((name) => !stages.some((stage) => stage.name === name)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_STAGES: no stage ${unknown.join(', ')}; the stages are ${stages.map((stage) => stage.name).join(', ')}`);
const measured = stages.filter((stage) => stage.name === 'direct' || !only || only.includes(stage.name));

async function logins(port: number, count: number): Promise<void> {
  await sshLogins(port, count, CONCURRENCY);
  // Over once the lab has stored what it saw (its store runs beside the forwarding).
  await lab.daemon.settled();
}

try {
  for (const stage of measured) {
    budget.phase(`warm-up, ${stage.name}: ${WARMUP_LOGINS} logins`);
    await logins(stage.port, WARMUP_LOGINS);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const stage of measured) {
      budget.phase(`round ${round}/${ROUNDS}, ${stage.name}: ${LOGINS} logins`);
      const started = performance.now();
      const { mainMicros } = await withCpu(() => logins(stage.port, LOGINS));
      stage.perSecond.push(LOGINS / ((performance.now() - started) / 1000));
      stage.mainMicros.push(mainMicros / LOGINS);
    }
  }
  const direct = measured[0].perSecond;
  console.log(`SSH logins through the tap one layer at a time, ${ROUNDS} alternating rounds of ${LOGINS} (medians; ratios: median of each round's stage/direct), ${CONCURRENCY} at a time`);
  let before = median(measured[0].mainMicros);
  for (const stage of measured) {
    const perSecond = median(stage.perSecond);
    const micros = median(stage.mainMicros);
    const step = stage.name === 'direct' ? '' : `  (${micros - before >= 0 ? '+' : ''}${(micros - before).toFixed(0)} µs this layer)`;
    console.log(`  ${stage.name.padEnd(11)} ${perSecond.toFixed(0).padStart(5)} logins/s  ratio ${vsTarget(median(roundRatios(stage.perSecond, direct)), TARGETS.sshHandshakeRatio)}  main thread ${micros.toFixed(0)} µs/login${step}`);
    console.log(`              rounds ${stage.perSecond.map((x) => x.toFixed(0)).join(', ')}`);
    before = micros;
  }
  budget.phase('stopping');
} finally {
  for (const tap of partialTaps) await tap.close();
  await bare.stop();
  await lab.stop();
}
budget.done();
