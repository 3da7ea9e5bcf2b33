import type { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';
import type { Db } from './db.ts';
import { DEFAULT_TRANSCRIPT_LIMITS, Retention, type TranscriptLimits } from './retention.ts';
import { OverflowCounts, isSummary, summaryNote, summarySeq } from './transcript-summary.ts';

interface ConnectionRow {
  id: string;
  protocol: Protocol;
  sandbox: string;
  started_at: number;
  ended_at: number | null;
  message_count: number;
  client: string;
  label: string | null;
  parent: string | null;
}

function toInfo(row: ConnectionRow): ConnectionInfo {
  return {
    id: row.id,
    protocol: row.protocol,
    sandbox: row.sandbox,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    messageCount: row.message_count,
    client: row.client,
    label: row.label ?? undefined,
    parent: row.parent ?? undefined,
  };
}

/** How long events may wait before they are written; reads flush first, so nobody sees stale data. */
const FLUSH_DELAY_MS = 25;
/** How often the age and size rules run besides start-up (the size rule also runs after a write that crosses the cap). */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/** One page of a stored transcript (GET /api/connections/:id?from=&limit=). */
export interface TranscriptPage {
  connection: ConnectionInfo;
  /** Stored messages with seq ≥ from, in seq order; a capped connection's summary note has seq cap + 0.5. */
  messages: LabMessage[];
  /** Whether more stored messages follow this page. */
  more: boolean;
  /** The `from` of the next page, or null after the last one. */
  next: number | null;
}

/**
 * Persists connections and messages from the bus. Writes are queued and flushed in one
 * transaction every few milliseconds, so a burst of thousands of messages costs a few commits.
 * Each connection keeps its first `maxMessages` messages whole; later ones are only counted in a
 * summary note (seq cap + 0.5), which is stored, updated in place and published live when the cap is
 * first crossed and when the connection closes. Old and excess finished connections are pruned.
 * Create it before the hub subscribes, so live viewers get the note just before message cap + 1.
 */
export class TranscriptStore {
  private pending: LabEvent[] = [];
  private flushScheduled = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  /** Connections over the cap: what they sent since, and whether the note needs writing. */
  private readonly overflow = new Map<string, { counts: OverflowCounts; info: ConnectionInfo; dirty: boolean }>();
  private readonly limits: TranscriptLimits;
  private readonly retention: Retention;
  private readonly unsubscribe: () => void;
  private readonly insertConnection;
  private readonly updateConnection;
  private readonly relabelConnection;
  private readonly addBytes;
  private readonly insertMessage;
  private readonly selectRecent;
  private readonly selectRecentOf;
  private readonly selectConnection;
  private readonly selectPage;
  private readonly selectLastSeq;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    limits: Partial<TranscriptLimits> = {},
    now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_TRANSCRIPT_LIMITS, ...limits };
    this.retention = new Retention(db, this.limits, now);
    this.insertConnection = db.prepare(
      `INSERT OR REPLACE INTO connections (id, protocol, sandbox, started_at, ended_at, message_count, client, label, parent)
       VALUES (@id, @protocol, @sandbox, @startedAt, @endedAt, @messageCount, @client, @label, @parent)`,
    );
    this.updateConnection = db.prepare(
      `UPDATE connections SET ended_at = @endedAt, message_count = @messageCount WHERE id = @id`,
    );
    this.relabelConnection = db.prepare(`UPDATE connections SET label = @label WHERE id = @id`);
    this.addBytes = db.prepare(`UPDATE connections SET stored_bytes = stored_bytes + ? WHERE id = ?`);
    this.insertMessage = db.prepare(`INSERT OR REPLACE INTO messages (conn, seq, body) VALUES (?, ?, ?)`);
    this.selectRecent = db.prepare(`SELECT * FROM connections WHERE sandbox = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectRecentOf = db.prepare(`SELECT * FROM connections WHERE sandbox = ? AND protocol = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectConnection = db.prepare(`SELECT * FROM connections WHERE sandbox = ? AND id = ?`);
    this.selectPage = db.prepare(`SELECT seq, body FROM messages WHERE conn = ? AND seq >= ? ORDER BY seq LIMIT ?`);
    this.selectLastSeq = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS last FROM messages WHERE conn = ?`);
    this.unsubscribe = bus.subscribe((event) => this.receive(event));
  }

  /** Closes connections left open by the last run, prunes, and from then on prunes periodically. */
  start(): void {
    this.closeOrphans();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  /** Writes everything queued so far (also called before reads, so reads see all events). */
  flush(): void {
    if (this.pending.length === 0 && ![...this.overflow.values()].some((o) => o.dirty)) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      const bytesOf = new Map<string, number>();
      for (const event of batch) {
        if (event.type === 'connection.open') {
          const c = event.connection;
          this.insertConnection.run({ ...c, label: c.label ?? null, parent: c.parent ?? null });
        } else if (event.type === 'connection.close') {
          this.updateConnection.run(event.connection);
        } else if (event.type === 'connection.update') {
          this.relabelConnection.run({ id: event.connection.id, label: event.connection.label ?? null });
        } else if (event.type === 'message') {
          const body = JSON.stringify(event.message);
          this.insertMessage.run(event.message.conn, event.message.seq, body);
          bytesOf.set(event.message.conn, (bytesOf.get(event.message.conn) ?? 0) + body.length);
        }
      }
      for (const [id, o] of this.overflow) {
        if (!o.dirty) continue;
        o.dirty = false;
        this.insertMessage.run(id, summarySeq(this.limits.maxMessages), JSON.stringify(summaryNote(o.info, this.limits.maxMessages, o.counts, o.info.endedAt !== null)));
        if (o.info.endedAt !== null) this.overflow.delete(id);
      }
      for (const [id, bytes] of bytesOf) {
        this.addBytes.run(bytes, id);
        this.retention.added(bytes);
      }
    })();
    if (this.retention.overSize()) this.retention.pruneBySize();
  }

  /** Deletes expired and excess finished connections now; returns how many. */
  prune(): number {
    this.flush();
    return this.retention.prune();
  }

  /** Transcript text stored now, in JSON characters (what LAB_TRANSCRIPT_MAX_MB limits). */
  get storedBytes(): number {
    return this.retention.storedBytes;
  }

  /** A sandbox's connections, newest first. */
  listConnections(sandbox: string, filter: { protocol?: Protocol; limit: number }): ConnectionInfo[] {
    this.flush();
    const rows = filter.protocol ? this.selectRecentOf.all(sandbox, filter.protocol, filter.limit) : this.selectRecent.all(sandbox, filter.limit);
    return (rows as ConnectionRow[]).map(toInfo);
  }

  /** One page of a connection's stored messages, from seq `from` on; null if the sandbox has no such connection. */
  getConnection(sandbox: string, id: string, page: { from?: number; limit?: number } = {}): TranscriptPage | null {
    this.flush();
    const row = this.selectConnection.get(sandbox, id) as ConnectionRow | undefined;
    if (!row) return null;
    const limit = page.limit ?? 500;
    // One row beyond the page says whether there is more, and where the next page starts.
    const rows = this.selectPage.all(id, page.from ?? 0, limit + 1) as { seq: number; body: string }[];
    const more = rows.length > limit;
    const messages = rows.slice(0, limit).map((r) => JSON.parse(r.body) as LabMessage);
    const last = (this.selectLastSeq.get(id) as { last: number }).last;
    return {
      connection: { ...toInfo(row), messageCount: Math.max(row.message_count, Math.floor(last), this.overflow.get(id)?.counts.lastSeq ?? 0) },
      messages,
      more,
      next: more ? rows[limit].seq : null,
    };
  }

  /** Connections still open when the daemon last stopped can never end now: close them. */
  closeOrphans(): void {
    this.db.prepare(`UPDATE connections SET ended_at = started_at WHERE ended_at IS NULL`).run();
  }

  dispose(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.unsubscribe();
    this.flush();
  }

  /** Bus subscriber: queues what is stored, counts what is over the cap. Must stay cheap. */
  private receive(event: LabEvent): void {
    if (event.type === 'message') {
      const message = event.message;
      if (isSummary(message)) return; // our own note, published for live viewers
      if (message.seq > this.limits.maxMessages) return this.countOverflow(message);
    } else if (event.type === 'connection.close') {
      this.retention.connectionClosed();
      const o = this.overflow.get(event.connection.id);
      if (o) {
        o.info = event.connection;
        o.dirty = true;
        this.bus.publish({ type: 'message', message: summaryNote(o.info, this.limits.maxMessages, o.counts, true) });
      }
    } else if (event.type !== 'connection.open' && event.type !== 'connection.update') {
      return;
    }
    this.pending.push(event);
    this.scheduleFlush();
  }

  private countOverflow(message: LabMessage): void {
    let o = this.overflow.get(message.conn);
    if (!o) {
      const info: ConnectionInfo = {
        id: message.conn, protocol: message.protocol, sandbox: message.sandbox,
        startedAt: 0, endedAt: null, messageCount: 0, client: '',
      };
      o = { counts: new OverflowCounts(), info, dirty: true };
      this.overflow.set(message.conn, o);
      o.counts.add(message);
      // Tell live viewers now that later messages are not kept.
      this.bus.publish({ type: 'message', message: summaryNote(info, this.limits.maxMessages, o.counts, false) });
    } else {
      o.counts.add(message);
      o.dirty = true;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => {
      this.flushScheduled = false;
      this.flush();
    }, FLUSH_DELAY_MS).unref();
  }
}
