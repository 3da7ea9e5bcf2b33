import { MAX_MESSAGES_PER_CONNECTION } from '@/components/lab/lab-feed';
import { isSummary } from '@/lib/store/transcript-summary.ts';
import { groupDigits } from '@/lib/text/numbers.ts';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';

/**
 * Says which connections of a session the player shows only in part: the browser keeps the newest
 * MAX_MESSAGES_PER_CONNECTION messages of a connection (components/lab/lab-feed.ts), so a longer one
 * (LAB_TRANSCRIPT_MESSAGES raised, or watched live) would otherwise read "of 5000" as if that were all.
 * `connections` is the session's, its own first, `messages` theirs; `around` the message of its own that the
 * player was asked to open (a class's rewind, a link), whose neighbours it loaded rather than the newest
 * (components/lab/use-lab-feed.ts loadAround). Null when every message of each is there.
 */
export function keptNotice(connections: readonly ConnectionInfo[], messages: readonly LabMessage[], around?: number): string | null {
  // One pass over the session's messages (it runs on each render of a live session, which may have 120 connections).
  const byConn = new Map<string, LabMessage[]>();
  for (const m of messages) {
    const list = byConn.get(m.conn);
    if (list) list.push(m);
    else byConn.set(m.conn, [m]);
  }
  const cut: string[] = [];
  for (const [i, c] of connections.entries()) {
    const all = byConn.get(c.id) ?? [];
    const real = all.filter((m) => !isSummary(m));
    // The feed trimmed it: it holds all it keeps and the oldest are gone.
    if (all.length < MAX_MESSAGES_PER_CONNECTION || real.length === 0) continue;
    const [first, last] = [real[0].seq, real[real.length - 1].seq];
    const count = Math.max(c.messageCount, last);
    // Or the messages around the one asked for, with newer ones after them (a summary note would end what is stored).
    const windowed = i === 0 && around !== undefined && last < count && real.length === all.length;
    if (!windowed && first <= 1) continue;
    const which = i === 0 ? 'This connection' : `Linked connection ${c.id}`;
    const keeps = `it keeps ${groupDigits(MAX_MESSAGES_PER_CONNECTION)} per connection.`;
    if (windowed) cut.push(`${which} has ${groupDigits(count)} messages; the player shows messages ${groupDigits(first)} to ${groupDigits(last)} of them, around message ${groupDigits(around)}: ${keeps}`);
    else cut.push(`${which} has ${groupDigits(count)} messages; the player shows the newest ${groupDigits(real.length)} (from message ${groupDigits(first)} on): ${keeps}`);
  }
  return cut.length > 0 ? cut.join(' ') : null;
}
