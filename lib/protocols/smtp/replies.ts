/**
 * SMTP reply codes as data (RFC 5321 §4.2.3 plus the STARTTLS/AUTH extensions), with the context
 * rows a code needs when its meaning depends on what it answers. Lookup order:
 * (context, code, enhanced code) → (context, code) → code → class (2xx…5xx) → out-of-range.
 * Prose is in text.en.ts under each row's key.
 */
import { lookupReplyIn, replyRowsFor, type ContextReplyRow, type ReplyRow, type ReplyTable } from '../kit/replies.ts';

export type { ContextReplyRow, ReplyRow };

/**
 * What a reply answers: a command verb, 'CONNECT' (the greeting), 'DATA-END' (the final "."),
 * 'EARLY' (a command sent before the greeting) or 'NONE' (unsolicited, e.g. a timeout 421).
 */
export type ReplyContext = string;

const { row: r, inContext: c } = replyRowsFor('smtp');

/** Every reply code the lab explains, keyed by number. */
export const REPLY_CODES: Readonly<Record<number, ReplyRow>> = {
  // 200 is not an SMTP code (it is FTP's "command okay"); kept so the lab can say so when a server sends it.
  200: r(200, 'RFC 5321 §4.2.3; RFC 959 §4.2.2', 'warn'),
  211: r(211, 'RFC 5321 §4.2.3'),
  214: r(214, 'RFC 5321 §4.2.3, §4.1.1.8'),
  220: r(220, 'RFC 5321 §4.2.3, §3.1'),
  221: r(221, 'RFC 5321 §4.2.3, §4.1.1.10'),
  235: r(235, 'RFC 4954 §6'),
  250: r(250, 'RFC 5321 §4.2.3'),
  251: r(251, 'RFC 5321 §4.2.3, §3.4'),
  252: r(252, 'RFC 5321 §4.2.3, §3.5.3, §7.3'),
  334: r(334, 'RFC 4954 §4'),
  354: r(354, 'RFC 5321 §4.2.3, §4.1.1.4'),
  421: r(421, 'RFC 5321 §4.2.3, §3.8'),
  450: r(450, 'RFC 5321 §4.2.3'),
  451: r(451, 'RFC 5321 §4.2.3'),
  452: r(452, 'RFC 5321 §4.2.3, §4.5.3.1.10'),
  454: r(454, 'RFC 4954 §6; RFC 3207 §4'),
  455: r(455, 'RFC 5321 §4.2.3, §4.1.1.11'),
  500: r(500, 'RFC 5321 §4.2.3, §4.2.4'),
  501: r(501, 'RFC 5321 §4.2.3'),
  502: r(502, 'RFC 5321 §4.2.3, §4.2.4'),
  503: r(503, 'RFC 5321 §4.2.3, §4.1.4'),
  504: r(504, 'RFC 5321 §4.2.3'),
  530: r(530, 'RFC 4954 §6; RFC 3207 §4'),
  534: r(534, 'RFC 4954 §6'),
  535: r(535, 'RFC 4954 §6'),
  538: r(538, 'RFC 4954 §6'),
  550: r(550, 'RFC 5321 §4.2.3'),
  551: r(551, 'RFC 5321 §4.2.3, §3.4'),
  552: r(552, 'RFC 5321 §4.2.3'),
  553: r(553, 'RFC 5321 §4.2.3'),
  554: r(554, 'RFC 5321 §4.2.3, §3.1'),
  555: r(555, 'RFC 5321 §4.2.3, §4.1.1.11'),
};

