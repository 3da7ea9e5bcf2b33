import { LabFeed } from '@/components/lab/lab-feed';
import type { LabEvent } from '@/lib/bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { VersionedStore } from '@/components/lab/versioned-store';

/**
 * The player's store: one LabFeed per connection of the session. A LabFeed keeps a lab page's newest 100
 * connections, so one feed for a whole session dropped the control connection of an FTP session with 100+
 * data connections (a mirror, a script listing in a loop), and the player showed nothing. Each connection
 * here is the only one of its feed; the feeds' merging of history and live messages stays theirs.
 */
export class SessionFeeds extends VersionedStore {
  private readonly feeds = new Map<string, LabFeed>();

  constructor(readonly protocol: Protocol) {
    super();
  }

  /** The feed holding connection `id` (made on first use), for loadTranscript. */
  feedOf(id: string): LabFeed {
    let feed = this.feeds.get(id);
    if (!feed) {
      feed = new LabFeed(this.protocol);
      feed.subscribe(this.bump);
      this.feeds.set(id, feed);
    }
    return feed;
  }

  connection(id: string): ConnectionInfo | undefined {
    return this.feeds.get(id)?.connection(id);
  }

  /** Every connection known, in no particular order. */
  listConnections(): ConnectionInfo[] {
    return [...this.feeds].flatMap(([id, feed]) => feed.connection(id) ?? []);
  }

  /** Lets a connection go with its messages (a follower keeps only so many); unknown ids are ignored. */
  forget(id: string): void {
    if (this.feeds.delete(id)) this.bump();
  }

  messagesOf(id: string): LabMessage[] {
    return this.feeds.get(id)?.messagesOf(id) ?? [];
  }

  loadHistory(connections: readonly ConnectionInfo[]): void {
    for (const c of connections) this.feedOf(c.id).loadHistory([c]);
  }

  /** Live events, each to its connection's feed (in order within a connection). */
  applyEvents(events: readonly LabEvent[]): void {
    const byConn = new Map<string, LabEvent[]>();
    for (const event of events) {
      const id =
        event.type === 'message' ? event.message.conn : event.type === 'connection.open' || event.type === 'connection.update' || event.type === 'connection.close' ? event.connection.id : null;
      if (id === null) continue;
      const list = byConn.get(id);
      if (list) list.push(event);
      else byConn.set(id, [event]);
    }
    for (const [id, list] of byConn) this.feedOf(id).applyEvents(list);
  }
}
