/**
 * The Calendar service's mail binding (SOAP 1.2 Email Binding, W3C Note 2002): it watches the
 * bus for mail delivered to calendar@ a lab domain, in every sandbox, dispatches the envelope to the
 * same service the HTTP host uses, and mails the answer back through the SMTP tap with
 * In-Reply-To/References set to the request's Message-ID. Each sandbox has its own calendar@ (its
 * mail domain's) and the answer goes to the sender's mailbox in that same sandbox, so one student's
 * requests and answers never land in another's. Each request thinks for a while first (its own
 * delay, or a random 0–3 s), so answers overtake each other as in the seed article.
 */
import type { Bus } from '../../../lib/bus/bus.ts';
import type { MailSummary } from '../../../lib/bus/events.ts';
import type { MailboxStore } from '../../../lib/store/mailbox.ts';
import { checkRecipient } from '../../smtp/directory.ts';
import type { SoapAnswer, SoapRequest } from '../index.ts';
import { MAX_DELAY_MS } from '../precheck.ts';
import { composeMail, mailFriendlyXml, newMessageId, readSoapMail } from './mail-format.ts';
import type { SmtpSend } from './smtp-send.ts';

export interface MailBindingOptions {
  bus: Bus;
  mailbox: MailboxStore;
  /** The service's mailbox (local part) in every sandbox's domain: 'calendar'. */
  mailboxName: string;
  /** A sandbox's mail domain (`lab.test`, `<id>.lab.test`). */
  domainOf(sandbox: string): string;
  dispatch(request: SoapRequest): Promise<SoapAnswer>;
  send: SmtpSend;
  /** Think time for a request that names none (ms). */
  thinkTime(): number;
  /** Problems worth a line in the daemon log (never thrown into the bus). */
  log(text: string): void;
}

/** Random think time, 0–3 s: the seed's answers arrive out of order because processing varies. */
export const randomThinkTime = (): number => Math.floor(Math.random() * 3000);

/** Starts the binding; returns the function that stops it (and waits for answers in flight). */
export function startMailBinding(options: MailBindingOptions): () => Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  const unsubscribe = options.bus.subscribe((event) => {
    if (stopped || event.type !== 'mail') return;
    const mail = event.mail;
    if (!mail.to.some((to) => isServiceIn(options, to, mail.sandbox))) return;
    const job = handle(options, mail)
      .catch((err: unknown) => {
        if (!stopped) options.log(`answering mail ${mail.id} failed: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
  });
  return async () => {
    stopped = true;
    unsubscribe();
    await Promise.allSettled([...inFlight]);
  };
}

/**
 * Whether `address` is the service in `sandbox`: calendar@ a plain lab domain (mail the SMTP lab
 * filed in the sandbox, e.g. sent with its AUTH login) or at the sandbox's own domain.
 */
function isServiceIn(options: MailBindingOptions, address: string, sandbox: string): boolean {
  const verdict = checkRecipient(address);
  return verdict.ok && verdict.localPart === options.mailboxName && (verdict.sandbox === null || verdict.sandbox === sandbox);
}

/**
 * Where the answer to `named` goes: the same mailbox in the request's sandbox (its domain), or null
 * for an address outside the lab (relaying) or in another sandbox (the answer would cross over).
 */
function answerAddress(options: MailBindingOptions, named: string, sandbox: string): string | null {
  const verdict = checkRecipient(named);
  if (!verdict.ok || (verdict.sandbox !== null && verdict.sandbox !== sandbox)) return null;
  return `${verdict.localPart}@${options.domainOf(sandbox)}`;
}

async function handle(options: MailBindingOptions, mail: MailSummary): Promise<void> {
  // Never answer ourselves or a bounce (null reverse-path): that is how mail loops start.
  if (mail.from === '' || isServiceIn(options, mail.from, mail.sandbox)) return;
  const raw = options.mailbox.raw(mail.sandbox, mail.id);
  if (!raw) return;
  const read = await readSoapMail(raw);
  const named = read.replyTo ?? mail.from;
  const to = answerAddress(options, named, mail.sandbox);
  if (to === null) {
    options.log(`not answering ${mail.id}: ${named} is not a lab mailbox of its sandbox (that would be relaying, or mail into another sandbox)`);
    return;
  }
  const address = `${options.mailboxName}@${options.domainOf(mail.sandbox)}`;
  const subject = /^re:/i.test(read.subject) ? read.subject : `Re: ${read.subject || '(no subject)'}`;

  if (!read.envelope || !read.messageId) {
    const why = !read.messageId
      ? 'Your request has no Message-ID header, so an answer could not be matched to it (the SOAP email binding correlates by Message-ID and In-Reply-To).'
      : read.notSoap ?? 'No SOAP envelope found.';
    const body = `This is the Protocol Lab calendar service at ${address}.\n\n${why}\n\nExample request headers:\n  To: ${address}\n  Message-ID: <unique-id@lab.test>\n  Content-Type: application/soap+xml; charset=utf-8\n\nThe body is the envelope itself; GET /api/soap/envelope generates one.\n`;
    await options.send({
      from: '', // RFC 5321 §4.5.5: notifications go out with a null reverse-path
      to,
      raw: composeMail({
        from: `Calendar service <${address}>`,
        to,
        // A SOAP request without a Message-ID is SOAP all the same: it is refused for the missing correlation key.
        subject: `${read.messageId ? 'Not a SOAP request' : 'No Message-ID, not answered'}: ${read.subject || '(no subject)'}`,
        messageId: newMessageId(),
        inReplyTo: read.messageId ?? undefined,
        contentType: 'text/plain; charset=utf-8',
        body,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    });
    return;
  }

  const requested = read.delayHeader !== undefined && /^\d{1,6}$/.test(read.delayHeader.trim()) ? Math.min(MAX_DELAY_MS, Number(read.delayHeader.trim())) : undefined;
  const answer = await options.dispatch({
    contentType: read.contentType ?? undefined,
    soapAction: read.soapAction,
    contentEncoding: undefined,
    body: read.envelope,
    defaultDelayMs: requested ?? options.thinkTime(),
  });
  await options.send({
    from: address,
    to,
    raw: composeMail({
      from: `Calendar service <${address}>`,
      to,
      subject,
      messageId: newMessageId(),
      inReplyTo: read.messageId,
      contentType: answer.contentType,
      body: mailFriendlyXml(answer.body),
      headers: { 'X-Lab-Think-Time': `${answer.delayMs} ms`, 'Auto-Submitted': 'auto-replied' },
    }),
  });
}
