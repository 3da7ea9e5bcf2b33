/**
 * SMTP commands as data (the ftp-srv idea: the command *is* a table row), plus the small parsers
 * for their arguments. Prose for each row is in text.en.ts under the row's key.
 */
import type { Level } from '../../wire/event.ts';
import { OTHER_PROTOCOL_REFS } from '../kit/other-client.ts';

/** Where in a session a command belongs; the UI colours and groups by it. */
export type SmtpPhase = 'greeting' | 'envelope' | 'data' | 'tls' | 'auth' | 'session';

/** One SMTP command: its wire verb, syntax as the RFC writes it, annotation key, source and phase. */
export interface CommandRow {
  verb: string;
  syntax: string;
  key: string;
  ref: string;
  phase: SmtpPhase;
}

const row = (verb: string, syntax: string, ref: string, phase: SmtpPhase): CommandRow => ({
  verb,
  syntax,
  key: `smtp.cmd.${verb}`,
  ref,
  phase,
});

/** The commands the lab explains, keyed by upper-case verb (verbs are case-insensitive: RFC 5321 §2.4). */
export const SMTP_COMMANDS: Readonly<Record<string, CommandRow>> = {
  HELO: row('HELO', 'HELO SP Domain CRLF', 'RFC 5321 §4.1.1.1', 'greeting'),
  EHLO: row('EHLO', 'EHLO SP ( Domain / address-literal ) CRLF', 'RFC 5321 §4.1.1.1', 'greeting'),
  MAIL: row('MAIL', 'MAIL FROM:<reverse-path> [SP mail-parameters] CRLF', 'RFC 5321 §4.1.1.2', 'envelope'),
  RCPT: row('RCPT', 'RCPT TO:<forward-path> [SP rcpt-parameters] CRLF', 'RFC 5321 §4.1.1.3', 'envelope'),
  DATA: row('DATA', 'DATA CRLF', 'RFC 5321 §4.1.1.4', 'data'),
  RSET: row('RSET', 'RSET CRLF', 'RFC 5321 §4.1.1.5', 'envelope'),
  VRFY: row('VRFY', 'VRFY SP String CRLF', 'RFC 5321 §4.1.1.6', 'session'),
  EXPN: row('EXPN', 'EXPN SP String CRLF', 'RFC 5321 §4.1.1.7', 'session'),
  HELP: row('HELP', 'HELP [ SP String ] CRLF', 'RFC 5321 §4.1.1.8', 'session'),
  NOOP: row('NOOP', 'NOOP [ SP String ] CRLF', 'RFC 5321 §4.1.1.9', 'session'),
  QUIT: row('QUIT', 'QUIT CRLF', 'RFC 5321 §4.1.1.10', 'session'),
  STARTTLS: row('STARTTLS', 'STARTTLS CRLF', 'RFC 3207 §4', 'tls'),
  AUTH: row('AUTH', 'AUTH SP mechanism [ SP initial-response ] CRLF', 'RFC 4954 §4', 'auth'),
  // CHUNKING's alternative to DATA; this lab's server does not offer it (SMTP_NOTES.bdatNotAdvertised).
  BDAT: row('BDAT', 'BDAT SP chunk-size [ SP end-marker ] CRLF', 'RFC 3030 §2', 'data'),
};

/** Any verb not in the table: servers answer 500 (unrecognised) or 502 (recognised, not implemented). */
export const UNKNOWN_COMMAND: CommandRow = {
  verb: '',
  syntax: 'verb [ SP arguments ] CRLF',
  key: 'smtp.cmd.unknown',
  ref: 'RFC 5321 §4.2.4',
  phase: 'session',
};

/**
 * A table row by a name that came from the wire: own keys only, so `constructor` or
 * `__proto__` never find Object.prototype (issue 8 #12).
 */
export function ownRow<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** Finds a command's row by verb in any case; unknown verbs get UNKNOWN_COMMAND. */
export function lookupCommand(verb: string): CommandRow {
  return ownRow(SMTP_COMMANDS, verb.toUpperCase()) ?? UNKNOWN_COMMAND;
}

/** A command line split into verb and the rest. */
export interface CommandLine {
  verb: string;
  args: string;
  row: CommandRow;
}

