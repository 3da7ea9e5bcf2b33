/**
 * The SMTP dissector's client side between DATA and the final ".": the first lines shown one by one, then
 * summaries; the header lines it explains; the body handed to a child dissector (SOAP); content a client sent
 * before the server's 354.
 */
import { bytesToSafeText } from '../../wire/escape.ts';
import type { LineEvent } from '../../wire/line-reader.ts';
import type { DissectedMessage } from '../types.ts';
import { SMTP_NOTES, type NoteRow } from './commands.ts';
import { bodyFor, collectBody, handOff, handoffFor } from './body-handoff.ts';
import { addressesOf, notedField } from './header-fields.ts';
import { SMTP_LIMITS, annotate, emit, freshData, overlongMessage, title, type Draft, type Run } from './state.ts';

/**
 * A client line after DATA, before its answer: the message, sent too soon (RFC 2920 §3.1). Starts the early message
 * and marks the DATA it follows, so that DATA's 354 starts nothing; false when no DATA waits for its answer.
 */
export function startsEarlyData(run: Run): boolean {
  const s = run.s;
  const pending = s.expect.findIndex((e) => e.ctx === 'DATA' && !e.contentSent);
  if (pending < 0) return false;
  s.expect[pending] = { ...s.expect[pending], contentSent: true };
  s.clientMode = 'data';
  s.data = freshData(true);
  return true;
}

export function flushSummary(run: Run): void {
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

export function onData(run: Run, ev: LineEvent): void {
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
    if (d.body) for (const message of handOff(d.body)) emit(run, message);
    emit(run, { dir: 'client', kind: 'data-end', text: '.', bytes: ev.bytes, annotation: annotate(run, SMTP_NOTES.dataEnd), phase: 'data' });
    s.clientMode = 'command';
    if (s.expect.length < SMTP_LIMITS.pendingCommands) s.expect.push({ ctx: 'DATA-END', early: false });
    return;
  }
  // RFC 5321 §4.5.2: the receiver deletes the first dot of a line that starts with one; only ".." was doubled by the client.
  const leadingDot = !dot && ev.crlf && ev.bytes <= SMTP_LIMITS.textLine && c[0] === 0x2e;
  const headerRow = d.headerDone ? undefined : headerNote(s, c);
  let row: NoteRow | undefined;
  if (dot) row = SMTP_NOTES.dataSmuggling;
  else if (!ev.crlf) row = SMTP_NOTES.dataBareLf;
  else if (ev.bytes > SMTP_LIMITS.textLine) row = SMTP_NOTES.dataLongLine;
  else if (leadingDot) row = c[1] === 0x2e ? SMTP_NOTES.dataDotStuffed : SMTP_NOTES.dataDotNotDoubled;
  else if (headerRow?.level === 'warn') row = headerRow;
  else if (d.lines === 0) row = d.early ? SMTP_NOTES.dataEarly : SMTP_NOTES.dataFirst;
  else if (headerRow) row = headerRow;
  else if (!d.headerDone && c.length === 0) row = SMTP_NOTES.dataHeaderEnd;
  collectBody(d, c, leadingDot);
  if (c.length === 0 && !d.headerDone) {
    d.headerDone = true;
    d.body = bodyFor(d.headerBlock);
  }
  d.prevCrlf = ev.crlf;
  d.lines++;
  showOrSummarise(run, ev.bytes, 1, row, () => {
    const msg: DissectedMessage = { dir: 'client', kind: 'data', text: bytesToSafeText(c), bytes: ev.bytes, phase: 'data' };
    if (row) msg.annotation = annotate(run, row);
    if (leadingDot) msg.fields = [{ name: 'as delivered', value: bytesToSafeText(c.subarray(1)), note: title(run, 'smtp.field.on-delivery') }];
    return msg;
  });
}

/** First letters (lower case) of the fields explained: m, i, r, c, f, t, s, d. */
const NOTED_FIRST = new Set([0x6d, 0x69, 0x72, 0x63, 0x66, 0x74, 0x73, 0x64]);

/**
 * The note for a header line the lab explains (the originator and destination fields, which are not
 * the envelope; the ones SOAP over SMTP correlates by), and the bookkeeping that flags a second
 * Message-ID in one message or one already sent on this connection.
 */
function headerNote(s: Draft, line: Uint8Array): NoteRow | undefined {
  // Every field explained starts with one of these letters: skip the others without decoding them.
  if (!NOTED_FIRST.has(line[0] | 0x20)) return undefined;
  const field = notedField(line);
  if (!field) return undefined;
  const { name, value } = field;
  if (name === 'message-id') {
    const seen = value !== '' && s.seenMessageIds.includes(value);
    const repeated = s.data.messageIds > 0 || seen;
    s.data.messageIds++;
    if (value && !seen) s.seenMessageIds = [...s.seenMessageIds, value].slice(-SMTP_LIMITS.messageIds);
    return repeated ? SMTP_NOTES.headerMessageIdDuplicate : SMTP_NOTES.headerMessageId;
  }
  if (name === 'from') {
    // A null reverse-path (<>: a bounce) has no sender to compare with.
    const envelope = s.reversePath;
    const differs = envelope !== null && envelope !== '' && !addressesOf(value).includes(envelope);
    return differs ? SMTP_NOTES.headerFromNotEnvelope : SMTP_NOTES.headerFrom;
  }
  if (name === 'to') return SMTP_NOTES.headerTo;
  if (name === 'cc') return SMTP_NOTES.headerCc;
  if (name === 'subject') return SMTP_NOTES.headerSubject;
  if (name === 'date') return SMTP_NOTES.headerDate;
  if (name === 'in-reply-to') return SMTP_NOTES.headerInReplyTo;
  if (name === 'references') return SMTP_NOTES.headerReferences;
  return handoffFor(value)?.id === 'soap' ? SMTP_NOTES.headerContentTypeSoap : SMTP_NOTES.headerContentType;
}
