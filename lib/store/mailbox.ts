import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Bus } from '../bus/bus.ts';
import type { MailSummary } from '../bus/events.ts';
import type { Db } from './db.ts';
import { MailRowWriter, type MailRow, type MailSink, type NewMailRow } from './mail-rows.ts';

/** A stored mail parsed for display (mailparser): headers, text body, attachments listed. */
export interface ParsedMail extends MailSummary {
  headers: { name: string; value: string }[];
  text: string;
  html: boolean;
  attachments: { filename: string; contentType: string; size: number }[];
}

function toSummary(row: MailRow): MailSummary {
  return {
    id: row.id,
    sandbox: row.sandbox,
    from: row.mail_from,
    to: JSON.parse(row.rcpt_to) as string[],
    subject: row.subject,
    date: row.received_at,
    size: row.size,
    conn: row.conn,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
  };
}

/**
 * A message the mailbox will not take however often it is sent: the parser's limits refused it
 * (e.g. tens of thousands of header lines). The SMTP lab answers it with a permanent 552.
 */
export class UnreadableMailError extends Error {
  constructor(readonly reason: 'limits') {
    super('the message exceeds the mailbox parser\'s limits');
  }
}

/** Parses a raw message; a limit the parser enforces becomes an UnreadableMailError. */
async function parseMail(raw: Buffer, options: Parameters<typeof simpleParser>[1]) {
  try {
    return await simpleParser(raw, options);
  } catch (err) {
    // mailsplit marks its size limits (header size per MIME node, nesting…) with EMAXLEN.
    if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'EMAXLEN') throw new UnreadableMailError('limits');
    throw err;
  }
}

/** A parsed mail waiting for the next batched insert, and who waits for it to be stored. */
interface QueuedMail {
  row: NewMailRow;
  stored(error?: unknown): void;
}

/**
 * The sandbox mailboxes: mail delivered to the lab's domains, kept as raw RFC 5322 source.
 * Mails parsed in the same turn of the event loop are stored in one transaction (a burst of
 * deliveries costs one commit, not one each); each delivery resolves once its mail is stored.
 * With a `sink` (the transcript store's writer thread) the rows are written there, so the main
 * thread neither commits nor waits for that thread's write lock.
 */
export class MailboxStore {
  private queue: QueuedMail[] = [];
  private readonly sink: MailSink;
  private readonly selectList;
  private readonly selectRaw;
  private readonly countOf;
  private readonly selectOne;

  constructor(
    db: Db,
    private readonly bus: Bus,
    sink?: MailSink,
  ) {
    const here = new MailRowWriter(db);
    this.sink = sink ?? { writeMails: async (rows) => here.write(rows) };
    this.selectList = db.prepare(`SELECT * FROM mails WHERE sandbox = ? ORDER BY received_at DESC, rowid DESC LIMIT ?`);
    this.selectRaw = db.prepare(`SELECT raw FROM mails WHERE sandbox = ? AND id = ?`);
    this.countOf = db.prepare(`SELECT COUNT(*) AS n FROM mails WHERE sandbox = ?`);
    this.selectOne = db.prepare(`SELECT * FROM mails WHERE sandbox = ? AND id = ?`);
  }

  /** Stores one delivered message and announces it on the bus. */
  async deliver(input: { sandbox: string; conn: string | null; from: string; to: string[]; raw: Buffer }): Promise<MailSummary> {
    const parsed = await parseMail(input.raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
    const inReplyTo = typeof parsed.inReplyTo === 'string' ? parsed.inReplyTo : null;
    const row: MailRow = {
      id: randomBytes(8).toString('base64url'),
      sandbox: input.sandbox,
      conn: input.conn,
      received_at: Date.now(),
      mail_from: input.from,
      rcpt_to: JSON.stringify(input.to),
      subject: parsed.subject ?? '',
      size: input.raw.length,
      message_id: parsed.messageId ?? null,
      in_reply_to: inReplyTo,
    };
    await this.store({ ...row, raw: input.raw });
    const summary = toSummary(row);
    this.bus.publish({ type: 'mail', mail: summary });
    return summary;
  }

  /** Queues one row for the next batched insert; resolves once it is stored. */
  private store(row: QueuedMail['row']): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, stored: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Stores the queued rows in one batch; each delivery gets its own verdict. */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    // Through a promise: a sink that throws at once (the database already closed) fails these deliveries, not the process.
    Promise.resolve(batch.map((q) => q.row)).then((rows) => this.sink.writeMails(rows)).then(
      (errors) => batch.forEach((q, i) => q.stored(errors[i] === null ? undefined : new Error(errors[i] ?? 'not stored'))),
      (err: unknown) => batch.forEach((q) => q.stored(err ?? new Error('not stored'))),
    );
  }

  /** Newest first; optionally only mail addressed to `recipient`. */
  list(sandbox: string, options: { limit?: number; recipient?: string } = {}): MailSummary[] {
    const rows = this.selectList.all(sandbox, options.limit ?? 200) as MailRow[];
    const summaries = rows.map(toSummary);
    const recipient = options.recipient?.toLowerCase();
    return recipient ? summaries.filter((m) => m.to.some((t) => t.toLowerCase() === recipient)) : summaries;
  }

  /** How many mails a sandbox holds (stored; a delivery still queued is not counted yet). */
  count(sandbox: string): number {
    return (this.countOf.get(sandbox) as { n: number }).n;
  }

  raw(sandbox: string, id: string): Buffer | null {
    const row = this.selectRaw.get(sandbox, id) as
      | { raw: Buffer }
      | undefined;
    return row?.raw ?? null;
  }

  async parsed(sandbox: string, id: string): Promise<ParsedMail | null> {
    const row = this.selectOne.get(sandbox, id) as
      | (MailRow & { raw: Buffer })
      | undefined;
    if (!row) return null;
    const mail = await simpleParser(row.raw, { skipImageLinks: true });
    return {
      ...toSummary(row),
      headers: mail.headerLines.map((h) => ({ name: h.key, value: rawHeaderValue(h.line) })),
      text: mail.text ?? '',
      html: Boolean(mail.html),
      attachments: mail.attachments.map((a) => ({
        filename: a.filename ?? '(unnamed)',
        contentType: a.contentType,
        size: a.size,
      })),
    };
  }
}

/**
 * A header line's value as the sender wrote it. mailparser keeps raw header lines as one character per
 * byte; headers may carry UTF-8 (RFC 6532), so the bytes are decoded as UTF-8 (anything else shows as U+FFFD).
 */
function rawHeaderValue(line: string): string {
  const text = Buffer.from(line, 'latin1').toString('utf8');
  return text.slice(text.indexOf(':') + 1).trim();
}
