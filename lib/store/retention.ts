import type { Db } from './db.ts';

/** How much transcript the store keeps (LAB_TRANSCRIPT_MESSAGES, LAB_RETENTION_DAYS, LAB_TRANSCRIPT_MAX_MB). */
export interface TranscriptLimits {
  /** Messages stored whole per connection; later ones are shown live and only counted. */
  maxMessages: number;
  /** Finished connections that ended longer ago than this are deleted; 0 keeps them for ever. */
  retentionDays: number;
  /** Stored transcript text (JSON characters) beyond this deletes the oldest finished connections. */
  maxBytes: number;
  /**
   * Stored transcript per sandbox beyond this deletes that sandbox's oldest finished connections
   * (one student cannot push the class's transcripts out of the shared cap); 0: no such cap.
   */
  maxBytesPerSandbox: number;
  /** The sandbox the per-sandbox cap leaves alone (the machine owner's: only the shared cap bounds it). */
  uncappedSandbox: string | null;
}

export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = { maxMessages: 2000, retentionDays: 30, maxBytes: 200 * 1024 * 1024, maxBytesPerSandbox: 20 * 1024 * 1024, uncappedSandbox: null };

/** Pruning by size stops once the store is back under this share of the cap, so it does not run on every write. */
const SIZE_TARGET = 0.9;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes whole finished connections, oldest first: those past the retention age, then as many
 * as it takes to bring the stored size under the cap, and a sandbox's own over its cap. A
 * connection still open is never touched. Keeps running totals of stored bytes (all, and per
 * sandbox) so the size checks after each write cost nothing.
 */
export class Retention {
  private total = 0;
  private readonly totalOf = new Map<string, number>();
  /** The last size prune found nothing finished to delete: wait for a connection to close. */
  private stuck = false;
  /** Sandboxes over their cap with nothing finished to delete, until one of their connections closes. */
  private readonly stuckSandboxes = new Set<string>();
  private readonly sumBySandbox;
  private readonly oldestFinished;
  private readonly oldestFinishedOf;
  private readonly expiredCount;
  private readonly deleteExpiredMessages;
  private readonly deleteExpired;
  private readonly deleteMessagesOf;
  private readonly deleteConnection;

  constructor(
    private readonly db: Db,
    private readonly limits: TranscriptLimits,
  ) {
    this.sumBySandbox = db.prepare(`SELECT sandbox, SUM(stored_bytes) AS total FROM connections GROUP BY sandbox`);
    this.oldestFinished = db.prepare(`SELECT id, sandbox, stored_bytes FROM connections WHERE ended_at IS NOT NULL ORDER BY started_at, rowid LIMIT 100`);
    this.oldestFinishedOf = db.prepare(`SELECT id, sandbox, stored_bytes FROM connections WHERE sandbox = ? AND ended_at IS NOT NULL ORDER BY started_at, rowid LIMIT 100`);
    const expired = `SELECT id FROM connections WHERE ended_at IS NOT NULL AND ended_at < ?`;
    this.expiredCount = db.prepare(`SELECT COUNT(*) AS count FROM connections WHERE id IN (${expired})`);
    this.deleteExpiredMessages = db.prepare(`DELETE FROM messages WHERE conn IN (${expired})`);
    this.deleteExpired = db.prepare(`DELETE FROM connections WHERE id IN (${expired})`);
    this.deleteMessagesOf = db.prepare(`DELETE FROM messages WHERE conn = ?`);
    this.deleteConnection = db.prepare(`DELETE FROM connections WHERE id = ?`);
    this.recount();
  }

  /** Reads the totals from the table (at start, and after deleting by age across sandboxes). */
  private recount(): void {
    this.totalOf.clear();
    this.total = 0;
    for (const row of this.sumBySandbox.all() as { sandbox: string; total: number }[]) {
      this.totalOf.set(row.sandbox, row.total);
      this.total += row.total;
    }
  }

  /** Bytes of transcript stored now (as counted by the store). */
  get storedBytes(): number {
    return this.total;
  }

  /** Bytes of transcript a sandbox has stored now. */
  storedBytesOf(sandbox: string): number {
    return this.totalOf.get(sandbox) ?? 0;
  }

  /** The store wrote `bytes` more transcript text for a sandbox's connection. */
  added(bytes: number, sandbox: string): void {
    this.total += bytes;
    this.totalOf.set(sandbox, this.storedBytesOf(sandbox) + bytes);
  }

  /** A sandbox's connection finished, so there may be something to prune again. */
  connectionClosed(sandbox: string): void {
    this.stuck = false;
    this.stuckSandboxes.delete(sandbox);
  }

  /** True when a size prune is due and could achieve something. */
  overSize(): boolean {
    return this.total > this.limits.maxBytes && !this.stuck;
  }

  /** True when a sandbox is over its own cap and a prune of it could achieve something. */
  sandboxOverSize(sandbox: string): boolean {
    const { maxBytesPerSandbox: cap, uncappedSandbox } = this.limits;
    return cap > 0 && sandbox !== uncappedSandbox && this.storedBytesOf(sandbox) > cap && !this.stuckSandboxes.has(sandbox);
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

  /** Only a sandbox's own cap (after a write that took it over). */
  pruneSandbox(sandbox: string): number {
    const cap = this.limits.maxBytesPerSandbox;
    const deleted = this.db.transaction(() => this.deleteOldest(() => this.oldestFinishedOf.all(sandbox) as FinishedRow[], () => this.storedBytesOf(sandbox) > cap * SIZE_TARGET)).immediate();
    // Whatever is left over the cap belongs to open connections; retry when one of them closes.
    if (this.storedBytesOf(sandbox) > cap) this.stuckSandboxes.add(sandbox);
    return deleted;
  }

  private pruneAge(now: number): number {
    if (this.limits.retentionDays <= 0) return 0;
    const cutoff = now - this.limits.retentionDays * DAY_MS;
    if ((this.expiredCount.get(cutoff) as { count: number }).count === 0) return 0;
    this.deleteExpiredMessages.run(cutoff);
    const deleted = this.deleteExpired.run(cutoff).changes;
    this.recount();
    return deleted;
  }

  private pruneSize(): number {
    if (this.total <= this.limits.maxBytes) return 0;
    const target = this.limits.maxBytes * SIZE_TARGET;
    const deleted = this.deleteOldest(() => this.oldestFinished.all() as FinishedRow[], () => this.total > target);
    // Whatever is left over the cap belongs to open connections; retry when one closes.
    this.stuck = this.total > this.limits.maxBytes;
    return deleted;
  }

  /** Deletes finished connections, oldest first (read 100 at a time by `oldest`), while `over()`. */
  private deleteOldest(oldest: () => FinishedRow[], over: () => boolean): number {
    let deleted = 0;
    while (over()) {
      const batch = oldest();
      if (batch.length === 0) break;
      for (const row of batch) {
        this.deleteMessagesOf.run(row.id);
        this.deleteConnection.run(row.id);
        this.total -= row.stored_bytes;
        const left = this.storedBytesOf(row.sandbox) - row.stored_bytes;
        // A sandbox with nothing stored (an expired student's, aged out) leaves no entry behind.
        if (left > 0) this.totalOf.set(row.sandbox, left);
        else this.totalOf.delete(row.sandbox);
        deleted++;
        if (!over()) break;
      }
    }
    return deleted;
  }
}

interface FinishedRow {
  id: string;
  sandbox: string;
  stored_bytes: number;
}
