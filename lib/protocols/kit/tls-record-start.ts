/**
 * A TLS record where a text protocol expects a command line: an implicit-TLS client (ftps://,
 * swaks --tls-on-connect, openssl s_client without -starttls) pointed at a port that speaks plain
 * text first. A ClientHello holds 0x0a bytes, so a line reader would cut it into lines of garbage;
 * the FTP and SMTP dissectors look for a record at the start of each client line, hold it until it
 * is complete, and show it as one message covering exactly its bytes.
 */
import { hexPreview } from '../../wire/escape.ts';
import type { Annotation, Field } from '../../wire/event.ts';
import type { DissectedMessage } from '../types.ts';

/** Longest TLS record (RFC 8446 §5.2: 2^14 + 256 for ciphertext) plus its 5-byte header. */
export const MAX_TLS_RECORD = 5 + 16384 + 256;

/**
 * At `pos`, does a TLS handshake record start (0x16 0x03 …, RFC 8446 §5.1)? Its byte count,
 * 'incomplete' while more bytes are needed to tell or to finish it, or null for an ordinary line.
 */
export function tlsRecordAt(data: Uint8Array, pos: number): number | 'incomplete' | null {
  const left = data.length - pos;
  if (left < 1 || data[pos] !== 0x16) return null;
  if (left < 2) return 'incomplete';
  if (data[pos + 1] !== 0x03) return null;
  if (left < 5) return 'incomplete';
  const total = 5 + ((data[pos + 3] << 8) | data[pos + 4]);
  if (total > MAX_TLS_RECORD) return null;
  return left < total ? 'incomplete' : total;
}

/** What the first bytes of such a record say: a ClientHello or not, and its size with the header (null until the header is whole). */
export interface TlsRecordStart {
  hello: boolean;
  total: number | null;
}

/** Reads a record's start (whole, or cut short when the connection ended first). */
export function tlsRecordStart(bytes: Uint8Array): TlsRecordStart {
  // Byte 5 is the handshake message type; 1 is ClientHello (RFC 8446 §4).
  return { hello: bytes.length > 5 && bytes[5] === 0x01, total: bytes.length >= 5 ? 5 + ((bytes[3] << 8) | bytes[4]) : null };
}

/** The fields a record sent as a command shows: its first bytes and the length its header gives. */
export function tlsRecordStartFields(bytes: Uint8Array): Field[] {
  const { total } = tlsRecordStart(bytes);
  const fields: Field[] = [{ name: 'first bytes', value: hexPreview(bytes.subarray(0, 8)) }];
  if (total !== null) fields.push({ name: 'length', value: String(total - 5) });
  return fields;
}

/**
 * A record sent where a command belongs, as one client message covering exactly its bytes; the
 * protocol gives its words for it and its annotation.
 */
export function tlsRecordAsCommand(record: Uint8Array, text: string, annotation: Annotation): DissectedMessage {
  return { dir: 'client', kind: 'tls-hello', text, bytes: record.length, fields: tlsRecordStartFields(record), annotation, phase: 'tls' };
}
