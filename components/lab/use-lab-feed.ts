'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import type { MailSummary } from '@/lib/bus/events.ts';
import type { TranscriptPage } from '@/lib/store/transcripts.ts';
import type { ConnectionInfo, Protocol } from '@/lib/wire/event.ts';
import { LabFeed, MAX_MESSAGES_PER_CONNECTION } from './lab-feed';
import { useLabSocket } from './lab-socket';

/** Fetches JSON from the daemon API; throws the API's error text. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  // The daemon accepts state changes only as JSON (lib/http/host-guard.ts), even without a body.
  const headers = new Headers(init?.headers);
  if (init?.method && init.method !== 'GET' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(path, { cache: 'no-store', ...init, headers });
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

/** One lab's live feed: recent connections and mail from the API, then live events. */
export function useLabFeed(protocol: Protocol, options: { mailbox?: boolean } = {}): LabFeed {
  const { subscribe } = useLabSocket();
  const [feed] = useState(() => new LabFeed(protocol));
  useSyncExternalStore(feed.subscribe, feed.getVersion, feed.getVersion);

  useEffect(() => {
    const unsubscribe = subscribe((message) => {
      if (message.type === 'events') feed.applyEvents(message.events);
    });
    void fetchJson<{ connections: ConnectionInfo[] }>(`/api/connections?protocol=${protocol}&limit=30`)
      .then((r) => feed.loadHistory(r.connections))
      .catch(() => {});
    if (options.mailbox) {
      void fetchJson<{ messages: MailSummary[] }>('/api/mailbox')
        .then((r) => feed.loadMails(r.messages))
        .catch(() => {});
    }
    return unsubscribe;
  }, [feed, protocol, subscribe, options.mailbox]);

  return feed;
}

/** Messages asked for per request; the API allows up to 2000. */
const PAGE_SIZE = 500;

/**
 * Loads a connection's stored transcript into the feed page by page (each page shows as it
 * arrives), up to what the feed keeps. Stops when `signal` aborts (another connection picked).
 */
export async function loadTranscript(feed: LabFeed, id: string, signal?: AbortSignal): Promise<void> {
  let from: number | null = 0;
  let loaded = 0;
  while (from !== null && loaded < MAX_MESSAGES_PER_CONNECTION) {
    const page: TranscriptPage = await fetchJson<TranscriptPage>(`/api/connections/${encodeURIComponent(id)}?from=${from}&limit=${PAGE_SIZE}`, { signal });
    if (signal?.aborted) return;
    feed.loadMessages(id, page.messages);
    loaded += page.messages.length;
    from = page.next ?? null;
  }
}

/** Loads a connection's stored messages once (for connections that started before this page). */
export function useConnectionHistory(feed: LabFeed, id: string | null): void {
  useEffect(() => {
    if (!id) return;
    const abort = new AbortController();
    void loadTranscript(feed, id, abort.signal).catch(() => {});
    return () => abort.abort();
  }, [feed, id]);
}
