import { LabFeed } from '@/components/lab/lab-feed';
import { mergeTimeline } from '@/components/player/timeline';
import type { ClassState, LabEvent } from '@/lib/bus/events.ts';
import type { TranscriptPage } from '@/lib/store/transcripts.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { VersionedStore } from '@/components/lab/versioned-store';

/** A message of the teacher's that the class is frozen on. */
export type Frozen = NonNullable<ClassState['frozen']>;

/** Most of the teacher's sessions a student's page shows (the newest), each with its data connections and tunnels. */
const MAX_CONNECTIONS = 30;

/**
 * What a student's page has seen of the teacher's sessions while following: every connection and
 * its messages, across protocols (one LabFeed per protocol merges and de-duplicates history and
 * live events), read in wire order. Events of the page's own sandbox are not the teacher's and are
 * left out. A plain store with a version counter, read through useSyncExternalStore.
 */
export class FollowFeed extends VersionedStore {
  private readonly feeds = new Map<Protocol, LabFeed>();
  /** Which protocol's feed holds a connection (a message names its protocol, its conn only an id). */
  private readonly protocolOf = new Map<string, Protocol>();
  /** Connections whose stored history was asked for, so each is read once. */
  private readonly requested = new Set<string>();

  /**
   * Takes the teacher's live events (not those of `ownSandbox`); answers the connections seen for
   * the first time mid-way (following began after they opened), whose earlier messages the page
   * should read with `loadPage`.
   */
  applyEvents(events: readonly LabEvent[], ownSandbox: string | null): string[] {
    const fresh: string[] = [];
    let changed = false;
    for (const event of events) {
      let conn: string;
      let protocol: Protocol;
      if (event.type === 'message') {
        if (event.message.sandbox === ownSandbox) continue;
        ({ conn, protocol } = event.message);
      } else if (event.type === 'connection.open' || event.type === 'connection.update' || event.type === 'connection.close') {
        if (event.connection.sandbox === ownSandbox) continue;
        ({ id: conn, protocol } = event.connection);
        // Opened while this page watched: nothing earlier to read.
        if (event.type === 'connection.open') this.requested.add(conn);
      } else continue;
      this.protocolOf.set(conn, protocol);
      this.feedOf(protocol).applyEvents([event]);
      changed = true;
      if (!this.requested.has(conn)) {
        this.requested.add(conn);
        fresh.push(conn);
      }
    }
    if (changed) this.bump();
    return fresh;
  }

  /** Whether a connection's history was read or is being read (the frozen message's may not be). */
  has(conn: string): boolean {
    return this.requested.has(conn);
  }

  /** Marks a connection as being read (by the caller, with `loadPage` for each page). */
  request(conn: string): void {
    this.requested.add(conn);
  }

  /** Merges one page of a stored transcript of the teacher's. */
  loadPage(page: TranscriptPage): void {
    const { connection } = page;
    this.protocolOf.set(connection.id, connection.protocol);
    const feed = this.feedOf(connection.protocol);
    feed.loadHistory([connection]);
    feed.loadMessages(connection.id, page.messages);
    this.bump();
  }

  /**
   * The teacher's connections whose start is known, oldest first: the newest MAX_CONNECTIONS sessions with
   * their children. Counting every connection let an FTP session's 30th data connection push out its control one.
   */
  connections(): ConnectionInfo[] {
    const all = [...this.feeds.values()].flatMap((feed) => feed.listConnections()).sort((a, b) => a.startedAt - b.startedAt);
    const ids = new Set(all.map((c) => c.id));
    const isSession = (c: ConnectionInfo) => !c.parent || !ids.has(c.parent);
    const kept = new Set(all.filter(isSession).slice(-MAX_CONNECTIONS).map((c) => c.id));
    return all.filter((c) => kept.has(c.id) || (c.parent !== undefined && kept.has(c.parent)));
  }

  /** Every message of those connections in the order they happened (the player's timeline order). */
  timeline(): LabMessage[] {
    return mergeTimeline(this.connections(), (id) => {
      const protocol = this.protocolOf.get(id);
      return protocol ? this.feedOf(protocol).messagesOf(id) : [];
    });
  }

  private feedOf(protocol: Protocol): LabFeed {
    let feed = this.feeds.get(protocol);
    if (!feed) this.feeds.set(protocol, (feed = new LabFeed(protocol)));
    return feed;
  }
}

/**
 * What a frozen class shows: the timeline up to and including the message it is frozen on, or null
 * while that message has not been read yet. Later messages stay in the feed for when it thaws.
 */
export function upToFrozen(timeline: readonly LabMessage[], frozen: Frozen): LabMessage[] | null {
  const at = timeline.findIndex((m) => m.conn === frozen.conn && m.seq === frozen.seq);
  return at < 0 ? null : timeline.slice(0, at + 1);
}

/**
 * How many messages of the frozen session came after the one the class is frozen on: the banner's
 * count. Only that session's: the teacher's other sessions in the feed are not what the class waits for.
 */
export function laterThanFrozen(timeline: readonly LabMessage[], frozen: Frozen): number {
  return timeline.filter((m) => m.conn === frozen.conn && m.seq > frozen.seq).length;
}
