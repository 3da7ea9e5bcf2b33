/**
 * The SOAP-over-SMTP client of the seed article, in the daemon, one per sandbox (mail-clients.ts):
 * it mails requests from student@<the sandbox's domain> to the calendar service, keeps a pending
 * table keyed by Message-ID, is handed that sandbox's mail as it arrives (`receive`) and matches
 * each answer by In-Reply-To.
 * Answers nobody asked for, or a second answer to the same request, are flagged, not crashed on;
 * a request without an answer times out visibly.
 */
import { EventEmitter } from 'node:events';
import type { MailSummary } from '../../../lib/bus/events.ts';
import type { MailboxStore } from '../../../lib/store/mailbox.ts';
import { annotateSoapEnvelope } from '../../../lib/protocols/soap/envelope.ts';
import { SOAP_VERSIONS, type SoapVersion } from '../../../lib/protocols/soap/versions.ts';
import { childElements, decodeXmlText, readXml, textContent } from '../../../lib/protocols/soap/xml.ts';
import type { CalendarOperation } from '../wsdl.ts';
import { requestEnvelope } from './envelopes.ts';
import { composeMail, newMessageId, readSoapMail } from './mail-format.ts';
import type { SmtpSend } from './smtp-send.ts';

export type RequestState = 'sending' | 'pending' | 'answered' | 'fault' | 'timed-out' | 'send-failed';

/** One row of the correlation table. */
export interface CorrelationRow {
  messageId: string;
  /** 1, 2, 3… in the order the requests were sent. */
  sentOrder: number;
  operation: CalendarOperation;
  args: Record<string, number>;
  version: SoapVersion;
  /** Think time asked for (ms), if any. */
  delayMs?: number;
  sentAt: number;
  state: RequestState;
  /** The request as stored in the service's mailbox, and the SMTP connection that carried it. */
  requestMailId: string | null;
  requestConn: string | null;
  answer?: {
    mailId: string;
    messageId: string | null;
    inReplyTo: string;
    arrivedAt: number;
    /** 1, 2, 3… in the order answers arrived: compare with sentOrder to see them cross. */
    arrivalOrder: number;
    conn: string | null;
    result?: string;
    fault?: { code: string; reason: string };
    /** Arrived after the request had already timed out. */
    late: boolean;
  };
  error?: string;
}

/** A mail in the client's box that matched nothing (or matched twice). */
export interface StrayAnswer {
  mailId: string;
  messageId: string | null;
  inReplyTo: string | null;
  arrivedAt: number;
  conn: string | null;
  reason: 'unknown-in-reply-to' | 'duplicate' | 'no-in-reply-to';
}

export interface MailClientOptions {
  mailbox: MailboxStore;
  sandbox: string;
  /** The client's own address (answers come here): 'student@lab.test' in the owner's sandbox. */
  address: string;
  /** The service's address: 'calendar@lab.test'. */
  service: string;
  send: SmtpSend;
  timeoutMs: number;
}

/** One request to send. */
export interface MailRequest {
  operation: CalendarOperation;
  version: SoapVersion;
  args: Record<string, number>;
  delayMs?: number;
}

const MAX_ROWS = 500;

export interface MailClientEvents {
  update: [CorrelationRow];
  stray: [StrayAnswer];
}

