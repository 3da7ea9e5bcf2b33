/**
 * Access-control lab benchmark (prints figures only):
 *  1. requests/s of one JSON service (GET a book, as alice, HTTP Basic) through the interceptor vs the
 *     same handlers with the interceptor off, both behind their tap, alternating rounds; the ratio
 *     against the issue-12 target (≥ 0.9 with a warm decision cache);
 *  2. the decision point's latency, median and p99, warm (cache hits, from the decision log of the
 *     rounds) and cold (each decision after an invalidation);
 *  3. revocation-to-effect under load: while the clients keep calling, alice is blacklisted and
 *     lifted again; each change is timed from its commit to the first request decided on it, and to
 *     the first 403 a client saw.
 * Run: node --import tsx bench/gateway.ts (BENCH_ROUND_MS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_TIMEOUT_S)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startDaemon, type Daemon } from '../servers/daemon/daemon.ts';
import { createGatewayLab, type GatewayRunningLab } from '../servers/gateway/lab.ts';
import { smtpLab } from '../servers/smtp/lab.ts';
import { createSoapLab } from '../servers/soap/lab.ts';
import { TEST_PASSWORD, testConfig } from '../tests/helpers/daemon.ts';
import { cpuLine, median, vsTarget, withCpu, type Target } from './report.ts';
import { benchBudget } from './timeout.ts';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const REVOCATIONS = 20;
const budget = benchBudget('bench:gateway', 300 + (ROUNDS * 2 + 4) * (ROUND_MS / 1000) * 4);

/** Issue 12's target: the interceptor costs at most a tenth of the rate with a warm cache. */
const RATIO_TARGET: Target = { atLeast: 0.9 };
const PATH = '/api/library/books/9780132126953';
const AUTH = `Basic ${Buffer.from(`alice:${TEST_PASSWORD}`).toString('base64')}`;

/** One GET; resolves with the status (403 is an answer here, not a failure). */
function call(agent: http.Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: PATH, method: 'GET', agent, headers: { Authorization: AUTH } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const cpuPerCall = { direct: [] as number[], tapped: [] as number[] };
const mainPerCall = { direct: [] as number[], tapped: [] as number[] };

/**
 * Calls for `ms` with CONCURRENCY keep-alive clients; `onStatus` sees each answer. `settled` ends the round:
 * the lab's dissection and store run beside the forwarding, so a round is over once they have caught up.
 */
async function load(port: number, ms: number, onStatus: (status: number) => void = expectOk, path?: keyof typeof cpuPerCall, settled?: () => Promise<void>): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const until = performance.now() + ms;
  let calls = 0;
  const started = performance.now();
  const { cpuMicros, mainMicros } = await withCpu(() =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < until) {
          onStatus(await call(agent, port));
          calls++;
        }
      }),
    ).then(settled),
  );
  if (path) cpuPerCall[path].push(cpuMicros / calls);
  if (path) mainPerCall[path].push(mainMicros / calls);
  agent.destroy();
  return calls / ((performance.now() - started) / 1000);
}

