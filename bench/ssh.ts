/**
 * npm run bench:ssh — prints figures, asserts nothing.
 *  1. handshakes + password login per second (ssh2 Client), through the tap (dissector, endpoint
 *     view, store) versus straight to a second ssh2 server with the lab's options but without the
 *     tap guard (the lab's own answers only its tap), same run, as a ratio;
 *  2. SFTP upload/download of 50 MB (ssh2-sftp-client fastPut/fastGet), tap vs direct, MB/s;
 *  3. OpenSSH's sftp (key auth) through the tap, for reference.
 * Tap and direct alternate for BENCH_ROUNDS rounds (default 5), the first path alternating too; medians,
 * each ratio the median of the rounds' own tap/direct, printed with the issue-9 targets (bench/report.ts). Before them both paths run one uncounted warm-up round
 * (BENCH_WARMUP logins, default 300, and one SFTP transfer each way), printed on its own: the tap's
 * code that only the tap runs (dissector, endpoint view, recorder, store) is otherwise still being
 * compiled through most of the first counted round, while the code both paths share is warm.
 * Knobs: BENCH_N (logins each way, default 200), BENCH_MB (SFTP file size, default 50), BENCH_WARMUP, BENCH_TIMEOUT_S.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SftpClient from 'ssh2-sftp-client';
import { sshLab } from '../servers/ssh/lab.ts';
import { startTestLab, TEST_PASSWORD } from '../tests/helpers/daemon.ts';
import { capturing } from './lab-context.ts';
import { startBareSsh } from './ssh-bare.ts';
import { cpuLine, median, roundRatios, TARGETS, vsTarget, withCpu } from './report.ts';
import { sshLogins } from './ssh-login.ts';
import { benchBudget } from './timeout.ts';

const HANDSHAKES = Number(process.env.BENCH_N ?? 200);
const CONCURRENCY = 4;
const MB = Number(process.env.BENCH_MB ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_LOGINS = Number(process.env.BENCH_WARMUP ?? 300);
const run = promisify(execFile);
const budget = benchBudget('bench:ssh', 600 + MB * 6);
budget.phase('starting the lab and a bare SSH server');

const ssh = capturing(sshLab);
// The test sandbox quota (32 MB) must hold the SFTP payload, with room to spare.
const lab = await startTestLab({ labs: [ssh.lab], config: { sandboxQuotaBytes: (2 * MB + 32) * 1024 * 1024 } });
const tap = lab.daemon.labs.find((l) => l.protocol === 'ssh')?.tap;
if (!tap) throw new Error('ssh lab not started');
const ctx = ssh.context();
// The lab's server options, minus `admit` (its own answers only its tap).
const bare = await startBareSsh(ctx, () => lab.daemon.labs.flatMap((l) => l.endpoints.map((e) => e.port)));
const direct = bare.ports.ssh;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ssh-'));

async function handshakesPerSecond(port: number, count = HANDSHAKES): Promise<number> {
  const started = performance.now();
  await sshLogins(port, count, CONCURRENCY);
  // Over once the lab has stored what it saw (its store runs beside the forwarding).
  await lab.daemon.settled();
  return count / ((performance.now() - started) / 1000);
}

async function sftpThroughput(port: number, local: string, label: string): Promise<{ up: number; down: number }> {
  const sftp = new SftpClient('bench', { error: () => {}, end: () => {}, close: () => {} });
  budget.phase(`${label}: SFTP login`);
  await sftp.connect({ host: '127.0.0.1', port, username: 'student', password: TEST_PASSWORD, hostVerifier: () => true });
  budget.phase(`${label}: SFTP ${MB} MB upload`);
  let t = performance.now();
  await sftp.fastPut(local, '/bench.bin');
  const up = MB / ((performance.now() - t) / 1000);
  budget.phase(`${label}: SFTP ${MB} MB download`);
  t = performance.now();
  await sftp.fastGet('/bench.bin', path.join(dir, 'back.bin'));
  const down = MB / ((performance.now() - t) / 1000);
  await sftp.delete('/bench.bin');
  await sftp.end();
  return { up, down };
}

async function openSshThroughput(local: string): Promise<{ up: number; down: number } | null> {
  if (!fs.existsSync('/usr/bin/sftp')) return null;
  const key = await lab.api<{ privateKeyUrl: string }>('/api/ssh/keys', { body: {} });
  const keyFile = path.join(dir, 'id_ed25519');
  fs.writeFileSync(keyFile, await lab.api<string>(key.privateKeyUrl), { mode: 0o600 });
  const sftp = (batch: string) =>
    run('/usr/bin/sftp', ['-F', '/dev/null', '-i', keyFile, '-o', `UserKnownHostsFile=${path.join(dir, 'kh')}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-b', batch, '-P', String(tap?.port), 'student@127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'put'), `put ${local} /openssh.bin\n`);
  fs.writeFileSync(path.join(dir, 'get'), `get /openssh.bin ${path.join(dir, 'openssh-back.bin')}\nrm /openssh.bin\n`);
  budget.phase(`OpenSSH sftp ${MB} MB upload through the tap`);
  let t = performance.now();
  await sftp(path.join(dir, 'put'));
  const up = MB / ((performance.now() - t) / 1000);
  budget.phase(`OpenSSH sftp ${MB} MB download through the tap`);
  t = performance.now();
  await sftp(path.join(dir, 'get'));
  const down = MB / ((performance.now() - t) / 1000);
  return { up, down };
}

try {
  budget.phase('warm-up');
  const local = path.join(dir, 'payload.bin');
  fs.writeFileSync(local, Buffer.alloc(MB * 1024 * 1024, 0x61));
  const warm: string[] = [];
  for (const [name, port] of [['tap', tap.port], ['direct', direct]] as const) {
    budget.phase(`warm-up, ${name}: ${WARMUP_LOGINS} handshakes, one SFTP transfer each way`);
    const rate = await handshakesPerSecond(port, WARMUP_LOGINS);
    const s = await sftpThroughput(port, local, `warm-up, ${name}`);
    warm.push(`${name} ${rate.toFixed(1)} logins/s, SFTP ${s.up.toFixed(0)} / ${s.down.toFixed(0)} MB/s`);
  }

  const hs = { tap: [] as number[], direct: [] as number[] };
  const hsCpu = { tap: [] as number[], direct: [] as number[] };
  const hsMain = { tap: [] as number[], direct: [] as number[] };
  const up = { tap: [] as number[], direct: [] as number[] };
  const down = { tap: [] as number[], direct: [] as number[] };
  for (let round = 1; round <= ROUNDS; round++) {
    // Which path goes first alternates by round, so a slow spell does not always hit the same one.
    const paths = [['tap', tap.port], ['direct', direct]] as const;
    for (const [name, port] of round % 2 === 1 ? paths : [...paths].reverse()) {
      budget.phase(`round ${round}/${ROUNDS}, ${name}: ${HANDSHAKES} handshakes`);
      const measured = await withCpu(() => handshakesPerSecond(port));
      hs[name].push(measured.result);
      hsCpu[name].push(measured.cpuMicros / HANDSHAKES);
      hsMain[name].push(measured.mainMicros / HANDSHAKES);
      const s = await sftpThroughput(port, local, `round ${round}/${ROUNDS}, ${name}`);
      up[name].push(s.up);
      down[name].push(s.down);
    }
  }
  const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  const line = (what: string, figures: { tap: number[]; direct: number[] }, target: typeof TARGETS.sftpRatio) => {
    const [t, d] = [median(figures.tap), median(figures.direct)];
    const ratios = roundRatios(figures.tap, figures.direct);
    console.log(`${what}: tap ${t.toFixed(1)}  direct ${d.toFixed(1)}  (rounds tap ${all(figures.tap)} · direct ${all(figures.direct)})`);
    console.log(`  ratio ${vsTarget(median(ratios), target)}   per round ${ratios.map((r) => r.toFixed(2)).join(', ')}`);
  };
  console.log(`SSH benchmark, ${ROUNDS} alternating rounds (medians; ratios: median of the rounds' tap/direct) after one uncounted warm-up round each`);
  console.log(`warm-up (cold code, not counted): ${warm.join(' · ')}`);
  line(`handshake+login/s (${HANDSHAKES}, ${CONCURRENCY} at a time)`, hs, TARGETS.sshHandshakeRatio);
  console.log(`  CPU: ${cpuLine(median(hsCpu.direct), median(hsCpu.tap), 'handshake', { direct: median(hsMain.direct), tapped: median(hsMain.tap) })}`);
  line(`SFTP ${MB} MB upload MB/s`, up, TARGETS.sftpRatio);
  line(`SFTP ${MB} MB download MB/s`, down, TARGETS.sftpRatio);

  const openssh = await openSshThroughput(local);
  if (openssh) console.log(`OpenSSH sftp through the tap, ${MB} MB: upload ${openssh.up.toFixed(1)} MB/s  download ${openssh.down.toFixed(1)} MB/s`);
  budget.phase('stopping');
} finally {
  await bare.stop();
  await lab.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
budget.done();