/** The client and its correlation table. */
export class SoapMailClient {
  readonly events = new EventEmitter<MailClientEvents>();
  private readonly rows = new Map<string, CorrelationRow>();
  private readonly strays: StrayAnswer[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sent = 0;
  private arrived = 0;

  constructor(private readonly options: MailClientOptions) {}

  /**
   * Registers and mails each request, one after the other, so they leave in the order sent (the table's
   * sentOrder, the lesson's "January goes out first"; mailed at once, a loaded machine could put the second
   * on the wire first). Resolves once all were handed to SMTP; answers come later, in any order.
   */
  async send(requests: MailRequest[]): Promise<CorrelationRow[]> {
    const rows = requests.map((request) => this.register(request));
    for (const [i, row] of rows.entries()) await this.mail(row, requests[i]);
    return rows.map((row) => ({ ...row }));
  }

  /** The table, in send order, and the stray answers. */
  table(): { rows: CorrelationRow[]; strays: StrayAnswer[] } {
    return { rows: [...this.rows.values()].map((r) => ({ ...r })), strays: [...this.strays] };
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.rows.clear();
    this.strays.length = 0;
    this.sent = 0;
    this.arrived = 0;
  }

  stop(): void {
    this.clear();
  }

  private register(request: MailRequest): CorrelationRow {
    while (this.rows.size >= MAX_ROWS) {
      const oldest = this.rows.keys().next().value as string;
      clearTimeout(this.timers.get(oldest));
      this.timers.delete(oldest);
      this.rows.delete(oldest);
    }
    const row: CorrelationRow = {
      messageId: newMessageId(),
      sentOrder: ++this.sent,
      operation: request.operation,
      args: request.args,
      version: request.version,
      delayMs: request.delayMs,
      sentAt: Date.now(),
      state: 'sending',
      requestMailId: null,
      requestConn: null,
    };
    // Registered before the mail leaves: a fast answer must find its row.
    this.rows.set(row.messageId, row);
    return row;
  }

  private async mail(row: CorrelationRow, request: MailRequest): Promise<void> {
    const generated = requestEnvelope(request.operation, request.version, request.args, { delayMs: request.delayMs });
    const argText = Object.values(request.args).join('-');
    const raw = composeMail({
      from: `Student <${this.options.address}>`,
      to: this.options.service,
      subject: `${request.operation} ${argText}`,
      messageId: row.messageId,
      contentType: generated.headers['Content-Type'],
      body: generated.envelope,
      headers: request.version === '1.1' ? { SOAPAction: generated.headers.SOAPAction } : {},
    });
    try {
      await this.options.send({ from: this.options.address, to: this.options.service, raw });
      if (row.state === 'sending') row.state = 'pending';
      const timer = setTimeout(() => this.timeOut(row.messageId), this.options.timeoutMs);
      timer.unref();
      this.timers.set(row.messageId, timer);
    } catch (err) {
      row.state = 'send-failed';
      row.error = err instanceof Error ? err.message : String(err);
    }
    this.events.emit('update', { ...row });
  }

  private timeOut(messageId: string): void {
    this.timers.delete(messageId);
    const row = this.rows.get(messageId);
    if (!row || row.answer) return;
    row.state = 'timed-out';
    this.events.emit('update', { ...row });
  }

  /** A mail delivered into this client's sandbox: the request reaching the service, an answer, or neither. */
  receive(mail: MailSummary): void {
    // The request itself arriving at the service: note which mail and SMTP connection carried it.
    const own = mail.messageId ? this.rows.get(mail.messageId) : undefined;
    if (own && mail.to.some((t) => t.toLowerCase() === this.options.service)) {
      own.requestMailId = mail.id;
      own.requestConn = mail.conn;
      this.events.emit('update', { ...own });
      return;
    }
    if (!mail.to.some((t) => t.toLowerCase() === this.options.address)) return;
    const fromService = mail.from === '' || mail.from.toLowerCase() === this.options.service;
    if (!mail.inReplyTo) {
      if (fromService) this.stray(mail, 'no-in-reply-to');
      return;
    }
    const row = this.rows.get(mail.inReplyTo);
    if (!row) {
      if (fromService) this.stray(mail, 'unknown-in-reply-to');
      return;
    }
    if (row.answer) {
      this.stray(mail, 'duplicate');
      return;
    }
    clearTimeout(this.timers.get(row.messageId));
    this.timers.delete(row.messageId);
    const late = row.state === 'timed-out';
    row.answer = { mailId: mail.id, messageId: mail.messageId, inReplyTo: mail.inReplyTo, arrivedAt: Date.now(), arrivalOrder: ++this.arrived, conn: mail.conn, late };
    void this.readAnswer(row, mail).then(() => this.events.emit('update', { ...row, answer: row.answer && { ...row.answer } }));
  }

  private async readAnswer(row: CorrelationRow, mail: MailSummary): Promise<void> {
    const raw = this.options.mailbox.raw(this.options.sandbox, mail.id);
    const read = raw ? await readSoapMail(raw).catch(() => null) : null;
    const answer = row.answer;
    if (!answer) return;
    if (!read?.envelope) {
      answer.fault = { code: 'bounce', reason: read?.subject ?? 'The service answered with a non-SOAP mail.' };
    } else {
      const summary = annotateSoapEnvelope(read.envelope, { maxLines: 1 }).summary;
      if (summary.fault) answer.fault = summary.fault;
      else answer.result = resultText(read.envelope, summary.version);
    }
    if (!answer.late) row.state = answer.fault ? 'fault' : 'answered';
  }

  private stray(mail: MailSummary, reason: StrayAnswer['reason']): void {
    const stray: StrayAnswer = { mailId: mail.id, messageId: mail.messageId, inReplyTo: mail.inReplyTo, arrivedAt: Date.now(), conn: mail.conn, reason };
    this.strays.push(stray);
    if (this.strays.length > MAX_ROWS) this.strays.shift();
    this.events.emit('stray', stray);
  }
}

/** The text of the response element's first child (the `calendar` part), decoded. */
function resultText(envelope: string, version: SoapVersion | null): string | undefined {
  const read = readXml(envelope);
  if (!read.ok || !version) return undefined;
  const envNs = SOAP_VERSIONS[version].envelopeNs;
  const body = childElements(read.root).find((e) => e.local === 'Body' && e.ns === envNs);
  const response = body && childElements(body)[0];
  const part = response && childElements(response)[0];
  return part ? decodeXmlText(textContent(part)).replace(/\r\n/g, '\n') : undefined;
}
