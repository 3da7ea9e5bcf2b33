'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import type { TranscriptPage } from '@/lib/store/transcripts.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { isSummary } from '@/lib/store/transcript-summary.ts';
import { coreApi } from './api';
import { LabFeed, MAX_MESSAGES_PER_CONNECTION } from './lab-feed';
import { useLabSocket } from './lab-socket';

/**
 * GETs JSON from a daemon route that has no contract: only GET /api/lab, whose shape is each
 * running lab's info() (typed by LabInfoMap). Every other route is called through its contract
 * (callRoute, see components/lab/api.ts and components/<lab>/api.ts). Throws the API's error text.
 */
export async function fetchJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { cache: 'no-store' });
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
    void coreApi
      .connections(protocol, 30)
      .then((r) => feed.loadHistory(r.connections))
      .catch(() => {});
    if (options.mailbox) {
      void coreApi
        .mailbox()
        .then((r) => feed.loadMails(r.messages))
        .catch(() => {});
    }
    return unsubscribe;
  }, [feed, protocol, subscribe, options.mailbox]);

  return feed;
}

/** Messages asked for per request; the API allows up to 2000. */
const PAGE_SIZE = 500;

/** Reads one page of a stored transcript: the sandbox's own (coreApi.transcript) or, for a class, its teacher's. */
export type TranscriptReader = (id: string, page: { from: number; limit: number }, signal?: AbortSignal) => Promise<TranscriptPage>;

/** A link named another lab's connection: a lab's feed draws its own protocol only, so the page names the right one. */
export class OtherLabError extends Error {
  constructor(
    readonly conn: string,
    readonly protocol: Protocol,
  ) {
    super(`Connection ${conn} is a ${protocol} connection`);
  }
}

/**
 * Loads a connection's stored transcript into the feed: the first page, shown at once, then the rest together
 * (each notice of the feed redraws every message shown, so one per page made a long transcript cost quadratic
 * time). The first page, then the newest stored messages up to what the feed keeps (it keeps the newest, as live
 * messages arrive; keeping the oldest would leave a gap before them). With `around` (a message a class was
 * rewound to, or a link names) older than those, the messages around it instead, and the feed holds back
 * later ones (see loadAround). Stops when `signal` aborts (another connection picked). Resolves with the
 * connection as the first page described it (null if aborted); throws OtherLabError, loading nothing, for a
 * connection of another protocol than the feed's.
 */
export async function loadTranscript(
  feed: LabFeed,
  id: string,
  signal?: AbortSignal,
  read: TranscriptReader = coreApi.transcript,
  options: { around?: number } = {},
): Promise<ConnectionInfo | null> {
  const first = await read(id, { from: 0, limit: PAGE_SIZE }, signal);
  if (signal?.aborted) return null;
  if (first.connection.protocol !== feed.protocol) throw new OtherLabError(id, first.connection.protocol);
  const count = first.connection.messageCount;
  const pages = new PageWalk(feed, id, read, signal);
  const { around } = options;
  if (first.next !== null && around !== undefined && around < count - MAX_MESSAGES_PER_CONNECTION + 1) {
    await loadAround(pages, first, around);
    return signal?.aborted ? null : first.connection;
  }
  feed.loadMessages(id, first.messages);
  if (first.next === null) return first.connection;
  // Skip the pages between the first and the newest MAX_MESSAGES_PER_CONNECTION: the feed would drop them.
  const start = Math.max(first.next, count - MAX_MESSAGES_PER_CONNECTION + 1);
  const { last: end } = await pages.walk(start);
  // The store kept fewer messages than were counted (LAB_TRANSCRIPT_MESSAGES): its newest begin before `start`.
  if (!signal?.aborted && start !== first.next) {
    if (end === null) await pages.walk(first.next, Infinity, Infinity);
    else if (end < count) await pages.walk(Math.max(first.next, end - MAX_MESSAGES_PER_CONNECTION + 1), start, Infinity);
  }
  if (signal?.aborted) return null;
  pages.flush();
  return first.connection;
}

/**
 * The MAX_MESSAGES_PER_CONNECTION messages around `around`, half before it where there are so many: from the
 * first page what falls in that window, then pages up to the window's end. If the stored messages end before
 * it, the window reaches further back instead. If more follow it, the feed holds back every later message of
 * the connection (LabFeed.holdAfter): a live one would push the window's oldest out and leave a gap.
 */
async function loadAround(pages: PageWalk, first: TranscriptPage, around: number): Promise<void> {
  const from = Math.max(1, around - MAX_MESSAGES_PER_CONNECTION / 2);
  const head = first.messages.filter((m) => m.seq >= from);
  pages.feed.loadMessages(pages.id, head);
  const walked = await pages.walk(Math.max(from, first.next ?? from), Infinity, MAX_MESSAGES_PER_CONNECTION - head.length);
  const loaded = head.length + walked.loaded;
  if (walked.next !== null) {
    const last = walked.last ?? head.findLast((m) => !isSummary(m))?.seq;
    // Before the read pages go in: a live message that came meanwhile must not push the window's oldest out.
    if (last !== undefined) pages.feed.holdAfter(pages.id, last);
  } else if (loaded < MAX_MESSAGES_PER_CONNECTION && from > 1) {
    await pages.walk(Math.max(1, from - (MAX_MESSAGES_PER_CONNECTION - loaded)), from, Infinity);
  }
  if (!pages.aborted) pages.flush();
}

/** Reads one connection's stored pages, and puts them into its feed together (flush). */
class PageWalk {
  private unflushed: LabMessage[] = [];

  constructor(
    readonly feed: LabFeed,
    readonly id: string,
    private readonly read: TranscriptReader,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Reads pages from `from` until `until` (or the end), at most `limit` messages (the last page cut to fit);
   * answers the last real seq read, how many messages were read, and where the next page would start.
   */
  async walk(from: number | null, until = Infinity, limit = MAX_MESSAGES_PER_CONNECTION): Promise<{ last: number | null; loaded: number; next: number | null }> {
    let last: number | null = null;
    let loaded = 0;
    while (from !== null && from < until && loaded < limit) {
      const page = await this.read(this.id, { from, limit: Math.min(PAGE_SIZE, limit - loaded) }, this.signal);
      if (this.signal?.aborted) break;
      this.unflushed.push(...page.messages);
      loaded += page.messages.length;
      last = page.messages.findLast((m) => !isSummary(m))?.seq ?? last;
      from = page.next;
    }
    return { last, loaded, next: from };
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Puts the pages read so far into the feed at once: one notice, so one render of them. */
  flush(): void {
    if (this.unflushed.length === 0) return;
    this.feed.loadMessages(this.id, this.unflushed);
    this.unflushed = [];
  }
}
