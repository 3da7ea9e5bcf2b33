/**
 * FTP reply codes as data (RFC 959 §4.2, plus RFC 2228/4217 for TLS and RFC 2428 for EPSV/EPRT),
 * with context rows for codes whose meaning depends on the command they answer. Lookup order:
 * (context, code) → code → class (1xx…5xx) → unknown. Prose is in text.en.ts under each key.
 */
import { levelOfCode, lookupReplyIn, replyRowsFor, type ContextReplyRow, type ReplyRow, type ReplyTable } from '../kit/replies.ts';

/** One reply row: annotation key, source, and how alarming it is. */
export type FtpReplyRow = ReplyRow;
const { row: r, inContext: c } = replyRowsFor('ftp');

/** Every reply code the lab explains, keyed by number. */
export const FTP_REPLY_CODES: Readonly<Record<number, FtpReplyRow>> = {
  110: r(110, 'RFC 959 §4.2.2'),
  120: r(120, 'RFC 959 §4.2.2'),
  125: r(125, 'RFC 959 §4.2.2'),
  150: r(150, 'RFC 959 §4.2.2, §3.2'),
  200: r(200, 'RFC 959 §4.2.2'),
  202: r(202, 'RFC 959 §4.2.2'),
  211: r(211, 'RFC 959 §4.2.2; RFC 2389 §3.2'),
  212: r(212, 'RFC 959 §4.2.2'),
  213: r(213, 'RFC 959 §4.2.2; RFC 3659 §3–4'),
  214: r(214, 'RFC 959 §4.2.2'),
  215: r(215, 'RFC 959 §4.2.2'),
  220: r(220, 'RFC 959 §4.2.2, §5.4'),
  221: r(221, 'RFC 959 §4.2.2'),
  225: r(225, 'RFC 959 §4.2.2'),
  226: r(226, 'RFC 959 §4.2.2, §3.3'),
  227: r(227, 'RFC 959 §4.2.2, §4.1.2'),
  229: r(229, 'RFC 2428 §3'),
  230: r(230, 'RFC 959 §4.2.2'),
  234: r(234, 'RFC 2228 §3; RFC 4217 §4'),
  250: r(250, 'RFC 959 §4.2.2'),
  257: r(257, 'RFC 959 §4.2.2, Appendix II'),
  331: r(331, 'RFC 959 §4.2.2'),
  332: r(332, 'RFC 959 §4.2.2'),
  350: r(350, 'RFC 959 §4.2.2'),
  421: r(421, 'RFC 959 §4.2.2'),
  425: r(425, 'RFC 959 §4.2.2, §3.2'),
  426: r(426, 'RFC 959 §4.2.2'),
  450: r(450, 'RFC 959 §4.2.2'),
  451: r(451, 'RFC 959 §4.2.2'),
  452: r(452, 'RFC 959 §4.2.2'),
  500: r(500, 'RFC 959 §4.2.2'),
  501: r(501, 'RFC 959 §4.2.2'),
  502: r(502, 'RFC 959 §4.2.2'),
  503: r(503, 'RFC 959 §4.2.2'),
  504: r(504, 'RFC 959 §4.2.2'),
  522: r(522, 'RFC 2428 §2, §3'),
  530: r(530, 'RFC 959 §4.2.2'),
  532: r(532, 'RFC 959 §4.2.2'),
  534: r(534, 'RFC 2228 §3'),
  536: r(536, 'RFC 2228 §3; RFC 4217 §9'),
  550: r(550, 'RFC 959 §4.2.2'),
  551: r(551, 'RFC 959 §4.2.2'),
  552: r(552, 'RFC 959 §4.2.2'),
  553: r(553, 'RFC 959 §4.2.2'),
};

/** A row that applies only when the reply answers a given command. */
export type FtpContextReplyRow = ContextReplyRow;

