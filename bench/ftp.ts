/**
 * FTP throughput through the lab (control tap + data relays) vs straight to a second ftp-srv with
 * the lab's options but without the tap guard and relays (the lab's own answers only its tap), in
 * the same run: 100 MB STOR and RETR, plain FTP and FTPS (PROT P), passive mode, basic-ftp.
 * Prints figures only. Run: node --import tsx bench/ftp.ts [megabytes] (or BENCH_MB=…);
 * BENCH_ROUNDS alternating rounds (default 7, medians: a plain FTP round at 100 MB lasts well under a
 * second, so one round's ratio swings), BENCH_TIMEOUT_S overall budget,
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
import { median, roundRatios, TARGETS, vsTarget } from './report.ts';
import { benchBudget } from './timeout.ts';

const megabytes = Number(process.argv[2] ?? process.env.BENCH_MB ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
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

/** MB/s of wall time, and MB per CPU-second of this process (client, tap and servers all run in it). */
interface Rate {
  wall: number;
  cpu: number;
}

/** Times one transfer of `bytes` by the wall clock and by this process's CPU time, until the lab has stored what it saw. */
async function timed(bytes: () => number, transfer: () => Promise<unknown>): Promise<Rate> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await transfer();
  await daemon.settled();
  const used = process.cpuUsage(cpu);
  return { wall: bytes() / 1e6 / ((performance.now() - started) / 1000), cpu: bytes() / 1e6 / ((used.user + used.system) / 1e6) };
}

async function run(port: number, secure: boolean, label: string): Promise<{ stor: Rate; retr: Rate }> {
  const client = new Client(60_000);
  budget.phase(`${label}: login`);
  await client.access({ host: '127.0.0.1', port, user: 'student', password: 'bench', secure, secureOptions: { rejectUnauthorized: false } });
  budget.phase(`${label}: STOR`);
  const stor = await timed(() => payload.length, () => client.uploadFrom(Readable.from([payload]), 'bench.bin'));
  let received = 0;
  budget.phase(`${label}: RETR`);
  const retr = await timed(() => received, () => client.downloadTo(new Writable({ write: (chunk: Buffer, _e, cb) => ((received += chunk.length), cb()) }), 'bench.bin'));
  client.close();
  if (received !== payload.length) throw new Error(`RETR returned ${received} bytes`);
  return { stor, retr };
}

const fmt = (n: number) => n.toFixed(0).padStart(6);
console.log(`FTP bench: ${megabytes} MB, passive, basic-ftp, loopback, ${ROUNDS} alternating rounds (medians), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const rounds: Record<string, { stor: number[]; retr: number[] }> = {};
const cpuRounds: Record<string, { stor: number[]; retr: number[] }> = {};
for (let round = 1; round <= ROUNDS; round++) {
  for (const secure of [false, true].filter((s) => KINDS.includes(s ? 'FTPS' : 'FTP'))) {
    // Which path goes first alternates by round, so a load spike does not always hit the same one.
    const paths = ([['tap', tap.port], ['direct', direct]] as const).filter(([name]) => PATHS.includes(name));
    for (const [name, port] of round % 2 === 1 ? paths : [...paths].reverse()) {
      const key = `${secure ? 'FTPS' : 'FTP'} ${name}`;
      const r = await run(port, secure, `round ${round}/${ROUNDS}, ${key}`);
      rounds[key] ??= { stor: [], retr: [] };
      rounds[key].stor.push(r.stor.wall);
      rounds[key].retr.push(r.retr.wall);
      cpuRounds[key] ??= { stor: [], retr: [] };
      cpuRounds[key].stor.push(r.stor.cpu);
      cpuRounds[key].retr.push(r.retr.cpu);
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
  const t = rounds[`${kind} tap`];
  const d = rounds[`${kind} direct`];
  if (!t || !d) continue;
  for (const op of ['stor', 'retr'] as const) {
    const ratios = roundRatios(t[op], d[op]);
    console.log(`${kind.padEnd(4)} tap/direct ${op.toUpperCase()} ${vsTarget(median(ratios), TARGETS.ftpBulkRatio)}   per round ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  }
}
// Other processes on a busy machine slow the wall clock of either path at random; the CPU this
// process spends per MB is what the tap adds, and sets the throughput when the CPU is the limit.
for (const kind of KINDS) {
  const t = cpuRounds[`${kind} tap`];
  const d = cpuRounds[`${kind} direct`];
  if (!t || !d) continue;
  const line = (op: 'stor' | 'retr') => `${op.toUpperCase()} ${median(roundRatios(t[op], d[op])).toFixed(2)} (${median(t[op]).toFixed(0)} vs ${median(d[op]).toFixed(0)} MB per CPU-second)`;
  console.log(`${kind.padEnd(4)} tap/direct by CPU time: ${line('stor')}  ${line('retr')}`);
}
console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
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
