import { groupDigits } from '../text/numbers.ts';
import type { ConnectionInfo, LabMessage } from '../wire/event.ts';

/**
 * The seq of a capped connection's summary note: right after the last stored message and
 * before the first one that was not stored, so it sits where the transcript stops, in the
 * store, in API pages and in a live view alike. Half a step never collides with a real seq.
 */
export function summarySeq(cap: number): number {
  return cap + 0.5;
}

const SUMMARY_SUFFIX = ':summary';

/** True for the running summary note (not a message a client or server sent): its id names it. */
export function isSummary(message: Pick<LabMessage, 'id' | 'conn'>): boolean {
  const { id, conn } = message;
  return id.length === conn.length + SUMMARY_SUFFIX.length && id.endsWith(SUMMARY_SUFFIX) && id.startsWith(conn);
}

/**
 * Counts of the messages of one connection that came after the storage cap: shown live,
 * not stored. Kept in memory while the connection is open; rendered as one note.
 */
export class OverflowCounts {
  count = 0;
  bytes = 0;
  firstSeq = 0;
  lastSeq = 0;
  /** 'client command' → n, in first-seen order. */
  readonly byKind = new Map<string, number>();
  /** Each direction's kinds → their key in `byKind`, so counting a message builds no string. */
  private readonly keys = new Map<string, Map<string, string>>();

  add(message: LabMessage): void {
    if (this.count === 0) this.firstSeq = message.seq;
    this.lastSeq = message.seq;
    this.count++;
    this.bytes += message.bytes ?? 0;
    let kinds = this.keys.get(message.dir);
    if (!kinds) this.keys.set(message.dir, (kinds = new Map()));
    let key = kinds.get(message.kind);
    if (key === undefined) kinds.set(message.kind, (key = `${message.dir} ${message.kind}`));
    this.byKind.set(key, (this.byKind.get(key) ?? 0) + 1);
  }
}

const n = groupDigits;

/** The summary note for a connection over the cap; the same id and seq every time, so it is replaced, not appended. */
export function summaryNote(conn: Pick<ConnectionInfo, 'id' | 'sandbox' | 'protocol'>, cap: number, counts: OverflowCounts, final: boolean): LabMessage {
  const kinds = [...counts.byKind].map(([kind, count]) => `${kind} ×${n(count)}`).join(', ');
  const range = counts.firstSeq === counts.lastSeq ? `#${n(counts.firstSeq)}` : `#${n(counts.firstSeq)}–#${n(counts.lastSeq)}`;
  return {
    // seq first: a literal that starts like a stamped message shares its hidden class in V8, and this
    // fractional seq would make every message's seq a boxed number from then on (bench:soap: the
    // store's share of a call 16 → 4 µs). Tested in transcript-summary.test.ts.
    seq: summarySeq(cap),
    id: `${conn.id}:summary`,
    conn: conn.id,
    sandbox: conn.sandbox,
    protocol: conn.protocol,
    t: 0,
    dir: 'note',
    view: 'wire',
    kind: 'note',
    phase: 'summary',
    text: `Stored: the first ${n(cap)} messages. Not stored, shown live only: ${n(counts.count)} (${range}): ${kinds}; ${n(counts.bytes)} bytes on the wire${final ? '.' : ' so far.'}`,
    fields: [
      { name: 'stored', value: n(cap) },
      { name: 'not stored', value: n(counts.count), note: range },
      ...[...counts.byKind].map(([kind, count]) => ({ name: kind, value: n(count) })),
      { name: 'bytes not stored', value: n(counts.bytes) },
    ],
    annotation: {
      key: 'lab.transcript.capped',
      title: `Transcript capped at ${n(cap)} messages`,
      explain:
        `The lab keeps the first ${n(cap)} messages of each connection whole, so one chatty client cannot fill the disk. ` +
        'Every later message was still shown live as it happened, then only counted here by direction and kind. ' +
        (final ? 'The connection has closed; these are the final counts.' : 'This note is updated, not repeated, until the connection closes.'),
      level: 'warn',
    },
    bytes: 0,
  };
}
