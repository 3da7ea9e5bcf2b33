/**
 * Hold-edit-release (issue 14): which held messages a user may change on the wire, how the text
 * they type becomes bytes, and how the protocol's own dissector reads those bytes. The edited
 * message is re-read by a FRESH dissector of the protocol, first fed a short primer that puts it
 * in the state the original was read in (a greeting; for a reply, the command it answers), then
 * the edited bytes: the annotations are the dissector's, never guessed.
 *
 * Encrypted records (TLS, SSH after NEWKEYS) cannot be changed by anyone on the path — that is the
 * point of the encryption — so they are refused with those words.
 */
import type { Protocol } from '../wire/event.ts';
import { createFtpDissector } from './ftp/dissector.ts';
import { createSmtpDissector } from './smtp/dissector.ts';
import { createHttpApiDissector, createSoapDissector } from './soap/dissector.ts';
import { annotate as annotateZmtp, createZmtpDissector } from './zmtp/dissector.ts';
import { nullGreeting } from './zmtp/greeting.ts';
import type { DissectedMessage, Dissector, StreamDir } from './types.ts';

/** The words shown when a held message is encrypted. */
export const ENCRYPTED_REFUSAL = 'encrypted — only the endpoint where the lab is the client can change this';

/** The connection around a held message, for the primer: the last client message released before it (its raw bytes). */
export interface EditContext {
  lastClient?: { message: DissectedMessage; bytes: Buffer };
}

/** One held message as the editor sees it: what the dissector framed, and its raw bytes. */
export interface HeldOriginal {
  message: DissectedMessage;
  /** The raw bytes it covers (for an HTTP message: start line through body). */
  bytes: Buffer;
}

/** How one protocol's held messages are edited. */
export interface HeldEditor {
  /** Why this message cannot be edited (in words), or null when it can. */
  refusal(message: DissectedMessage): string | null;
  /**
   * For a message that is the first of several framed parts edited as one (an HTTP message's start
   * line, then its headers and body): whether `next` still belongs to it.
   */
  continues?(first: DissectedMessage, next: DissectedMessage): boolean;
  /** Whether all parts of the unit have arrived (an HTTP message: its body, if it has one). */
  complete?(parts: DissectedMessage[]): boolean;
  /** The text offered for editing. */
  textOf(original: HeldOriginal): string;
  /** The bytes to forward for `text` (a line end added, Content-Length fixed, a frame re-encoded), or a refusal in words. */
  encode(original: HeldOriginal, text: string): Buffer | string;
  /** The forwarded bytes as a fresh dissector reads them in the original's place. */
  reread(original: HeldOriginal, bytes: Buffer, context: EditContext): DissectedMessage[];
}

/** Feeds a fresh dissector the primer, then the edited bytes; returns what the edited bytes produced in their direction. */
function readAfter(dissector: Dissector, primer: [StreamDir, string | Buffer][], dir: StreamDir, bytes: Buffer): DissectedMessage[] {
  for (const [side, data] of primer) dissector.push(side, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  const read = dissector.push(dir, bytes);
  // A line without its end (or a short frame) is framed only when the stream ends.
  const covered = read.reduce((sum, m) => sum + (m.dir === dir ? m.bytes : 0), 0);
  const rest = covered < bytes.length ? dissector.end().filter((m) => m.dir === dir) : [];
  return [...read, ...rest].filter((m) => m.dir === dir);
}

/**
 * Text typed in a textarea as one protocol line, CRLF at the end; a line break inside is refused: it would
 * be a second command the lab did not frame (joining the lines made a different command than the one typed).
 */
function asLine(text: string): Buffer | string {
  const line = text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(line)) return 'one command per edit: this text has a line break (send the next command from the console)';
  return Buffer.from(`${line}\r\n`, 'utf8');
}

/** Lines as typed (a multi-line reply keeps its lines), each ending in CRLF. */
function asLines(text: string): Buffer {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8');
}

