/**
 * HTTP/1.1 framing for one direction of a connection to the service host (RFC 9112): start line, header fields,
 * then a body framed by Content-Length, chunked coding or (responses only) the end of the connection; keep-alive
 * and pipelining loop back to the start line. Every message covers exactly the raw bytes it consumed (`bytes`),
 * buffers are bounded, and bytes that are not HTTP become "not HTTP" lines (naming the client: other-client.ts).
 */
import { decodeXmlBody } from './charset.ts';
import type { Annotation, Field } from '../../wire/event.ts';
import { escapeControls, hexPreview } from '../../wire/escape.ts';
import { secretSpan } from '../../wire/redact.ts';
import { credentialsOf } from './http-credentials.ts';
import { drainLineReader, newLineReader, readLine, type LineEvent, type LineLimits, type LineReader } from '../../wire/line-reader.ts';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { lookupReplyIn, type ReplyTable } from '../kit/replies.ts';
import { annotate } from './annotate.ts';
import { describeEnvelope, annotateSoapEnvelope } from './envelope.ts';
import { ClientOpening } from './other-client.ts';
import { ALL_FACTS, HTTP_FRAMING, HTTP_HEADERS, HTTP_METHODS, HTTP_OTHER_CLIENTS, HTTP_STATUS } from './tables.ts';
import { API_HEADER_KEYS } from './api-tables.ts';
import { soapHeaderValueNote, versionOfMediaType } from './versions.ts';
import { MAX_XML_BYTES } from './xml.ts';

/** A line longer than this is shown in pieces (and never buffered whole). */
export const MAX_LINE = 8 * 1024;
/** Bodies are kept for display up to this size; beyond it they are only counted. */
export const MAX_BODY_SHOWN = MAX_XML_BYTES;
/** Lines of up to MAX_LINE bytes (line end included); longer ones are shown by their start, then counted in MAX_LINE pieces. */
const LINE_LIMITS: LineLimits = { lineBuffer: MAX_LINE, overlongBlock: MAX_LINE, preview: 200 };
const MAX_PENDING_METHODS = 100;
const MAX_HEADERS_KEPT = 100;

/** HTTP_STATUS as a three-digit reply table: codes, then the class rows ('4xx'), else a plain status line. */
const STATUS_TABLE: ReplyTable = (() => {
  const rows = (pattern: RegExp, id: (name: string) => string | number) =>
    Object.fromEntries(Object.entries(HTTP_STATUS).filter(([name]) => pattern.test(name)).map(([name, r]) => [id(name), { key: r.key, ref: r.ref, level: r.level ?? 'info' }]));
  const statusLine = HTTP_FRAMING.statusLine;
  return { codes: rows(/^\d{3}$/, Number), classes: rows(/^\dxx$/, (name) => name[0]), unknown: { key: statusLine.key, ref: statusLine.ref, level: statusLine.level ?? 'info' } };
})();

/** Whose service host the bytes go to: the SOAP lab's, or a JSON/REST API's. */
export type HttpFlavour = 'soap' | 'api';

/** What the two directions of one connection share: which requests still await a response. */
export interface HttpConnectionState {
  pendingMethods: string[];
}

type Mode = 'start' | 'headers' | 'body-length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'body-close';

const decoder = new TextDecoder('utf-8', { fatal: false });
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d)\.(\d)$/;
const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;

/** The incremental HTTP parser for one direction. */
export class HttpDirectionParser {
  /** Start, header, chunk-size and trailer lines; body bytes never pass through it. */
  private readonly reader: LineReader = newLineReader();
  private mode: Mode = 'start';
  private headers: { name: string; value: string }[] = [];
  private remaining = 0;
  private bodyChunks: Buffer[] = [];
  private bodyKept = 0;
  private bodyTotal = 0;
  /** Bytes of the current chunk (data + its CRLF) not yet covered by a message. */
  private chunkCovered = 0;
  private isHeadResponse = false;
  private statusCode = 0;
  private out: DissectedMessage[] = [];
  /** Client only: its first bytes and first start line, where another protocol's client is named. */
  private readonly opening: ClientOpening | null;

