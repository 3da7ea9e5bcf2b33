import type { ChunkDir } from '../bus/captures.ts';
import { groupDigits } from '../text/numbers.ts';
import type { LabMessage } from '../wire/event.ts';
import type { Db } from './db.ts';
import type { TranscriptStore } from './transcripts.ts';

/** One captured chunk as stored: what the tap wrote to the other side in one write. */
export interface StoredChunk {
  dir: ChunkDir;
  /** Capture order over both directions. */
  seq: number;
  /** Milliseconds since the connection started. */
  t: number;
  /** Offset of its first byte in its direction's forwarded stream. */
  offset: number;
  data: Buffer;
}

/** A connection's whole capture. */
export interface Capture {
  chunks: StoredChunk[];
  /** Where a capped capture stopped (bytes of both directions), or null if it holds everything forwarded. */
  truncatedAt: number | null;
  /** NSS key log lines of its TLS sessions, where the lab holds a side of them. */
  keylog: string[];
}

/** The bytes one message covers on the wire. */
export interface MessageBytes {
  message: LabMessage;
  at: number;
  bytes: number;
  /** What the capture holds of them (fewer than `bytes` when it stopped inside the message). */
  data: Buffer;
  truncated: boolean;
}

/**
 * Reads captures back (the bytes view, the exports). Every query takes the sandbox: a connection
 * of another sandbox is answered as missing. Reads first let the transcript store commit what it
 * queued, so they see every chunk forwarded before them.
 */
export class CaptureStore {
  private readonly selectConnection;
  private readonly selectChunks;
  private readonly selectChunksIn;
  private readonly selectKeylog;
  private readonly selectChildren;

  constructor(
    db: Db,
    private readonly transcripts: TranscriptStore,
  ) {
    this.selectConnection = db.prepare(`SELECT capture_truncated_at AS truncatedAt FROM connections WHERE sandbox = ? AND id = ?`);
    this.selectChunks = db.prepare(`SELECT dir, seq, t, offset, data FROM chunks WHERE conn = ? ORDER BY seq`);
    this.selectChunksIn = db.prepare(`SELECT dir, seq, t, offset, data FROM chunks WHERE conn = ? AND dir = ? AND offset < ? AND offset + length(data) > ? ORDER BY seq`);
    this.selectKeylog = db.prepare(`SELECT line FROM keylogs WHERE conn = ? ORDER BY rowid`);
    this.selectChildren = db.prepare(`SELECT id FROM connections WHERE sandbox = ? AND parent = ? ORDER BY started_at, rowid`);
  }

  /** A connection's chunks in capture order; null if the sandbox has no such connection. */
  chunks(sandbox: string, conn: string): StoredChunk[] | null {
    return this.capture(sandbox, conn)?.chunks ?? null;
  }

  /** Chunks, where the capture stopped, and the key log; null if the sandbox has no such connection. */
  capture(sandbox: string, conn: string): Capture | null {
    const row = this.connection(sandbox, conn);
    if (!row) return null;
    return {
      chunks: this.selectChunks.all(conn) as StoredChunk[],
      truncatedAt: row.truncatedAt,
      keylog: (this.selectKeylog.all(conn) as { line: string }[]).map((r) => r.line),
    };
  }

  /** The connections filed under `conn` (FTP data connections, tunnelled ones), and theirs, oldest first. */
  descendants(sandbox: string, conn: string): string[] {
    this.transcripts.flush();
    const found: string[] = [];
    const queue = [conn];
    // Bounded: a parent chain is one or two levels; a loop in hand-made data must not spin.
    while (queue.length > 0 && found.length < 1000) {
      for (const { id } of this.selectChildren.all(sandbox, queue.shift()) as { id: string }[]) {
        if (id === conn || found.includes(id)) continue;
        found.push(id);
        queue.push(id);
      }
    }
    return found;
  }

  /**
   * The bytes of message `seq`: its direction's captured stream from `at` for `bytes`. A string
   * says why there are none (an endpoint-view message, a note, a capture that stopped before it);
   * null if the sandbox has no such connection (another sandbox's reads the same as none at all).
   */
  messageBytes(sandbox: string, conn: string, seq: number): MessageBytes | string | null {
    const page = this.transcripts.getConnection(sandbox, conn, { from: seq, limit: 1 });
    if (!page) return null;
    const message = page.messages[0];
    if (!message || message.seq !== seq) {
      const cap = this.transcripts.maxMessages;
      if (seq <= cap || seq > page.connection.messageCount) return `No message ${seq} in connection ${conn}.`;
      // Past the cap the transcript only counts messages (lib/store/transcript-summary.ts), while the tap still captures their bytes.
      const captured = !page.connection.unclaimed && this.connection(sandbox, conn)?.truncatedAt == null;
      return (
        `Message ${groupDigits(seq)} was shown live but not stored: the lab stores the first ${groupDigits(cap)} messages of a connection (LAB_TRANSCRIPT_MESSAGES) and only counts later ones, ` +
        `so it has no record of where message ${groupDigits(seq)}'s bytes lie.${captured ? " The connection's capture still holds them: export it as pcapng." : ''}`
      );
    }
    if (message.dir === 'note') return `Message ${seq} is the lab's note, not bytes anyone sent.`;
    if (message.at === undefined || !message.bytes) {
      return message.view === 'endpoint'
        ? `Message ${seq} is from the endpoint view (what the server saw after decryption): it has no bytes of its own on the wire.`
        : `Message ${seq} has no recorded place in the byte stream.`;
    }
    const row = this.connection(sandbox, conn);
    const { at, bytes } = message;
    const data = Buffer.alloc(bytes);
    let covered = 0;
    for (const chunk of this.selectChunksIn.all(conn, message.dir, at + bytes, at) as StoredChunk[]) {
      const from = Math.max(at, chunk.offset);
      const to = Math.min(at + bytes, chunk.offset + chunk.data.length);
      chunk.data.copy(data, from - at, from - chunk.offset, to - chunk.offset);
      // Chunks of one direction are contiguous, so the covered prefix ends where the last one does.
      covered = Math.max(covered, to - at);
    }
    if (covered === 0) {
      // An unclaimed connection's bytes were never kept (lib/wire/recorder.ts): say so, not "recorded before the lab kept bytes".
      if (page.connection.unclaimed) return `No bytes of ${conn} were kept: it never logged in to a sandbox, and they could hold a mistyped password of a student.`;
      return row?.truncatedAt != null
        ? `The capture of ${conn} stopped at ${row.truncatedAt} bytes (LAB_CAPTURE_BYTES), before message ${seq}.`
        : `No bytes of message ${seq} were captured (the connection was recorded before the lab kept its bytes).`;
    }
    return { message, at, bytes, data: data.subarray(0, covered), truncated: covered < bytes };
  }

  private connection(sandbox: string, conn: string): { truncatedAt: number | null } | undefined {
    this.transcripts.flush();
    return this.selectConnection.get(sandbox, conn) as { truncatedAt: number | null } | undefined;
  }
}