const withoutLineEnd = (bytes: Buffer): string => bytes.toString('utf8').replace(/\r?\n$/, '');

/** A line protocol (SMTP, FTP): a command is one line, a reply one or more lines. */
function lineEditor(create: () => Dissector, greeting: string, commandKinds: readonly string[], replyKinds: readonly string[]): HeldEditor {
  return {
    refusal(message) {
      // What starts TLS (STARTTLS, AUTH TLS and their 220/234) still crosses in clear: a man in the middle can change it.
      if (message.kind === 'tls-record' || message.kind === 'tls-hello') return ENCRYPTED_REFUSAL;
      if (message.dir === 'client' && commandKinds.includes(message.kind)) return null;
      if (message.dir === 'server' && replyKinds.includes(message.kind)) return null;
      return `${message.kind === 'data' ? 'a line of the mail text' : `a ${message.kind} line`} cannot be edited here: only a command or a reply`;
    },
    textOf: ({ bytes }) => withoutLineEnd(bytes),
    encode: ({ message }, text) => {
      if (!text.trim()) return 'the edited message is empty: use Drop to send nothing';
      return message.dir === 'client' ? asLine(text) : asLines(text);
    },
    reread({ message }, bytes, context) {
      if (message.dir === 'client') return readAfter(create(), [['server', greeting]], 'client', bytes);
      // The server's greeting answers nothing (an EHLO's reply is in the greeting phase too, and answers the EHLO).
      const last = context.lastClient;
      if (!last) return readAfter(create(), [], 'server', bytes);
      const primer: [StreamDir, string | Buffer][] = [['server', greeting]];
      if (last?.message.kind === 'data-end') primer.push(['client', 'DATA\r\n'], ['server', '354 go on\r\n'], ['client', '.\r\n']);
      else if (last) primer.push(['client', last.bytes]);
      return readAfter(create(), primer, 'server', bytes);
    },
  };
}

const HTTP_START = new Set(['request-line', 'status-line']);

/** An HTTP message (a SOAP envelope's request or response): edited whole, its Content-Length recomputed. */
function httpEditor(create: () => Dissector): HeldEditor {
  return {
    refusal(message) {
      if (message.kind === 'tls-record') return ENCRYPTED_REFUSAL;
      if (HTTP_START.has(message.kind)) return null;
      return 'only a whole HTTP message can be edited: hold it at its request or status line';
    },
    continues: (_first, next) => !HTTP_START.has(next.kind) && next.dir !== 'note',
    complete(parts) {
      const length = parts.find((p) => p.kind === 'header' && /^content-length$/i.test(p.fields?.[0]?.name ?? ''));
      const declared = Number(length?.fields?.[0]?.value ?? 0);
      if (declared > 0) return parts.some((p) => p.kind === 'body');
      // No body, or chunked: the blank line (or the last chunk's) ends what we can edit.
      return parts.some((p) => p.kind === 'blank');
    },
    textOf: ({ bytes }) => bytes.toString('utf8'),
    encode(_original, text) {
      const normalised = text.replace(/\r?\n/g, '\n');
      const split = normalised.indexOf('\n\n');
      const head = (split < 0 ? normalised : normalised.slice(0, split)).split('\n').filter((line) => line !== '');
      const body = split < 0 ? '' : normalised.slice(split + 2);
      if (head.length === 0) return 'the edited message has no start line';
      if (head.some((line) => /^transfer-encoding:/i.test(line))) return 'remove Transfer-Encoding: the lab sends the edited body with a Content-Length';
      const bodyBytes = Buffer.from(body, 'utf8');
      const headers = head.filter((line, i) => i === 0 || !/^content-length:/i.test(line));
      // RFC 9112 §6.2: Content-Length is the body's length in octets, so it follows the edit.
      if (bodyBytes.length > 0 || head.some((line) => /^content-length:/i.test(line))) headers.push(`Content-Length: ${bodyBytes.length}`);
      return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8'), bodyBytes]);
    },
    reread({ message }, bytes) {
      // A header line or body of a reply read alone is not HTTP ("Not HTTP"): only a start line can be read
      // again on its own (the answer to an edited request); the rest stays as the connection's dissector framed it.
      if (!HTTP_START.has(message.kind)) return [];
      const primer: [StreamDir, string][] = message.dir === 'server' ? [['client', 'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n']] : [];
      return readAfter(create(), primer, message.dir === 'server' ? 'server' : 'client', bytes);
    },
  };
}


