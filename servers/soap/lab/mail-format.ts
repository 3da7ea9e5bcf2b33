/**
 * SOAP in mail, per the SOAP 1.2 Email Binding (W3C Note, 2002): composing the raw RFC 5322
 * messages the lab sends (requests, answers, bounces) and reading a SOAP envelope out of a
 * delivered one. Mails are composed by hand, not by a mail library's MIME builder, so every
 * header a student sees in the SMTP transcript is exactly the one the binding prescribes.
 */
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';

/** A new globally unique Message-ID in the lab's domain: the correlation key of the binding. */
export function newMessageId(): string {
  return `<${randomUUID()}@lab.test>`;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  /** The request's Message-ID, on answers and bounces. */
  inReplyTo?: string;
  /** Full media type, e.g. 'application/soap+xml; charset=utf-8; action="…"'. */
  contentType: string;
  body: string;
  /** Extra header fields (already valid), e.g. X-Lab-Delay. */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';
const MAX_LINE = 998; // RFC 5322 §2.1.1

// Header values we compose must not smuggle extra header lines.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');

/**
 * Makes an envelope mail-friendly without changing its meaning: a line break between adjacent
 * tags (whitespace between elements is insignificant here) and literal line feeds for the
 * `&#xA;` references in text, so the calendar reads as in the seed article's Listing 5.
 */
export function mailFriendlyXml(xml: string): string {
  return xml.replace(/>\s*</g, `>\n<`).replace(/&#xA;/gi, '\n').replace(/\r?\n/g, CRLF);
}

/** Composes one RFC 5322 message; falls back to base64 only if a line would be too long. */
export function composeMail(mail: OutgoingMail): Buffer {
  const body = mail.body.replace(/\r?\n/g, CRLF);
  const tooLong = body.split(CRLF).some((line) => Buffer.byteLength(line) > MAX_LINE);
  const ascii = /^[\x00-\x7f]*$/.test(body);
  const encoding = tooLong ? 'base64' : ascii ? '7bit' : '8bit';
  const headers: [string, string][] = [
    ['From', mail.from],
    ['To', mail.to],
    ['Subject', mail.subject],
    ['Date', new Date().toUTCString().replace('GMT', '+0000')],
    ['Message-ID', mail.messageId],
    ...(mail.inReplyTo ? ([['In-Reply-To', mail.inReplyTo], ['References', mail.inReplyTo]] as [string, string][]) : []),
    ['MIME-Version', '1.0'],
    ['Content-Type', mail.contentType],
    ['Content-Transfer-Encoding', encoding],
    ...Object.entries(mail.headers ?? {}),
  ];
  const head = headers.map(([name, value]) => `${name}: ${oneLine(value)}`).join(CRLF);
  const encoded = encoding === 'base64' ? (Buffer.from(body).toString('base64').match(/.{1,76}/g) ?? []).join(CRLF) : body;
  return Buffer.from(`${head}${CRLF}${CRLF}${encoded}${encoded.endsWith(CRLF) ? '' : CRLF}`);
}

/** What the binding needs from a delivered mail. */
export interface ReadMail {
  messageId: string | null;
  inReplyTo: string | null;
  /** The address to answer: Reply-To, else From. */
  replyTo: string | null;
  subject: string;
  /** The media type of the part holding the envelope, with parameters as sent ('application/soap+xml; action="…"'). */
  contentType: string | null;
  /** The SOAP envelope text, or null when the mail carries none. */
  envelope: string | null;
  /** Why `envelope` is null, in words for the bounce. */
  notSoap?: string;
  /** A think time the sender asked for with the X-Lab-Delay header (ms), if any. */
  delayHeader?: string;
  soapAction?: string;
}

const SOAP_TYPES = ['application/soap+xml', 'text/xml', 'application/xml'];

/** Parses a delivered mail and finds the SOAP envelope in it (root part or first SOAP-typed part). */
export async function readSoapMail(raw: Buffer): Promise<ReadMail> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
  const header = (name: string) => {
    const value = parsed.headers.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const address = (field: typeof parsed.from) => (field && !Array.isArray(field) ? field.value[0]?.address ?? null : null);
  const replyTo = address(parsed.replyTo) ?? address(parsed.from);
  const base = {
    messageId: parsed.messageId ?? null,
    inReplyTo: typeof parsed.inReplyTo === 'string' ? parsed.inReplyTo : null,
    replyTo,
    subject: parsed.subject ?? '',
    delayHeader: header('x-lab-delay'),
    soapAction: header('soapaction'),
  };
  const part = parsed.attachments.find((a) => SOAP_TYPES.includes(a.contentType.toLowerCase()));
  if (part) {
    const params = part.contentType.toLowerCase() === (rootType(parsed.headers.get('content-type')) ?? '') ? rootParams(parsed.headers.get('content-type')) : '';
    return { ...base, contentType: `${part.contentType}${params}`, envelope: part.content.toString('utf8') };
  }
  const text = parsed.text ?? '';
  const looksLikeEnvelope = /<([A-Za-z_][\w.-]*:)?Envelope[\s>]/.test(text);
  return {
    ...base,
    contentType: rootType(parsed.headers.get('content-type')) ?? 'text/plain',
    envelope: null,
    notSoap: looksLikeEnvelope
      ? 'Your mail contains what looks like a SOAP envelope, but as text/plain. Send it with "Content-Type: application/soap+xml; charset=utf-8" (SOAP 1.2) or "text/xml" (SOAP 1.1).'
      : 'Your mail does not carry a SOAP envelope. The calendar service answers only mails whose body is a SOAP envelope (Content-Type: application/soap+xml for SOAP 1.2, text/xml for SOAP 1.1).',
  };
}

type HeaderValue = ReturnType<Awaited<ReturnType<typeof simpleParser>>['headers']['get']>;

function rootType(value: HeaderValue): string | undefined {
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value.toLowerCase();
  return typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : undefined;
}

function rootParams(value: HeaderValue): string {
  if (!value || typeof value !== 'object' || !('params' in value)) return '';
  const params = value.params as Record<string, string>;
  return Object.entries(params)
    .filter(([name]) => name === 'action' || name === 'charset')
    .map(([name, v]) => `; ${name}="${v.replace(/["\\\r\n]/g, '')}"`)
    .join('');
}
