/**
 * npm run bench:classroom — issue 15's scale figures; prints them with their targets, asserts nothing.
 *  1. The lab runs as a child process (servers/daemon/main.ts) on free ports, so its RSS (VmRSS,
 *     and the kernel's high-water mark VmHWM) is the lab's alone.
 *  2. The teacher creates a class (the teacher's token); BENCH_STUDENTS students (200) join it.
 *  3. All students at once, each from its own loopback address 127.0.0.2… (the taps limit
 *     connections per client address; the lab's limits stay as they are), in a process of their
 *     own (bench/classroom-students.ts): SMTP send with AUTH as its sandbox, FTP login + LIST,
 *     SSH login + `ls`. Errors counted by kind; afterwards a sample of mailboxes is read with each
 *     student's cookie: its own mail there, nobody else's.
 *  4. BENCH_FOLLOWERS students (50) follow the teacher over /ws; the teacher (a raw SMTP session
 *     of the default sandbox) types NOOP lines, one reply at a time: every 50 ms while the
 *     students' load runs, then BENCH_LINES (200) back to back on a quiet lab. Wire→follower
 *     latency over every (line, follower) pair: median and p99; lines missing or out of order.
 * In a classroom the students' clients run on their own machines; here they share the lab machine's
 * cores, so their process runs at nice BENCH_CLIENTS_NICE (19; 0 makes it compete with the lab as an
 * equal, the first runs' setting) and the latency figures are the lab's, not the clients' CPU.
 * Exits non-zero only when the harness fails (the lab does not start, the budget runs out), never
 * on a missed target. Knobs: BENCH_STUDENTS, BENCH_FOLLOWERS, BENCH_LINES, BENCH_CLIENTS_NICE, BENCH_TIMEOUT_S.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ClassReport, RunClass, Step, StudentLogin, StudentResult } from './classroom-students.ts';
import { Follower, TeacherSession, teacherLines, type FollowFigures } from './class-follow.ts';
import { startLabProcess, type LabMemory, type LabProcess } from './lab-process.ts';
import { vsTarget } from './report.ts';
import { benchBudget } from './timeout.ts';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 200);
const FOLLOWERS = Math.min(STUDENTS, Number(process.env.BENCH_FOLLOWERS ?? 50));
const QUIET_LINES = Number(process.env.BENCH_LINES ?? 200);
const CLIENTS_NICE = Number(process.env.BENCH_CLIENTS_NICE ?? 19);
/** The teacher's pace while the students work: a line, its reply, this pause. */
const LOADED_GAP_MS = 50;
/** Client timeouts (connect, greeting, handshake, reply): generous, a slow answer is a figure, not an error. */
const CLIENT_TIMEOUT_MS = 120_000;
/** Joins in flight at once (each seeds a sandbox on disk). */
const JOIN_CONCURRENCY = 8;
/** Mailboxes read back afterwards. */
const MAILBOX_SAMPLE = 20;
const TARGETS = { rssPeakMiB: { below: 1024 }, p99Ms: { below: 100 } };

const budget = benchBudget('bench:classroom', 900);
const started = performance.now();
const MiB = 1024 * 1024;

/** Errors by kind, with one example each. */
const errors = new Map<string, { count: number; example: string }>();
function countError(kind: string, example: string): void {
  const seen = errors.get(kind);
  if (seen) seen.count++;
  else errors.set(kind, { count: 1, example });
}
const errorTotal = () => [...errors.values()].reduce((sum, e) => sum + e.count, 0);

/** An error's kind: its text with what differs per student (sandbox id, address, port) taken out. */
function kindOf(step: string, message: string, sandbox: string): string {
  const general = message
    .replaceAll(sandbox, '<sandbox>')
    .replace(/127\.0\.0\.\d+/g, '<addr>')
    .replace(/:\d{2,5}\b/g, ':<port>');
  return `${step}: ${general.slice(0, 140)}`;
}

