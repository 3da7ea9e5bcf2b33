/**
 * SOAP lab benchmark (prints figures only):
 *  1. getMonth calls/s over HTTP through the tap vs straight to the service host, same run,
 *     alternating rounds, and their ratio, with its issue-9 target (bench/report.ts).
 *  2. SOAP-over-SMTP round trips/s with 20 requests outstanding (think time 0).
 * Run: node --import tsx bench/soap.ts (BENCH_ROUND_MS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_TIMEOUT_S)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startDaemon } from '../servers/daemon/daemon.ts';
import { smtpLab } from '../servers/smtp/lab.ts';
import { createSoapLab, type SoapRunningLab } from '../servers/soap/lab.ts';
import type { CorrelationRow } from '../servers/soap/lab/mail-client.ts';
import { start as startSoapServer } from '../servers/soap/index.ts';
import { testConfig } from '../tests/helpers/daemon.ts';
import { cpuLine, median, TARGETS, vsTarget, withCpu } from './report.ts';
import { benchBudget } from './timeout.ts';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const budget = benchBudget('bench:soap', 300 + (ROUNDS * 2 + 3) * (ROUND_MS / 1000) * 4);

const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="http://lab.test/soap/calendar"><s:Body><c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth></s:Body></s:Envelope>`;

function call(agent: http.Agent, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/soap/calendar', method: 'POST', agent, headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"http://lab.test/soap/calendar/getMonth"', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU µs per call of each round, per path. */
const cpuPerCall = { direct: [] as number[], tapped: [] as number[] };
const mainPerCall = { direct: [] as number[], tapped: [] as number[] };

/**
 * Calls for ROUND_MS with CONCURRENCY keep-alive clients. `settled` ends the round: the lab's dissection and
 * store run beside the forwarding, so a round is over once they have caught up (else a round's backlog
 * would run on into the next one, and a tapped round look faster than the lab really is).
 */
async function callsPerSecond(port: number, path?: keyof typeof cpuPerCall, settled?: () => Promise<void>): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const until = performance.now() + ROUND_MS;
  let calls = 0;
  const started = performance.now();
  const { cpuMicros, mainMicros } = await withCpu(() => Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await call(agent, port);
        calls++;
      }
    }),
  ).then(settled));
  if (path) cpuPerCall[path].push(cpuMicros / calls);
  if (path) mainPerCall[path].push(mainMicros / calls);
  agent.destroy();
  return calls / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  budget.phase('starting the SMTP and SOAP labs and a bare SOAP host');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-bench-'));
  // Every port 0 and a throw-away data dir, like the test daemons.
  const daemon = await startDaemon(testConfig(dataDir), [smtpLab, createSoapLab({ thinkTime: () => 0, timeoutMs: 60_000 })]);
  // The lab's own host admits only its tap, so "direct" is a second host with no guard.
  const bare = await startSoapServer({ host: '127.0.0.1', port: 0 });
  try {
    const lab = daemon.labs.find((l) => l.protocol === 'soap') as SoapRunningLab;
    budget.phase('warm-up');
    await callsPerSecond(lab.tap.port, undefined, daemon.settled);
    const tapped: number[] = [];
    const direct: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      budget.phase(`round ${round}/${ROUNDS}: getMonth direct`);
      direct.push(await callsPerSecond(bare.ports.http, 'direct'));
      budget.phase(`round ${round}/${ROUNDS}: getMonth through the tap`);
      tapped.push(await callsPerSecond(lab.tap.port, 'tapped', daemon.settled));
    }
    const d = median(direct);
    const t = median(tapped);
    console.log(`getMonth over HTTP, ${CONCURRENCY} keep-alive clients, ${ROUNDS}×${ROUND_MS} ms rounds (medians):`);
    const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    console.log(`  direct   ${d.toFixed(0)} calls/s   (rounds ${all(direct)})`);
    console.log(`  via tap  ${t.toFixed(0)} calls/s   (rounds ${all(tapped)})`);
    console.log(`  ratio    ${vsTarget(t / d, TARGETS.soapRatio)}`);
    console.log(`  CPU      ${cpuLine(median(cpuPerCall.direct), median(cpuPerCall.tapped), 'call', { direct: median(mainPerCall.direct), tapped: median(mainPerCall.tapped) })}`);

    // SOAP over SMTP: keep 20 requests outstanding for one round.
    budget.phase('SOAP over SMTP, 20 outstanding');
    const client = lab.mailClient;
    client.events.setMaxListeners(0); // one waiter per outstanding request
    const outstanding = 20;
    let answered = 0;
    const until = performance.now() + ROUND_MS * 2;
    const started = performance.now();
    const waitAnswered = (ids: Set<string>) =>
      new Promise<void>((resolve) => {
        const on = (row: CorrelationRow) => {
          if (!ids.has(row.messageId) || !(row.answer?.result || row.answer?.fault)) return;
          ids.delete(row.messageId);
          answered++;
          if (ids.size === 0) {
            client.events.off('update', on);
            resolve();
          }
        };
        client.events.on('update', on);
      });
    const worker = async () => {
      while (performance.now() < until) {
        // Register the wait before the mail leaves (answers can be fast).
        const ids = new Set<string>();
        let release: () => void = () => {};
        const registered = new Promise<void>((r) => (release = r));
        const done = registered.then(() => waitAnswered(ids));
        const rows = await client.send([{ operation: 'getMonth', version: '1.2', args: { year: 2003, month: 1 }, delayMs: 0 }]);
        for (const row of rows) if (!row.answer) ids.add(row.messageId);
        release();
        if (ids.size > 0) await done;
      }
    };
    await Promise.all(Array.from({ length: outstanding }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(`SOAP over SMTP, ${outstanding} outstanding: ${(answered / seconds).toFixed(1)} round trips/s (${answered} in ${seconds.toFixed(1)} s)`);
    budget.phase('stopping');
  } finally {
    await bare.stop();
    await daemon.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
budget.done();
