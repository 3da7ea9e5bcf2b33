'use client';

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, coreApi } from '@/components/lab/api';
import { useLabSocket } from '@/components/lab/lab-socket';
import { loadTranscript, type TranscriptReader } from '@/components/lab/use-lab-feed';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { SessionFeeds } from './session-feeds';
import { mergeTimeline, parseMessageParam } from './timeline';

/** One connection for the player, with its children, their stored messages and, while it lasts, live ones. */
export interface Session {
  /** The connection, once the API answered. */
  info: ConnectionInfo | null;
  /** Its secondary connections (FTP data connections), oldest first. */
  children: ConnectionInfo[];
  /** Every message of the connection and its children, in the order they happened. */
  messages: LabMessage[];
  /** True once the stored transcripts have been read (live messages may still come). */
  loaded: boolean;
  error: string | null;
  /**
   * The message of the connection the player was asked to open (`at`, or the URL's `?msg=`), null if none: when
   * it is older than the newest messages the browser keeps, the messages around it were loaded instead.
   */
  around: number | null;
}

/**
 * Loads a connection's stored transcript and its children's, then follows the lab feed over the
 * page's WebSocket: new messages append, and a live connection's end or new data connections show
 * as they happen. Messages held by step mode are not in the feed until released. `read` reads
 * another sandbox's transcript (a class's teacher's, a student's on the projector); the first page
 * names the connection's children either way, so an FTP session rewound in class keeps its data lanes.
 * `at` is the message a class was rewound to; without it, the one the URL names.
 */
export function useSession(conn: string, read?: TranscriptReader, at?: number): Session {
  const { subscribe } = useLabSocket();
  const [feed, setFeed] = useState<SessionFeeds | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [around, setAround] = useState<number | null>(null);
  const requested = useRef(new Set<string>());
  /** The children the first page named (those opened later arrive as events). */
  const firstChildren = useRef<ConnectionInfo[]>([]);
  const empty = useRef(new SessionFeeds('smtp'));
  const store = feed ?? empty.current;
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);

  // The first page says which protocol the connection speaks; the lab feed is per protocol.
  useEffect(() => {
    const abort = new AbortController();
    setFeed(null);
    setLoaded(false);
    setError(null);
    requested.current = new Set();
    void (read ?? coreApi.transcript)(conn, { from: 0, limit: 1 }, abort.signal)
      .then((page) => {
        if (abort.signal.aborted) return;
        const next = new SessionFeeds(page.connection.protocol);
        next.loadHistory([page.connection]);
        // The feed is one protocol's: a tunnelled connection of another protocol plays on its own page.
        firstChildren.current = (page.children ?? []).filter((c) => c.protocol === page.connection.protocol);
        setFeed(next);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err instanceof ApiError && err.status === 404 && !read ? `No connection ${conn} in your sandbox (it may have been pruned).` : String(err instanceof Error ? err.message : err));
      });
    return () => abort.abort();
  }, [conn, read]);

  // Live events first, so nothing said while the history loads is missed; then the stored transcripts.
  useEffect(() => {
    if (!feed) return;
    const abort = new AbortController();
    // Only this connection and its children: the page must not keep a busy lab's other traffic.
    const mine = (id: string, parent?: string) => id === conn || parent === conn || feed.connection(id)?.parent === conn;
    const unsubscribe = subscribe((message) => {
      if (message.type !== 'events') return;
      const events = message.events.filter((e) =>
        e.type === 'message' ? mine(e.message.conn) : e.type === 'connection.open' || e.type === 'connection.update' || e.type === 'connection.close' ? mine(e.connection.id, e.connection.parent) : false,
      );
      if (events.length) feed.applyEvents(events);
    });
    requested.current.add(conn);
    const target = at ?? requestedSeq(conn);
    setAround(target ?? null);
    const own = loadTranscript(feed.feedOf(conn), conn, abort.signal, read, { around: target });
    const known = firstChildren.current;
    feed.loadHistory(known);
    const children = Promise.all(known.map((c) => (requested.current.add(c.id), loadTranscript(feed.feedOf(c.id), c.id, abort.signal, read))));
    void Promise.all([own, children])
      .then(() => !abort.signal.aborted && setLoaded(true))
      .catch((err: unknown) => !abort.signal.aborted && setError(String(err instanceof Error ? err.message : err)));
    return () => {
      abort.abort();
      unsubscribe();
    };
  }, [feed, conn, subscribe, read, at]);

  const info = feed?.connection(conn) ?? null;
  const children = useMemo(
    () => (feed ? feed.listConnections().filter((c) => c.parent === conn).sort((a, b) => a.startedAt - b.startedAt) : []),
    // The feed mutates in place; its version says when to look again.
    [feed, conn, version],
  );

  // A child that opened after the page loaded: its first messages may predate this page's events.
  useEffect(() => {
    if (!feed || !loaded) return;
    for (const child of children) {
      if (requested.current.has(child.id)) continue;
      requested.current.add(child.id);
      void loadTranscript(feed.feedOf(child.id), child.id, undefined, read).catch(() => {});
    }
  }, [feed, loaded, children, read]);

  const messages = useMemo(
    () => (feed && info ? mergeTimeline([info, ...children], (id) => feed.messagesOf(id)) : []),
    [feed, info, children, version],
  );
  return { info, children, messages, loaded, error, around };
}

/** The seq of `conn` itself that the page's URL names (`?msg=N`), if any (a data connection's loads as usual). */
function requestedSeq(conn: string): number | undefined {
  const target = parseMessageParam(conn, new URLSearchParams(window.location.search).get('msg'));
  return target?.conn === conn ? target.seq : undefined;
}