/** The API as the teacher's script (bearer token) or a student's browser (cookie). */
async function call<T>(lab: LabProcess, pathname: string, as: { teacher?: boolean; cookie?: string }, body?: unknown): Promise<{ status: number; body: T; cookie: string }> {
  const headers: Record<string, string> = {};
  if (as.teacher) headers.authorization = `Bearer ${lab.teacherToken}`;
  if (as.cookie) headers.cookie = as.cookie;
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', origin: lab.baseUrl });
  const res = await fetch(`${lab.baseUrl}${pathname}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

interface Joined extends StudentLogin {
  cookie: string;
}

async function joinAll(lab: LabProcess, code: string): Promise<Joined[]> {
  const joined: (Joined | null)[] = new Array(STUDENTS).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < STUDENTS) {
      const i = next++;
      const res = await call<{ sandbox: string; password: string; error?: string }>(lab, '/api/classes/join', {}, { code, name: `Student ${i + 1}` }).catch((err: Error) => ({ status: 0, body: { sandbox: '', password: '', error: err.message }, cookie: '' }));
      if (res.status !== 200 || !res.cookie) countError(`join: HTTP ${res.status}`, res.body.error ?? JSON.stringify(res.body));
      // 127.0.0.2 … 127.0.0.201: one address per student, as one machine per student in a classroom.
      else joined[i] = { sandbox: res.body.sandbox, password: res.body.password, cookie: res.cookie, address: `127.0.0.${i + 2}` };
    }
  };
  await Promise.all(Array.from({ length: JOIN_CONCURRENCY }, worker));
  return joined.filter((j): j is Joined => j !== null);
}

/** Runs the students' clients in their own process; resolves once it reports them all done. */
function runStudents(lab: LabProcess, students: StudentLogin[], onStarted: () => void): Promise<StudentResult[]> {
  const child = fork(fileURLToPath(new URL('./classroom-students.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid !== undefined) os.setPriority(child.pid, CLIENTS_NICE);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  return new Promise<StudentResult[]>((resolve, reject) => {
    child.on('message', (report: ClassReport) => {
      if (report.type === 'started') return onStarted();
      resolve(report.results);
      // It ends by itself once its clients have closed; a socket left open must not hold the bench.
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 10_000).unref();
    });
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      reject(new Error(`the students' process exited (${code ?? signal}) before reporting`));
    });
    const run: RunClass = { type: 'run', students, ports: { smtp: lab.ports.SMTP_PORT, ftp: lab.ports.FTP_PORT, ssh: lab.ports.SSH_PORT }, timeoutMs: CLIENT_TIMEOUT_MS };
    child.send(run);
  });
}

