/**
 * One builder for TLS records as transcript messages, shared by every protocol that switches to
 * TLS mid-stream (SMTP STARTTLS, FTP AUTH TLS and PROT P data): the framing and header fields come
 * from lib/wire/tls-records.ts; the protocol supplies only its words and its annotation.
 */
import { hexPreview } from '../../wire/escape.ts';
import type { Annotation } from '../../wire/event.ts';
import { tlsRecordFields, type TlsFrame } from '../../wire/tls-records.ts';
import type { DissectedMessage, StreamDir } from '../types.ts';

/** What a protocol says about one frame. */
export interface TlsWords {
  text: string;
  annotation?: Annotation;
  /** What the record's position suggests it carries (TLS 1.3 hides the handshake type). */
  likely?: string;
  /** Default 'tls'. */
  phase?: string;
  /** The message kind for bytes that are not TLS records; default 'garbage'. */
  garbageKind?: string;
}

/** One framed TLS record (or non-TLS bytes) as a message covering exactly its bytes. */
export function tlsRecordMessage(dir: StreamDir, frame: TlsFrame, words: TlsWords): DissectedMessage {
  const phase = words.phase ?? 'tls';
  const annotation = words.annotation ? { annotation: words.annotation } : {};
  if (frame.kind === 'garbage') return { dir, kind: words.garbageKind ?? 'garbage', text: words.text, bytes: frame.bytes, ...annotation, phase };
  return { dir, kind: 'tls-record', text: words.text, bytes: frame.bytes, fields: tlsRecordFields(frame, words.likely), ...annotation, phase };
}

/** A record in a few words, as the FTP views print it: 'TLS handshake (ClientHello) — 512 bytes'. */
export function tlsRecordLine(frame: Extract<TlsFrame, { kind: 'record' }>, options: { markCut: boolean }): string {
  const what = frame.handshake.length ? ` (${frame.handshake.join(', ')})` : frame.alert ? ` (${frame.alert.level} ${frame.alert.description})` : '';
  const sealed = frame.encrypted ? ', encrypted' : '';
  return `TLS ${frame.contentTypeName}${what} — ${frame.length} bytes${sealed}${options.markCut && !frame.complete ? ' (cut short)' : ''}`;
}

/** A frame's text in a few words: the record's line (cut short marked), or the bytes that are no record. */
export function tlsFrameLine(frame: TlsFrame): string {
  return frame.kind === 'record' ? tlsRecordLine(frame, { markCut: true }) : `not a TLS record: ${hexPreview(frame.preview)}`;
}
