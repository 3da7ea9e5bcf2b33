/**
 * Runs of alike connections, folded into one line of a list. A client that keeps failing the same way
 * reconnects on its own (libzmq with a wrong CURVE key tries again every 100 ms or so, ZMQ_RECONNECT_IVL),
 * and a list of hundreds of identical closed rows hides everything else on it. The store keeps every
 * one; only the list folds them, newest shown, the rest a click away.
 */
import type { ConnectionInfo } from '@/lib/wire/event.ts';

/** Fewer alike connections in a row than this stay as they are. */
export const MIN_RUN = 4;
/** A connection that lasted longer than this is a session, not a retry. */
const MAX_LASTED_MS = 2_000;
/** Alike connections this far apart (start to start) are separate visits, not one client retrying. */
const MAX_GAP_MS = 3_000;

/** A line of a folded list: one line as it was, or a run of alike lines (newest first, as listed). */
export type Folded<L> = { kind: 'one'; line: L } | { kind: 'run'; lines: L[] };

/** The client's address without its port: each reconnect comes from a new port. */
export function clientHost(client: string): string {
  const colon = client.lastIndexOf(':');
  return colon > 0 ? client.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : client;
}

/** Two closed, short connections from one host to one server, with the same name and length, close in time. */
export function alike(a: ConnectionInfo, b: ConnectionInfo): boolean {
  const short = (c: ConnectionInfo) => c.endedAt !== null && c.endedAt - c.startedAt <= MAX_LASTED_MS;
  return (
    short(a) &&
    short(b) &&
    a.protocol === b.protocol &&
    a.server === b.server &&
    a.label === b.label &&
    a.messageCount === b.messageCount &&
    clientHost(a.client) === clientHost(b.client) &&
    Math.abs(a.startedAt - b.startedAt) <= MAX_GAP_MS
  );
}

/**
 * Folds runs of at least MIN_RUN alike neighbours. `connectionOf` says which lines may fold (a
 * connection with children under it, or a child, answers null and stays as it is).
 */
export function foldRepeats<L>(lines: L[], connectionOf: (line: L) => ConnectionInfo | null): Folded<L>[] {
  const folded: Folded<L>[] = [];
  let run: L[] = [];
  const flush = () => {
    if (run.length >= MIN_RUN) folded.push({ kind: 'run', lines: run });
    else for (const line of run) folded.push({ kind: 'one', line });
    run = [];
  };
  for (const line of lines) {
    const connection = connectionOf(line);
    const last = run.length > 0 ? connectionOf(run[run.length - 1]) : null;
    if (connection && last && alike(last, connection)) {
      run.push(line);
      continue;
    }
    flush();
    if (connection) run = [line];
    else folded.push({ kind: 'one', line });
  }
  flush();
  return folded;
}

/** '57 alike connections from 127.0.0.1 in 6.2 s': what a folded run says about itself. */
export function describeRun(run: ConnectionInfo[]): string {
  const times = run.map((c) => c.startedAt);
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return `${run.length} alike connections from ${clientHost(run[0].client)} in ${seconds.toFixed(1)} s — a client retrying?`;
}
