/**
 * npm run bench:store — prints figures, asserts nothing.
 * The main thread's cost of handing transcript writes to the writer thread: the messages and
 * captured chunks of real SSH logins (recorded from the lab's bus), posted to a worker as objects
 * (a structured clone of the ops as published) and as the store posts them (lib/store/write-batch.ts
 * tuples, packing included). Alternating rounds, medians, µs per login and the ratio.
 * Knobs: BENCH_N (batches per round, default 400), BENCH_ROUNDS (default 5), BENCH_LOGINS (per batch, default 6).
 */
import { Worker } from 'node:worker_threads';
import { sshLab } from '../servers/ssh/lab.ts';
import type { WriteOp } from '../lib/store/transcript-writer.ts';
import { packBatch } from '../lib/store/write-batch.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { median } from './report.ts';
import { sshLogin } from './ssh-login.ts';
import { benchBudget } from './timeout.ts';

const N = Number(process.env.BENCH_N ?? 400);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 6);
const budget = benchBudget('bench:store', 300);

budget.phase(`recording ${LOGINS} SSH logins from the bus`);
const lab = await startTestLab({ labs: [sshLab] });
const recorded: WriteOp[] = [];
const stopMessages = lab.daemon.bus.subscribe((event) => {
  if (event.type === 'message' || event.type === 'connection.open' || event.type === 'connection.close') recorded.push(event);
});
const stopChunks = lab.daemon.bus.captures.subscribe((event) => {
  if (event.type === 'capture.chunk') recorded.push(event);
});
try {
  for (let i = 0; i < LOGINS; i++) await sshLogin(lab.port('ssh'));
  await lab.daemon.settled();
} finally {
  stopMessages();
  stopChunks();
  await lab.stop();
}

// Each batch a fresh copy (a clone of objects it has seen before costs the same, but keep it honest).
const copies = () => Array.from({ length: N }, () => structuredClone(recorded));
const worker = new Worker(`require('node:worker_threads').parentPort.on('message', () => {});`, { eval: true });
const ways: Record<'objects' | 'tuples', (batch: WriteOp[]) => void> = {
  objects: (batch) => worker.postMessage({ kind: 'write', batch, ticket: 1 }),
  tuples: (batch) => worker.postMessage({ kind: 'write', batch: packBatch(batch), ticket: 1 }),
};
const perLogin: Record<keyof typeof ways, number[]> = { objects: [], tuples: [] };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const way of ['objects', 'tuples'] as const) {
      budget.phase(`round ${round}/${ROUNDS}: ${N} batches as ${way}`);
      const batches = copies();
      const started = performance.now();
      for (const batch of batches) ways[way](batch);
      perLogin[way].push(((performance.now() - started) * 1000) / (N * LOGINS));
      // Let the worker drain before the next round.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
} finally {
  await worker.terminate();
}
const messages = recorded.filter((op) => op.type === 'message').length / LOGINS;
const chunks = recorded.filter((op) => op.type === 'capture.chunk').length / LOGINS;
const [objects, tuples] = [median(perLogin.objects), median(perLogin.tuples)];
console.log(`Store hand-over: ${ROUNDS} alternating rounds of ${N} batches of ${LOGINS} SSH logins (${messages.toFixed(0)} messages, ${chunks.toFixed(0)} chunks each), main thread`);
console.log(`  posted as objects:  ${objects.toFixed(1)} µs per login  (rounds ${perLogin.objects.map((x) => x.toFixed(1)).join(', ')})`);
console.log(`  posted as tuples:   ${tuples.toFixed(1)} µs per login  (rounds ${perLogin.tuples.map((x) => x.toFixed(1)).join(', ')})`);
console.log(`  tuples/objects:     ${(tuples / objects).toFixed(2)}`);
budget.done();
