/**
 * The FTP control-channel dissector (RFC 959 §4–5): CRLF-terminated commands from the client,
 * three-digit replies from the server (multi-line "211-…" up to "211 End", §4.2), each annotated
 * from the tables. Decodes 227/229/PORT/EPRT addresses, names each FEAT line, and after AUTH TLS + 234
 * (RFC 4217 §4) frames both directions as TLS records. Pure, incremental, bounded, never throws.
 */
import { escapeControls, hexPreview } from '../../wire/escape.ts';
import type { Annotation, Field } from '../../wire/event.ts';
import { secretSpan } from '../../wire/redact.ts';
import { EMPTY_BYTES, atLineStart, concat, drainLineReader, newLineReader, readLine, type LineEvent, type LineLimits, type LineReader } from '../../wire/line-reader.ts';
import { flushTls, frameTls, initialTlsFramerState, type TlsFrame, type TlsFramerState } from '../../wire/tls-records.ts';
import { otherClientOf } from '../kit/other-client.ts';
import type { Fact } from '../kit/prose.ts';
import { tlsRecordLine, tlsRecordMessage } from '../kit/tls-message.ts';
import { tlsRecordAsCommand, tlsRecordAt, tlsRecordStart } from '../kit/tls-record-start.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { decodeEprt, decodeEpsvReply, decodeSixNumbers } from './addresses.ts';
import { annotate } from './annotate.ts';
import { FTP_HTTP_MORE, FTP_OTHER_CLIENTS, lookupFtpCommand, splitCommand } from './commands.ts';
import { FTP_FEATURES, lookupFtpReply } from './replies.ts';
import { isAbortWithoutLineFeed, withoutTelnetCommands } from './telnet.ts';

/** Longest line kept while waiting for its CRLF; beyond it the bytes are shown as an overlong piece. */
const MAX_LINE = 8 * 1024;
/** Lines of up to MAX_LINE bytes plus CRLF; an overlong one is shown by its start, then counted in 64 KiB blocks. */
const LINE_LIMITS: LineLimits = { lineBuffer: MAX_LINE + 2, overlongBlock: 64 * 1024, preview: 120 };
/** Commands remembered while their replies are outstanding (pipelining). */
const MAX_PENDING = 64;
const decoder = new TextDecoder('utf-8', { fatal: false });

export interface FtpDissectorOptions {
  /**
   * Endpoint view: lines as ftp-srv logged them after decryption. Never switches to TLS framing,
   * and PASS is explained as having crossed encrypted.
   */
  endpoint?: boolean;
}

/** The Telnet commands a client sent before a command (IP and the Synch before ABOR). */
function telnetFields(commands: string[]): Field[] {
  if (commands.length === 0) return [];
  return [{ name: 'telnet', value: commands.map((c) => `IAC ${c}`).join(', '), note: 'Telnet "interrupt process" and Synch (DM, sent as urgent data) ahead of ABOR (RFC 959 §4.1.3)' }];
}

/** Fields decoding a PORT / EPRT argument. */
function addressFields(verb: string, arg: string): Field[] | undefined {
  if (verb === 'PORT') {
    const hp = decodeSixNumbers(arg);
    return hp ? [{ name: 'address', value: hp.host }, { name: 'port', value: String(hp.port), note: `p1×256+p2 = ${hp.arithmetic}` }] : undefined;
  }
  if (verb === 'EPRT') {
    const hp = decodeEprt(arg);
    return hp ? [{ name: 'family', value: `IPv${hp.family}` }, { name: 'address', value: hp.host }, { name: 'port', value: String(hp.port) }] : undefined;
  }
  return undefined;
}

/** Fields decoding a 227 / 229 reply. */
function replyFields(code: number, text: string): Field[] | undefined {
  if (code === 227) {
    const hp = decodeSixNumbers(text);
    return hp ? [{ name: 'address', value: hp.host }, { name: 'port', value: String(hp.port), note: `p1×256+p2 = ${hp.arithmetic}` }] : undefined;
  }
  if (code === 229) {
    const port = decodeEpsvReply(text);
    return port ? [{ name: 'port', value: String(port), note: 'address = the control connection\'s' }] : undefined;
  }
  return undefined;
}

function tlsMessage(dir: StreamDir, frame: TlsFrame): DissectedMessage {
  if (frame.kind === 'garbage') return tlsRecordMessage(dir, frame, { text: `<${frame.bytes} bytes that are not TLS records: ${hexPreview(frame.preview)}>` });
  return tlsRecordMessage(dir, frame, { text: tlsRecordLine(frame, { markCut: true }), annotation: annotate({ key: 'ftp.tls.record', ref: 'RFC 4217 §4; RFC 8446 §5.1' }) });
}

