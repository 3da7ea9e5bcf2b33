import type { Field } from '@/lib/wire/event.ts';

/** The bytes a field covers in its message: [start, end). */
export interface FieldSpan {
  start: number;
  end: number;
}

/**
 * Where each field of a message sits in its bytes, or null when its value is not there as such (masked,
 * or computed like a PASV port that no byte spells). A binary protocol's dissector (ZMTP) says where
 * each field lies (`start`, `end`), taken as given. Text protocols' dissectors (SMTP, FTP, HTTP/SOAP
 * lines) give values, not offsets, so each of their values is looked for:
 *
 * - in field order, from where the previous field was found (an enhanced code's class, subject and
 *   detail lie inside the code, so the search starts at the previous field's start, not its end),
 *   never on exactly the previous field's bytes;
 * - as a whole token first (a class '2' must not match the 2 of '250'), then anywhere;
 * - exactly first, then ignoring ASCII case (`mail from:` is dissected as verb MAIL);
 * - then in the forms a dissector decodes from: base64 (AUTH LOGIN's username), an IPv4 address
 *   as FTP writes it (`127,0,0,1`), a port as FTP's p1,p2 pair (p1×256+p2, RFC 959 §4.1.2);
 * - a field with an empty value (an EHLO keyword like PIPELINING) by its name.
 *
 * Pure; bytes are matched as bytes (UTF-8 values encoded), so offsets are byte offsets.
 */
export function fieldSpans(bytes: Uint8Array, fields: readonly Field[]): (FieldSpan | null)[] {
  const haystack = latin1(bytes);
  const lower = asciiLower(haystack);
  let previous: FieldSpan | null = null;
  return fields.map((field) => {
    // A binary protocol's dissector says where its field lies: taken as it is, if it lies in these bytes.
    const given = givenSpan(field, bytes.length);
    if (given || field.start !== undefined) return given;
    let span = locate(haystack, lower, field, previous?.start ?? 0);
    // Two fields are never the same bytes: 2.0.0's subject and detail are both "0", one after the other.
    if (span && previous && span.start === previous.start && span.end === previous.end) span = locate(haystack, lower, field, previous.start + 1);
    if (span) previous = span;
    return span;
  });
}

/** The span a dissector gave, or null when it gave none or one outside `length` bytes (a message's capture was cut short). */
function givenSpan(field: Field, length: number): FieldSpan | null {
  const { start, end } = field;
  if (start === undefined || end === undefined || start < 0 || end <= start || end > length) return null;
  return { start, end };
}

/** Values dissectors write instead of what was on the wire (a masked secret). */
const MASKED = /^(?:•+|\*+|\(masked.*\))$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const SIX_NUMBERS = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/g;

function locate(haystack: string, lower: string, field: Field, cursor: number): FieldSpan | null {
  const value = field.value;
  if (MASKED.test(value)) return null;
  if (value === '') return field.name ? search(haystack, lower, [latin1(utf8(field.name))], cursor) : null;
  const literal = search(haystack, lower, [latin1(utf8(value))], cursor);
  if (literal) return literal;
  const ip = IPV4.exec(value);
  if (ip) return search(haystack, lower, [ip.slice(1).join(',')], cursor);
  if (/^\d{1,5}$/.test(value)) {
    const port = portPair(haystack, Number(value));
    if (port) return port;
  }
  // Short values would match base64 text by chance.
  return value.length >= 3 ? search(haystack, lower, [base64(utf8(value))], cursor) : null;
}

/** The first match of any pattern: whole token before anywhere, from the cursor before from the start, exact before ignoring case. */
function search(haystack: string, lower: string, patterns: string[], cursor: number): FieldSpan | null {
  for (const from of cursor > 0 ? [cursor, 0] : [0]) {
    for (const token of [true, false]) {
      for (const pattern of patterns) {
        if (!pattern) continue;
        const exact = find(haystack, pattern, from, token);
        if (exact !== -1) return { start: exact, end: exact + pattern.length };
        const folded = find(lower, asciiLower(pattern), from, token);
        if (folded !== -1) return { start: folded, end: folded + pattern.length };
      }
    }
  }
  return null;
}

const ALNUM = /[A-Za-z0-9]/;

/** indexOf from `from`; with `token`, a match may not continue a word or number on an alphanumeric edge. */
function find(text: string, pattern: string, from: number, token: boolean): number {
  for (let at = text.indexOf(pattern, from); at !== -1; at = text.indexOf(pattern, at + 1)) {
    if (!token) return at;
    const before = at > 0 && ALNUM.test(pattern[0]) && ALNUM.test(text[at - 1]);
    const end = at + pattern.length;
    const after = end < text.length && ALNUM.test(pattern[pattern.length - 1]) && ALNUM.test(text[end]);
    if (!before && !after) return at;
  }
  return -1;
}

/** The p1,p2 of an FTP h1,h2,h3,h4,p1,p2 argument whose port is `port`. */
function portPair(haystack: string, port: number): FieldSpan | null {
  for (const m of haystack.matchAll(SIX_NUMBERS)) {
    const [p1, p2] = [Number(m[5]), Number(m[6])];
    if (p1 * 256 + p2 !== port) continue;
    const end = (m.index ?? 0) + m[0].length;
    return { start: end - `${m[5]},${m[6]}`.length, end };
  }
  return null;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** One character per byte, so string offsets are byte offsets. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function base64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}