/** Splits a command line (without CRLF) at the first space; the verb is upper-cased for lookup. */
export function parseCommandLine(line: string): CommandLine {
  const sp = line.indexOf(' ');
  const verb = (sp === -1 ? line : line.slice(0, sp)).toUpperCase();
  const args = sp === -1 ? '' : line.slice(sp + 1);
  return { verb, args, row: lookupCommand(verb) };
}

/** MAIL FROM / RCPT TO arguments: the path in angle brackets and ESMTP `KEY[=value]` parameters. */
export interface PathArgs {
  /** 'FROM' or 'TO' as the client wrote it (upper-cased). */
  keyword: string;
  /** The path including its angle brackets, e.g. `<alice@example.org>` or `<>`. */
  path: string;
  params: { name: string; value: string }[];
}

// Lenient on purpose: many clients write "MAIL FROM: <a@b>" (space after the colon), which RFC 5321
// does not allow but servers (smtp-server included) accept; we show what was sent, not what is legal.
const PATH_RE = /^(FROM|TO):\s*(<[^>]*>|\S+)\s*(.*)$/i;

/** Parses `FROM:<path> SIZE=123 BODY=8BITMIME`; undefined when the keyword or path is missing. */
export function parsePathArgs(args: string): PathArgs | undefined {
  const m = PATH_RE.exec(args);
  if (!m) return undefined;
  const [, keyword = '', path = '', rest = ''] = m;
  const params = rest
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? { name: p.toUpperCase(), value: '' } : { name: p.slice(0, eq).toUpperCase(), value: p.slice(eq + 1) };
    });
  return { keyword: keyword.toUpperCase(), path, params };
}

/** AUTH arguments: the SASL mechanism and the optional initial response (RFC 4954 §4). */
export interface AuthArgs {
  mechanism: string;
  initial?: string;
}

/** Parses `PLAIN dGVzdAB0ZXN0AHRlc3Q=`; `=` as initial response means an empty one (RFC 4954 §4). */
export function parseAuthArgs(args: string): AuthArgs {
  const [mechanism = '', initial] = args.trim().split(/\s+/);
  return initial === undefined ? { mechanism: mechanism.toUpperCase() } : { mechanism: mechanism.toUpperCase(), initial };
}

/**
 * SASL mechanisms whose exchange carries the credential itself, readable once the base64 is undone: PLAIN
 * (RFC 4616 §2), LOGIN, and bearer tokens (XOAUTH2, OAUTHBEARER). Challenge-response mechanisms such as
 * CRAM-MD5 or SCRAM send no password, so AUTH naming them gets no "password readable" warning.
 */
export const CLEARTEXT_SASL: ReadonlySet<string> = new Set(['PLAIN', 'LOGIN', 'XOAUTH2', 'OAUTHBEARER']);

