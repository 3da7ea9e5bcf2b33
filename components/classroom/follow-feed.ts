import { SessionFeeds } from '@/components/player/session-feeds';
import { mergeTimeline } from '@/components/player/timeline';
import type { ClassState, LabEvent } from '@/lib/bus/events.ts';
import type { TranscriptPage } from '@/lib/store/transcripts.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { VersionedStore } from '@/components/lab/versioned-store';

/** A message of the teacher's that the class is frozen on. */
export type Frozen = NonNullable<ClassState['frozen']>;

/** Most of the teacher's sessions a student's page holds (the newest), each counted once with its data connections and tunnels. */
const MAX_SESSIONS = 30;
/** Most data connections and tunnels a page holds per session (its newest): an lftp mirror opens one per file and listing. */
export const MAX_LANES_PER_SESSION = 100;
/** Most connections held whose start is not known yet (seen mid-way, their history being read). */
const MAX_PENDING = 30;
/** How many connections let go the page still recognises, so their late events do not bring them back. */
const MAX_GONE = 2000;

/**
 * What a student's page has seen of the teacher's sessions while following: every connection and
 * its messages, across protocols, read in wire order. Each connection has a LabFeed of its own (a
 * SessionFeeds per protocol), which merges and de-duplicates its history and live events: one LabFeed
 * per protocol kept only its newest 100 connections, so an FTP session's 100th data connection pushed
 * its control connection out. The page holds the newest MAX_SESSIONS sessions whole (a session is a
 * connection with the connections filed under it, `parent`, counted once) and of each session its
 * newest MAX_LANES_PER_SESSION data connections and tunnels, never a connection whose own data
 * connections are kept: a bound on what a long class leaves in the page. Events of the page's own
 * sandbox are not the teacher's and are left out. A plain store with a version counter, read through
 * useSyncExternalStore.
 */
export class FollowFeed extends VersionedStore {
  private readonly feeds = new Map<Protocol, SessionFeeds>();
  /** Every connection held, in the order first seen, with its protocol (a message names its protocol, its conn only an id). */
  private readonly held = new Map<string, Protocol>();
  /** Connections whose stored history was asked for, or that opened while watched, so each is read once. */
  private readonly requested = new Set<string>();
  /** Connections let go, oldest first (at most MAX_GONE). */
  private readonly gone = new Set<string>();
  /** Per session held (its first connection's id): how many of its data connections and tunnels were let go. */
  private readonly dropped = new Map<string, number>();

  /**
   * Takes the teacher's live events (not those of `ownSandbox`); answers the connections seen for
   * the first time mid-way (following began after they opened), whose earlier messages the page
   * should read with `loadPage`.
   */
  applyEvents(events: readonly LabEvent[], ownSandbox: string | null): string[] {
    const fresh: string[] = [];
    const byProtocol = new Map<Protocol, LabEvent[]>();
    for (const event of events) {
      let conn: string;
      let protocol: Protocol;
      let parent: string | undefined;
      if (event.type === 'message') {
        if (event.message.sandbox === ownSandbox) continue;
        ({ conn, protocol } = event.message);
      } else if (event.type === 'connection.open' || event.type === 'connection.update' || event.type === 'connection.close') {
        if (event.connection.sandbox === ownSandbox) continue;
        ({ id: conn, protocol, parent } = event.connection);
      } else continue;
      if (this.gone.has(conn)) continue;
      // A session let go goes whole: a data connection it opens later too.
      if (parent !== undefined && this.gone.has(parent)) {
        this.drop(conn);
        continue;
      }
      // Opened while this page watched: nothing earlier to read.
      if (event.type === 'connection.open') this.requested.add(conn);
      this.held.set(conn, protocol);
      const list = byProtocol.get(protocol);
      if (list) list.push(event);
      else byProtocol.set(protocol, [event]);
      if (!this.requested.has(conn)) {
        this.requested.add(conn);
        fresh.push(conn);
      }
    }
    if (byProtocol.size === 0) return fresh;
    for (const [protocol, list] of byProtocol) this.feedOf(protocol).applyEvents(list);
    this.trim();
    this.bump();
    return fresh.filter((id) => this.held.has(id));
  }

  /** Whether a connection's history was read or is being read, or it was let go (the frozen message's may be neither). */
  has(conn: string): boolean {
    return this.requested.has(conn) || this.gone.has(conn);
  }

  /** Marks a connection as being read (by the caller, with `loadPage` for each page). */
  request(conn: string): void {
    this.requested.add(conn);
  }

  /** Merges one page of a stored transcript of the teacher's (ignored if its session was let go). */
  loadPage(page: TranscriptPage): void {
    const { connection } = page;
    if (this.gone.has(connection.id)) return;
    if (connection.parent !== undefined && this.gone.has(connection.parent)) {
      this.drop(connection.id);
      this.bump();
      return;
    }
    this.held.set(connection.id, connection.protocol);
    this.requested.add(connection.id);
    const feeds = this.feedOf(connection.protocol);
    const known = feeds.connection(connection.id);
    // Read again after a reconnect: it may have ended while the page did not follow (a page read earlier never un-ends it).
    if (known && known.endedAt === null && connection.endedAt !== null) feeds.applyEvents([{ type: 'connection.close', connection: { ...known, endedAt: connection.endedAt } }]);
    feeds.loadHistory([connection]);
    feeds.feedOf(connection.id).loadMessages(connection.id, page.messages);
    this.trim();
    this.bump();
  }

