import { messageIdParts, messageTick, type ConnectionInfo, type LabMessage } from '@/lib/wire/event.ts';

/**
 * One connection's messages with those of its children (an FTP control connection's data
 * connections, a tunnel's inner connection) in the order they happened: by wall-clock time
 * (the connection's start plus the message's offset), ties kept in the order given, the parent's
 * first. The player steps through this list.
 */
export function mergeTimeline(connections: readonly ConnectionInfo[], messagesOf: (id: string) => readonly LabMessage[]): LabMessage[] {
  if (connections.length === 1) return [...messagesOf(connections[0].id)];
  const rows = connections.flatMap((c, order) => messagesOf(c.id).map((m, i) => ({ m, at: messageTick(c.startedAt, m.t), order, i })));
  rows.sort((a, b) => a.at - b.at || a.order - b.order || a.i - b.i);
  return rows.map((r) => r.m);
}

/** A message as the URL names it: its seq on the player's own connection, `<child id>:<seq>` on a child. */
export function messageParam(conn: string, message: Pick<LabMessage, 'conn' | 'seq'>): string {
  return message.conn === conn ? String(message.seq) : `${message.conn}:${message.seq}`;
}

const SEQ = /^\d{1,9}(?:\.5)?$/;
const CONN = /^[A-Za-z0-9_-]{1,64}$/;

/** What a `msg` query value names: a connection and a seq (a capped transcript's summary is seq N.5); null if malformed. */
export function parseMessageParam(conn: string, value: string | null): { conn: string; seq: number } | null {
  if (!value) return null;
  if (SEQ.test(value)) return { conn, seq: Number(value) };
  const parts = messageIdParts(value);
  return parts && CONN.test(parts.conn) && SEQ.test(parts.seq) ? { conn: parts.conn, seq: Number(parts.seq) } : null;
}

/** The player's URL for a connection, optionally at a message. */
export function playerHref(conn: string, message?: Pick<LabMessage, 'conn' | 'seq'> | null): string {
  const base = `/sessions/${encodeURIComponent(conn)}`;
  return message ? `${base}?msg=${encodeURIComponent(messageParam(conn, message))}` : base;
}

/** Where Back, Forward, Home, End and "jump to N" (1-based, clamped) land in a timeline of `length` messages. */
export function moveTo(index: number, length: number, move: 'back' | 'forward' | 'home' | 'end' | { to: number }): number {
  if (length === 0) return -1;
  const target = move === 'back' ? index - 1 : move === 'forward' ? index + 1 : move === 'home' ? 0 : move === 'end' ? length - 1 : move.to - 1;
  return Math.min(length - 1, Math.max(0, target));
}

/**
 * How long Play waits before the next message: the chosen pace, or with 'recorded' the real gap
 * between the two messages, at least 100 ms and at most 3 s (long pauses are cut, not replayed).
 */
export function playDelay(pace: number | 'recorded', current: LabMessage | undefined, next: LabMessage | undefined, startedAt: (conn: string) => number): number {
  if (pace !== 'recorded') return pace;
  if (!current || !next) return 500;
  const gap = startedAt(next.conn) + next.t - (startedAt(current.conn) + current.t);
  return Math.min(3000, Math.max(100, gap));
}
