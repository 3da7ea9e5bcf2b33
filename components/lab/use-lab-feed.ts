'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import type { MailSummary } from '@/lib/bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { LabFeed } from './lab-feed';
import { useLabSocket } from './lab-socket';

/** Fetches JSON from the daemon API; throws the API's error text. */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  // The daemon accepts state changes only as JSON (lib/daemon/host-guard.ts), even without a body.
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

/** Loads a connection's stored messages once (for connections that started before this page). */
export function useConnectionHistory(feed: LabFeed, id: string | null): void {
  useEffect(() => {
    if (!id) return;
    void fetchJson<{ messages: LabMessage[] }>(`/api/connections/${id}`)
      .then((r) => feed.loadMessages(id, r.messages))
      .catch(() => {});
  }, [feed, id]);
}
