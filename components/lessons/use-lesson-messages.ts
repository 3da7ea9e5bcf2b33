'use client';

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { coreApi } from '@/components/lab/api';
import { LabFeed } from '@/components/lab/lab-feed';
import { useLabSocket } from '@/components/lab/lab-socket';
import { loadTranscript } from '@/components/lab/use-lab-feed';
import { chronological } from '@/lib/lessons/evaluate.ts';
import type { LabMessage, Protocol } from '@/lib/wire/event.ts';

/** Connections asked for per protocol when the lesson opens (the API's newest first). */
const RECENT = 30;

/**
 * The sandbox's messages a lesson is checked against, live: one LabFeed per protocol the lesson
 * reads (its lab, and any other its proofs name — SOAP over SMTP), fed by the lab socket, plus the
 * stored transcripts of connections still open or closed since the lesson started (a reload
 * mid-lesson). Like the daemon (servers/daemon/lesson-routes.ts), only messages sent at or after
 * `since` count, oldest first across connections.
 */
export function useLessonMessages(protocols: readonly Protocol[], since: number | null): LabMessage[] {
  const { subscribe } = useLabSocket();
  const key = [...new Set(protocols)].sort().join(',');
  const feeds = useMemo(() => (key ? key.split(',').map((p) => new LabFeed(p as Protocol)) : []), [key]);

  // One render per change of any feed: the sum of their versions only grows.
  const subscribeAll = useMemo(
    () => (listener: () => void) => {
      const offs = feeds.map((feed) => feed.subscribe(listener));
      return () => offs.forEach((off) => off());
    },
    [feeds],
  );
  const version = useSyncExternalStore(subscribeAll, () => feeds.reduce((sum, feed) => sum + feed.getVersion(), 0), () => 0);

  useEffect(
    () =>
      subscribe((message) => {
        if (message.type === 'events') for (const feed of feeds) feed.applyEvents(message.events);
      }),
    [feeds, subscribe],
  );

  // What was already running when the page opened: stored transcripts of connections the lesson may count.
  const [historyLoaded, setHistoryLoaded] = useState(0);
  useEffect(() => {
    if (since === null) return;
    const abort = new AbortController();
    for (const feed of feeds) {
      void coreApi
        .connections(feed.protocol, RECENT)
        .then(async (r) => {
          feed.loadHistory(r.connections);
          for (const c of r.connections) {
            if (abort.signal.aborted) return;
            if (c.endedAt === null || c.endedAt >= since) await loadTranscript(feed, c.id, abort.signal);
          }
          setHistoryLoaded((n) => n + 1);
        })
        .catch(() => {});
    }
    return () => abort.abort();
  }, [feeds, since]);

  return useMemo(() => {
    if (since === null) return [];
    const startOf = new Map<string, number>();
    const messages: LabMessage[] = [];
    for (const feed of feeds) {
      for (const c of feed.listConnections()) {
        if (c.endedAt !== null && c.endedAt !== undefined && c.endedAt < since) continue;
        startOf.set(c.id, c.startedAt);
        for (const m of feed.messagesOf(c.id)) if (c.startedAt + m.t >= since) messages.push(m);
      }
    }
    return chronological(messages, (conn) => startOf.get(conn) ?? 0);
    // `version` and `historyLoaded` change whenever what the feeds hold does.
  }, [feeds, since, version, historyLoaded]);
}