  constructor(
    private readonly dir: StreamDir,
    private readonly shared: HttpConnectionState,
    /** 'api': a JSON/REST host (the access-control lab), whose prose must not speak of SOAP (api-tables.ts). */
    private readonly flavour: HttpFlavour = 'soap',
  ) {
    this.opening = dir === 'client' ? new ClientOpening((protocol) => this.note(HTTP_OTHER_CLIENTS[protocol].key)) : null;
  }

  /** The annotation of `key`, or of its `api.` override on an API host. */
  private note(key: string, options?: Parameters<typeof annotate>[1]): Annotation {
    return annotate(this.flavour === 'api' && ALL_FACTS.has(`api.${key}`) ? `api.${key}` : key, options);
  }

  push(chunk: Uint8Array): DissectedMessage[] {
    this.out = [];
    let pos = 0;
    while (pos < chunk.length) pos = this.opening?.reading ? this.openingStep(this.opening, chunk, pos) : this.step(chunk, pos);
    return this.out;
  }

  /** The client's first bytes: another protocol's binary opening, or bytes the opening hands back as lines. */
  private openingStep(opening: ClientOpening, chunk: Uint8Array, pos: number): number {
    const { next, replay } = opening.step(chunk, pos, this.out);
    for (let p = 0; replay && p < replay.length; ) p = this.step(replay, p);
    return next;
  }

  end(): DissectedMessage[] {
    this.out = [];
    // Bytes held while undecided (fewer than a ZMTP signature) are read as the partial line they are.
    const held = this.opening?.end(this.out);
    for (let p = 0; held && p < held.length; ) p = this.step(held, p);
    if (this.mode === 'body-close') {
      this.finishBody(this.bodyTotal);
    } else if (this.uncovered() > 0) {
      const bytes = this.uncovered();
      const { partial, more } = drainLineReader(this.reader);
      const text = (this.mode === 'start' || this.mode === 'headers') && !more ? this.lineText(partial) : `<${bytes} bytes>`;
      this.bodyTotal = 0;
      this.chunkCovered = 0;
      this.emit('incomplete', text, bytes, this.note(HTTP_FRAMING.incomplete.key, { extra: 'The connection ended before this line or body was complete.' }));
    } else if (this.mode !== 'start') {
      this.emitNote(this.note(HTTP_FRAMING.incomplete.key), 'connection closed in the middle of a message');
    }
    this.mode = 'start';
    return this.out;
  }

  /** Raw bytes consumed or buffered that no message has covered yet. */
  private uncovered(): number {
    let bytes = this.reader.buf.length + (this.reader.skip?.pending ?? 0);
    if (this.mode === 'body-length') bytes += this.bodyTotal;
    if (this.mode === 'chunk-data' || this.mode === 'chunk-end') bytes += this.chunkCovered;
    return bytes;
  }

  // ── framing ──

  /** Runs one framing step on chunk[pos…]; returns where the next one starts. */
  private step(chunk: Uint8Array, pos: number): number {
    switch (this.mode) {
      case 'body-length':
      case 'chunk-data': {
        const take = Math.min(this.remaining, chunk.length - pos);
        this.takeBody(chunk.subarray(pos, pos + take));
        this.remaining -= take;
        if (this.mode === 'chunk-data') this.chunkCovered += take;
        if (this.remaining > 0) return pos + take;
        if (this.mode === 'body-length') this.finishBody(this.bodyTotal);
        else this.mode = 'chunk-end';
        return pos + take;
      }
      case 'body-close':
        this.takeBody(chunk.subarray(pos));
        return chunk.length;
      default: {
        const { ev, next } = readLine(this.reader, chunk, pos, LINE_LIMITS);
        if (ev?.t === 'line') this.onLine(ev.bytes, decoder.decode(ev.content), ev.content);
        else if (ev) this.overlongPiece(ev);
        return next;
      }
    }
  }

