import type { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';
import type { Db } from './db.ts';

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

/**
 * Persists connections and messages from the bus. Writes are queued and flushed in one
 * transaction every few milliseconds, so a burst of thousands of messages costs a few commits.
 */
export class TranscriptStore {
  private pending: LabEvent[] = [];
  private flushScheduled = false;
  private readonly unsubscribe: () => void;
  private readonly insertConnection;
  private readonly updateConnection;
  private readonly insertMessage;
  private readonly selectRecent;
  private readonly selectRecentOf;
  private readonly selectConnection;
  private readonly selectMessages;

  constructor(private readonly db: Db, bus: Bus) {
    this.insertConnection = db.prepare(
      `INSERT OR REPLACE INTO connections (id, protocol, sandbox, started_at, ended_at, message_count, client, label, parent)
       VALUES (@id, @protocol, @sandbox, @startedAt, @endedAt, @messageCount, @client, @label, @parent)`,
    );
    this.updateConnection = db.prepare(
      `UPDATE connections SET ended_at = @endedAt, message_count = @messageCount WHERE id = @id`,
    );
    this.insertMessage = db.prepare(`INSERT OR REPLACE INTO messages (conn, seq, body) VALUES (?, ?, ?)`);
    this.selectRecent = db.prepare(`SELECT * FROM connections ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectRecentOf = db.prepare(`SELECT * FROM connections WHERE protocol = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`);
    this.selectConnection = db.prepare(`SELECT * FROM connections WHERE id = ?`);
    this.selectMessages = db.prepare(`SELECT body FROM messages WHERE conn = ? ORDER BY seq`);
    this.unsubscribe = bus.subscribe((event) => {
      if (event.type === 'connection.open' || event.type === 'connection.close' || event.type === 'message') {
        this.pending.push(event);
        this.scheduleFlush();
      }
    });
  }

  /** Writes everything queued so far (also called before reads, so reads see all events). */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const event of batch) {
        if (event.type === 'connection.open') {
          const c = event.connection;
          this.insertConnection.run({ ...c, label: c.label ?? null, parent: c.parent ?? null });
        } else if (event.type === 'connection.close') {
          this.updateConnection.run(event.connection);
        } else if (event.type === 'message') {
          this.insertMessage.run(event.message.conn, event.message.seq, JSON.stringify(event.message));
        }
      }
    })();
  }

  listConnections(filter: { protocol?: Protocol; limit: number }): ConnectionInfo[] {
    this.flush();
    const rows = filter.protocol ? this.selectRecentOf.all(filter.protocol, filter.limit) : this.selectRecent.all(filter.limit);
    return (rows as ConnectionRow[]).map(toInfo);
  }

  getConnection(id: string): { connection: ConnectionInfo; messages: LabMessage[] } | null {
    this.flush();
    const row = this.selectConnection.get(id) as ConnectionRow | undefined;
    if (!row) return null;
    const bodies = this.selectMessages.all(id) as { body: string }[];
    const messages = bodies.map((b) => JSON.parse(b.body) as LabMessage);
    return { connection: { ...toInfo(row), messageCount: Math.max(row.message_count, messages.length) }, messages };
  }

  /** Connections still open when the daemon last stopped can never end now: close them. */
  closeOrphans(): void {
    this.db.prepare(`UPDATE connections SET ended_at = started_at WHERE ended_at IS NULL`).run();
  }

  dispose(): void {
    this.unsubscribe();
    this.flush();
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
