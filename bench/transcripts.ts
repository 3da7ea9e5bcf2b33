/**
 * npm run bench:transcripts — prints figures, asserts nothing.
 * One SMTP connection sends N pipelined NOOPs (default 50,000) through the tap, dissector and
 * store; prints the time until every reply arrived and the connection was closed, how much
 * lab.sqlite (with its WAL) grew, how many messages were stored, and how large the
 * /api/connections/:id document is (first page, and all pages together). BENCH_TIMEOUT_S: budget.
 */
import fs from 'node:fs';
import path from 'node:path';
import { smtpLab } from '../servers/smtp/lab.ts';
import type { ConnectionInfo, LabMessage } from '../lib/wire/event.ts';
import { startTestLab } from '../tests/helpers/daemon.ts';
import { noopFlood } from '../tests/integration/transcript-flood.ts';
import { benchBudget } from './timeout.ts';

const N = Number(process.env.BENCH_N ?? 50_000);
const budget = benchBudget('bench:transcripts', 300 + N / 500);

function dbBytes(dataDir: string): number {
  return ['lab.sqlite', 'lab.sqlite-wal']
    .map((name) => path.join(dataDir, name))
    .reduce((sum, file) => sum + (fs.existsSync(file) ? fs.statSync(file).size : 0), 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

budget.phase('starting the SMTP lab');
const lab = await startTestLab({ labs: [smtpLab] });
try {
  budget.phase('warm-up');
  await noopFlood(lab.port('smtp'), 10);
  budget.phase(`${N} pipelined NOOPs`);
  const before = dbBytes(lab.dataDir);
  const started = performance.now();
  const { localPort } = await noopFlood(lab.port('smtp'), N);
  const seconds = (performance.now() - started) / 1000;
  budget.phase('reading the transcript through the API');
  const { connections } = await lab.api<{ connections: ConnectionInfo[] }>('/api/connections?protocol=smtp&limit=5');
  const conn = connections.find((c) => c.client.endsWith(`:${localPort}`));
  if (!conn) throw new Error('flood connection not listed');

  // Follow `next` while the API pages; an unpaged API returns everything in the first reply.
  let firstPage = 0;
  let allPages = 0;
  let stored = 0;
  let from: number | null = 0;
  while (from !== null) {
    const res = await fetch(`${lab.baseUrl}/api/connections/${conn.id}?from=${from}`);
    const text = await res.text();
    const body = JSON.parse(text) as { messages: LabMessage[]; next?: number | null };
    if (allPages === 0) firstPage = text.length;
    allPages += text.length;
    stored += body.messages.length;
    from = body.next ?? null;
  }
  const after = dbBytes(lab.dataDir);
  console.log(`Transcript benchmark: ${N.toLocaleString('en')} pipelined NOOPs on one SMTP connection`);
  console.log(`  flood to close:            ${seconds.toFixed(2)} s`);
  console.log(`  lab.sqlite + WAL growth:   ${mb(after - before)}`);
  console.log(`  messages recorded / kept:  ${conn.messageCount.toLocaleString('en')} / ${stored.toLocaleString('en')}`);
  console.log(`  /api/connections/:id:      first reply ${mb(firstPage)}, all pages ${mb(allPages)}`);
  budget.phase('stopping');
} finally {
  await lab.stop();
}
budget.done();
