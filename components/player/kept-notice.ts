import { MAX_MESSAGES_PER_CONNECTION } from '@/components/lab/lab-feed';
import { isSummary } from '@/lib/store/transcript-summary.ts';
import { groupDigits } from '@/lib/text/numbers.ts';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';

/**
 * Says which connections of a session the player shows only in part: the browser keeps the newest
 * MAX_MESSAGES_PER_CONNECTION messages of a connection (components/lab/lab-feed.ts), so a longer one
 * (LAB_TRANSCRIPT_MESSAGES raised, or watched live) would otherwise read "of 5000" as if that were all.
 * `connections` is the session's, its own first, `messages` theirs; null when every message of each is there.
 */
export function keptNotice(connections: readonly ConnectionInfo[], messages: readonly LabMessage[]): string | null {
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
    if (all.length < MAX_MESSAGES_PER_CONNECTION || real.length === 0 || real[0].seq <= 1) continue;
    const count = Math.max(c.messageCount, real[real.length - 1].seq);
    const which = i === 0 ? 'This connection' : `Linked connection ${c.id}`;
    cut.push(
      `${which} has ${groupDigits(count)} messages; the player shows the newest ${groupDigits(real.length)} (from message ${groupDigits(real[0].seq)} on): it keeps ${groupDigits(MAX_MESSAGES_PER_CONNECTION)} per connection.`,
    );
  }
  return cut.length > 0 ? cut.join(' ') : null;
}
