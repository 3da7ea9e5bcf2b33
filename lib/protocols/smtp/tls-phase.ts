/** The SMTP dissector after STARTTLS: TLS records instead of lines (RFC 3207); and a TLS record sent where a command belongs. */
import { bytesToSafeText } from '../../wire/escape.ts';
import { EMPTY_BYTES, concat, type LineReader } from '../../wire/line-reader.ts';
import { frameTls, guessTls13, type TlsFrame, type TlsGuess } from '../../wire/tls-records.ts';
import { otherClientOf } from '../kit/other-client.ts';
import { tlsRecordMessage } from '../kit/tls-message.ts';
import { tlsRecordAsCommand, tlsRecordAt, tlsRecordStart } from '../kit/tls-record-start.ts';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { SMTP_NOTES, type NoteRow } from './commands.ts';
import { MASK, SMTP_LIMITS, annotate, emit, type Run } from './state.ts';

/** Reports what is left in a reader (a partial line, an overlong remainder) as one message. */
export function flushReader(run: Run, dir: StreamDir, r: LineReader, kind: string, row: NoteRow, mask: boolean): void {
  if (r.buf.length > 0) {
    const text = mask ? MASK : bytesToSafeText(r.buf[r.buf.length - 1] === 0x0d ? r.buf.subarray(0, -1) : r.buf);
    emit(run, { dir, kind, text, bytes: r.buf.length, annotation: annotate(run, row) });
  }
  if (r.skip && r.skip.pending > 0) emit(run, { dir, kind: 'overlong', text: run.text.format.overlongMore(r.skip.pending, r.skip.total, false), bytes: r.skip.pending });
  r.buf = EMPTY_BYTES;
  r.skip = null;
}

/** The server said 220 to STARTTLS: from here both directions are TLS records. */
export function startTls(run: Run): void {
  const s = run.s;
  // Bytes the client sent after STARTTLS but before this 220 were plaintext; the server drops them.
  // A record start held at a line start is among them (the reader is empty while one is held).
  if (s.tlsHold.length) s.client.buf = concat(s.tlsHold, s.client.buf);
  s.tlsHold = EMPTY_BYTES;
  flushReader(run, 'client', s.client, 'command', SMTP_NOTES.injection, false);
  Object.assign(s, { tls: true, serverTls: true, clientMode: 'tls', expect: [], auth: null });
  emit(run, { dir: 'note', kind: 'note', text: run.text.format.tlsStart, bytes: 0, annotation: annotate(run, SMTP_NOTES.tlsStart), phase: 'tls' });
}

/** One framed TLS record as a message: what an eavesdropper can still read of it. */
export function tlsMessage(run: Run, dir: StreamDir, f: TlsFrame): DissectedMessage {
  if (f.kind === 'garbage') {
    const text = run.text.format.tlsGarbage(f.bytes, bytesToSafeText(f.preview));
    return tlsRecordMessage(dir, f, { text, annotation: annotate(run, SMTP_NOTES.tlsGarbage), garbageKind: 'tls-record' });
  }
  const { state, guess } = guessTls13(run.s.tlsFlow, dir, f);
  run.s.tlsFlow = state;
  const hello = f.handshake[0] === 'ClientHello' ? SMTP_NOTES.tlsClientHello : f.handshake[0] === 'ServerHello' ? SMTP_NOTES.tlsServerHello : SMTP_NOTES.tlsHandshake;
  const byType: Record<number, NoteRow> = { 20: SMTP_NOTES.tlsCcs, 21: SMTP_NOTES.tlsAlert, 22: f.encrypted ? SMTP_NOTES.tlsEncryptedHandshake : hello, 23: SMTP_NOTES.tlsAppData };
  const row = (guess && guessRow(guess)) ?? byType[f.contentType] ?? SMTP_NOTES.tlsRecord;
  const likely = guess ? run.text.format.tlsGuess(guess) : '';
  return tlsRecordMessage(dir, f, { text: run.text.format.tlsRecord(f, likely), annotation: annotate(run, row), likely });
}