/** The start of a line longer than MAX_LINE (its first bytes), or a count of its remainder. */
function overlongMessage(dir: StreamDir, ev: Exclude<LineEvent, { t: 'line' }>): DissectedMessage {
  if (ev.t === 'more') {
    const text = ev.ended ? `… <${ev.bytes} more bytes, then the line end: ${ev.total} bytes in all>` : `… <${ev.bytes} more bytes without a line end>`;
    return { dir, kind: 'overlong', text, bytes: ev.bytes };
  }
  return { dir, kind: 'overlong', text: `${escapeControls(decoder.decode(ev.preview))}… <${ev.bytes} bytes without a line end>`, bytes: ev.bytes, annotation: annotate({ key: 'ftp.line.overlong', ref: 'RFC 959 §4.2' }) };
}

const TLS_WITHOUT_AUTH = { key: 'ftp.cmd.tls-without-auth', ref: 'RFC 4217 §4; RFC 8446 §4.1.2', level: 'warn' } as const;

/** A TLS handshake record where an FTP command should be (the client started TLS without AUTH TLS); whole, or cut short by the connection's end. */
function tlsWithoutAuth(record: Uint8Array): DissectedMessage {
  const { hello, total } = tlsRecordStart(record);
  const size = total === null || record.length >= total ? `${record.length} bytes` : `${record.length} of ${total} bytes (cut short)`;
  return tlsRecordAsCommand(record, `<TLS ${hello ? 'ClientHello' : 'handshake record'}, ${size}, sent as an FTP command>`, annotate(TLS_WITHOUT_AUTH));
}

/** The feature a FEAT reply line names (RFC 2389 §3.2: one per line, after a single space). */
function featureAnnotation(line: string): Annotation {
  const words = line.trim().toUpperCase().split(/\s+/);
  const key = [`${words[0]} ${words[1] ?? ''}`.trim(), words[0]].map((k) => `ftp.feat.${k}`).find((k) => Object.hasOwn(FTP_FEATURES, k));
  return key ? annotate({ key, ref: FTP_FEATURES[key] }) : annotate({ key: 'ftp.feat.unknown', ref: 'RFC 2389 §3.2' });
}

class FtpControlDissector implements Dissector {
  private readonly readers: Record<StreamDir, LineReader> = { client: newLineReader(), server: newLineReader() };
  /** A client line that starts like a TLS record (0x16 0x03), held until the record is complete or ruled out. */
  private held: Uint8Array = EMPTY_BYTES;
  /** The client's first command (or record) has been read: only that one is asked which client sent it. */
  private opened: boolean;
  /** Inside the header lines of an HTTP request that opened the connection, until its empty line. */
  private httpHeaders = false;
  private readonly tls: Record<StreamDir, TlsFramerState | null> = { client: null, server: null };
  private readonly verbs: string[] = [];
  private greeted: boolean;
  /** Code of a multi-line reply in progress ("211-" seen, "211 " not yet). */
  private multiCode: number | null = null;
  /** The command a multi-line reply answers (FEAT's lines are each a feature). */
  private multiContext = '';

  constructor(private readonly options: FtpDissectorOptions) {
    // The endpoint view starts after AUTH TLS: the greeting and the first command are long past.
    this.greeted = options.endpoint === true;
    this.opened = options.endpoint === true;
  }

