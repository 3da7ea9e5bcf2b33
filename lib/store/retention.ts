import type { Db } from './db.ts';

/** How much transcript the store keeps (LAB_TRANSCRIPT_MESSAGES, LAB_RETENTION_DAYS, LAB_TRANSCRIPT_MAX_MB). */
export interface TranscriptLimits {
  /** Messages stored whole per connection; later ones are shown live and only counted. */
  maxMessages: number;
  /** Finished connections that ended longer ago than this are deleted; 0 keeps them for ever. */
  retentionDays: number;
  /** Stored transcript text (JSON characters) beyond this deletes the oldest finished connections. */
  maxBytes: number;
}

export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = { maxMessages: 2000, retentionDays: 30, maxBytes: 200 * 1024 * 1024 };

/** Pruning by size stops once the store is back under this share of the cap, so it does not run on every write. */
const SIZE_TARGET = 0.9;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes whole finished connections, oldest first: those past the retention age, then as many
 * as it takes to bring the stored size under the cap. A connection still open is never touched.
 * Keeps a running total of stored bytes so the size check after each write costs nothing.
 */
export class Retention {
  private total: number;
  /** The last size prune found nothing finished to delete: wait for a connection to close. */
  private stuck = false;
  private readonly sumBytes;
  private readonly oldestFinished;
  private readonly expiredBytes;
  private readonly deleteExpiredMessages;
  private readonly deleteExpired;
  private readonly deleteMessagesOf;
  private readonly deleteConnection;

  constructor(
    private readonly db: Db,
    private readonly limits: TranscriptLimits,
  ) {
    this.sumBytes = db.prepare(`SELECT COALESCE(SUM(stored_bytes), 0) AS total FROM connections`);
    this.oldestFinished = db.prepare(`SELECT id, stored_bytes FROM connections WHERE ended_at IS NOT NULL ORDER BY started_at, rowid LIMIT 100`);
    const expired = `SELECT id FROM connections WHERE ended_at IS NOT NULL AND ended_at < ?`;
    this.expiredBytes = db.prepare(`SELECT COALESCE(SUM(stored_bytes), 0) AS total FROM connections WHERE id IN (${expired})`);
    this.deleteExpiredMessages = db.prepare(`DELETE FROM messages WHERE conn IN (${expired})`);
    this.deleteExpired = db.prepare(`DELETE FROM connections WHERE id IN (${expired})`);
    this.deleteMessagesOf = db.prepare(`DELETE FROM messages WHERE conn = ?`);
    this.deleteConnection = db.prepare(`DELETE FROM connections WHERE id = ?`);
    this.total = (this.sumBytes.get() as { total: number }).total;
  }

  /** Bytes of transcript stored now (as counted by the store). */
  get storedBytes(): number {
    return this.total;
  }

  /** The store wrote `bytes` more transcript text. */
  added(bytes: number): void {
    this.total += bytes;
  }

  /** A connection finished, so there may be something to prune again. */
  connectionClosed(): void {
    this.stuck = false;
  }

  /** True when a size prune is due and could achieve something. */
  overSize(): boolean {
    return this.total > this.limits.maxBytes && !this.stuck;
  }

  /** Deletes connections expired at `now`, then the oldest finished ones while over the size cap; returns how many. */
  prune(now: number): number {
    // IMMEDIATE: it reads before it deletes, and a read snapshot cannot become a write once another
    // connection (the main thread's mailbox, a lab's store) has committed since; this waits for the lock instead.
    return this.db.transaction(() => this.pruneAge(now) + this.pruneSize()).immediate();
  }

  /** Only the size rule (after a write that went over the cap). */
  pruneBySize(): number {
    return this.db.transaction(() => this.pruneSize()).immediate();
  }

  private pruneAge(now: number): number {
    if (this.limits.retentionDays <= 0) return 0;
    const cutoff = now - this.limits.retentionDays * DAY_MS;
    this.total -= (this.expiredBytes.get(cutoff) as { total: number }).total;
    this.deleteExpiredMessages.run(cutoff);
    return this.deleteExpired.run(cutoff).changes;
  }

  private pruneSize(): number {
    if (this.total <= this.limits.maxBytes) return 0;
    const target = this.limits.maxBytes * SIZE_TARGET;
    let deleted = 0;
    while (this.total > target) {
      const batch = this.oldestFinished.all() as { id: string; stored_bytes: number }[];
      if (batch.length === 0) break;
      for (const row of batch) {
        this.deleteMessagesOf.run(row.id);
        this.deleteConnection.run(row.id);
        this.total -= row.stored_bytes;
        deleted++;
        if (this.total <= target) break;
      }
    }
    // Whatever is left over the cap belongs to open connections; retry when one closes.
    this.stuck = this.total > this.limits.maxBytes;
    return deleted;
  }
}