  /** A line longer than MAX_LINE: its start, then its remainder in pieces up to its LF. */
  private overlongPiece(ev: Exclude<LineEvent, { t: 'line' }>): void {
    if (this.mode === 'start') this.opening?.firstLine(null);
    const text = ev.t === 'overlong' ? this.lineText(ev.preview) + '…' : '…';
    const extra = ev.t === 'overlong' ? `${ev.bytes} bytes of a line longer than ${MAX_LINE} bytes.` : `${ev.bytes} more bytes of it${ev.ended ? `, up to its line end (${ev.total} bytes in all)` : ''}.`;
    this.emit('line-piece', text, ev.bytes, this.note(HTTP_FRAMING.lineTooLong.key, { extra }));
  }

  private onLine(bytes: number, text: string, raw: Uint8Array): void {
    switch (this.mode) {
      case 'start':
        return this.onStartLine(bytes, text, raw);
      case 'headers':
        return this.onHeaderLine(bytes, text);
      case 'chunk-size':
        return this.onChunkSize(bytes, text);
      case 'chunk-end': {
        const covered = this.chunkCovered + bytes;
        this.chunkCovered = 0;
        this.emit('chunk', `<chunk: ${covered - bytes} bytes>`, covered, this.note(HTTP_FRAMING.chunkData.key));
        this.mode = 'chunk-size';
        return;
      }
      case 'trailers':
        if (text === '') {
          this.emit('blank', '', bytes, this.note(HTTP_FRAMING.chunkedEnd.key));
          this.finishBody(0);
        } else this.emit('trailer', escapeControls(text), bytes, this.note(HTTP_FRAMING.trailer.key));
        return;
      default:
        return;
    }
  }

  private onStartLine(bytes: number, text: string, raw: Uint8Array): void {
    if (text === '') {
      this.emit('blank', '', bytes, this.note(HTTP_FRAMING.emptyLine.key));
      return;
    }
    const other = this.opening?.firstLine(raw) ?? null;
    this.headers = [];
    this.isHeadResponse = false;
    this.statusCode = 0;
    const request = this.dir === 'client' ? REQUEST_LINE.exec(text) : null;
    const status = this.dir === 'server' ? STATUS_LINE.exec(text) : null;
    if (request) {
      const [, method, target, major, minor] = request;
      if (this.shared.pendingMethods.length < MAX_PENDING_METHODS) this.shared.pendingMethods.push(method);
      const row = HTTP_METHODS[method];
      const version = `HTTP/${major}.${minor}`;
      const extra = version !== 'HTTP/1.1' && version !== 'HTTP/1.0' ? `${version} is not what this server speaks (it answers 505).` : undefined;
      this.emit('request-line', escapeControls(text), bytes, row ? this.note(row.key, { title: `${method} ${target}`, extra }) : this.note(HTTP_FRAMING.requestLine.key, { extra }), [
        { name: 'method', value: method },
        { name: 'target', value: target },
        { name: 'version', value: version },
      ]);
      this.mode = 'headers';
      return;
    }
    if (status) {
      const [, major, minor, code, reason = ''] = status;
      this.statusCode = Number(code);
      this.isHeadResponse = this.shared.pendingMethods[0] === 'HEAD';
      const apiOnly = this.flavour === 'api' && ALL_FACTS.get(`api.http.status.${code}`);
      const row = apiOnly || lookupReplyIn(STATUS_TABLE, Number(code));
      this.emit('status-line', escapeControls(text), bytes, row === STATUS_TABLE.unknown ? this.note(row.key) : this.note(row.key, { title: `${code} ${reason}`.trim() }), [
        { name: 'version', value: `HTTP/${major}.${minor}` },
        { name: 'status', value: code },
        { name: 'reason', value: reason },
      ]);
      this.mode = 'headers';
      return;
    }
    if (other) return this.emit('not-http', escapeControls(text), bytes, this.note(HTTP_OTHER_CLIENTS[other].key));
    const hint = this.dir === 'client' && /^\s*</.test(text)
      ? 'This looks like XML where a request line was expected — did the request above lack Content-Length (or count too few bytes)?'
      : this.dir === 'client' ? 'A request line looks like: POST /soap/calendar HTTP/1.1' : undefined;
    this.emit('not-http', escapeControls(text), bytes, this.note(HTTP_FRAMING.garbage.key, { extra: hint }));
  }

