/**
 * SMTP wire dissector: turns the raw bytes of one connection into annotated messages.
 * The core is pure — `reduce(state, dir, chunk) → { state, messages }` never mutates its input —
 * and createSmtpDissector() is a thin stateful wrapper implementing Dissector.
 * Every byte pushed is covered by exactly one message's `bytes` once end() has run (step mode needs it).
 */
import type { Annotation, Field, Level } from '../../wire/event.ts';
import { bytesToSafeText } from '../../wire/escape.ts';
import { flushTls, frameTls, initialTlsFramerState, type TlsFrame, type TlsFramerState } from '../../wire/tls-records.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { SMTP_NOTES, decodeBase64, decodePlain, isHttpRequestLine, lookupCommand, parseAuthArgs, parseCommandLine, parsePathArgs, type NoteRow } from './commands.ts';
import { ENHANCED_CLASSES, ENHANCED_DETAILS, ENHANCED_SUBJECTS, parseEnhancedCode } from './enhanced-codes.ts';
import { lookupParameter, parseEhloLine } from './extensions.ts';
import { INCOMPLETE_REPLY, MALFORMED_REPLY, lookupReply, type ReplyRow } from './replies.ts';
import { TEXT_EN, type SmtpText } from './text.en.ts';

/** Bounds that keep memory flat whatever a peer sends. */
export const SMTP_LIMITS = {
  /** Longest line buffered: 2048 bytes + CRLF; beyond it the line is reported as overlong. */
  lineBuffer: 2050,
  /** Overlong remainders are reported in blocks of this size, so step mode never holds more. */
  overlongBlock: 64 * 1024,
  shownDataLines: 100,
  shownDataBytes: 64 * 1024,
  /** Beyond the shown lines, one summary message per this many bytes of message content. */
  summaryBlock: 1024 * 1024,
  replyLines: 200,
  pendingCommands: 256,
  commandLine: 512,
  textLine: 1000,
  preview: 120,
} as const;

/** Masks passwords and other secrets in texts and fields. */
export const MASK = '••••••';

interface Reader {
  buf: Uint8Array;
  /** Set while discarding the rest of an overlong line. */
  skip: { total: number; pending: number; lastCr: boolean } | null;
}
interface Expect {
  ctx: string;
  early: boolean;
}
interface ReplyAcc {
  code: string;
  lines: string[];
  more: number;
  bytes: number;
}
interface DataAcc {
  lines: number;
  shown: number;
  shownBytes: number;
  warned: number;
  sumLines: number;
  sumBytes: number;
  prevCrlf: boolean;
  headerDone: boolean;
}
interface Draft {
  client: Reader;
  server: Reader;
  clientMode: 'command' | 'data' | 'auth' | 'tls';
  serverTls: boolean;
  greeted: boolean;
  tls: boolean;
  expect: Expect[];
  reply: ReplyAcc | null;
  data: DataAcc;
  auth: { mech: string; step: number; expect: 'username' | 'password' | 'token' | 'secret' } | null;
  tlsClient: TlsFramerState;
  tlsServer: TlsFramerState;
}

/** Everything the dissector remembers about one connection; plain data, never mutated by reduce. */
export type SmtpState = Readonly<Draft>;

/** What reduce and finish return: the next state and the messages completed. */
export interface SmtpStep {
  state: SmtpState;
  messages: DissectedMessage[];
}

const EMPTY = new Uint8Array(0);
const freshData = (): DataAcc => ({ lines: 0, shown: 0, shownBytes: 0, warned: 0, sumLines: 0, sumBytes: 0, prevCrlf: true, headerDone: false });

/** How a dissector starts: on a fresh connection (default) or inside TLS, fed decrypted lines. */
export interface SmtpDissectorOptions {
  /** Start after STARTTLS: greeting done, channel encrypted, the client's EHLO comes next (endpoint view). */
  afterStartTls?: boolean;
  /** The language of annotations; English by default. */
  text?: SmtpText;
}

/** The state of a new connection: waiting for the greeting, or (afterStartTls) for the second EHLO. */
export function initialSmtpState(options: SmtpDissectorOptions = {}): SmtpState {
  const inTls = options.afterStartTls === true;
  return {
    client: { buf: EMPTY, skip: null },
    server: { buf: EMPTY, skip: null },
    clientMode: 'command',
    serverTls: false,
    greeted: inTls,
    tls: inTls,
    expect: inTls ? [] : [{ ctx: 'CONNECT', early: false }],
    reply: null,
    data: freshData(),
    auth: null,
    tlsClient: initialTlsFramerState,
    tlsServer: initialTlsFramerState,
  };
}

