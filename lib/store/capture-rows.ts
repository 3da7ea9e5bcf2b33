import type { CaptureEvent } from '../bus/captures.ts';
import type { Db } from './db.ts';

/**
 * Writes the capture (chunks, where a capped capture stopped, key log lines) inside the transcript
 * writer's transaction, on its thread. Rows are deleted with their connection (a trigger, db.ts).
 */
export class CaptureRows {
  private readonly insertChunk;
  private readonly markTruncated;
  private readonly insertKeylog;

  constructor(db: Db) {
    this.insertChunk = db.prepare(`INSERT OR REPLACE INTO chunks (conn, seq, dir, t, offset, data) VALUES (?, ?, ?, ?, ?, ?)`);
    this.markTruncated = db.prepare(`UPDATE connections SET capture_truncated_at = ? WHERE id = ?`);
    this.insertKeylog = db.prepare(`INSERT OR IGNORE INTO keylogs (conn, line) VALUES (?, ?)`);
  }

  /** Writes one capture op; returns the bytes it stored (counted towards the store's size cap). */
  write(op: CaptureEvent): number {
    if (op.type === 'capture.chunk') {
      const c = op.chunk;
      this.insertChunk.run(c.conn, c.seq, c.dir, c.t, c.offset, Buffer.from(c.latin1, 'latin1'));
      return c.latin1.length;
    }
    if (op.type === 'capture.truncated') {
      this.markTruncated.run(op.bytes, op.conn);
      return 0;
    }
    this.insertKeylog.run(op.conn, op.line);
    return op.line.length;
  }
}

/** The ops of the writer's batch that belong to the capture. */
export function isCaptureOp(op: { type: string }): op is CaptureEvent {
  return op.type === 'capture.chunk' || op.type === 'capture.truncated' || op.type === 'capture.keylog';
}