  private onHeaderLine(bytes: number, text: string): void {
    if (text === '') {
      this.emit('blank', '', bytes, this.note(HTTP_FRAMING.headerEnd.key));
      this.startBody();
      return;
    }
    if (/^[ \t]/.test(text)) {
      this.emit('header', escapeControls(text), bytes, this.note(HTTP_FRAMING.obsFold.key));
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) {
      this.emit('header', escapeControls(text), bytes, this.note(HTTP_FRAMING.header.key, { level: 'warn', extra: 'This line has no "name:" part, so it is not a valid header field.' }));
      return;
    }
    const name = text.slice(0, colon).trim();
    const value = text.slice(colon + 1).trim();
    if (this.headers.length < MAX_HEADERS_KEPT) this.headers.push({ name: name.toLowerCase(), value });
    const shown = escapeControls(text);
    this.emit('header', shown, bytes, this.headerAnnotation(name, value), [{ name: escapeControls(name), value: escapeControls(value) }]);
    const credentials = credentialsOf(name, value);
    const secret = credentials && secretSpan(shown, escapeControls(credentials));
    if (secret) this.out[this.out.length - 1].secret = secret;
  }

  private headerAnnotation(name: string, value: string): Annotation {
    const lower = name.toLowerCase();
    const apiKey = this.flavour === 'api' ? API_HEADER_KEYS[lower] : undefined;
    if (apiKey) return this.note(apiKey.replace(/^api\./, ''));
    const row = HTTP_HEADERS[lower];
    // The name as sent, escaped: a zero-width space or ESC in it is the client's, shown, not obeyed.
    if (!row) return this.note(HTTP_FRAMING.header.key, { title: escapeControls(name) });
    return this.note(row.key, { extra: soapHeaderValueNote(lower, value) });
  }

  private header(name: string): string | undefined {
    return this.headers.find((h) => h.name === name)?.value;
  }

