/**
 * SMTP wire dissector: turns the raw bytes of one connection into annotated messages.
 * The core is pure — `reduce(state, dir, chunk) → { state, messages }` never mutates its input —
 * and createSmtpDissector() is a thin stateful wrapper implementing Dissector.
 * Every byte pushed is covered by exactly one message's `bytes` once end() has run (step mode needs it).
 * State and shared helpers: state.ts; between DATA and ".": data-content.ts; after STARTTLS: tls-phase.ts; line framing: lib/wire/line-reader.ts.
 */
import type { Field } from '../../wire/event.ts';
import { bytesToSafeText } from '../../wire/escape.ts';
import { atLineStart, readLine, type LineEvent } from '../../wire/line-reader.ts';
import { flushTls, initialTlsFramerState } from '../../wire/tls-records.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { CLEARTEXT_SASL, SMTP_NOTES, ownRow, decodeBase64, decodePlain, lookupCommand, parseAuthArgs, parseCommandLine, parsePathArgs, type NoteRow } from './commands.ts';
import { ENHANCED_CLASSES, ENHANCED_DETAILS, ENHANCED_SUBJECTS, parseEnhancedCode } from './enhanced-codes.ts';
import { lookupParameter, parseEhloLine } from './extensions.ts';
import { INCOMPLETE_REPLY, MALFORMED_REPLY, lookupReply, type ReplyRow } from './replies.ts';
import { MASK, SMTP_LIMITS, annotate, draftOf, emit, freshData, initialSmtpState, overlongMessage, title, type ReplyAcc, type Run, type SmtpDissectorOptions, type SmtpState, type SmtpStep } from './state.ts';
import { TEXT_EN, type SmtpText } from './text.en.ts';
import { flushReader, flushTlsHold, onTls, startTls, tlsAtLineStart, tlsMessage, withTlsHold } from './tls-phase.ts';
import { otherClientNote } from './other-client.ts';
import { readLocalPart } from './local-part.ts';
import { flushSummary, onData, startsEarlyData } from './data-content.ts';

export { MASK, SMTP_LIMITS, initialSmtpState, type SmtpDissectorOptions, type SmtpState, type SmtpStep } from './state.ts';

/** PLAIN fields: the user (authcid, else authzid) shown, the password masked. */
function plainFields(run: Run, b64: string): Field[] {
  const plain = decodePlain(b64);
  if (!plain) return [{ name: 'response', value: MASK, note: title(run, 'smtp.field.not-base64') }];
  const fields: Field[] = [{ name: 'user', value: bytesToSafeText(plain.authcid.length ? plain.authcid : plain.authzid), note: title(run, 'smtp.field.base64') }];
  if (plain.authzid.length && plain.authcid.length) fields.push({ name: 'authzid', value: bytesToSafeText(plain.authzid), note: title(run, 'smtp.field.authzid') });
  fields.push({ name: 'password', value: MASK, note: title(run, 'smtp.field.masked') });
  return fields;
}

/** A forward-path's local part when it is written in quotes: its unquoted value, or why it is no quoted string. */
function quotedLocalPart(path: string): { ok: true; value: string } | { ok: false; raw: string } | null {
  const address = path.replace(/^<|>$/g, '');
  const at = address.lastIndexOf('@');
  const raw = at === -1 ? address : address.slice(0, at);
  if (!raw.startsWith('"')) return null;
  const local = readLocalPart(raw);
  return local.ok ? { ok: true, value: local.value } : { ok: false, raw };
}