/** Each sampled student's mailbox holds its own bench mail and no other student's. */
async function checkMailboxes(lab: LabProcess, students: Joined[]): Promise<number> {
  const step = Math.max(1, Math.floor(students.length / MAILBOX_SAMPLE));
  const sample = students.filter((_, i) => i % step === 0).slice(0, MAILBOX_SAMPLE);
  for (const s of sample) {
    const res = await call<{ messages: { subject: string }[] }>(lab, '/api/mailbox', { cookie: s.cookie });
    const subjects = res.status === 200 ? res.body.messages.map((m) => m.subject) : [];
    if (res.status !== 200) countError(`mailbox: HTTP ${res.status}`, JSON.stringify(res.body));
    else if (!subjects.includes(`classroom bench ${s.sandbox}`)) countError('mailbox: own mail missing', `${s.sandbox}: ${JSON.stringify(subjects)}`);
    const foreign = subjects.filter((subject) => subject.startsWith('classroom bench ') && subject !== `classroom bench ${s.sandbox}`);
    if (foreign.length) countError('mailbox: another student’s mail (isolation)', `${s.sandbox} sees ${foreign.join(', ')}`);
  }
  return sample.length;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
const ms = (x: number) => (Number.isNaN(x) ? '–' : `${x.toFixed(1)} ms`);

budget.phase('starting the lab as a child process');
const lab = await startLabProcess({ passivePorts: 256 });
let peak: LabMemory = { rss: 0, peak: 0 };
const sampleMemory = () => {
  const m = lab.memory();
  if (m) peak = { rss: Math.max(peak.rss, m.rss), peak: Math.max(peak.peak, m.peak) };
  return m;
};
const sampler = setInterval(sampleMemory, 200);
const memoryAt: [string, LabMemory | null][] = [['started', sampleMemory()]];
const followers: Follower[] = [];
let teacher: TeacherSession | null = null;
let loaded: FollowFigures | null = null;
let quiet: FollowFigures | null = null;
let loadSeconds = NaN;
let joinSeconds = NaN;
let mailboxesChecked = 0;
let students: Joined[] = [];
let results: StudentResult[] = [];

try {
  budget.phase('the teacher creates a class');
  const created = await call<{ id: string; code: string }>(lab, '/api/classes', { teacher: true }, { name: 'Bench 200' });
  if (created.status !== 200) throw new Error(`POST /api/classes answered ${created.status}: ${JSON.stringify(created.body)}`);

  budget.phase(`${STUDENTS} students join by code`);
  const joinStarted = performance.now();
  students = await joinAll(lab, created.body.code);
  joinSeconds = (performance.now() - joinStarted) / 1000;
  memoryAt.push([`${students.length} joined`, sampleMemory()]);

  budget.phase(`${FOLLOWERS} students follow the teacher over /ws`);
  const following = new Set<string>();
  for (const s of students.slice(0, FOLLOWERS)) {
    try {
      const opened = await Follower.open(lab.baseUrl, s.cookie);
      followers.push(opened.follower);
      following.add(opened.following);
    } catch (err) {
      countError('follow: could not follow', (err as Error).message);
    }
  }

  budget.phase('the teacher opens an SMTP session (the default sandbox’s login)');
  // GET /api/lab without a cookie, from loopback: the default sandbox's login (the teacher's machine).
  const own = await call<{ sandbox: string; user: string; password: string }>(lab, '/api/lab', {});
  if (!following.has(own.body.sandbox)) countError('follow: followers follow another sandbox than the teacher’s', `${[...following].join(', ')} vs ${own.body.sandbox}`);
  try {
    teacher = await TeacherSession.open(lab.ports.SMTP_PORT, own.body.user, own.body.password);
  } catch (err) {
    countError('teacher: SMTP session', (err as Error).message);
  }

  budget.phase(`${students.length} students: SMTP send, FTP LIST, SSH ls, all at once${teacher ? `; the teacher types a line every ${LOADED_GAP_MS} ms` : ''}`);
  let loadDone = false;
  let teacherRun: Promise<FollowFigures | null> = Promise.resolve(null);
  const loadStarted = performance.now();
  const session = teacher;
  results = await runStudents(lab, students, () => {
    // Caught at once: a teacher's session that breaks is an error to count, not the harness failing.
    if (session) {
      teacherRun = teacherLines(session, followers, 'load', () => !loadDone, LOADED_GAP_MS).catch((err: Error) => {
        countError('teacher: SMTP session broke', err.message);
        return null;
      });
    }
  }).finally(() => {
    loadDone = true;
  });
  loadSeconds = (performance.now() - loadStarted) / 1000;
  loaded = await teacherRun;
  memoryAt.push(['after the load', sampleMemory()]);
  for (const r of results) {
    for (const [step, result] of Object.entries(r.steps)) if ('error' in result) countError(kindOf(step, result.error, r.sandbox), `${r.sandbox}: ${result.error}`);
  }

  budget.phase(`reading ${Math.min(MAILBOX_SAMPLE, students.length)} students' mailboxes with their cookies`);
  mailboxesChecked = await checkMailboxes(lab, students);

  if (teacher && loaded) {
    budget.phase(`quiet lab: the teacher types ${QUIET_LINES} lines back to back`);
    quiet = await teacherLines(teacher, followers, 'quiet', (sent) => sent < QUIET_LINES, 0);
  }
  memoryAt.push(['end', sampleMemory()]);

  // --- report ---
  const steps: Step[] = ['smtp', 'ftp', 'ssh'];
  const durations = (step: Step) => results.flatMap((r) => ('ms' in r.steps[step] ? [(r.steps[step] as { ms: number }).ms] : []));
  console.log(`Classroom benchmark: ${STUDENTS} students (one sandbox each, from 127.0.0.2–127.0.0.${STUDENTS + 1}), ${FOLLOWERS} following the teacher; the clients' process at nice ${CLIENTS_NICE}; lab pid ${lab.pid}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  joins: ${students.length}/${STUDENTS} in ${joinSeconds.toFixed(1)} s (${JOIN_CONCURRENCY} at a time)`);
  console.log(`  the load: all ${results.length} students at once, ${loadSeconds.toFixed(1)} s until the last finished`);
  for (const step of steps) {
    const d = durations(step);
    const timing = d.length ? `, per student median ${(percentile(d, 50) / 1000).toFixed(2)} s, p99 ${(percentile(d, 99) / 1000).toFixed(2)} s` : '';
    console.log(`    ${step.toUpperCase().padEnd(4)} ${d.length}/${results.length} ok${timing}`);
  }
  console.log(`  mailboxes read back: ${mailboxesChecked} (own mail present, no other student's)`);
  console.log(`  lab RSS: ${memoryAt.map(([when, m]) => `${when} ${m ? mib(m.rss) : '–'}`).join(', ')}; highest sampled ${mib(peak.rss)}, VmHWM ${mib(peak.peak)}`);
  if (errors.size) {
    console.log('  errors by kind:');
    for (const [kind, e] of [...errors].sort((a, b) => b[1].count - a[1].count)) console.log(`    ${String(e.count).padStart(4)}  ${kind}\n          e.g. ${e.example.slice(0, 200)}`);
  }
  const follow = (f: FollowFigures | null) =>
    f ? `${ms(f.medianMs)} / ${ms(f.p99Ms)}  (${f.lines} lines × ${f.followers}; missing ${f.missing}, out of order ${f.outOfOrder}, dropped by the hub ${f.dropped}, non-250 replies ${f.badReplies}; the teacher's own replies ${ms(f.replyMedianMs)} / ${ms(f.replyP99Ms)})` : 'not measured';
  const end = lab.memory();
  const rows: [string, string, string][] = [
    ['sandboxes', `${results.length}`, `${STUDENTS}`],
    ['errors', `${errorTotal()}`, '0'],
    ['lab RSS now / peak (VmHWM)', `${end ? mib(end.rss) : '–'} / ${vsTarget(peak.peak / MiB, TARGETS.rssPeakMiB, 0, ' MiB')}`, ''],
    ['wire→follower under load, median / p99', follow(loaded), ''],
    ['  p99', loaded ? vsTarget(loaded.p99Ms, TARGETS.p99Ms, 1, ' ms') : 'not measured', ''],
    ['wire→follower quiet, median / p99', follow(quiet), ''],
    ['  p99', quiet ? vsTarget(quiet.p99Ms, TARGETS.p99Ms, 1, ' ms') : 'not measured', ''],
    ['missing / out-of-order follower events', `${(loaded?.missing ?? 0) + (quiet?.missing ?? 0)} / ${(loaded?.outOfOrder ?? 0) + (quiet?.outOfOrder ?? 0)}`, '0 / 0'],
    ['elapsed (lab start to here)', `${((performance.now() - started) / 1000).toFixed(1)} s`, ''],
  ];
  console.log('');
  for (const [what, value, target] of rows) {
    const verdict = target === '' ? '' : `   target ${target}  ${value === target ? 'met' : 'MISSED'}`;
    console.log(`  ${what.padEnd(40)} ${value}${verdict}`);
  }
  budget.phase('stopping');
} finally {
  clearInterval(sampler);
  teacher?.close();
  for (const f of followers) f.close();
  await lab.stop();
}
budget.done();