  private startBody(): void {
    this.bodyChunks = [];
    this.bodyKept = 0;
    this.bodyTotal = 0;
    const isInterim = this.dir === 'server' && this.statusCode >= 100 && this.statusCode < 200;
    if (isInterim) {
      this.mode = 'start';
      return;
    }
    const noBody = this.dir === 'server' && (this.isHeadResponse || this.statusCode === 204 || this.statusCode === 304);
    const te = this.header('transfer-encoding');
    const cl = this.header('content-length');
    if (noBody) return this.finishBody(0, true);
    if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) {
      this.mode = 'chunk-size';
      return;
    }
    if (cl !== undefined) {
      const lengths = new Set(cl.split(',').map((s) => s.trim()));
      const only = [...lengths][0];
      if (lengths.size !== 1 || !/^\d{1,15}$/.test(only)) {
        this.emitNote(this.note(HTTP_FRAMING.badLength.key, { extra: `Content-Length: ${escapeControls(cl)}` }), 'invalid Content-Length — body framing unknown');
        return this.finishBody(0, true);
      }
      this.remaining = Number(only);
      if (this.remaining === 0) return this.finishBody(0, true);
      this.mode = 'body-length';
      return;
    }
    if (this.dir === 'server') {
      this.mode = 'body-close';
      return;
    }
    this.finishBody(0, true);
  }

  private onChunkSize(bytes: number, text: string): void {
    const match = /^([0-9A-Fa-f]{1,12})(;.*)?$/.exec(text.trim());
    if (!match) {
      this.emit('not-http', escapeControls(text), bytes, this.note(HTTP_FRAMING.chunkSize.key, { level: 'error', extra: 'Expected a hexadecimal chunk size.' }));
      this.finishBody(0);
      return;
    }
    const size = parseInt(match[1], 16);
    if (size === 0) {
      this.emit('chunk-size', escapeControls(text), bytes, this.note(HTTP_FRAMING.lastChunk.key));
      this.mode = 'trailers';
      return;
    }
    this.emit('chunk-size', escapeControls(text), bytes, this.note(HTTP_FRAMING.chunkSize.key, { extra: `0x${match[1]} = ${size} bytes.` }), [{ name: 'size', value: String(size) }]);
    this.remaining = size;
    this.chunkCovered = 0;
    this.mode = 'chunk-data';
  }

  private takeBody(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.bodyTotal += piece.length;
    if (this.bodyKept < MAX_BODY_SHOWN) {
      const kept = piece.subarray(0, MAX_BODY_SHOWN - this.bodyKept);
      this.bodyChunks.push(Buffer.from(kept));
      this.bodyKept += kept.length;
    }
  }

  /** The message (request or response) is complete: describe its body and go back to the start line. */
  private finishBody(bytes: number, empty = false): void {
    this.mode = 'start';
    if (this.dir === 'server' && this.statusCode >= 200) this.shared.pendingMethods.shift();
    if (empty) return;
    const body = Buffer.concat(this.bodyChunks);
    this.bodyChunks = [];
    const total = this.bodyTotal;
    const contentType = this.header('content-type') ?? '';
    const encoding = this.header('content-encoding');
    const truncated = total > body.length;
    if (encoding && !/^identity$/i.test(encoding)) {
      this.emit('body', `<${total} bytes, ${escapeControls(encoding)}-encoded: ${hexPreview(body)}>`, bytes, this.note(HTTP_HEADERS['content-encoding'].key));
      return;
    }
    const looksXml = /xml/i.test(contentType) || /^\s*</.test(decoder.decode(body.subarray(0, 64)));
    if (looksXml && !truncated) {
      const { summary, lines } = annotateSoapEnvelope(decodeXmlBody(body, contentType), { dir: this.dir });
      const declared = versionOfMediaType(contentType);
      const mismatch = declared && summary.version && declared !== summary.version
        ? `Content-Type says SOAP ${declared} but the envelope is SOAP ${summary.version}: a VersionMismatch fault is the right answer.`
        : undefined;
      this.emit('body', `<${total} bytes: ${describeEnvelope(summary)}>`, bytes, this.note(HTTP_FRAMING.body.key, { level: mismatch ? 'warn' : undefined, extra: mismatch }), bodyFields(total, summary.operation?.name, summary.fault?.code));
      this.out.push(...lines);
      return;
    }
    if (looksXml) {
      this.emit('body', `<${total} bytes of XML, too large to show>`, bytes, this.note('xml.too-large'));
      return;
    }
    const text = decoder.decode(body);
    const printable = !/[\x00-\x08\x0e-\x1f]/.test(text);
    this.emit('body', `<${total} bytes${printable ? '' : `: ${hexPreview(body)}`}>`, bytes, this.note(HTTP_FRAMING.body.key));
    if (printable) {
      for (const line of text.split('\n').slice(0, 50)) this.out.push({ dir: this.dir, kind: 'text', text: escapeControls(line.replace(/\r$/, '')), bytes: 0, phase: 'body' });
    }
  }

  // ── output ──

  private lineText(raw: Uint8Array): string {
    return escapeControls(decoder.decode(raw).replace(/\r?\n$/, ''));
  }

  private emit(kind: string, text: string, bytes: number, annotation?: Annotation, fields?: Field[]): void {
    this.out.push({ dir: this.dir, kind, text, bytes, annotation, fields, phase: kind === 'body' ? 'body' : 'http' });
  }

  private emitNote(annotation: Annotation, text: string): void {
    this.out.push({ dir: 'note', kind: 'note', text, bytes: 0, annotation });
  }
}

function bodyFields(total: number, operation: string | undefined, fault: string | undefined): Field[] {
  const fields: Field[] = [{ name: 'length', value: String(total) }];
  if (operation) fields.push({ name: 'operation', value: operation });
  if (fault) fields.push({ name: 'fault', value: fault });
  return fields;
}