  push(dir: StreamDir, chunk: Uint8Array): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    const reader = this.readers[dir];
    let data = chunk;
    if (dir === 'client' && this.held.length) {
      data = concat(this.held, chunk);
      this.held = EMPTY_BYTES;
    }
    let pos = 0;
    while (pos < data.length) {
      if (this.tls[dir]) {
        // 234 switched this direction to TLS: what is left is the first TLS bytes.
        out.push(...this.toTls(dir, data.subarray(pos)));
        return out;
      }
      if (dir === 'client' && atLineStart(reader)) {
        const record = tlsRecordAt(data, pos);
        if (record === 'incomplete') {
          this.held = data.slice(pos);
          break;
        }
        if (record !== null) {
          out.push(tlsWithoutAuth(data.subarray(pos, pos + record)));
          this.opened = true;
          pos += record;
          continue;
        }
      }
      const { ev, next } = readLine(reader, data, pos, LINE_LIMITS);
      pos = next;
      if (ev?.t === 'line') out.push(...this.line(dir, ev.content, ev.bytes));
      else if (ev) out.push(overlongMessage(dir, ev));
      if (ev && dir === 'client') this.opened = true;
    }
    if (dir === 'client' && isAbortWithoutLineFeed(reader.buf)) {
      // The server takes it as ABOR too (its LF went as urgent data): shown now, in wire order.
      const { partial } = drainLineReader(reader);
      out.push(...this.line(dir, partial.subarray(0, partial.length - 1), partial.length));
    }
    return out;
  }

  end(): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    for (const dir of ['client', 'server'] as const) {
      const state = this.tls[dir];
      if (state) {
        const { more, rest } = this.takePending(dir);
        if (more) out.push(more);
        const framed = rest.length ? frameTls(state, rest) : { state, frames: [] };
        out.push(...framed.frames.map((f) => tlsMessage(dir, f)), ...flushTls(framed.state).map((f) => tlsMessage(dir, f)));
        this.tls[dir] = initialTlsFramerState;
        continue;
      }
      if (dir === 'client' && otherClientOf(this.held) === 'tls') {
        // The connection ended inside a record sent as a command: the record, cut short.
        out.push(tlsWithoutAuth(this.held));
        this.held = EMPTY_BYTES;
      }
      const { more, rest } = this.takePending(dir);
      if (more) out.push(more);
      if (rest.length) out.push(...this.line(dir, rest, rest.length));
    }
    return out;
  }

  /** What a direction holds that is not yet a message: an overlong remainder's count and the bytes of a partial line. */
  private takePending(dir: StreamDir): { more: DissectedMessage | null; rest: Uint8Array } {
    const { partial, more } = drainLineReader(this.readers[dir]);
    const held = dir === 'client' ? this.held : EMPTY_BYTES;
    if (dir === 'client') this.held = EMPTY_BYTES;
    return { more: more && overlongMessage(dir, more), rest: held.length ? concat(held, partial) : partial };
  }

  /** Frames TLS bytes, starting with whatever the direction had pending when it switched. */
  private toTls(dir: StreamDir, bytes: Uint8Array): DissectedMessage[] {
    const { more, rest } = this.takePending(dir);
    const data = rest.length ? concat(rest, bytes) : bytes;
    const out = more ? [more] : [];
    if (data.length === 0) return out;
    const { state, frames } = frameTls(this.tls[dir] ?? initialTlsFramerState, data);
    this.tls[dir] = state;
    return [...out, ...frames.map((f) => tlsMessage(dir, f))];
  }

  /** One line (content without its line end, or a partial one at the end) of `bytes` raw bytes. */
  private line(dir: StreamDir, content: Uint8Array, bytes: number): DissectedMessage[] {
    if (dir === 'server') return this.reply(decoder.decode(content).replace(/\r?\n$/, ''), bytes);
    const { content: command, commands } = withoutTelnetCommands(content);
    return [this.command(decoder.decode(command).replace(/\r?\n$/, ''), bytes, commands, this.otherClient(command))];
  }

  /**
   * The note for a command line if another protocol's client sent it (curl, ssh, swaks pointed at this
   * port): the first command only, then an HTTP request's header lines up to its empty line.
   * FTP's own openings (USER, FEAT…; QUIT, NOOP, HELP, which SMTP shares) get none.
   */
  private otherClient(line: Uint8Array): Fact | null {
    if (this.httpHeaders) {
      if (line.length === 0) this.httpHeaders = false;
      return FTP_HTTP_MORE;
    }
    if (this.opened) return null;
    this.opened = true;
    const protocol = otherClientOf(line);
    if (protocol === 'http') this.httpHeaders = true;
    if (protocol === 'tls') return TLS_WITHOUT_AUTH;
    return (protocol && FTP_OTHER_CLIENTS[protocol]) ?? null;
  }

  private command(text: string, bytes: number, telnet: string[] = [], other: Fact | null = null): DissectedMessage {
    const message = this.describeCommand(text, bytes, telnet, other);
    const { verb, arg } = splitCommand(text);
    // PASS's argument in clear (the endpoint view shows it masked): only its own sandbox may read it.
    const secret = verb === 'PASS' && this.options.endpoint !== true ? secretSpan(message.text, escapeControls(arg)) : undefined;
    return secret ? { ...message, secret } : message;
  }

  private describeCommand(text: string, bytes: number, telnet: string[], other: Fact | null): DissectedMessage {
    const { verb, arg } = splitCommand(text);
    const row = lookupFtpCommand(verb);
    const endpoint = this.options.endpoint === true;
    // A command behind an unanswered AUTH: if 234 follows, it was sent in cleartext before TLS.
    const afterAuth = !endpoint && this.verbs.includes('AUTH');
    if (this.verbs.length < MAX_PENDING) this.verbs.push(verb);
    if (afterAuth) {
      return { dir: 'client', kind: 'command', text: escapeControls(text), bytes, annotation: annotate({ key: 'ftp.cmd.after-auth', ref: 'RFC 4217 §4', level: 'warn' }), phase: 'tls' };
    }
    if (other) {
      const fields = telnetFields(telnet);
      return { dir: 'client', kind: 'command', text: escapeControls(text), bytes, fields: fields.length ? fields : undefined, annotation: annotate(other), phase: row.phase };
    }
    if (verb === 'PASS') {
      // ftp-srv masks PASS in its log (endpoint view); on the wire it is exactly what an eavesdropper reads.
      return {
        dir: 'client',
        kind: 'command',
        text: endpoint ? (arg ? 'PASS ********' : 'PASS') : escapeControls(text),
        bytes,
        fields: [endpoint ? { name: 'password', value: '(masked in the server\'s log)', note: 'encrypted on the wire (TLS)' } : { name: 'password', value: escapeControls(arg), note: 'readable by anyone on the wire' }],
        annotation: endpoint ? annotate({ key: 'ftp.cmd.PASS.tls', ref: row.ref }) : annotate({ key: row.key, ref: `${row.ref}; RFC 2577 §5`, level: 'warn' }),
        phase: row.phase,
      };
    }
    const fields = [...(addressFields(verb, arg) ?? []), ...telnetFields(telnet)];
    return {
      dir: 'client',
      kind: 'command',
      text: escapeControls(text),
      bytes,
      fields: fields.length ? fields : undefined,
      annotation: annotate({ key: row.key, ref: row.ref }),
      phase: row.phase,
    };
  }

  private reply(text: string, bytes: number): DissectedMessage[] {
    const match = /^(\d{3})([ -])?/.exec(text);
    const code = match ? Number(match[1]) : null;
    if (this.multiCode !== null) {
      // Inside "211-…": only "211 " (same code, space) ends it (RFC 959 §4.2).
      const ends = code === this.multiCode && match?.[2] !== '-';
      if (!ends) {
        const annotation = this.multiContext === 'FEAT' && this.multiCode === 211 && text.startsWith(' ') ? featureAnnotation(text) : undefined;
        return [{ dir: 'server', kind: annotation ? 'feature' : 'reply-continued', text: escapeControls(text), bytes, annotation, phase: 'session' }];
      }
      this.multiCode = null;
      return [{ dir: 'server', kind: 'reply-end', text: escapeControls(text), bytes, fields: [{ name: 'code', value: String(code) }], phase: 'session' }, ...this.complete(code)];
    }
    if (code === null) {
      return [{ dir: 'server', kind: 'text', text: escapeControls(text), bytes, annotation: annotate({ key: 'ftp.reply.unknown', ref: 'RFC 959 §4.2', level: 'warn' }) }];
    }
    const context = this.greeted ? (this.verbs[0] ?? 'NONE') : 'CONNECT';
    const row = lookupFtpReply(code, context);
    const message: DissectedMessage = {
      dir: 'server',
      kind: 'reply',
      text: escapeControls(text),
      bytes,
      fields: [{ name: 'code', value: String(code) }, ...(replyFields(code, text) ?? [])],
      annotation: annotate(row),
      phase: context === 'CONNECT' ? 'greeting' : lookupFtpCommand(context).phase,
    };
    if (match?.[2] === '-') {
      this.multiCode = code;
      this.multiContext = context;
      return [message];
    }
    return [message, ...this.complete(code)];
  }

  /** A reply finished: advance the command queue; after 234 to AUTH, both directions speak TLS. */
  private complete(code: number): DissectedMessage[] {
    const context = this.greeted ? this.verbs[0] : 'CONNECT';
    this.greeted = true;
    if (code < 200) return [];
    if (context !== 'CONNECT') this.verbs.shift();
    if (code === 234 && context === 'AUTH' && !this.options.endpoint) {
      this.tls.client = initialTlsFramerState;
      this.tls.server = initialTlsFramerState;
      return [{ dir: 'note', kind: 'note', text: 'TLS handshake starts: from here the wire carries TLS records only.', bytes: 0, annotation: annotate({ key: 'ftp.tls.switch', ref: 'RFC 4217 §4' }), phase: 'tls' }];
    }
    return [];
  }
}

/** Builds a control-channel dissector for one FTP connection. */
export function createFtpDissector(options: FtpDissectorOptions = {}): Dissector {
  return new FtpControlDissector(options);
}
