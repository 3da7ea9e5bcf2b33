/**
 * FTP throughput through the lab (control tap + data relays) vs straight to a second ftp-srv with
 * the lab's options but without the tap guard and relays (the lab's own answers only its tap), in
 * the same run: 100 MB STOR and RETR, plain FTP and FTPS (PROT P), passive mode, basic-ftp.
 * Prints figures only. Run: node --import tsx bench/ftp.ts [megabytes] (or BENCH_MB=…);
 * BENCH_ROUNDS alternating rounds (default 3, medians), BENCH_TIMEOUT_S overall budget,
 * BENCH_KINDS=FTP or FTPS, BENCH_PATHS=tap or direct to run one only (profiling with node --cpu-prof).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Client } from 'basic-ftp';
import { startDaemon } from '../servers/daemon/daemon.ts';
import { ftpLab } from '../servers/ftp/lab.ts';
import { sandboxRoot } from '../lib/sandbox/jail.ts';
import { start as startFtpServer } from '../servers/ftp/index.ts';
import { testConfig } from '../tests/helpers/daemon.ts';
import { capturing } from './lab-context.ts';
import { median, TARGETS, vsTarget } from './report.ts';
import { benchBudget } from './timeout.ts';

const megabytes = Number(process.argv[2] ?? process.env.BENCH_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KINDS = (process.env.BENCH_KINDS ?? 'FTP,FTPS').split(',');
const PATHS = (process.env.BENCH_PATHS ?? 'tap,direct').split(',');
const budget = benchBudget('bench:ftp', 300 + megabytes * 4);
budget.phase('starting the lab and a bare FTP server');
const payload = randomBytes(megabytes * 1024 * 1024);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ftp-bench-'));
const base = testConfig(dataDir);
const ftp = capturing(ftpLab);
const daemon = await startDaemon(
  {
    ...base,
    password: 'bench',
    // One payload in the sandbox at a time (each run overwrites bench.bin), plus the seeded files.
    sandboxQuotaBytes: payload.length + base.sandboxQuotaBytes,
    ftp: { port: 0, pasvRange: null, maxFileBytes: payload.length + 1 },
  },
  [ftp.lab],
);
const tap = daemon.labs[0].tap;
const ctx = ftp.context();
// The lab's server options (servers/ftp/lab.ts) minus `acceptControl` and the data relays.
const bare = await startFtpServer({
  host: '127.0.0.1',
  port: 0,
  root: sandboxRoot(ctx.config.dataDir, ctx.config.sandbox),
  tls: ctx.tls,
  credentials: ctx.credentials,
  maxFileBytes: ctx.config.ftp.maxFileBytes,
  maxSandboxBytes: ctx.config.sandboxQuotaBytes,
});
const direct = bare.ports.control;

async function run(port: number, secure: boolean, label: string): Promise<{ stor: number; retr: number }> {
  const client = new Client(60_000);
  budget.phase(`${label}: login`);
  await client.access({ host: '127.0.0.1', port, user: 'student', password: 'bench', secure, secureOptions: { rejectUnauthorized: false } });
  budget.phase(`${label}: STOR`);
  let started = performance.now();
  await client.uploadFrom(Readable.from([payload]), 'bench.bin');
  const stor = payload.length / 1e6 / ((performance.now() - started) / 1000);
  let received = 0;
  budget.phase(`${label}: RETR`);
  started = performance.now();
  await client.downloadTo(new Writable({ write: (chunk: Buffer, _e, cb) => ((received += chunk.length), cb()) }), 'bench.bin');
  const retr = received / 1e6 / ((performance.now() - started) / 1000);
  client.close();
  if (received !== payload.length) throw new Error(`RETR returned ${received} bytes`);
  return { stor, retr };
}

const fmt = (n: number) => n.toFixed(0).padStart(6);
console.log(`FTP bench: ${megabytes} MB, passive, basic-ftp, loopback, ${ROUNDS} alternating rounds (medians)`);
const rounds: Record<string, { stor: number[]; retr: number[] }> = {};
for (let round = 1; round <= ROUNDS; round++) {
  for (const secure of [false, true].filter((s) => KINDS.includes(s ? 'FTPS' : 'FTP'))) {
    for (const [name, port] of ([['tap', tap.port], ['direct', direct]] as const).filter(([name]) => PATHS.includes(name))) {
      const key = `${secure ? 'FTPS' : 'FTP'} ${name}`;
      const r = await run(port, secure, `round ${round}/${ROUNDS}, ${key}`);
      rounds[key] ??= { stor: [], retr: [] };
      rounds[key].stor.push(r.stor);
      rounds[key].retr.push(r.retr);
    }
  }
}
const results = Object.fromEntries(Object.entries(rounds).map(([key, r]) => [key, { stor: median(r.stor), retr: median(r.retr) }]));
console.log('                 STOR MB/s  RETR MB/s   rounds STOR | RETR');
for (const [name, r] of Object.entries(results)) {
  const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`${name.padEnd(16)} ${fmt(r.stor)}     ${fmt(r.retr)}      ${all(rounds[name].stor)} | ${all(rounds[name].retr)}`);
}
for (const kind of KINDS) {
  const t = results[`${kind} tap`];
  const d = results[`${kind} direct`];
  if (!t || !d) continue;
  console.log(`${kind.padEnd(4)} tap/direct STOR ${vsTarget(t.stor / d.stor, TARGETS.ftpBulkRatio)}`);
  console.log(`${kind.padEnd(4)} tap/direct RETR ${vsTarget(t.retr / d.retr, TARGETS.ftpBulkRatio)}`);
}
const p = results['FTP direct'];
const s = results['FTPS direct'];
if (p && s) console.log(`FTPS/FTP (direct): STOR ${(s.stor / p.stor).toFixed(2)}  RETR ${(s.retr / p.retr).toFixed(2)}`);
budget.phase('stopping');
await bare.stop();
await daemon.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
// No process.exit: the process must end on its own (servers/ftp/disconnect-timer.ts); if it does
// not, the budget reports what is still open.
budget.done();
