/**
 * node --import tsx bench/escaping.ts — prints figures, asserts nothing.
 * Cost of the hub's boundary pass (safeJson) against plain JSON.stringify on one large `events`
 * frame made of real bus events: N mails (some with hostile subjects and bodies) sent with
 * nodemailer through the SMTP lab, every event the bus carried collected into one batch.
 * BENCH_N mails (300), BENCH_ROUNDS (60), BENCH_TIMEOUT_S budget.
 */
import nodemailer from 'nodemailer';
import type { LabEvent } from '../lib/bus/events.ts';
import { smtpLab } from '../servers/smtp/lab.ts';
import { encodeServerMessage, type ServerMessage } from '../lib/http/ws-protocol.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { benchBudget } from './timeout.ts';

const MAILS = Number(process.env.BENCH_N ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const budget = benchBudget('bench:escaping', 300);
budget.phase('starting the SMTP lab');

const lab = await startTestLab({ labs: [smtpLab] });
const events: LabEvent[] = [];
const stop = lab.daemon.bus.subscribe((e) => events.push(e));
budget.phase(`sending ${MAILS} mails to collect bus events`);
const transport = nodemailer.createTransport({ host: '127.0.0.1', port: lab.port('smtp'), pool: true, maxConnections: 5, secure: false, ignoreTLS: true });
await Promise.all(
  Array.from({ length: MAILS }, (_, i) =>
    transport.sendMail({
      from: 'student@lab.test',
      to: 'alice@lab.test',
      subject: i % 10 === 0 ? `\x1b[31mhostile ${i}\x07 \u009b2J` : `bench ${i}`,
      text: `line one of mail ${i}\nline two ${i % 10 === 0 ? '\x1bP$qm\x1b\\' : 'plain'}\n`,
    }),
  ),
);
transport.close();
stop();
budget.phase('stopping the lab');
await lab.stop();
budget.phase(`${ROUNDS} alternating encoding rounds`);

const frame: ServerMessage = { type: 'events', events };
const plainJson = JSON.stringify(frame);
const time = (encode: () => string): number => {
  const started = performance.now();
  encode();
  return performance.now() - started;
};
const plain: number[] = [];
const safe: number[] = [];
// Alternate the two so that GC and JIT warm-up fall on both alike.
for (let round = 0; round < ROUNDS; round++) {
  plain.push(time(() => JSON.stringify(frame)));
  safe.push(time(() => encodeServerMessage(frame)));
}
// The machine may be shared: minima show the cost itself, medians what a busy host adds.
const stat = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
};
const [p, s] = [stat(plain), stat(safe)];
console.log(`${events.length} events, ${(plainJson.length / 1e6).toFixed(2)} MB of JSON, ${ROUNDS} alternating rounds:`);
console.log(`  JSON.stringify       min ${p.min.toFixed(2)} ms, median ${p.median.toFixed(2)} ms`);
console.log(`  encodeServerMessage  min ${s.min.toFixed(2)} ms, median ${s.median.toFixed(2)} ms`);
console.log(`  ratio ${(s.min / p.min).toFixed(2)}× (minima), ${(s.median / p.median).toFixed(2)}× (medians); +${(((s.min - p.min) / events.length) * 1000).toFixed(2)} µs per event`);
budget.done();
