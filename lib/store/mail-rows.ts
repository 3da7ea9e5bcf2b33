/**
 * Writing delivered mail rows: shared by the mailbox (in process) and the store's writer thread,
 * which takes the mailbox's inserts too, so the lab's database has one writer while mail flows and
 * the main thread never waits for a lock another connection holds.
 */
import type { Db } from './db.ts';

/** One row of the mails table, as the mailbox reads it. */
export interface MailRow {
  id: string;
  sandbox: string;
  conn: string | null;
  received_at: number;
  mail_from: string;
  rcpt_to: string;
  subject: string;
  size: number;
  message_id: string | null;
  in_reply_to: string | null;
}

/** A row with its raw source, to insert (a Buffer, or the Uint8Array it arrives as on the writer thread). */
export type NewMailRow = MailRow & { raw: Uint8Array };

/** Inserts mail rows: one transaction per batch; if that fails, row by row, so each row gets its own verdict. */
export class MailRowWriter {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO mails (id, sandbox, conn, received_at, mail_from, rcpt_to, subject, size, message_id, in_reply_to, raw)
       VALUES (@id, @sandbox, @conn, @received_at, @mail_from, @rcpt_to, @subject, @size, @message_id, @in_reply_to, @raw)`,
    );
  }

  /** Per row: null once stored, else why it was not. */
  write(rows: readonly NewMailRow[]): (string | null)[] {
    const bound = rows.map((row) => ({ ...row, raw: Buffer.from(row.raw.buffer, row.raw.byteOffset, row.raw.byteLength) }));
    try {
      this.db.transaction(() => {
        for (const row of bound) this.insert.run(row);
      }).immediate();
      return bound.map(() => null);
    } catch {
      return bound.map((row) => {
        try {
          this.insert.run(row);
          return null;
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
      });
    }
  }
}

/** Where the mailbox sends its rows: the store's writer thread, or a MailRowWriter here. */
export interface MailSink {
  writeMails(rows: NewMailRow[]): Promise<(string | null)[]>;
}