/** Rows whose meaning depends on the command answered (checked before REPLY_CODES). */
export const CONTEXT_REPLIES: readonly ContextReplyRow[] = [
  c('CONNECT', 220, 'greeting', 'RFC 5321 §3.1, §4.3.1'),
  c('CONNECT', 554, 'connect', 'RFC 5321 §3.1'),
  c('EARLY', 421, 'early', 'RFC 5321 §4.3.1', 'warn'),
  c('STARTTLS', 220, 'starttls', 'RFC 3207 §4'),
  c('STARTTLS', 454, 'starttls', 'RFC 3207 §4'),
  c('EHLO', 250, 'ehlo', 'RFC 5321 §4.1.1.1'),
  c('HELO', 250, 'helo', 'RFC 5321 §4.1.1.1'),
  c('MAIL', 250, 'mail', 'RFC 5321 §4.1.1.2'),
  c('RCPT', 250, 'rcpt', 'RFC 5321 §4.1.1.3'),
  c('RCPT', 452, 'rcpt', 'RFC 5321 §4.5.3.1.10'),
  c('RCPT', 550, 'relay', 'RFC 5321 §7.9, §3.6; RFC 3463 §3.8', 'error', '5.7.1'),
  c('RCPT', 554, 'relay', 'RFC 5321 §7.9, §3.6; RFC 3463 §3.8', 'error', '5.7.1'),
  c('DATA', 554, 'data', 'RFC 5321 §3.3'),
  c('DATA-END', 250, 'data', 'RFC 5321 §4.1.1.4, §4.2.5'),
  c('VRFY', 250, 'vrfy', 'RFC 5321 §3.5.2, §3.5.3, §7.3'),
  c('EXPN', 250, 'expn', 'RFC 5321 §3.5.1, §3.5.2'),
  c('MAIL', 552, 'mail', 'RFC 1870 §6.1, §6.2'),
  c('HELP', 214, 'help', 'RFC 5321 §4.1.1.8, §4.3.2'),
  c('HELP', 211, 'help', 'RFC 5321 §4.3.2, §4.2.3'),
  c('NONE', 421, 'timeout', 'RFC 5321 §3.8, §4.5.3.2', 'warn', '4.4.2'),
  c('AUTH', 421, 'auth', 'RFC 4954 §9', 'warn', '4.7.0'),
  c('AUTH', 500, 'auth-too-long', 'RFC 4954 §4, §6', 'error', '5.5.6'),
  c('EXPN', 500, 'expn', 'RFC 5321 §4.2.4, §7.3'),
  c('EXPN', 502, 'expn', 'RFC 5321 §4.2.4, §7.3'),
  c('BDAT', 500, 'bdat', 'RFC 3030 §2; RFC 5321 §4.2.4'),
];

/** First-digit fallbacks: a client reads a code it does not know by its first digit alone (RFC 5321 §4.2, §4.2.1). */
export const REPLY_CLASSES: Readonly<Record<string, ReplyRow>> = {
  '2': { key: 'smtp.reply.2xx', ref: 'RFC 5321 §4.2.1', level: 'info' },
  '3': { key: 'smtp.reply.3xx', ref: 'RFC 5321 §4.2.1', level: 'info' },
  '4': { key: 'smtp.reply.4xx', ref: 'RFC 5321 §4.2.1', level: 'warn' },
  '5': { key: 'smtp.reply.5xx', ref: 'RFC 5321 §4.2.1', level: 'error' },
};

/** Codes whose first digit is not 2–5: not allowed without an extension (RFC 5321 §4.2). */
export const OUT_OF_RANGE_REPLY: ReplyRow = { key: 'smtp.reply.out-of-range', ref: 'RFC 5321 §4.2', level: 'warn' };

/** A reply line that does not start with a three-digit code (RFC 5321 §4.2 Reply-line). */
export const MALFORMED_REPLY: ReplyRow = { key: 'smtp.reply.malformed', ref: 'RFC 5321 §4.2', level: 'warn' };

/** A multi-line reply cut short (different code, garbage line or connection end before its last line). */
export const INCOMPLETE_REPLY: ReplyRow = { key: 'smtp.reply.incomplete', ref: 'RFC 5321 §4.2.1', level: 'warn' };

const SMTP_REPLIES: ReplyTable = { codes: REPLY_CODES, context: CONTEXT_REPLIES, classes: REPLY_CLASSES, unknown: OUT_OF_RANGE_REPLY };

/** Finds the most specific row for a reply: context + enhanced code, context, code, then class. */
export function lookupReply(code: number, after: ReplyContext, enhanced?: string): ReplyRow {
  return lookupReplyIn(SMTP_REPLIES, code, after, enhanced);
}
