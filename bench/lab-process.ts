/**
 * The lab as a child process, as a teacher runs it (`node --import tsx servers/daemon/main.ts`), on
 * free ports with a throw-away data dir: a bench that measures the lab's memory must not count its
 * own clients, so the lab gets a process of its own and its RSS is read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ABOUTS } from '../servers/abouts.ts';

/** Ports some labs need side by side from their base (servers/zmq/about.ts: six sockets). */
const PORTS_FROM_BASE: Record<string, number> = { ZMQ_BASE_PORT: 6 };

/** Whether `port` can be bound on 127.0.0.1 right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free ports, from random starts in the unprivileged range below
 * Linux's ephemeral ports (32768+), where the clients' own sockets would take them away again.
 */
export async function freePorts(count: number, taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * (32_000 - 10_000 - count));
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = !taken.has(p) && (await isFree(p));
    if (ok) {
      for (let p = base; p < base + count; p++) taken.add(p);
      return base;
    }
  }
  throw new Error(`found no ${count} consecutive free ports`);
}

/** What /proc says of the lab's memory, in bytes. */
export interface LabMemory {
  /** Resident set now (VmRSS). */
  rss: number;
  /** The highest resident set so far (VmHWM, kept by the kernel: no peak between samples is missed). */
  peak: number;
}

export interface LabProcess {
  pid: number;
  baseUrl: string;
  /** Each lab's public port by its env var (SMTP_PORT, FTP_PORT…). */
  ports: Record<string, number>;
  password: string;
  teacherToken: string;
  /** Null once the process is gone. */
  memory(): LabMemory | null;
  /** SIGTERM (the daemon's own shutdown), SIGKILL after `graceMs`; removes the data dir. */
  stop(graceMs?: number): Promise<void>;
}

function readMemory(pid: number): LabMemory | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return null;
  }
}

/** Lines the lab printed last (shown when it fails to start). */
function tail(child: ChildProcess, keep = 40): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - keep));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}

/**
 * Starts the daemon on free ports (every lab's port from its about, `passivePorts` for FTP) and
 * resolves once GET /api/health says ok; rejects with the lab's last output if it exits or does
 * not get there within `startMs`.
 */
export async function startLabProcess(options: { passivePorts: number; env?: Record<string, string>; startMs?: number }): Promise<LabProcess> {
  const taken = new Set<number>();
  const ports: Record<string, number> = { PORT: await freePorts(1, taken) };
  for (const about of ABOUTS) for (const p of about.ports) ports[p.env] = await freePorts(PORTS_FROM_BASE[p.env] ?? 1, taken);
  const pasv = await freePorts(options.passivePorts, taken);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-classroom-'));
  const password = `bench-${Math.random().toString(36).slice(2, 10)}`;
  const teacherToken = `teach-bench-${Math.random().toString(36).slice(2, 14)}`;
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    FTP_PASV_RANGE: `${pasv}-${pasv + options.passivePorts - 1}`,
    LAB_HOST: '127.0.0.1',
    LAB_DATA_DIR: dataDir,
    LAB_PASSWORD: password,
    LAB_TEACHER_TOKEN: teacherToken,
    ...options.env,
  };
  // BENCH_LAB_NODE_ARGS: extra node flags for the lab alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_LAB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'servers/daemon/main.ts'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tail(child);
  // Whatever ends this process (the budget's exit included) must not leave the lab running.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let exited: number | string | null = null;
  const gone = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exited = code ?? signal ?? 'unknown'), resolve())));
  const baseUrl = `http://127.0.0.1:${ports.PORT}`;

  const stop = async (graceMs = 15_000) => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = performance.now() + (options.startMs ?? 120_000);
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the lab exited (${exited}) before it was healthy:\n${output()}`);
    }
    const health = await fetch(`${baseUrl}/api/health`).then((r) => (r.ok ? (r.json() as Promise<{ ok: boolean }>) : null)).catch(() => null);
    if (health?.ok) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the lab was not healthy within ${((options.startMs ?? 120_000) / 1000).toFixed(0)} s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('the lab process has no pid');
  return { pid, baseUrl, ports, password, teacherToken, memory: () => (exited === null ? readMemory(pid) : null), stop };
}
