import type { CaptureEvent } from '../bus/captures.ts';
import type { LabEvent } from '../bus/events.ts';
import { CaptureRows, isCaptureOp } from './capture-rows.ts';
import type { LabMessage } from '../wire/event.ts';
import type { Db } from './db.ts';
import { Retention, type TranscriptLimits } from './retention.ts';

/**
 * One thing to write: a connection's facts, a message, or a capped connection's summary note
 * (stored in place at its half seq, not counted towards the size cap). Plain data, so a batch
 * crosses to the writer thread by structured clone.
 */
export type WriteOp =
  | Extract<LabEvent, { type: 'connection.open' | 'connection.update' | 'connection.close' | 'message' }>
  | { type: 'summary'; seq: number; message: LabMessage }
  | CaptureEvent;

/**
 * Writes batches of transcript ops in one transaction each and applies retention after them.
 * It owns every transcript write: the store runs it on a worker thread with its own connection
 * to the same WAL database (so serialising and committing stay off the forwarding path), or in
 * process when the database has no file a second connection could open.
 */
export class TranscriptWriter {
  private readonly retention: Retention;
  private readonly insertConnection;
  private readonly updateConnection;
  private readonly relabelConnection;
  private readonly addBytes;
  private readonly insertMessage;
  private readonly captures: CaptureRows;

  constructor(
    private readonly db: Db,
    limits: TranscriptLimits,
  ) {
    this.retention = new Retention(db, limits);
    this.insertConnection = db.prepare(
      `INSERT OR REPLACE INTO connections (id, protocol, sandbox, started_at, ended_at, message_count, client, server, label, parent, opened_by_page, unclaimed)
       VALUES (@id, @protocol, @sandbox, @startedAt, @endedAt, @messageCount, @client, @server, @label, @parent, @openedByPage, @unclaimed)`,
    );
    this.updateConnection = db.prepare(`UPDATE connections SET ended_at = @endedAt, message_count = @messageCount WHERE id = @id`);
    this.relabelConnection = db.prepare(`UPDATE connections SET label = @label WHERE id = @id`);
    this.addBytes = db.prepare(`UPDATE connections SET stored_bytes = stored_bytes + ? WHERE id = ? RETURNING sandbox`);
    this.insertMessage = db.prepare(`INSERT OR REPLACE INTO messages (conn, seq, body) VALUES (?, ?, ?)`);
    this.captures = new CaptureRows(db);
  }

  /** Transcript text stored now, in JSON characters. */
  get storedBytes(): number {
    return this.retention.storedBytes;
  }

  /** Writes one batch in one transaction, then prunes by size if it crossed a sandbox's cap or the shared one. */
  write(batch: readonly WriteOp[]): void {
    if (batch.length === 0) return;
    const grown = new Set<string>();
    // IMMEDIATE: take the write lock (waiting for another connection's commit) before the first statement.
    this.db.transaction(() => {
      const bytesOf = new Map<string, number>();
      for (const op of batch) {
        if (op.type === 'connection.open') {
          const c = op.connection;
          this.insertConnection.run({ ...c, server: c.server ?? null, label: c.label ?? null, parent: c.parent ?? null, openedByPage: c.openedByPage ? 1 : null, unclaimed: c.unclaimed ? 1 : null });
        } else if (op.type === 'connection.close') {
          this.updateConnection.run(op.connection);
          this.retention.connectionClosed(op.connection.sandbox);
        } else if (op.type === 'connection.update') {
          this.relabelConnection.run({ id: op.connection.id, label: op.connection.label ?? null });
        } else if (op.type === 'message') {
          const body = JSON.stringify(op.message);
          this.insertMessage.run(op.message.conn, op.message.seq, body);
          bytesOf.set(op.message.conn, (bytesOf.get(op.message.conn) ?? 0) + body.length);
        } else if (isCaptureOp(op)) {
          const conn = op.type === 'capture.chunk' ? op.chunk.conn : op.conn;
          bytesOf.set(conn, (bytesOf.get(conn) ?? 0) + this.captures.write(op));
        } else {
          this.insertMessage.run(op.message.conn, op.seq, JSON.stringify(op.message));
        }
      }
      for (const [id, bytes] of bytesOf) {
        const row = this.addBytes.get(bytes, id) as { sandbox: string } | undefined;
        if (!row) continue;
        this.retention.added(bytes, row.sandbox);
        grown.add(row.sandbox);
      }
    }).immediate();
    for (const sandbox of grown) if (this.retention.sandboxOverSize(sandbox)) this.retention.pruneSandbox(sandbox);
    if (this.retention.overSize()) this.retention.pruneBySize();
  }

  /** The age and size rules at time `now` (the store's clock, which may be a test's); returns how many were deleted. */
  prune(now: number): number {
    return this.retention.prune(now);
  }
}
