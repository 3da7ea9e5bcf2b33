'use client';

import Link from 'next/link';
import { useEffect, useState, type ReactNode } from 'react';
import { LABS } from '@/components/labs';
import type { Protocol } from '@/lib/wire/event.ts';
import type { LabFeed } from './lab-feed';
import { loadTranscript, OtherLabError } from './use-lab-feed';

type Outcome = { id: string; error: string } | { id: string; otherLab: { protocol: Protocol; href: string } };

/**
 * Loads a connection's stored messages once (for connections that started before this page). Returns
 * what the page must say about it, in its error banner, instead of an empty terminal that waits for a
 * greeting forever; null when all is well:
 * - it could not be loaded (a shared link to a pruned connection, or to another sandbox's);
 * - it is another lab's connection (a link with the wrong page): a link to the right page, same query.
 */
export function useConnectionHistory(feed: LabFeed, id: string | null): ReactNode {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    // Shown: kept in the feed however many newer connections come.
    const unpin = feed.pin(id);
    loadTranscript(feed, id, abort.signal).catch((err: unknown) => {
      if (abort.signal.aborted) return;
      if (err instanceof OtherLabError) setOutcome({ id, otherLab: { protocol: err.protocol, href: `/${err.protocol}${window.location.search}` } });
      else setOutcome({ id, error: `Cannot show connection ${id}: ${err instanceof Error ? err.message : String(err)}` });
    });
    return () => {
      abort.abort();
      unpin();
    };
  }, [feed, id]);
  if (!id || !outcome || outcome.id !== id) return null;
  if ('error' in outcome) return outcome.error;
  return <OtherLab conn={id} {...outcome.otherLab} />;
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
