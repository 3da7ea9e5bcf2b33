/**
 * node --import tsx bench/perf-attribute.ts <phases file> <perf script output> [files|functions] [top]
 *
 * Reads `perf script -F comm,pid,tid,time,period,event,ip,sym,dso` of a `perf record -e cpu-clock:u -g
 * -k CLOCK_MONOTONIC` run of bench/ssh-profile.ts (with node's --perf-basic-prof and
 * --interpreted-frames-native-stack, so JavaScript frames carry their file) and prints the main thread's
 * CPU µs per login, tapped against direct: by group, then by file (or function). Each sample is charged to
 * the nearest JavaScript frame on its stack, so the builtins, inline caches, allocation and runtime calls a
 * function makes count as its own: the inspector's profile charges them to no file, which is why it
 * found only ≈ 650 µs of the tap's own code in a ≈ 1,900 µs gap. A sample with no JavaScript frame keeps
 * its native symbol (glibc's malloc has no frame pointers: its callers are lost).
 */
import fs from 'node:fs';
import readline from 'node:readline';

const [phasesPath, scriptPath, mode = 'files', topArg = '40'] = process.argv.slice(2);
if (!phasesPath || !scriptPath) throw new Error('usage: perf-attribute.ts <phases file> <perf script output> [files|functions] [top]');
const [head, ...phaseLines] = fs.readFileSync(phasesPath, 'utf8').trim().split('\n');
const [pid, logins] = head.split(' ').map(Number);
const phases = phaseLines.map((line) => {
  const [name, from, to] = line.split(' ');
  return { name, from: Number(BigInt(from) / 1000n) / 1e6, to: Number(BigInt(to) / 1000n) / 1e6 };
});
const phaseAt = (t: number) => phases.find((p) => p.from <= t && t <= p.to)?.name;

/** "node 123/125 18821.293873:     500000 cpu-clock:u:" */
const HEADER = /^\S.*?\s+(\d+)\/(\d+)\s+([\d.]+):\s+(\d+)\s+\S+:/;
/**
 * A JavaScript frame from perf's map: "JS:*name file:///…/lib/wire/tap.ts:1:2" (ES modules), "JS:*name
 * /…/node_modules/ssh2/lib/protocol/Protocol.js:1:2" (CommonJS) or "JS:*name node:internal/streams/readable:463:38".
 */
const JS_FRAME = /((?:file:\/\/)?\/\S+\.[cm]?[jt]s(?::\d+:\d+)?|node:[a-z_]\S*)(?: \(|$)/;

function keyOf(frame: string): string | null {
  const m = JS_FRAME.exec(frame);
  if (!m) return null;
  const file = m[1].replace(/:\d+:\d+$/, '').replace(/\?.*$/, '').replace(/^(?:file:\/\/)?\/.*?\/(node_modules\/|[^/]+\/(?=lib\/|servers\/|bench\/|tests\/))/, '');
  if (mode !== 'functions') return file;
  const name = frame.split(' ')[0].replace(/^(JS|LazyCompile):/, '').replace(/^[*~^+]/, '');
  return `${file} ${name || '(anon)'}`;
}

/** Groups for the summary: the tap's own code, what forwarding through it costs in Node, and what it makes slower. */
function groupOf(key: string): string {
  if (/^lib\/protocols\/ssh\/(handshake-log|endpoint)|^servers\/ssh\/lab/.test(key)) return 'endpoint view (handshake-log, endpoint, lab.ts, wire-order)';
  if (/^lib\/protocols\//.test(key)) return 'SSH wire dissector (lib/protocols)';
  if (/^lib\/store\/|Serialize|node:internal\/worker|MessagePort/.test(key)) return 'store and writer-thread hand-off';
  if (/^(lib|servers)\//.test(key) && !key.startsWith('servers/ssh/')) return 'tap machinery (lib/wire, bus, daemon)';
  if (key.startsWith('servers/ssh/')) return 'the SSH server (servers/ssh, both paths)';
  if (key.startsWith('ssh2/')) return 'ssh2 JavaScript (both paths)';
  if (/crypto|CSPRNG|KeyGen|EVP|ossl|OPENSSL|x25519|fe_mul|ge_/.test(key)) return 'native crypto (both paths)';
  if (/^node:(internal\/streams|net|events|buffer|internal\/stream_base|stream)/.test(key)) return 'Node streams, sockets, events';
  if (/malloc|free|unlink_chunk|memmove|memcpy|consolidate/.test(key)) return 'glibc malloc/memcpy (caller unknown)';
  if (/task_queues|timers|priority_queue|RunForegroundTask|RunTimers|SpinEventLoop/.test(key)) return 'ticks, timers, V8 tasks (GC)';
  if (key.startsWith('bench/')) return 'benchmark clients';
  return 'other';
}

const totals: Record<string, Map<string, number>> = {};
let current: { phase: string; period: number } | null = null;
let frames: string[] = [];
const finish = () => {
  if (!current) return;
  const js = frames.map(keyOf).find((k) => k !== null);
  const key = js ?? `[native] ${(frames[0] ?? '?').replace(/\+0x[0-9a-f]+/, '').slice(0, 90)}`;
  const into = (totals[current.phase] ??= new Map());
  into.set(key, (into.get(key) ?? 0) + current.period);
};
for await (const line of readline.createInterface({ input: fs.createReadStream(scriptPath) })) {
  if (!line.trim()) continue;
  if (!/^\s/.test(line)) {
    finish();
    current = null;
    frames = [];
    const m = HEADER.exec(line);
    // The main thread only (its tid is the process id): the writer and dissect threads run on the other core.
    const phase = m && Number(m[1]) === pid && Number(m[2]) === pid ? phaseAt(Number(m[3])) : undefined;
    if (m && phase) current = { phase, period: Number(m[4]) };
    continue;
  }
  if (current) frames.push(line.trim().split(/\s+/).slice(1).join(' '));
}
finish();

// cpu-clock periods are nanoseconds: µs per login.
const per = (phase: string, key: string) => (totals[phase]?.get(key) ?? 0) / 1000 / logins;
const keys = [...new Set([...(totals.tap?.keys() ?? []), ...(totals.direct?.keys() ?? [])])];
const sum = (phase: string, of: string[]) => of.reduce((s, k) => s + per(phase, k), 0);
const line = (tap: number, direct: number, what: string) => `${(tap - direct).toFixed(0).padStart(6)} ${tap.toFixed(0).padStart(6)} ${direct.toFixed(0).padStart(6)}  ${what}`;
console.log(`main thread, CPU µs a login (${logins} logins each way): tap − direct, tap, direct`);
console.log(line(sum('tap', keys), sum('direct', keys), 'all'));
const groups = new Map<string, string[]>();
for (const key of keys) groups.set(groupOf(key), [...(groups.get(groupOf(key)) ?? []), key]);
const rows = [...groups].map(([group, of]) => ({ group, tap: sum('tap', of), direct: sum('direct', of) }));
for (const r of rows.sort((a, b) => b.tap - b.direct - (a.tap - a.direct))) console.log(line(r.tap, r.direct, r.group));
console.log(`by ${mode === 'functions' ? 'function' : 'file'}:`);
keys.sort((a, b) => per('tap', b) - per('direct', b) - (per('tap', a) - per('direct', a)));
for (const key of keys.slice(0, Number(topArg))) console.log(line(per('tap', key), per('direct', key), key).replace(/^(.{160}).+$/, '$1…'));