  /** The teacher's connections whose start is known, oldest first. */
  connections(): ConnectionInfo[] {
    return this.known().sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Per session held (its first connection's id): how many of its data connections and tunnels the page let go. */
  droppedLanes(): ReadonlyMap<string, number> {
    return this.dropped;
  }

  /** How many connections the page holds, those whose start is not known yet included: what the bound limits. */
  get size(): number {
    return this.held.size;
  }

  /** Every message of those connections in the order they happened (the player's timeline order). */
  timeline(): LabMessage[] {
    return mergeTimeline(this.connections(), (id) => {
      const protocol = this.held.get(id);
      return protocol ? this.feedOf(protocol).messagesOf(id) : [];
    });
  }

  private known(): ConnectionInfo[] {
    return [...this.feeds.values()].flatMap((feeds) => feeds.listConnections());
  }

  /** Lets go of connections beyond the bounds: the oldest pending ones, the oldest ended sessions whole (then the oldest live ones), each session's oldest lanes. */
  private trim(): void {
    const infos = this.known();
    const byId = new Map(infos.map((c) => [c.id, c]));
    const pending = [...this.held.keys()].filter((id) => !byId.has(id));
    for (const id of pending.slice(0, Math.max(0, pending.length - MAX_PENDING))) this.drop(id);

    const sessions = new Map<string, ConnectionInfo[]>();
    for (const c of infos) {
      const root = rootOf(c, byId);
      const members = sessions.get(root);
      if (members) members.push(c);
      else sessions.set(root, [c]);
    }
    // A session whose first connection is not known yet (read mid-way) starts with its oldest lane.
    const startOf = ([root, members]: [string, ConnectionInfo[]]) => byId.get(root)?.startedAt ?? Math.min(...members.map((m) => m.startedAt));
    // Ended sessions go first, oldest first: the one the teacher is still in stays however many short ones came after it.
    const isLive = ([, members]: [string, ConnectionInfo[]]) => members.some((m) => m.endedAt === null);
    const order = [...sessions].sort((a, b) => Number(isLive(a)) - Number(isLive(b)) || startOf(a) - startOf(b));
    const old = Math.max(0, order.length - MAX_SESSIONS);
    for (const [root, members] of order.slice(0, old)) {
      for (const m of members) this.drop(m.id);
      this.drop(root);
      this.dropped.delete(root);
    }
    for (const [root, members] of order.slice(old)) this.trimLanes(root, members);
  }

  /** Lets go of a session's oldest lanes beyond MAX_LANES_PER_SESSION, never one whose own lanes are still held. */
  private trimLanes(root: string, members: ConnectionInfo[]): void {
    const lanes = members.filter((m) => m.id !== root).sort((a, b) => a.startedAt - b.startedAt);
    let excess = lanes.length - MAX_LANES_PER_SESSION;
    while (excess > 0) {
      const parents = new Set(lanes.filter((l) => this.held.has(l.id)).map((l) => l.parent));
      let freed = 0;
      for (const lane of lanes) {
        if (freed === excess) break;
        if (!this.held.has(lane.id) || parents.has(lane.id)) continue;
        this.drop(lane.id);
        freed++;
      }
      // Only a cycle of parents (never recorded) leaves no lane to let go.
      if (freed === 0) break;
      excess -= freed;
      this.dropped.set(root, (this.dropped.get(root) ?? 0) + freed);
    }
  }

  private drop(id: string): void {
    const protocol = this.held.get(id);
    if (protocol) this.feeds.get(protocol)?.forget(id);
    this.held.delete(id);
    this.requested.delete(id);
    this.gone.delete(id);
    this.gone.add(id);
    for (const oldest of this.gone) {
      if (this.gone.size <= MAX_GONE) break;
      this.gone.delete(oldest);
    }
  }

  private feedOf(protocol: Protocol): SessionFeeds {
    let feeds = this.feeds.get(protocol);
    if (!feeds) this.feeds.set(protocol, (feeds = new SessionFeeds(protocol)));
    return feeds;
  }
}

/** The session a connection belongs to: its topmost known ancestor, or the first ancestor not known yet (named by its `parent`). */
function rootOf(c: ConnectionInfo, byId: ReadonlyMap<string, ConnectionInfo>): string {
  let at = c;
  // Parents nest at most SSH tunnel → FTP control → data; the bound only guards against a cycle.
  for (let depth = 0; depth < 8 && at.parent !== undefined; depth++) {
    const up = byId.get(at.parent);
    if (!up) return at.parent;
    at = up;
  }
  return at.id;
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