function expectOk(status: number): void {
  if (status !== 200) throw new Error(`HTTP ${status}`);
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startLab(enforce: boolean): Promise<{ daemon: Daemon; lab: GatewayRunningLab; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-bench-'));
  const daemon = await startDaemon(testConfig(dataDir), [smtpLab, createSoapLab({ thinkTime: () => 0 }), createGatewayLab({ enforce })]);
  return { daemon, lab: daemon.labs.find((l) => l.protocol === 'gateway') as GatewayRunningLab, dataDir };
}

async function main(): Promise<void> {
  budget.phase('starting two labs: with and without the interceptor');
  const intercepted = await startLab(true);
  const bare = await startLab(false);
  try {
    const { lab } = intercepted;
    budget.phase('warm-up');
    await load(lab.tap.port, ROUND_MS / 2, expectOk, undefined, intercepted.daemon.settled);
    await load(bare.lab.tap.port, ROUND_MS / 2, expectOk, undefined, bare.daemon.settled);

    const withIt: number[] = [];
    const without: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      budget.phase(`round ${round}/${ROUNDS}: without the interceptor`);
      without.push(await load(bare.lab.tap.port, ROUND_MS, expectOk, 'direct', bare.daemon.settled));
      budget.phase(`round ${round}/${ROUNDS}: through the interceptor`);
      withIt.push(await load(lab.tap.port, ROUND_MS, expectOk, 'tapped', intercepted.daemon.settled));
    }
    const w = median(withIt);
    const o = median(without);
    const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    console.log(`GET ${PATH} as alice (Basic), ${CONCURRENCY} keep-alive clients, both behind the tap, ${ROUNDS}×${ROUND_MS} ms rounds (medians):`);
    console.log(`  without the interceptor  ${o.toFixed(0)} req/s   (rounds ${all(without)})`);
    console.log(`  through the interceptor  ${w.toFixed(0)} req/s   (rounds ${all(withIt)})`);
    console.log(`  ratio                    ${vsTarget(w / o, RATIO_TARGET)}`);
    console.log(`  CPU ("direct" = without) ${cpuLine(median(cpuPerCall.direct), median(cpuPerCall.tapped), 'request', { direct: median(mainPerCall.direct), tapped: median(mainPerCall.tapped) })}`);

    budget.phase('decision latency');
    const warm = lab.log.recent('local', 500).filter((d) => d.cache === 'hit').map((d) => d.decisionUs);
    const alice = lab.decisions.user('local', { name: 'alice' });
    if (!alice) throw new Error('the demo user alice is missing');
    const cold: number[] = [];
    for (let i = 0; i < 200; i++) {
      lab.decisions.invalidate('local', 'bench: cold decision');
      cold.push(lab.decisions.decide('local', alice, 'library.book').decisionUs);
    }
    console.log(`decision point: warm (cache hit) median ${median(warm).toFixed(1)} µs, p99 ${percentile(warm, 99).toFixed(1)} µs (${warm.length} decisions);` +
      ` cold (model reloaded and walked) median ${median(cold).toFixed(1)} µs, p99 ${percentile(cold, 99).toFixed(1)} µs (${cold.length})`);

    budget.phase(`revocation under load: ${REVOCATIONS} blacklist/lift changes`);
    const aliceId = alice.id;
    let sawDenied: number | null = null;
    const firstDenied: number[] = [];
    let committedAt = 0;
    let stop = false;
    const loadDone = (async () => {
      while (!stop) await load(lab.tap.port, 200, (status) => {
        if (status === 403 && sawDenied === null) sawDenied = performance.now();
      });
    })();
    for (let i = 0; i < REVOCATIONS; i++) {
      await new Promise((r) => setTimeout(r, 50));
      sawDenied = null;
      committedAt = performance.now();
      const entry = lab.store.createBlacklist('local', { user: aliceId, reason: 'bench' });
      while (sawDenied === null) await new Promise((r) => setImmediate(r));
      firstDenied.push((sawDenied as number) - committedAt);
      lab.store.remove('local', 'blacklist', entry.id);
    }
    stop = true;
    await loadDone;
    const effects = lab.decisions.changeLog('local').filter((c) => /blacklist/.test(c.what) && c.effectMs !== null).map((c) => c.effectMs as number);
    console.log(`revocation-to-effect under load (${CONCURRENCY} clients): commit → first decision on it median ${median(effects).toFixed(2)} ms, max ${Math.max(...effects).toFixed(2)} ms (${effects.length} changes);` +
      ` commit → first 403 at a client median ${median(firstDenied).toFixed(2)} ms, max ${Math.max(...firstDenied).toFixed(2)} ms (${firstDenied.length} revocations). No TTL: the change itself invalidates.`);
    budget.phase('stopping');
  } finally {
    for (const { daemon, dataDir } of [intercepted, bare]) {
      await daemon.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

await main();
budget.done();