/** A character beyond ASCII (the line is decoded as UTF-8). */
const NON_ASCII = /[^\x00-\x7f]/;

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
      if (cmd.verb === 'MAIL') {
        s.reversePath = args.path.replace(/^<|>$/g, '').toLowerCase();
        s.smtputf8 = args.params.some((prm) => prm.name.toUpperCase() === 'SMTPUTF8');
      }
      if (args.path === '<>') path.note = title(run, 'smtp.field.null-path');
      fields.push(path);
      const quoted = cmd.verb === 'RCPT' ? quotedLocalPart(args.path) : null;
      if (quoted?.ok) {
        fields.push({ name: 'local-part', value: quoted.value, note: title(run, 'smtp.field.quoted-local-part') });
        row = SMTP_NOTES.quotedLocalPart;
      } else if (quoted) fields.push({ name: 'local-part', value: quoted.raw, note: title(run, 'smtp.field.bad-local-part') });
      for (const prm of args.params) fields.push({ name: prm.name, value: prm.value, note: title(run, lookupParameter(prm.name).key) });
      // A UTF-8 address needs SMTPUTF8 on this mail's MAIL (RFC 6531 §3.4): a server may take it for ASCII and refuse it.
      if (!s.smtputf8 && NON_ASCII.test(args.path)) row = SMTP_NOTES.utf8WithoutSmtputf8;
    } else fields.push({ name: 'arguments', value: cmd.args, note: title(run, 'smtp.field.bad-path') });
  } else if (cmd.verb === 'AUTH') {
    const { mechanism, initial } = parseAuthArgs(cmd.args);
    const sasl = `smtp.sasl.${mechanism}`;
    fields.push({ name: 'mechanism', value: mechanism, note: title(run, Object.hasOwn(run.text.prose, sasl) ? sasl : 'smtp.field.unknown') });
    if (initial !== undefined && mechanism === 'LOGIN') {
      const user = decodeBase64(initial);
      fields.push({ name: 'username', value: user ? bytesToSafeText(user) : initial, note: title(run, user ? 'smtp.field.base64' : 'smtp.field.not-base64') });
    } else if (initial !== undefined) {
      text = `${line.slice(0, line.lastIndexOf(initial))}${MASK}`;
      fields.push(...(mechanism === 'PLAIN' ? plainFields(run, initial) : [{ name: 'response', value: MASK, note: title(run, 'smtp.field.masked') }]));
    }
    s.auth = { mech: mechanism, step: initial === undefined ? 0 : 1, expect: 'secret' };
    // AUTH TLS is FTP's TLS upgrade, not a SASL mechanism: nothing gets encrypted, and no password follows.
    if (mechanism === 'TLS' || mechanism === 'SSL') row = SMTP_NOTES.authTls;
    else if (!s.tls && CLEARTEXT_SASL.has(mechanism)) row = SMTP_NOTES.authCleartext;
  } else if (cmd.args) fields.push({ name: cmd.verb === 'EHLO' || cmd.verb === 'HELO' ? 'domain' : 'argument', value: cmd.args });
  // A server that did not offer CHUNKING does not know BDAT, and reads the chunk after it as command lines.
  if (cmd.verb === 'BDAT' && !s.chunking) row = SMTP_NOTES.bdatNotAdvertised;
  // Stream conditions outrank the command's own explanation (the verb field still carries its title).
  const injected = s.expect.some((e) => e.ctx === 'STARTTLS');
  const other = otherClientNote(s, ev.content);
  if (!ev.crlf) row = SMTP_NOTES.bareLf;
  if (ev.bytes > SMTP_LIMITS.commandLine) row = SMTP_NOTES.tooLong;
  if (injected) row = SMTP_NOTES.injection;
  if (!s.greeted) row = SMTP_NOTES.earlyTalker;
  // Naming the client that was pointed here explains the early talk too (curl and ssh never wait).
  if (other) row = other;
  // A TLS record header (0x16 0x03) where a command belongs: the client expected implicit TLS.
  if (ev.content[0] === 0x16 && ev.content[1] === 0x03) row = SMTP_NOTES.tlsUnexpected;
  if (!injected && s.expect.length < SMTP_LIMITS.pendingCommands) s.expect.push({ ctx: cmd.verb, early: !s.greeted });
  emit(run, { dir: 'client', kind: 'command', text, bytes: ev.bytes, fields, annotation: annotate(run, row), phase: cmd.row.phase });
}