/** Rows whose meaning depends on the command answered ('CONNECT' = the greeting). Checked first. */
export const FTP_CONTEXT_REPLIES: readonly FtpContextReplyRow[] = [
  c('CONNECT', 220, 'greeting', 'RFC 959 §5.4'),
  c('CONNECT', 421, 'refused', 'RFC 959 §4.2.2'),
  c('PASS', 230, 'login', 'RFC 959 §4.1.1', 'warn'),
  c('PASS', 530, 'login', 'RFC 959 §4.2.2'),
  c('USER', 530, 'user', 'RFC 959 §4.1.1, §5.4'),
  c('PORT', 200, 'port', 'RFC 959 §4.1.2, §3.2'),
  c('EPRT', 200, 'port', 'RFC 2428 §2'),
  c('PORT', 500, 'bounce', 'RFC 2577 §3'),
  c('EPRT', 500, 'bounce', 'RFC 2577 §3'),
  c('PASV', 503, 'epsv-all', 'RFC 2428 §3'),
  c('PORT', 503, 'epsv-all', 'RFC 2428 §3'),
  c('EPRT', 503, 'epsv-all', 'RFC 2428 §3'),
  c('PASS', 421, 'attempts', 'RFC 2577 §5'),
  c('RETR', 551, 'retr', 'RFC 959 §4.2.2, §4.1.3, §3.2'),
  c('ABOR', 225, 'abor', 'RFC 959 §4.1.3'),
  c('ABOR', 226, 'abor', 'RFC 959 §4.1.3'),
  c('FEAT', 211, 'feat', 'RFC 2389 §3.2'),
  c('HELP', 211, 'help', 'RFC 959 §4.1.3, §4.2.2'),
  c('HELP', 214, 'help', 'RFC 959 §4.1.3, §4.2.2'),
  c('HELP', 502, 'help', 'RFC 959 §4.1.3, §4.2.2'),
  c('PROT', 200, 'prot', 'RFC 4217 §9'),
  c('PBSZ', 200, 'pbsz', 'RFC 4217 §9'),
  c('RNFR', 350, 'rnfr', 'RFC 959 §4.1.3'),
  c('MKD', 257, 'mkd', 'RFC 959 Appendix II'),
];

/**
 * FEAT reply lines (RFC 2389 §3.2: one feature per line, each after a single space), keyed
 * 'ftp.feat.<LABEL>' with the source that defines the feature. Prose in text.en.ts.
 */
export const FTP_FEATURES: Readonly<Record<string, string>> = {
  'ftp.feat.AUTH TLS': 'RFC 4217 §6',
  'ftp.feat.PBSZ': 'RFC 4217 §6',
  'ftp.feat.PROT': 'RFC 4217 §6',
  'ftp.feat.CCC': 'RFC 4217 §5',
  'ftp.feat.EPRT': 'RFC 2428 §2',
  'ftp.feat.EPSV': 'RFC 2428 §3',
  'ftp.feat.MDTM': 'RFC 3659 §3',
  'ftp.feat.SIZE': 'RFC 3659 §4',
  'ftp.feat.REST STREAM': 'RFC 3659 §5',
  'ftp.feat.TVFS': 'RFC 3659 §6',
  'ftp.feat.MLST': 'RFC 3659 §7',
  'ftp.feat.UTF8': 'RFC 2640 §3.2',
  'ftp.feat.LANG': 'RFC 2640 §4',
  'ftp.feat.TYPE': 'RFC 2389 §3.2; RFC 959 §3.1.1',
};

/** First-digit fallbacks (RFC 959 §4.2.1): 1xx preliminary … 5xx permanent failure. */
const FTP_REPLY_CLASSES: Readonly<Record<string, FtpReplyRow>> = Object.fromEntries(
  [1, 2, 3, 4, 5].map((klass) => [String(klass), { key: `ftp.reply.${klass}xx`, ref: 'RFC 959 §4.2.1', level: levelOfCode(klass * 100) }]),
);

const FTP_REPLIES: ReplyTable = {
  codes: FTP_REPLY_CODES,
  context: FTP_CONTEXT_REPLIES,
  classes: FTP_REPLY_CLASSES,
  unknown: { key: 'ftp.reply.unknown', ref: 'RFC 959 §4.2', level: 'warn' },
};

/** Finds the row explaining `code` as a reply to `after` (an upper-case verb, or 'CONNECT'). */
export function lookupFtpReply(code: number, after: string): FtpReplyRow {
  return lookupReplyIn(FTP_REPLIES, code, after);
}
