/**
 * npm run bench:smtp — prints figures, asserts nothing.
 *  1. messages/second for N small mails sent with nodemailer (pooled) through the tap + dissector
 *     + store, versus straight to a second smtp-server with the lab's options and mailbox but
 *     without the tap guard (the lab's own answers only its tap), same run, as a ratio;
 *  2. wire→browser latency (median, p99) of an annotated line: idle (one connection), with 50
 *     connections open, and with 50 of which 49 keep sending NOOPs (under load).
 * Each figure is printed with its issue-9 target (bench/report.ts).
 * Knobs: BENCH_N (mails per round, default 2000), BENCH_ROUNDS (default 3), BENCH_TIMEOUT_S.
 */
import net from 'node:net';
import nodemailer from 'nodemailer';
import WebSocket from 'ws';
import { smtpLab } from '../servers/smtp/lab.ts';
import type { ServerMessage } from '../lib/http/ws-protocol.ts';
import { start as startSmtpServer } from '../servers/smtp/index.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { capturing } from './lab-context.ts';
import { cpuLine, median, TARGETS, vsTarget, withCpu } from './report.ts';
import { benchBudget } from './timeout.ts';

const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const POOL = 5;
const budget = benchBudget('bench:smtp', 600);

/** CPU µs per mail of the last sendMany, per path. */
const cpuPerMail = { direct: [] as number[], tapped: [] as number[] };
const mainPerMail = { direct: [] as number[], tapped: [] as number[] };

/** Sends `count` mails; the round ends once `settled` (the lab's store caught up: both paths store the mail). */
async function sendMany(port: number, count: number, settled?: () => Promise<void>): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, pool: true, maxConnections: POOL, maxMessages: Infinity, secure: false, ignoreTLS: true });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await transport.sendMail({ from: 'student@lab.test', to: 'alice@lab.test', subject: `bench ${i}`, text: `message ${i}\n` });
    }
  };
  await Promise.all(Array.from({ length: POOL * 2 }, worker));
  await settled?.();
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return count / seconds;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * An SMTP connection through the tap, once greeted with 220. The tap admits 50 connections per
 * client address and counts one as gone only once both its sides closed, so right after the
 * previous phase closed its 50 a new one may be refused (421): retry for a while.
 */
async function greeted(port: number): Promise<net.Socket> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    const first = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
      socket.once('close', () => resolve(''));
    });
    if (first.startsWith('220')) return socket;
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the SMTP tap kept refusing connections (per-client limit)');
}

/** Each busy connection's pace: 49 of them make about 500 NOOPs (1,000 lines) a second. */
const BUSY_INTERVAL_MS = 100;

/**
 * Time from writing a line on one of `connections` open SMTP connections to its annotated message
 * in a browser's WebSocket frame. With `busy`, every other connection sends a NOOP every
 * BUSY_INTERVAL_MS the whole time (a loaded lab); otherwise the markers rotate over idle ones.
 * A sample whose event the hub dropped (a `gap` frame: the browser fell behind) counts as lost.
 */
async function latency(lab: Awaited<ReturnType<typeof startTestLab>>, connections: number, busy = false): Promise<{ median: number; p99: number; samples: number; lost: number }> {
  const port = lab.port('smtp');
  const sockets: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < connections; i++) {
    const socket = await greeted(port);
    socket.on('data', () => {});
    if (busy && i > 0) timers.push(setInterval(() => socket.write('NOOP\r\n'), BUSY_INTERVAL_MS));
    sockets.push(socket);
  }
  const samplers = busy ? sockets.slice(0, 1) : sockets;
  const ws = new WebSocket(`${lab.baseUrl.replace('http', 'ws')}/ws`);
  await new Promise((resolve) => ws.once('open', resolve));
  const samples: number[] = [];
  let lost = 0;
  for (let i = 0; i < 300; i++) {
    const marker = `NOOP lat-${i}`;
    const seen = new Promise<boolean>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as ServerMessage;
        const found = message.type === 'events' && message.events.some((e) => e.type === 'message' && e.message.text === marker);
        if (found || message.type === 'gap') {
          ws.off('message', onMessage);
          resolve(found);
        }
      };
      ws.on('message', onMessage);
    });
    const t0 = performance.now();
    samplers[i % samplers.length].write(`${marker}\r\n`);
    if (await seen) samples.push(performance.now() - t0);
    else lost++;
  }
  for (const timer of timers) clearInterval(timer);
  ws.close();
  for (const socket of sockets) socket.destroy();
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p99: percentile(samples, 99), samples: samples.length, lost };
}