/** A client line with no end in the buffer: its start (a command, masked in an AUTH exchange) or a block of the rest. */
function onOverlongClient(run: Run, ev: Exclude<LineEvent, { t: 'line' }>): void {
  const s = run.s;
  if (s.clientMode === 'auth') return emit(run, { ...overlongMessage(run, 'client', ev, SMTP_NOTES.overlongAuth, true), phase: 'auth' });
  const cmd = ev.t === 'overlong' ? parseCommandLine(bytesToSafeText(ev.preview)) : null;
  // The server answers it as it answers any line (a refusal or a close): expected, so later replies stay matched.
  if (cmd && s.expect.length < SMTP_LIMITS.pendingCommands) s.expect.push({ ctx: cmd.verb, early: !s.greeted });
  if (ev.t === 'overlong' && cmd?.verb === 'AUTH') {
    // An initial response: credentials, masked as onCommand masks them.
    const text = run.text.format.overlong(`AUTH ${parseAuthArgs(cmd.args).mechanism} ${MASK}`, ev.bytes);
    return emit(run, { dir: 'client', kind: 'overlong', text, bytes: ev.bytes, annotation: annotate(run, SMTP_NOTES.overlongAuth), phase: 'auth' });
  }
  emit(run, { ...overlongMessage(run, 'client', ev, SMTP_NOTES.overlongCommand), phase: 'session' });
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
  const detail = ownRow(ENHANCED_DETAILS, `${e.subject}.${e.detail}`);
  const subject = ownRow(ENHANCED_SUBJECTS, e.subject);
  const cls = ownRow(ENHANCED_CLASSES, e.cls);
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
  const answered = early >= 0 ? undefined : s.expect[0];
  if (early >= 0) s.expect.splice(early, 1);
  else if (!(ctx === 'AUTH' && code === 334)) s.expect.shift();
  const first = acc.lines[0]?.slice(4) ?? '';
  const enh = enhancedFields(run, first, code);
  const row = lookupReply(code, ctx, enh.code);
  const fields: Field[] = [{ name: 'code', value: acc.code, note: title(run, lookupReply(code, 'NONE').key) }, ...enh.fields];
  // Each greeting (and STARTTLS, RFC 3207 §4.2) replaces what the server offered before.
  if ((ctx === 'EHLO' || ctx === 'HELO') && code === 250) s.chunking = false;
  if (ctx === 'STARTTLS' && code === 220) s.chunking = false;
  if (ctx === 'EHLO' && code === 250) {
    acc.lines.forEach((l, i) => {
      if (i === 0) return void fields.push({ name: 'domain', value: l.slice(4).split(' ')[0] ?? '', note: title(run, 'smtp.field.ehlo-domain') });
      const ext = parseEhloLine(l.slice(4));
      if (ext.keyword === 'CHUNKING') s.chunking = true;
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
  // A message the client sent before this answer is already read as one (early), or done.
  if (ctx === 'DATA' && code === 354 && !answered?.contentSent) {
    s.clientMode = 'data';
    s.data = freshData();
  }
  // DATA refused while the client's early message goes on: the server reads the rest as commands.
  if (ctx === 'DATA' && code !== 354 && answered?.contentSent && s.clientMode === 'data') {
    flushSummary(run);
    s.clientMode = 'command';
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

// ── the pure core and its wrapper ───────────────────────────────────────────────────────────────
/** Feeds one chunk from one direction; returns the new state and the messages it completed. */
export function reduce(state: SmtpState, dir: StreamDir, chunk: Uint8Array, text: SmtpText = TEXT_EN): SmtpStep {
  const run: Run = { s: draftOf(state), out: [], text };
  const data = dir === 'client' ? withTlsHold(run, chunk) : chunk;
  let i = 0;
  while (i < data.length) {
    const s = run.s;
    if (dir === 'client' ? s.clientMode === 'tls' : s.serverTls) {
      onTls(run, dir, data.subarray(i));
      break;
    }
    const after = dir === 'client' && s.clientMode === 'command' && atLineStart(s.client) ? tlsAtLineStart(run, data, i) : null;
    if (after !== null) {
      i = after;
      continue;
    }
    const { ev, next } = readLine(dir === 'client' ? s.client : s.server, data, i, SMTP_LIMITS);
    i = next;
    if (!ev) continue;
    if (dir === 'server') onServer(run, ev);
    else if (s.clientMode === 'data') onData(run, ev);
    else if (ev.t === 'line' && s.clientMode === 'command' && startsEarlyData(run)) onData(run, ev);
    else if (ev.t !== 'line') onOverlongClient(run, ev);
    else if (s.clientMode === 'auth') onAuthResponse(run, ev);
    else onCommand(run, ev);
    // Only the client's first command is asked which client sent it (other-client.ts).
    if (dir === 'client') s.opened = true;
  }
  return { state: run.s, messages: run.out };
}

/** The connection ended: flushes partial lines, pending replies, summaries and TLS records. */
export function finish(state: SmtpState, text: SmtpText = TEXT_EN): SmtpStep {
  const run: Run = { s: draftOf(state), out: [], text };
  const s = run.s;
  if (s.clientMode === 'tls') for (const f of flushTls(s.tlsClient)) emit(run, tlsMessage(run, 'client', f));
  else {
    if (s.clientMode === 'data') flushSummary(run);
    flushTlsHold(run);
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
