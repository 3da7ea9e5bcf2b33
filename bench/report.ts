import fs from 'node:fs';

/**
 * How every bench prints a figure next to its target from issue 9, so a run reads as a table
 * against the goals: `0.72   target ≥ 0.85  MISSED`.
 */

export type Target = { atLeast: number } | { below: number };

/** Median of the rounds (the machine is noisy: benches alternate paths and take medians). */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Tapped/direct per round, each pair run back to back under the same load. Their median is steadier on
 * a busy machine than the ratio of two medians: a slow spell then hits one round's pair, not one path.
 */
export function roundRatios(tapped: number[], direct: number[]): number[] {
  return tapped.map((x, i) => x / direct[i]);
}

function meets(value: number, target: Target): boolean {
  return 'atLeast' in target ? value >= target.atLeast : value < target.below;
}

/** `value` formatted, then its target and whether this run met it. */
export function vsTarget(value: number, target: Target, digits = 2, unit = ''): string {
  const goal = 'atLeast' in target ? `≥ ${target.atLeast.toLocaleString('en')}` : `< ${target.below.toLocaleString('en')}`;
  const goalValue = 'atLeast' in target ? target.atLeast : target.below;
  const format = (d: number) => value.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
  // A miss is never printed as the target itself (0.849 is not "0.85 … MISSED"): one more digit until it differs.
  let shown = format(digits);
  for (let d = digits + 1; d <= digits + 4 && !meets(value, target) && Number(shown.replace(/,/g, '')) === goalValue; d++) shown = format(d);
  return `${shown}${unit}   target ${goal}${unit}  ${meets(value, target) ? 'met' : 'MISSED'}`;
}

/**
 * Runs `work` and returns its result with the process CPU time it took (user + system, µs). The
 * machine is shared: wall-clock rates swing with other people's load, CPU per operation much less,
 * so benches print both. The clients run in this process too, so both paths include their cost.
 */
export async function withCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMicros: number; mainMicros: number }> {
  const before = process.cpuUsage();
  const mainBefore = mainThreadMicros();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuMicros: used.user + used.system, mainMicros: mainThreadMicros() - mainBefore };
}

/**
 * CPU time of the main thread alone (µs, 10 ms resolution), from /proc: process.cpuUsage also counts
 * the transcript writer thread, which runs beside the forwarding path on the other core. NaN off Linux.
 */
export function mainThreadMicros(): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1');
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Linux's USER_HZ, what /proc counts CPU time in. */
const CLOCK_TICKS = 100;

/** One line comparing CPU per operation: `direct 540 µs, tapped 690 µs per mail (direct/tapped 0.78)`. */
export function cpuLine(direct: number, tapped: number, unit: string, main?: { direct: number; tapped: number }): string {
  const all = `direct ${direct.toFixed(0)} µs, tapped ${tapped.toFixed(0)} µs per ${unit} (direct/tapped ${(direct / tapped).toFixed(2)}: the rate ratio if this process had a core to itself)`;
  if (!main || Number.isNaN(main.tapped)) return all;
  return `${all}; main thread only: direct ${main.direct.toFixed(0)} µs, tapped ${main.tapped.toFixed(0)} µs (${(main.direct / main.tapped).toFixed(2)})`;
}

/** Issue 9's targets, in one place. */
export const TARGETS = {
  smtpRatio: { atLeast: 0.85 },
  smtpMailsPerSecond: { atLeast: 1500 },
  sshHandshakeRatio: { atLeast: 0.85 },
  sftpRatio: { atLeast: 0.85 },
  soapRatio: { atLeast: 0.6 },
  ftpBulkRatio: { atLeast: 0.8 },
  /** wire→browser, one connection, idle lab. */
  latencyIdleMedianMs: { below: 10 },
  /** wire→browser with 50 connections open. */
  latencyLoadedP99Ms: { below: 50 },
} satisfies Record<string, Target>;
