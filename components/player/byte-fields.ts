import { parseTlsHello, tlsByteFields, type SpannedField } from '@/lib/protocols/kit/tls-hello.ts';
import type { Field, LabMessage } from '@/lib/wire/event.ts';
import { fieldSpans } from './field-spans';

/** A message's fields laid over its bytes, and the dissector's fields no byte spells (decoded or masked values). */
export interface BytesFields {
  fields: SpannedField[];
  unlocated: Field[];
  /** 'tls': parsed from the bytes (record header, hello); 'dissector': the dissector's fields, found in the bytes. */
  source: 'tls' | 'dissector';
}

/**
 * The fields the bytes view lists for a message: TLS records (and a ClientHello sent where a
 * command belonged) parsed field by field; any other message's dissected fields located in its bytes.
 */
export function bytesFields(message: Pick<LabMessage, 'kind' | 'fields'>, bytes: Uint8Array): BytesFields {
  if (message.kind === 'tls-record' || (bytes[0] === 22 && parseTlsHello(bytes) !== null)) return { fields: tlsByteFields(bytes), unlocated: [], source: 'tls' };
  const given = message.fields ?? [];
  const spans = fieldSpans(bytes, given);
  const fields: SpannedField[] = [];
  const unlocated: Field[] = [];
  given.forEach((f, i) => {
    const span = spans[i];
    if (span) fields.push({ name: f.name, value: f.value, note: f.note, start: span.start, end: span.end, depth: 0 });
    else unlocated.push(f);
  });
  return { fields, unlocated, source: 'dissector' };
}

/** The field under a byte: the innermost (shortest) span holding it, the first of equals; -1 if none. */
export function fieldAt(fields: readonly SpannedField[], offset: number): number {
  let best = -1;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (offset < f.start || offset >= f.end) continue;
    if (best === -1 || f.end - f.start < fields[best].end - fields[best].start) best = i;
  }
  return best;
}

/**
 * How a byte reads in the text column: printable ASCII as itself, CR as ←, LF as ↓ and tab as ⇥
 * (glyphs the app's monospace font has; it lacks the Control Pictures ␍ ␊), anything else a dot.
 */
export function byteGlyph(byte: number): string {
  if (byte === 0x0d) return '←';
  if (byte === 0x0a) return '↓';
  if (byte === 0x09) return '⇥';
  if (byte === 0x20) return '\u00a0';
  return byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '·';
}