/** The annotation for what a TLS 1.3 record's position says it carries. */
function guessRow(guess: TlsGuess): NoteRow | null {
  if (guess.role === 'server-flight') {
    const byName: Record<string, NoteRow> = {
      EncryptedExtensions: SMTP_NOTES.tlsEncryptedExtensions,
      Certificate: SMTP_NOTES.tlsCertificate,
      CertificateVerify: SMTP_NOTES.tlsCertificateVerify,
      Finished: SMTP_NOTES.tlsServerFinished,
    };
    return (guess.name && byName[guess.name]) || SMTP_NOTES.tlsServerFlight;
  }
  if (guess.role === 'client-finished') return SMTP_NOTES.tlsClientFinished;
  if (guess.role === 'session-ticket') return SMTP_NOTES.tlsSessionTicket;
  if (guess.role === 'encrypted-alert') return SMTP_NOTES.tlsEncryptedAlert;
  return null;
}

/** Frames a chunk of one TLS direction. */
export function onTls(run: Run, dir: StreamDir, chunk: Uint8Array): void {
  const key = dir === 'client' ? 'tlsClient' : 'tlsServer';
  const { state, frames } = frameTls(run.s[key], chunk);
  run.s[key] = state;
  for (const f of frames) emit(run, tlsMessage(run, dir, f));
}

/**
 * A TLS record where a command belongs (implicit TLS on this plain port): one message for the whole
 * record, where a line reader would cut a ClientHello at its 0x0a bytes into lines of garbage.
 */
function tlsCommandMessage(run: Run, record: Uint8Array): DissectedMessage {
  const { hello, total } = tlsRecordStart(record);
  const text = run.text.format.tlsAsCommand(hello, record.length, total);
  return tlsRecordAsCommand(record, text, annotate(run, SMTP_NOTES.tlsUnexpected));
}

/** A client chunk after the record start held by the last one, if any. */
export function withTlsHold(run: Run, chunk: Uint8Array): Uint8Array {
  const hold = run.s.tlsHold;
  if (hold.length === 0) return chunk;
  run.s.tlsHold = EMPTY_BYTES;
  return concat(hold, chunk);
}

/**
 * At a command line's start, a TLS record (implicit TLS) is read whole. Returns where reading goes on:
 * after the record, or at the end when the rest is held until the record is complete; null for a line.
 */
export function tlsAtLineStart(run: Run, data: Uint8Array, at: number): number | null {
  const record = tlsRecordAt(data, at);
  if (record === null) return null;
  if (record === 'incomplete') {
    run.s.tlsHold = data.slice(at);
    return data.length;
  }
  onTlsCommand(run, data.subarray(at, at + record));
  return at + record;
}

/** A whole TLS record read at a command line's start. */
function onTlsCommand(run: Run, record: Uint8Array): void {
  const s = run.s;
  s.opened = true;
  emit(run, tlsCommandMessage(run, record));
  // The server reads the record as lines: one reply (or the early talker's 421) per line end in it.
  let lines = 0;
  for (let at = record.indexOf(0x0a); at !== -1; at = record.indexOf(0x0a, at + 1)) lines++;
  for (let n = 0; n < lines && s.expect.length < SMTP_LIMITS.pendingCommands; n++) s.expect.push({ ctx: 'TLS', early: !s.greeted });
}

/** The connection ended while a record start was held: the record cut short, or (a lone 0x16) part of a line. */
export function flushTlsHold(run: Run): void {
  const s = run.s;
  const hold = s.tlsHold;
  s.tlsHold = EMPTY_BYTES;
  if (otherClientOf(hold) === 'tls') emit(run, tlsCommandMessage(run, hold));
  else if (hold.length) s.client.buf = concat(hold, s.client.buf);
}