/** Decodes strict base64 (AUTH responses and 334 challenges); undefined when it is not base64. */
export function decodeBase64(b64: string): Uint8Array | undefined {
  const t = b64.trim();
  if (t === '=') return new Uint8Array(0); // RFC 4954 §4: "=" is an empty initial response
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  try {
    return Uint8Array.from(atob(t), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The three parts of a SASL PLAIN response (RFC 4616 §2); undefined when it is not one. */
export interface PlainResponse {
  authzid: Uint8Array;
  authcid: Uint8Array;
  password: Uint8Array;
}

/** Splits base64 `authzid NUL authcid NUL passwd`; callers must never display `password`. */
export function decodePlain(b64: string): PlainResponse | undefined {
  const bytes = decodeBase64(b64);
  if (!bytes) return undefined;
  const first = bytes.indexOf(0);
  const second = first === -1 ? -1 : bytes.indexOf(0, first + 1);
  if (second === -1 || bytes.indexOf(0, second + 1) !== -1) return undefined;
  return { authzid: bytes.subarray(0, first), authcid: bytes.subarray(first + 1, second), password: bytes.subarray(second + 1) };
}

/** A condition the dissector flags on the stream rather than on one verb: key, source, severity. */
export interface NoteRow {
  key: string;
  ref: string;
  level: Level;
}

const n = (key: string, ref: string, level: NoteRow['level']): NoteRow => ({ key, ref, level });

/** Stream-level facts: line endings, limits, DATA framing, AUTH exchanges and the TLS switch. */
export const SMTP_NOTES = {
  bareLf: n('smtp.line.bare-lf', 'RFC 5321 §2.3.8', 'warn'),
  earlyTalker: n('smtp.early-talker', 'RFC 5321 §4.3.1', 'warn'),
  injection: n('smtp.starttls.injection', 'RFC 3207 §4.2; CVE-2011-0411', 'warn'),
  tooLong: n('smtp.cmd.too-long', 'RFC 5321 §4.5.3.1.4', 'warn'),
  // BDAT sent although the server's EHLO reply did not list CHUNKING (§2; §4.1 shows a chunked exchange).
  bdatNotAdvertised: n('smtp.cmd.bdat-not-advertised', 'RFC 3030 §2, §4.1', 'warn'),
  authCleartext: n('smtp.auth.cleartext', 'RFC 4954 §4; RFC 4648 §4', 'warn'),
  // AUTH TLS / AUTH SSL: FTP's way to start TLS; no SASL mechanism, so nothing is encrypted.
  authTls: n('smtp.cmd.auth-tls', 'RFC 4217 §4; RFC 4954 §4; RFC 3207 §4', 'warn'),
  // RCPT TO:<"alice"@lab.test>: the quotes change nothing about which mailbox it names.
  quotedLocalPart: n('smtp.rcpt.quoted-local-part', 'RFC 5321 §4.1.2', 'info'),
  // MAIL or RCPT with a UTF-8 address while this mail's MAIL carried no SMTPUTF8.
  utf8WithoutSmtputf8: n('smtp.addr.utf8-without-smtputf8', 'RFC 6531 §3.4, §3.5', 'warn'),
  authUsername: n('smtp.auth.username', 'RFC 4954 §4', 'warn'),
  authPassword: n('smtp.auth.password', 'RFC 4954 §4; RFC 4648 §4', 'warn'),
  authToken: n('smtp.auth.token', 'RFC 4616 §2; RFC 4954 §4', 'warn'),
  authSecret: n('smtp.auth.secret', 'RFC 4954 §4', 'warn'),
  authCancel: n('smtp.auth.cancel', 'RFC 4954 §4', 'info'),
  dataFirst: n('smtp.data.first', 'RFC 5321 §4.1.1.4; RFC 5322 §2.1', 'info'),
  dataEarly: n('smtp.data.early', 'RFC 2920 §3.1; RFC 5321 §4.1.1.4', 'warn'),
  dataHeaderEnd: n('smtp.data.header-end', 'RFC 5322 §2.1', 'info'),
  dataDotStuffed: n('smtp.data.dot-stuffed', 'RFC 5321 §4.5.2', 'info'),
  dataDotNotDoubled: n('smtp.data.dot-not-doubled', 'RFC 5321 §4.5.2', 'warn'),
  dataBareLf: n('smtp.data.bare-lf', 'RFC 5321 §2.3.8, §4.1.1.4', 'warn'),
  dataSmuggling: n('smtp.data.bare-lf-dot', 'RFC 5321 §4.1.1.4', 'warn'),
  dataLongLine: n('smtp.data.long-line', 'RFC 5321 §4.5.3.1.6', 'warn'),
  dataSummary: n('smtp.data.summary', 'RFC 5321 §4.5.3.1.7', 'info'),
  dataEnd: n('smtp.data.end', 'RFC 5321 §4.1.1.4, §4.5.2', 'info'),
  headerMessageId: n('smtp.header.message-id', 'RFC 5322 §3.6.4', 'info'),
  headerMessageIdDuplicate: n('smtp.header.message-id.duplicate', 'RFC 5322 §3.6.4, §3.6', 'warn'),
  headerInReplyTo: n('smtp.header.in-reply-to', 'RFC 5322 §3.6.4', 'info'),
  headerReferences: n('smtp.header.references', 'RFC 5322 §3.6.4', 'info'),
  headerContentType: n('smtp.header.content-type', 'RFC 2045 §5', 'info'),
  headerContentTypeSoap: n('smtp.header.content-type.soap', 'RFC 2045 §5', 'info'),
  headerFrom: n('smtp.header.from', 'RFC 5322 §3.6.2; RFC 5321 §2.3.1', 'info'),
  headerFromNotEnvelope: n('smtp.header.from.not-envelope', 'RFC 5322 §3.6.2; RFC 5321 §2.3.1', 'warn'),
  headerTo: n('smtp.header.to', 'RFC 5322 §3.6.3; RFC 5321 §2.3.1', 'info'),
  headerCc: n('smtp.header.cc', 'RFC 5322 §3.6.3', 'info'),
  headerSubject: n('smtp.header.subject', 'RFC 5322 §3.6.5; RFC 2047 §2', 'info'),
  headerDate: n('smtp.header.date', 'RFC 5322 §3.6.1', 'info'),
  overlongCommand: n('smtp.overlong.command', 'RFC 5321 §4.5.3.1.4', 'error'),
  // An AUTH command or SASL response without a line end in the buffer: §4 sets its own limit, not §4.5.3.1.4's.
  overlongAuth: n('smtp.overlong.auth', 'RFC 4954 §4', 'error'),
  overlongData: n('smtp.overlong.data', 'RFC 5321 §4.5.3.1.6', 'error'),
  overlongReply: n('smtp.overlong.reply', 'RFC 5321 §4.5.3.1.5', 'error'),
  closedMidLine: n('smtp.closed-mid-line', 'RFC 5321 §2.3.8, §3.8', 'warn'),
  tlsStart: n('smtp.tls.start', 'RFC 3207 §4.2', 'info'),
  tlsClientHello: n('smtp.tls.client-hello', 'RFC 8446 §4.1.2', 'info'),
  tlsServerHello: n('smtp.tls.server-hello', 'RFC 8446 §4.1.3', 'info'),
  tlsHandshake: n('smtp.tls.handshake', 'RFC 8446 §4; RFC 5246 §7.4', 'info'),
  tlsEncryptedHandshake: n('smtp.tls.encrypted-handshake', 'RFC 8446 §2, §5.2', 'info'),
  tlsCcs: n('smtp.tls.ccs', 'RFC 5246 §7.1; RFC 8446 Appendix D.4', 'info'),
  tlsAlert: n('smtp.tls.alert', 'RFC 8446 §6', 'warn'),
  tlsAppData: n('smtp.tls.appdata', 'RFC 8446 §5.2', 'info'),
  tlsEncryptedExtensions: n('smtp.tls.encrypted-extensions', 'RFC 8446 §2, §4.3.1', 'info'),
  tlsCertificate: n('smtp.tls.certificate', 'RFC 8446 §2, §4.4.2', 'info'),
  tlsCertificateVerify: n('smtp.tls.certificate-verify', 'RFC 8446 §2, §4.4.3', 'info'),
  tlsServerFinished: n('smtp.tls.server-finished', 'RFC 8446 §2, §4.4.4', 'info'),
  tlsServerFlight: n('smtp.tls.server-flight', 'RFC 8446 §2, §5.2', 'info'),
  tlsClientFinished: n('smtp.tls.client-finished', 'RFC 8446 §2, §4.4.4', 'info'),
  tlsSessionTicket: n('smtp.tls.session-ticket', 'RFC 8446 §4.6.1', 'info'),
  tlsEncryptedAlert: n('smtp.tls.encrypted-alert', 'RFC 8446 §5.2, §6.1', 'info'),
  tlsRecord: n('smtp.tls.record', 'RFC 8446 §5.1', 'info'),
  tlsGarbage: n('smtp.tls.garbage', 'RFC 8446 §5.1', 'error'),
  tlsUnexpected: n('smtp.tls.unexpected', 'RFC 8314 §3.3; RFC 3207 §4', 'error'),
  // Another protocol's client opened the connection (its first command: other-client.ts).
  otherHttp: n('smtp.other.http', `${OTHER_PROTOCOL_REFS.http}; RFC 5321 §4.3.1, §7.8`, 'warn'),
  otherHttpMore: n('smtp.other.http-more', 'RFC 9112 §2.1', 'info'),
  otherSsh: n('smtp.other.ssh', `${OTHER_PROTOCOL_REFS.ssh}; RFC 5321 §4.3.1`, 'warn'),
  otherFtp: n('smtp.other.ftp', `${OTHER_PROTOCOL_REFS.ftp}; RFC 5321 §4.2.4`, 'warn'),
} as const satisfies Record<string, NoteRow>;