// ── line framing ────────────────────────────────────────────────────────────────────────────────
type LineEvent =
  | { t: 'line'; content: Uint8Array; crlf: boolean; bytes: number }
  | { t: 'overlong'; preview: Uint8Array; bytes: number }
  | { t: 'more'; bytes: number; total: number; ended: boolean; crlf: boolean };

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Reads at most one event from chunk[start…]; decisions depend on byte positions only, never on chunking. */
function readLine(r: Reader, chunk: Uint8Array, start: number): { ev: LineEvent | null; next: number } {
  const { lineBuffer, overlongBlock, preview } = SMTP_LIMITS;
  const lf = chunk.indexOf(0x0a, start);
  if (r.skip) {
    const sk = r.skip;
    const room = overlongBlock - sk.pending;
    if (lf !== -1 && lf - start < room) {
      const n = lf + 1 - start;
      const crlf = n >= 2 ? chunk[lf - 1] === 0x0d : sk.lastCr;
      r.skip = null;
      return { ev: { t: 'more', bytes: sk.pending + n, total: sk.total + n, ended: true, crlf }, next: lf + 1 };
    }
    const n = Math.min(room, chunk.length - start);
    sk.pending += n;
    sk.total += n;
    sk.lastCr = chunk[start + n - 1] === 0x0d;
    if (sk.pending < overlongBlock) return { ev: null, next: start + n };
    sk.pending = 0;
    return { ev: { t: 'more', bytes: overlongBlock, total: sk.total, ended: false, crlf: false }, next: start + n };
  }
  if (lf !== -1 && r.buf.length + (lf - start) < lineBuffer) {
    const raw = concat(r.buf, chunk.subarray(start, lf + 1));
    r.buf = EMPTY;
    const crlf = raw.length >= 2 && raw[raw.length - 2] === 0x0d;
    return { ev: { t: 'line', content: raw.subarray(0, raw.length - (crlf ? 2 : 1)), crlf, bytes: raw.length }, next: lf + 1 };
  }
  const take = Math.min(chunk.length - start, lineBuffer - r.buf.length);
  const buf = concat(r.buf, chunk.subarray(start, start + take));
  if (buf.length < lineBuffer) {
    r.buf = buf;
    return { ev: null, next: start + take };
  }
  r.buf = EMPTY;
  r.skip = { total: buf.length, pending: 0, lastCr: buf[buf.length - 1] === 0x0d };
  return { ev: { t: 'overlong', preview: buf.subarray(0, preview), bytes: buf.length }, next: start + take };
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────
interface Run {
  s: Draft;
  out: DissectedMessage[];
  text: SmtpText;
}

function annotate(run: Run, row: NoteRow | ReplyRow | { key: string; ref: string; level?: Level }): Annotation {
  const prose = run.text.prose[row.key] ?? run.text.format.missing(row.key);
  return { key: row.key, title: prose.title, explain: prose.explain, ref: row.ref, level: row.level ?? 'info' };
}

const title = (run: Run, key: string): string => (run.text.prose[key] ?? run.text.format.missing(key)).title;

/** PLAIN fields: the user (authcid, else authzid) shown, the password masked. */
function plainFields(run: Run, b64: string): Field[] {
  const plain = decodePlain(b64);
  if (!plain) return [{ name: 'response', value: MASK, note: title(run, 'smtp.field.not-base64') }];
  const fields: Field[] = [{ name: 'user', value: bytesToSafeText(plain.authcid.length ? plain.authcid : plain.authzid), note: title(run, 'smtp.field.base64') }];
  if (plain.authzid.length && plain.authcid.length) fields.push({ name: 'authzid', value: bytesToSafeText(plain.authzid), note: title(run, 'smtp.field.authzid') });
  fields.push({ name: 'password', value: MASK, note: title(run, 'smtp.field.masked') });
  return fields;
}

function emit(run: Run, msg: DissectedMessage): void {
  run.out.push(msg);
}

/** Message for an overlong line's start (truncated preview, masked inside AUTH) or its remainder. */
function overlongMessage(run: Run, dir: StreamDir, ev: Exclude<LineEvent, { t: 'line' }>, row: NoteRow, mask = false): DissectedMessage {
  if (ev.t === 'more') return { dir, kind: 'overlong', text: run.text.format.overlongMore(ev.bytes, ev.total, ev.ended), bytes: ev.bytes };
  const preview = mask ? MASK : bytesToSafeText(ev.preview);
  return { dir, kind: 'overlong', text: run.text.format.overlong(preview, ev.bytes), bytes: ev.bytes, annotation: annotate(run, row) };
}

// ── client: commands ────────────────────────────────────────────────────────────────────────────
function onCommand(run: Run, ev: Extract<LineEvent, { t: 'line' }>): void {
  const s = run.s;
  const line = bytesToSafeText(ev.content);
  const cmd = parseCommandLine(line);
  const fields: Field[] = [{ name: 'verb', value: cmd.verb, note: title(run, cmd.row.key) }];
  let text = line;
  let row: NoteRow | { key: string; ref: string } = cmd.row;
  if (cmd.verb === 'MAIL' || cmd.verb === 'RCPT') {
    const args = parsePathArgs(cmd.args);
    const want = cmd.verb === 'MAIL' ? 'FROM' : 'TO';
    if (args && args.keyword === want) {
      const path: Field = { name: cmd.verb === 'MAIL' ? 'reverse-path' : 'forward-path', value: args.path };
      if (args.path === '<>') path.note = title(run, 'smtp.field.null-path');
      fields.push(path);
      for (const prm of args.params) fields.push({ name: prm.name, value: prm.value, note: title(run, lookupParameter(prm.name).key) });
    } else fields.push({ name: 'arguments', value: cmd.args, note: title(run, 'smtp.field.bad-path') });
  } else if (cmd.verb === 'AUTH') {
    const { mechanism, initial } = parseAuthArgs(cmd.args);
    const sasl = `smtp.sasl.${mechanism}`;
    fields.push({ name: 'mechanism', value: mechanism, note: title(run, sasl in run.text.prose ? sasl : 'smtp.field.unknown') });
    if (initial !== undefined && mechanism === 'LOGIN') {
      const user = decodeBase64(initial);
      fields.push({ name: 'username', value: user ? bytesToSafeText(user) : initial, note: title(run, user ? 'smtp.field.base64' : 'smtp.field.not-base64') });
    } else if (initial !== undefined) {
      text = `${line.slice(0, line.lastIndexOf(initial))}${MASK}`;
      fields.push(...(mechanism === 'PLAIN' ? plainFields(run, initial) : [{ name: 'response', value: MASK, note: title(run, 'smtp.field.masked') }]));
    }
    s.auth = { mech: mechanism, step: initial === undefined ? 0 : 1, expect: 'secret' };
    if (!s.tls) row = SMTP_NOTES.authCleartext;
  } else if (cmd.args) fields.push({ name: cmd.verb === 'EHLO' || cmd.verb === 'HELO' ? 'domain' : 'argument', value: cmd.args });
  // Stream conditions outrank the command's own explanation (the verb field still carries its title).
  const injected = s.expect.some((e) => e.ctx === 'STARTTLS');
  if (!ev.crlf) row = SMTP_NOTES.bareLf;
  if (ev.bytes > SMTP_LIMITS.commandLine) row = SMTP_NOTES.tooLong;
  if (isHttpRequestLine(line)) row = SMTP_NOTES.http;
  if (injected) row = SMTP_NOTES.injection;
  if (!s.greeted) row = SMTP_NOTES.earlyTalker;
  // A TLS record header (0x16 0x03) where a command belongs: the client expected implicit TLS.
  if (ev.content[0] === 0x16 && ev.content[1] === 0x03) row = SMTP_NOTES.tlsUnexpected;
  if (!injected && s.expect.length < SMTP_LIMITS.pendingCommands) s.expect.push({ ctx: cmd.verb, early: !s.greeted });
  emit(run, { dir: 'client', kind: 'command', text, bytes: ev.bytes, fields, annotation: annotate(run, row), phase: cmd.row.phase });
}

function onAuthResponse(run: Run, ev: Extract<LineEvent, { t: 'line' }>): void {
  const auth = run.s.auth ?? { mech: '', step: 0, expect: 'secret' as const };
  const line = bytesToSafeText(ev.content);
  const base = { dir: 'client' as const, kind: 'auth-response', bytes: ev.bytes, phase: 'auth' };
  auth.step++;
  if (line.trim() === '*') return emit(run, { ...base, text: line, annotation: annotate(run, SMTP_NOTES.authCancel) });
  if (auth.expect === 'username') {
    const user = decodeBase64(line);
    const field = { name: 'username', value: user ? bytesToSafeText(user) : line, note: title(run, user ? 'smtp.field.base64' : 'smtp.field.not-base64') };
    return emit(run, { ...base, text: line, fields: [field], annotation: annotate(run, exposed(run, SMTP_NOTES.authUsername)) });
  }
  const fields = auth.expect === 'token' ? plainFields(run, line) : [{ name: auth.expect === 'password' ? 'password' : 'response', value: MASK, note: title(run, 'smtp.field.masked') }];
  const row = auth.expect === 'password' ? SMTP_NOTES.authPassword : auth.expect === 'token' ? SMTP_NOTES.authToken : SMTP_NOTES.authSecret;
  emit(run, { ...base, text: MASK, fields, annotation: annotate(run, exposed(run, row)) });
}

/** Credentials are a warning only in clear text; inside TLS (endpoint view) they are just facts. */
function exposed(run: Run, row: NoteRow): NoteRow {
  return run.s.tls ? { ...row, level: 'info' } : row;
}

// ── client: DATA content ────────────────────────────────────────────────────────────────────────
function flushSummary(run: Run): void {
  const d = run.s.data;
  if (d.sumBytes === 0) return;
  const text = run.text.format.dataSummary(d.sumLines, d.sumBytes);
  emit(run, { dir: 'client', kind: 'data', text, bytes: d.sumBytes, annotation: annotate(run, SMTP_NOTES.dataSummary), phase: 'data' });
  d.sumLines = 0;
  d.sumBytes = 0;
}

/**
 * Shows the first lines one by one, then folds content into summaries; warnings stay visible
 * (bounded). `build` runs only for shown lines, so a 50 MB body costs counting, not decoding.
 */
function showOrSummarise(run: Run, bytes: number, lines: number, row: NoteRow | undefined, build: () => DissectedMessage): void {
  const d = run.s.data;
  if (d.shown < SMTP_LIMITS.shownDataLines && d.shownBytes < SMTP_LIMITS.shownDataBytes) {
    d.shown++;
    d.shownBytes += bytes;
    return emit(run, build());
  }
  if (row?.level === 'warn' && d.warned < SMTP_LIMITS.shownDataLines) {
    d.warned++;
    flushSummary(run);
    return emit(run, build());
  }
  d.sumLines += lines;
  d.sumBytes += bytes;
  if (d.sumBytes >= SMTP_LIMITS.summaryBlock) flushSummary(run);
}

function onData(run: Run, ev: LineEvent): void {
  const s = run.s;
  const d = s.data;
  if (ev.t !== 'line') {
    const ended = ev.t === 'more' && ev.ended;
    if (ended) {
      d.prevCrlf = ev.crlf;
      d.lines++;
    }
    const build = (): DissectedMessage => ({ ...overlongMessage(run, 'client', ev, SMTP_NOTES.overlongData), phase: 'data' });
    return showOrSummarise(run, ev.bytes, ended ? 1 : 0, undefined, build);
  }
  const c = ev.content;
  const dot = c.length === 1 && c[0] === 0x2e;
  if (dot && ev.crlf && d.prevCrlf) {
    flushSummary(run);
    emit(run, { dir: 'client', kind: 'data-end', text: '.', bytes: ev.bytes, annotation: annotate(run, SMTP_NOTES.dataEnd), phase: 'data' });
    s.clientMode = 'command';
    if (s.expect.length < SMTP_LIMITS.pendingCommands) s.expect.push({ ctx: 'DATA-END', early: false });
    return;
  }
  const stuffed = !dot && ev.crlf && ev.bytes <= SMTP_LIMITS.textLine && c[0] === 0x2e;
  let row: NoteRow | undefined;
  if (dot) row = SMTP_NOTES.dataSmuggling;
  else if (!ev.crlf) row = SMTP_NOTES.dataBareLf;
  else if (ev.bytes > SMTP_LIMITS.textLine) row = SMTP_NOTES.dataLongLine;
  else if (stuffed) row = SMTP_NOTES.dataDotStuffed;
  else if (d.lines === 0) row = SMTP_NOTES.dataFirst;
  else if (!d.headerDone && c.length === 0) row = SMTP_NOTES.dataHeaderEnd;
  if (c.length === 0) d.headerDone = true;
  d.prevCrlf = ev.crlf;
  d.lines++;
  showOrSummarise(run, ev.bytes, 1, row, () => {
    const msg: DissectedMessage = { dir: 'client', kind: 'data', text: bytesToSafeText(c), bytes: ev.bytes, phase: 'data' };
    if (row) msg.annotation = annotate(run, row);
    if (stuffed) msg.fields = [{ name: 'as delivered', value: bytesToSafeText(c.subarray(1)), note: title(run, 'smtp.field.on-delivery') }];
    return msg;
  });
}

// ── server: replies ─────────────────────────────────────────────────────────────────────────────
function flushReply(run: Run, row: ReplyRow): void {
  const acc = run.s.reply;
  if (!acc) return;
  run.s.reply = null;
  const lines = acc.more ? [...acc.lines, run.text.format.moreLines(acc.more)] : acc.lines;
  emit(run, { dir: 'server', kind: 'reply', text: lines.join('\n'), bytes: acc.bytes, fields: [{ name: 'code', value: acc.code }], annotation: annotate(run, row) });
}

function enhancedFields(run: Run, text: string, code: number): { fields: Field[]; code?: string } {
  const e = parseEnhancedCode(text, code);
  if (!e) return { fields: [] };
  const unknown = title(run, 'smtp.field.unknown');
  const detail = ENHANCED_DETAILS[`${e.subject}.${e.detail}`];
  const subject = ENHANCED_SUBJECTS[e.subject];
  const cls = ENHANCED_CLASSES[e.cls];
  const fields: Field[] = [
    { name: 'enhanced code', value: e.code, note: detail ? title(run, detail.key) : subject ? title(run, subject.key) : unknown },
    { name: 'class', value: e.cls, note: (cls ? title(run, cls.key) : unknown) + (e.classMatches ? '' : `; ${title(run, 'smtp.field.class-mismatch')}`) },
    { name: 'subject', value: e.subject, note: subject ? title(run, subject.key) : unknown },
    { name: 'detail', value: e.detail, note: detail ? title(run, detail.key) : unknown },
  ];
  return { fields, code: e.code };
}

function phaseOf(ctx: string): string {
  if (ctx === 'CONNECT' || ctx === 'EARLY') return 'greeting';
  if (ctx === 'DATA-END') return 'data';
  return ctx === 'NONE' ? 'session' : lookupCommand(ctx).phase;
}

function finishReply(run: Run, acc: ReplyAcc): void {
  const s = run.s;
  const code = Number(acc.code);
  // smtp-server answers an early talker with 421 before (instead of) its greeting.
  const early = code === 421 ? s.expect.findIndex((e) => e.early) : -1;
  const ctx = early >= 0 ? 'EARLY' : (s.expect[0]?.ctx ?? 'NONE');
  if (early >= 0) s.expect.splice(early, 1);
  else if (!(ctx === 'AUTH' && code === 334)) s.expect.shift();
  const first = acc.lines[0]?.slice(4) ?? '';
  const enh = enhancedFields(run, first, code);
  const row = lookupReply(code, ctx, enh.code);
  const fields: Field[] = [{ name: 'code', value: acc.code, note: title(run, lookupReply(code, 'NONE').key) }, ...enh.fields];
  if (ctx === 'EHLO' && code === 250) {
    acc.lines.forEach((l, i) => {
      if (i === 0) return void fields.push({ name: 'domain', value: l.slice(4).split(' ')[0] ?? '', note: title(run, 'smtp.field.ehlo-domain') });
      const ext = parseEhloLine(l.slice(4));
      fields.push({ name: ext.keyword, value: ext.params, note: run.text.format.extensionNote(title(run, ext.row.key), ext.row.params, ext.params) });
    });
  }
  if (ctx === 'AUTH' && code === 334) {
    const challenge = decodeBase64(first);
    const said = challenge ? bytesToSafeText(challenge) : '';
    if (challenge) fields.push({ name: 'challenge', value: said, note: title(run, 'smtp.field.base64') });
    if (s.auth) {
      const m = s.auth.mech;
      s.auth.expect =
        m === 'PLAIN' ? 'token' : m !== 'LOGIN' ? 'secret' : /pass/i.test(said) ? 'password' : /user/i.test(said) ? 'username' : s.auth.step === 0 ? 'username' : 'password';
    }
    s.clientMode = 'auth';
  } else if (ctx === 'AUTH') {
    s.auth = null;
    if (s.clientMode === 'auth') s.clientMode = 'command';
  }
  const lines = acc.more ? [...acc.lines, run.text.format.moreLines(acc.more)] : acc.lines;
  emit(run, { dir: 'server', kind: 'reply', text: lines.join('\n'), bytes: acc.bytes, fields, annotation: annotate(run, row), phase: phaseOf(ctx) });
  if (ctx === 'CONNECT') s.greeted = true;
  if (ctx === 'DATA' && code === 354) {
    s.clientMode = 'data';
    s.data = freshData();
  }
  if (ctx === 'STARTTLS' && code === 220) startTls(run);
}

function onServer(run: Run, ev: LineEvent): void {
  const s = run.s;
  if (ev.t !== 'line') {
    flushReply(run, INCOMPLETE_REPLY);
    return emit(run, overlongMessage(run, 'server', ev, SMTP_NOTES.overlongReply));
  }
  const line = bytesToSafeText(ev.content);
  const m = /^(\d{3})(?:([ -])[\s\S]*)?$/.exec(line);
  if (!m) {
    flushReply(run, INCOMPLETE_REPLY);
    return emit(run, { dir: 'server', kind: 'reply', text: line, bytes: ev.bytes, annotation: annotate(run, MALFORMED_REPLY) });
  }
  const code = m[1] ?? '';
  if (s.reply && s.reply.code !== code) flushReply(run, INCOMPLETE_REPLY);
  const acc = s.reply ?? { code, lines: [], more: 0, bytes: 0 };
  if (acc.lines.length < SMTP_LIMITS.replyLines) acc.lines.push(line);
  else acc.more++;
  acc.bytes += ev.bytes;
  s.reply = acc;
  if (m[2] === '-') return;
  s.reply = null;
  finishReply(run, acc);
}

// ── TLS ─────────────────────────────────────────────────────────────────────────────────────────
/** Reports what is left in a reader (a partial line, an overlong remainder) as one message. */
function flushReader(run: Run, dir: StreamDir, r: Reader, kind: string, row: NoteRow, mask: boolean): void {
  if (r.buf.length > 0) {
    const text = mask ? MASK : bytesToSafeText(r.buf[r.buf.length - 1] === 0x0d ? r.buf.subarray(0, -1) : r.buf);
    emit(run, { dir, kind, text, bytes: r.buf.length, annotation: annotate(run, row) });
  }
  if (r.skip && r.skip.pending > 0) emit(run, { dir, kind: 'overlong', text: run.text.format.overlongMore(r.skip.pending, r.skip.total, false), bytes: r.skip.pending });
  r.buf = EMPTY;
  r.skip = null;
}

function startTls(run: Run): void {
  const s = run.s;
  // Bytes the client sent after STARTTLS but before this 220 were plaintext; the server drops them.
  flushReader(run, 'client', s.client, 'command', SMTP_NOTES.injection, false);
  Object.assign(s, { tls: true, serverTls: true, clientMode: 'tls', expect: [], auth: null });
  emit(run, { dir: 'note', kind: 'note', text: run.text.format.tlsStart, bytes: 0, annotation: annotate(run, SMTP_NOTES.tlsStart), phase: 'tls' });
}

function tlsMessage(run: Run, dir: StreamDir, f: TlsFrame): DissectedMessage {
  if (f.kind === 'garbage') {
    const text = run.text.format.tlsGarbage(f.bytes, bytesToSafeText(f.preview));
    return { dir, kind: 'tls-record', text, bytes: f.bytes, annotation: annotate(run, SMTP_NOTES.tlsGarbage), phase: 'tls' };
  }
  const hello = f.handshake[0] === 'ClientHello' ? SMTP_NOTES.tlsClientHello : f.handshake[0] === 'ServerHello' ? SMTP_NOTES.tlsServerHello : SMTP_NOTES.tlsHandshake;
  const byType: Record<number, NoteRow> = { 20: SMTP_NOTES.tlsCcs, 21: SMTP_NOTES.tlsAlert, 22: f.encrypted ? SMTP_NOTES.tlsEncryptedHandshake : hello, 23: SMTP_NOTES.tlsAppData };
  const row = byType[f.contentType] ?? SMTP_NOTES.tlsRecord;
  const fields: Field[] = [
    { name: 'content type', value: `${f.contentType} (${f.contentTypeName})` },
    { name: 'version', value: `0x${f.version.toString(16).padStart(4, '0')} (${f.versionName})` },
    { name: 'length', value: String(f.length) },
  ];
  if (f.handshake.length) fields.push({ name: 'handshake', value: f.handshake.join(', ') });
  if (f.alert) fields.push({ name: 'alert', value: `${f.alert.level}: ${f.alert.description}` });
  return { dir, kind: 'tls-record', text: run.text.format.tlsRecord(f), bytes: f.bytes, fields, annotation: annotate(run, row), phase: 'tls' };
}

function onTls(run: Run, dir: StreamDir, chunk: Uint8Array): void {
  const key = dir === 'client' ? 'tlsClient' : 'tlsServer';
  const { state, frames } = frameTls(run.s[key], chunk);
  run.s[key] = state;
  for (const f of frames) emit(run, tlsMessage(run, dir, f));
}

// ── the pure core and its wrapper ───────────────────────────────────────────────────────────────
/** Feeds one chunk from one direction; returns the new state and the messages it completed. */
export function reduce(state: SmtpState, dir: StreamDir, chunk: Uint8Array, text: SmtpText = TEXT_EN): SmtpStep {
  const run: Run = { s: structuredClone(state) as Draft, out: [], text };
  let i = 0;
  while (i < chunk.length) {
    const s = run.s;
    if (dir === 'client' ? s.clientMode === 'tls' : s.serverTls) {
      onTls(run, dir, chunk.subarray(i));
      break;
    }
    const { ev, next } = readLine(dir === 'client' ? s.client : s.server, chunk, i);
    i = next;
    if (!ev) continue;
    if (dir === 'server') onServer(run, ev);
    else if (s.clientMode === 'data') onData(run, ev);
    else if (ev.t !== 'line') emit(run, { ...overlongMessage(run, 'client', ev, SMTP_NOTES.overlongCommand, s.clientMode === 'auth'), phase: 'session' });
    else if (s.clientMode === 'auth') onAuthResponse(run, ev);
    else onCommand(run, ev);
  }
  return { state: run.s, messages: run.out };
}

/** The connection ended: flushes partial lines, pending replies, summaries and TLS records. */
export function finish(state: SmtpState, text: SmtpText = TEXT_EN): SmtpStep {
  const run: Run = { s: structuredClone(state) as Draft, out: [], text };
  const s = run.s;
  if (s.clientMode === 'tls') for (const f of flushTls(s.tlsClient)) emit(run, tlsMessage(run, 'client', f));
  else {
    if (s.clientMode === 'data') flushSummary(run);
    const kind = s.clientMode === 'data' ? 'data' : s.clientMode === 'auth' ? 'auth-response' : 'command';
    flushReader(run, 'client', s.client, kind, SMTP_NOTES.closedMidLine, s.clientMode === 'auth');
  }
  if (s.serverTls) for (const f of flushTls(s.tlsServer)) emit(run, tlsMessage(run, 'server', f));
  else {
    flushReply(run, INCOMPLETE_REPLY);
    flushReader(run, 'server', s.server, 'reply', SMTP_NOTES.closedMidLine, false);
  }
  s.tlsClient = s.tlsServer = initialTlsFramerState;
  return { state: s, messages: run.out };
}

/** Builds a fresh SMTP dissector for one connection (a stateful wrapper around reduce/finish). */
export function createSmtpDissector(options: SmtpDissectorOptions = {}): Dissector {
  const text = options.text ?? TEXT_EN;
  let state = initialSmtpState(options);
  return {
    push(dir, chunk) {
      const step = reduce(state, dir, chunk, text);
      state = step.state;
      return step.messages;
    },
    end() {
      const step = finish(state, text);
      state = step.state;
      return step.messages;
    },
  };
}