budget.phase('starting the lab and a bare SMTP server');
const smtp = capturing(smtpLab);
const lab = await startTestLab({ labs: [smtp.lab], config: { smtp: { port: 0, maxSize: 1024 * 1024 } } });
const ctx = smtp.context();
// The lab's server options (servers/smtp/lab.ts), minus `admit`: same store, no guard, no tap.
const bare = await startSmtpServer({
  host: '127.0.0.1',
  port: 0,
  hostname: 'mail.lab.test',
  tls: ctx.tls,
  maxSize: ctx.config.smtp.maxSize,
  credentials: ctx.credentials,
  deliver: async (mail) => {
    await ctx.mailbox.deliver({ sandbox: ctx.config.sandbox, conn: null, from: mail.from, to: mail.to, raw: mail.raw });
  },
  idleMs: ctx.config.smtp.idleMs,
});
const directPort = bare.ports.smtp;
try {
  // Warm up both paths (JIT, TLS identity, first DB writes).
  budget.phase('warm-up');
  await sendMany(directPort, 100, lab.daemon.settled);
  await sendMany(lab.port('smtp'), 100, lab.daemon.settled);
  // Alternate the two paths and take medians: this machine's speed drifts between runs.
  const directRuns: number[] = [];
  const tappedRuns: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    budget.phase(`round ${round}/${ROUNDS}: ${N} mails direct`);
    const d = await withCpu(() => sendMany(directPort, N, lab.daemon.settled));
    directRuns.push(d.result);
    cpuPerMail.direct.push(d.cpuMicros / N);
    mainPerMail.direct.push(d.mainMicros / N);
    budget.phase(`round ${round}/${ROUNDS}: ${N} mails through the tap`);
    const t = await withCpu(() => sendMany(lab.port('smtp'), N, lab.daemon.settled));
    tappedRuns.push(t.result);
    cpuPerMail.tapped.push(t.cpuMicros / N);
    mainPerMail.tapped.push(t.mainMicros / N);
  }
  const direct = median(directRuns);
  const tapped = median(tappedRuns);
  budget.phase('wire→browser latency, idle (1 connection)');
  const idle = await latency(lab, 1);
  budget.phase('wire→browser latency, 50 connections open');
  const open50 = await latency(lab, 50);
  budget.phase(`wire→browser latency, 50 connections, 49 sending a NOOP every ${BUSY_INTERVAL_MS} ms`);
  const loaded = await latency(lab, 50, true);
  budget.phase('reading stored transcripts');
  const stored = (await lab.api<{ connections: { messageCount: number }[] }>('/api/connections?protocol=smtp&limit=1000')).connections;
  const lat = (l: typeof idle) => `median ${l.median.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (${l.samples} samples${l.lost ? `, ${l.lost} dropped by the hub` : ''})`;
  console.log(`SMTP benchmark, ${ROUNDS} alternating rounds of N=${N} small mails each way (medians), nodemailer pool of ${POOL}, ${POOL * 2} senders`);
  console.log(`  direct to smtp-server:            ${direct.toFixed(0)} msgs/s`);
  console.log(`  through tap+dissector+store:      ${vsTarget(tapped, TARGETS.smtpMailsPerSecond, 0, ' msgs/s')}`);
  console.log(`  ratio tapped/direct:              ${vsTarget(tapped / direct, TARGETS.smtpRatio)}`);
  console.log(`  CPU: ${cpuLine(median(cpuPerMail.direct), median(cpuPerMail.tapped), 'mail', { direct: median(mainPerMail.direct), tapped: median(mainPerMail.tapped) })}`);
  console.log(`  rounds (msgs/s): direct ${directRuns.map((x) => x.toFixed(0)).join(', ')} · tapped ${tappedRuns.map((x) => x.toFixed(0)).join(', ')}`);
  console.log(`  transcripts stored (last 1000 conns): ${stored.reduce((sum, c) => sum + c.messageCount, 0).toLocaleString('en')} messages`);
  console.log(`  wire→browser, idle:     ${lat(idle)}`);
  console.log(`    median                ${vsTarget(idle.median, TARGETS.latencyIdleMedianMs, 1, ' ms')}`);
  console.log(`  wire→browser, 50 open:  ${lat(open50)}`);
  console.log(`    p99                   ${vsTarget(open50.p99, TARGETS.latencyLoadedP99Ms, 1, ' ms')}`);
  console.log(`  wire→browser, 50 busy:  ${lat(loaded)}`);
  console.log(`    p99                   ${vsTarget(loaded.p99, TARGETS.latencyLoadedP99Ms, 1, ' ms')}`);
  budget.phase('stopping');
} finally {
  await bare.stop();
  await lab.stop();
}
budget.done();
