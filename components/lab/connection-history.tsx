'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import { LABS } from '@/components/labs';
import { counted } from '@/lib/text/numbers.ts';
import { messageIdParts, type ConnectionInfo, type Protocol } from '@/lib/wire/event.ts';
import type { LabFeed } from './lab-feed';
import { loadTranscript, OtherLabError } from './use-lab-feed';

type Outcome = { id: string; info: ConnectionInfo } | { id: string; error: string } | { id: string; otherLab: { protocol: Protocol; href: string } };

/**
 * Loads a connection's stored messages once (for connections that started before this page). Returns
 * what the page must say about it, in its error banner, instead of an empty terminal that waits for a
 * greeting forever or a selection that silently lands elsewhere; null when all is well:
 * - it could not be loaded (a shared link to a pruned connection, or to another sandbox's);
 * - it is another lab's connection (a link with the wrong page): a link to the right page, same query;
 * - `msg` (the selected message, a shared link's) names a message of it that is not there.
 */
export function useConnectionHistory(feed: LabFeed, id: string | null, msg: string | null = null): ReactNode {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    // Shown: kept in the feed however many newer connections come.
    const unpin = feed.pin(id);
    loadTranscript(feed, id, abort.signal).then(
      (info) => {
        if (info) setOutcome({ id, info });
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        if (err instanceof OtherLabError) setOutcome({ id, otherLab: { protocol: err.protocol, href: `/${err.protocol}${window.location.search}` } });
        else setOutcome({ id, error: `Cannot show connection ${id}: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
    return () => {
      abort.abort();
      unpin();
    };
  }, [feed, id]);
  if (!id || !outcome || outcome.id !== id) return null;
  if ('error' in outcome) return outcome.error;
  if ('otherLab' in outcome) return <OtherLab conn={id} {...outcome.otherLab} />;
  return missingMessage(feed, id, outcome.info, msg);
}

/** Says that `msg` is not among the connection's messages (null if it is, or names another connection). */
export function missingMessage(feed: LabFeed, id: string, info: ConnectionInfo, msg: string | null): string | null {
  const parts = msg ? messageIdParts(msg) : null;
  if (!parts || parts.conn !== id || feed.messagesOf(id).some((m) => m.id === msg)) return null;
  const seq = Number(parts.seq);
  // Live messages raise the feed's count past what the first page said.
  const count = Math.max(info.messageCount, feed.connection(id)?.messageCount ?? 0);
  if (seq >= 1 && seq <= count) return `Connection ${id} has ${counted(count, 'message')}, but message ${seq} is not kept: a long connection is shown only in part.`;
  return `Connection ${id} has ${counted(count, 'message')}; message ${seq} is not one of them.`;
}

/** A connection of another lab, with a link to the page that draws it (the same `?conn=…&msg=…`). */
function OtherLab({ conn, protocol, href }: { conn: string; protocol: Protocol; href: string }) {
  const name = LABS.find((l) => l.slug === protocol)?.name ?? protocol;
  return (
    <span data-testid="other-lab-connection">
      Connection {conn} belongs to the {name} lab, not this page&apos;s:{' '}
      <Link href={href} className="font-semibold text-sky-200 underline hover:text-white">
        open it on the {name} page
      </Link>
      .
    </span>
  );
}
