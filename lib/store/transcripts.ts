import type { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';
import type { Db } from './db.ts';
import { DEFAULT_TRANSCRIPT_LIMITS, type TranscriptLimits } from './retention.ts';
import { InlineSink, ThreadSink, type TranscriptSink } from './transcript-sink.ts';
import { OverflowCounts, isSummary, summaryNote, summarySeq } from './transcript-summary.ts';
import type { WriteOp } from './transcript-writer.ts';
import type { MailSink } from './mail-rows.ts';

interface ConnectionRow {
  id: string;
  protocol: Protocol;
  sandbox: string;
  started_at: number;
  ended_at: number | null;
  message_count: number;
  client: string;
  server: string | null;
  label: string | null;
  parent: string | null;
  opened_by_page: number | null;
  unclaimed: number | null;
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
    ...(row.server ? { server: row.server } : {}),
    label: row.label ?? undefined,
    parent: row.parent ?? undefined,
    ...(row.opened_by_page ? { openedByPage: true } : {}),
    ...(row.unclaimed ? { unclaimed: true } : {}),
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
  /**
   * On the first page (from 0): the connections opened for this one (FTP data connections, tunnelled
   * ones), oldest first, so a reader of another sandbox's session (a class's rewind) can load them too.
   */
  children?: ConnectionInfo[];
}

/** Most children a transcript page names (an FTP session's data connections). */
const MAX_CHILDREN = 500;

/** Where writes happen: a writer thread (default for a database on disk) or the calling thread. */
export type TranscriptWriterMode = 'thread' | 'inline';

/**
 * Persists connections and messages from the bus. Writes are queued and handed over in one batch
 * every few milliseconds to a writer thread (its own connection to the same WAL database), which
 * commits each batch in one transaction: serialising and committing stay off the forwarding path.
 * Reads run here and first wait until every batch handed over is committed, so they see every
 * event published before them.
 * Each connection keeps its first `maxMessages` messages whole; later ones are only counted in a
 * summary note (seq cap + 0.5), which is stored, updated in place and published live when the cap is
 * first crossed and when the connection closes. Old and excess finished connections are pruned.
 * Create it before the hub subscribes, so live viewers get the note just before message cap + 1.
 */
export class TranscriptStore {
  private pending: WriteOp[] = [];
  private flushScheduled = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  /** Connections over the cap: what they sent since, and whether the note needs writing. */
  private readonly overflow = new Map<string, { counts: OverflowCounts; info: ConnectionInfo; dirty: boolean }>();
  private readonly limits: TranscriptLimits;
  private readonly sink: TranscriptSink;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeCaptures: () => void;
  private readonly selectRecent;
  private readonly selectRecentOf;
  private readonly selectConnection;
  private readonly selectChildren;
  private readonly selectPage;
  private readonly selectLastSeq;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    limits: Partial<TranscriptLimits> = {},
    private readonly now: () => number = Date.now,
    writer: TranscriptWriterMode = 'thread',
  ) {
    this.limits = { ...DEFAULT_TRANSCRIPT_LIMITS, ...limits };
    // A second connection can only open a database that has a file.
    this.sink = writer === 'thread' && !db.memory && db.name !== '' ? new ThreadSink(db, this.limits) : new InlineSink(db, this.limits);
    // Newest first; `before` (a start time, +Infinity for the newest page) pages back through older ones.
    this.selectRecent = db.prepare(`SELECT * FROM connections WHERE sandbox = ? AND started_at < ? ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectRecentOf = db.prepare(`SELECT * FROM connections WHERE sandbox = ? AND protocol = ? AND started_at < ? ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectConnection = db.prepare(`SELECT * FROM connections WHERE sandbox = ? AND id = ?`);
    this.selectChildren = db.prepare(`SELECT * FROM connections WHERE parent = ? AND sandbox = ? ORDER BY started_at, rowid LIMIT ${MAX_CHILDREN}`);
    this.selectPage = db.prepare(`SELECT seq, body FROM messages WHERE conn = ? AND seq >= ? ORDER BY seq LIMIT ?`);
    this.selectLastSeq = db.prepare(`SELECT COALESCE(MAX(seq), 0) AS last FROM messages WHERE conn = ?`);
    this.unsubscribe = bus.subscribe((event) => this.receive(event));
    // Captured chunks and key log lines go to the writer in the same batches (lib/store/capture-rows.ts).
    this.unsubscribeCaptures = bus.captures.subscribe((event) => {
      this.pending.push(event);
      this.scheduleFlush();
    });
  }

  /** Closes connections left open by the last run, prunes, and from then on prunes periodically. */
  start(): void {
    this.closeOrphans();
    // Not waited for: reads wait for it anyway, and the writer thread may still be starting.
    this.handOver();
    this.sink.pruneSoon(this.now());
    this.pruneTimer = setInterval(() => {
      this.handOver();
      this.sink.pruneSoon(this.now());
    }, PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  /** Commits everything queued so far (reads do it first, so they see all events published before them). */
  flush(): void {
    this.handOver();
    this.sink.sync();
  }

  /** Hands what is queued (and changed summary notes) to the writer, without waiting for it. */
  private handOver(): void {
    const batch = this.pending;
    this.pending = [];
    for (const [id, o] of this.overflow) {
      if (!o.dirty) continue;
      o.dirty = false;
      batch.push({ type: 'summary', seq: summarySeq(this.limits.maxMessages), message: summaryNote(o.info, this.limits.maxMessages, o.counts, o.info.endedAt !== null) });
      if (o.info.endedAt !== null) this.overflow.delete(id);
    }
    if (batch.length > 0) this.sink.write(batch);
  }

  /** Deletes expired and excess finished connections now; returns how many. */
  prune(): number {
    this.handOver();
    return this.sink.prune(this.now());
  }

  /** The mailbox's way to the same writer (one writer while mail flows: no waiting for each other's lock). */
  get mailSink(): MailSink {
    return this.sink;
  }

  /** How many messages of a connection are stored whole (LAB_TRANSCRIPT_MESSAGES); later ones are only counted. */
  get maxMessages(): number {
    return this.limits.maxMessages;
  }

  /** Where transcripts are written: on the writer thread, or on this one. */
  get writer(): TranscriptWriterMode {
    return this.sink.mode;
  }

  /** Transcript text stored now, in JSON characters (what LAB_TRANSCRIPT_MAX_MB limits). */
  get storedBytes(): number {
    this.handOver();
    return this.sink.storedBytes;
  }

  /** A sandbox's connections, newest first. */
  listConnections(sandbox: string, filter: { protocol?: Protocol; limit: number; before?: number }): ConnectionInfo[] {
    this.flush();
    const before = filter.before ?? Number.MAX_VALUE;
    const rows = filter.protocol ? this.selectRecentOf.all(sandbox, filter.protocol, before, filter.limit) : this.selectRecent.all(sandbox, before, filter.limit);
    // A live connection's stored count is written when it closes: until then, what its messages say.
    return (rows as ConnectionRow[]).map((row) => (row.ended_at === null ? { ...toInfo(row), messageCount: this.countSoFar(row) } : toInfo(row)));
  }

  /** Messages recorded on a connection so far: its stored count, its last stored seq, or past the stored cap the overflow's. */
  private countSoFar(row: ConnectionRow): number {
    const last = (this.selectLastSeq.get(row.id) as { last: number }).last;
    return Math.max(row.message_count, Math.floor(last), this.overflow.get(row.id)?.counts.lastSeq ?? 0);
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
    const first = (page.from ?? 0) === 0;
    return {
      connection: { ...toInfo(row), messageCount: this.countSoFar(row) },
      messages,
      more,
      next: more ? rows[limit].seq : null,
      ...(first ? { children: (this.selectChildren.all(id, sandbox) as ConnectionRow[]).map(toInfo) } : {}),
    };
  }

  /** Connections still open when the daemon last stopped can never end now: close them. */
  closeOrphans(): void {
    this.db.prepare(`UPDATE connections SET ended_at = started_at WHERE ended_at IS NULL`).run();
  }

  /** Stops listening, writes everything queued and closes the writer (before the database closes). */
  dispose(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.unsubscribe();
    this.unsubscribeCaptures();
    this.handOver();
    this.sink.close();
  }

  /** Bus subscriber: queues what is stored, counts what is over the cap. Must stay cheap. */
  private receive(event: LabEvent): void {
    if (event.type === 'message') {
      const message = event.message;
      // Our own note, published for live viewers. Its phase is asked first: every message passes here, and
      // reading a fresh id string flattens it.
      if (message.phase === 'summary' && isSummary(message)) return;
      if (message.seq > this.limits.maxMessages) return this.countOverflow(message);
    } else if (event.type === 'connection.close') {
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
      this.handOver();
    }, FLUSH_DELAY_MS).unref();
  }
}