const FLAG_MORE = 0x01;
const FLAG_LONG = 0x02;
const FLAG_COMMAND = 0x04;

/** A ZMTP message frame: its body is edited, its flags (MORE kept, LONG recomputed) and size re-encoded. */
const zmtpEditor: HeldEditor = {
  refusal(message) {
    if (message.kind === 'frame') return null;
    if (message.kind === 'command') return 'ZMTP commands (READY, SUBSCRIBE…) are not edited here: hold a message frame';
    return `a ${message.kind} cannot be edited here: only a message frame`;
  },
  textOf: ({ bytes }) => {
    const long = (bytes[0] & FLAG_LONG) !== 0;
    return bytes.subarray(long ? 9 : 2).toString('utf8');
  },
  encode({ bytes }, text) {
    if (bytes[0] & FLAG_COMMAND) return 'ZMTP commands are not edited here';
    const body = Buffer.from(text, 'utf8');
    const long = body.length > 255;
    // ZMTP 3.1 §2.3 (RFC 23): flags, then a 1-octet size, or 8 octets (network order) with LONG set.
    const header = Buffer.alloc(long ? 9 : 2);
    header[0] = (bytes[0] & FLAG_MORE) | (long ? FLAG_LONG : 0);
    if (long) header.writeBigUInt64BE(BigInt(body.length), 1);
    else header[1] = body.length;
    return Buffer.concat([header, body]);
  },
  reread({ message }, bytes) {
    const dir = message.dir === 'server' ? 'server' : 'client';
    const read = readAfter(createZmtpDissector(), [['client', nullGreeting(false)], ['server', nullGreeting(true)]], dir, bytes);
    // The fresh read knows no socket types; the original does: an envelope delimiter given text no longer delimits.
    const [edited] = read;
    if (message.annotation?.key !== 'zmtp.frame.delimiter' || read.length !== 1 || edited.annotation?.key === 'zmtp.frame.delimiter') return read;
    return [{ ...edited, annotation: annotateZmtp('zmtp.frame.no-delimiter', { extra: 'This frame was the empty delimiter before the edit.' }) }];
  },
};

/** SSH: cleartext only until NEWKEYS, and even then both sides hash the KEXINITs into the key exchange. */
const sshEditor: HeldEditor = {
  refusal: (message) =>
    message.kind === 'encrypted' || message.phase === 'encrypted' || message.phase === 'auth' || message.phase === 'connection'
      ? ENCRYPTED_REFUSAL
      : 'SSH packets are not edited on the wire: both sides hash the version lines and KEXINITs into the key exchange, so any change makes it fail',
  textOf: () => '',
  encode: () => ENCRYPTED_REFUSAL,
  reread: () => [],
};

const SMTP = lineEditor(() => createSmtpDissector(), '220 lab.test ESMTP\r\n', ['command'], ['reply']);
const FTP = lineEditor(() => createFtpDissector(), '220 ready\r\n', ['command'], ['reply']);

/** The editor of each protocol whose held messages can be changed (or refused with a reason). */
const EDITORS: Partial<Record<Protocol, HeldEditor>> = {
  smtp: SMTP,
  ftp: FTP,
  soap: httpEditor(createSoapDissector),
  policy: httpEditor(createSoapDissector),
  gateway: httpEditor(createHttpApiDissector),
  zmq: zmtpEditor,
  ssh: sshEditor,
};

export function editorFor(protocol: Protocol): HeldEditor | undefined {
  return EDITORS[protocol];
}
