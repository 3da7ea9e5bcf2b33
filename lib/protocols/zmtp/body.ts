/**
 * Safe, bounded views of ZMTP bodies for transcripts: printable text as quoted text, anything else as
 * hex, never more than a few dozen characters; and the metadata property list (ZMTP RFC 37 §3.8).
 */
import { groupDigits } from '../../text/numbers.ts';
import { escapeControls, hexPreview } from '../../wire/escape.ts';
import type { Field } from '../../wire/event.ts';

const TEXT_DECODER = new TextDecoder('utf-8', { fatal: true });
const MAX_TEXT = 80;

/** The body as `"text"` when it is printable UTF-8, else as hex; `total` is the full size when only a prefix is kept. */
export function showBody(bytes: Uint8Array, total = bytes.length): string {
  if (total === 0) return '‹empty›';
  const more = total > bytes.length ? ` … (${groupDigits(total)} octets)` : '';
  const text = printable(bytes);
  if (text !== undefined) {
    const clipped = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
    return `"${escapeControls(clipped)}"${more}`;
  }
  return `${hexPreview(bytes, 24)}${more || (bytes.length > 24 ? ` (${groupDigits(total)} octets)` : '')}`;
}

/** The bytes as text if they are valid UTF-8 without control characters (tab, CR, LF allowed), else undefined. */
export function printable(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = TEXT_DECODER.decode(bytes);
  } catch {
    // A prefix may cut a multi-byte character: retry without its last 3 octets.
    if (bytes.length < 4) return undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartial(bytes));
    } catch {
      return undefined;
    }
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text) ? undefined : text;
}

/** Drops an incomplete UTF-8 sequence at the end of `bytes`. */
function trimPartial(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = bytes[end - i];
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > i) end -= i;
      break;
    }
  }
  return bytes.subarray(0, end);
}

/** One metadata property, and where it lies in its list: [start, end) from its name's length octet to its value's end. */
export interface Property {
  name: string;
  value: Uint8Array;
  start: number;
  end: number;
}

/** Parses a metadata list; `error` says where it stopped if the octets do not fit the grammar. */
export function parseMetadata(bytes: Uint8Array): { props: Property[]; error?: string } {
  const props: Property[] = [];
  let at = 0;
  while (at < bytes.length) {
    const nameLength = bytes[at];
    if (nameLength === 0) return { props, error: 'a property name of length 0' };
    if (at + 1 + nameLength + 4 > bytes.length) return { props, error: 'a property cut short' };
    const name = String.fromCharCode(...bytes.subarray(at + 1, at + 1 + nameLength));
    const start = at;
    at += 1 + nameLength;
    const valueLength = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    at += 4;
    if (valueLength > bytes.length - at) return { props, error: `the value of ${escapeControls(name)} cut short` };
    props.push({ name, value: bytes.subarray(at, at + valueLength), start, end: at + valueLength });
    at += valueLength;
  }
  return { props };
}

/** The value of property `name` (case-insensitive, ZMTP RFC 37 §3.9) as text, if present. */
export function propertyText(props: readonly Property[], name: string): string | undefined {
  const found = props.find((p) => p.name.toLowerCase() === name.toLowerCase());
  return found ? (printable(found.value) ?? hexPreview(found.value)) : undefined;
}

/** Property lines for fields: `Socket-Type = "REQ"` with name and value bounded, each spanning its property from `at`, where the list begins in the message. */
export function propertyFields(props: readonly Property[], at: number): Field[] {
  return props.slice(0, 16).map((p) => ({ name: escapeControls(p.name), value: showBody(p.value), start: at + p.start, end: at + p.end }));
}

/** Big-endian unsigned integer of up to 6 octets (nonces, TTLs). */
export function uintBE(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes.subarray(0, 6)) n = n * 256 + b;
  return n;
}

/** Hex of all `bytes` (keys, nonces), compact. */
export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
