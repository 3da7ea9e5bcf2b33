import { latin1 } from '../../wire/line-reader.ts';

/** The header fields the lab explains, by lower-case name; none is longer than 12 characters. */
const NOTED_NAMES = new Set(['message-id', 'in-reply-to', 'references', 'content-type', 'from', 'to', 'cc', 'subject', 'date']);
const LONGEST_NOTED_NAME = 12;

/**
 * A header line's field, if it is one the lab explains: its lower-case name and trimmed value. Read
 * from the bytes (every header line of every mail passes here): the name is printable ASCII but ":"
 * (RFC 5322 §3.6.8 ftext), blanks may stand before the colon, and a value holding a bare CR is no field.
 */
export function notedField(line: Uint8Array): { name: string; value: string } | undefined {
  const colon = line.indexOf(0x3a);
  let end = colon;
  while (end > 0 && (line[end - 1] === 0x20 || line[end - 1] === 0x09)) end--;
  if (end <= 0 || end > LONGEST_NOTED_NAME) return undefined;
  for (let i = 0; i < end; i++) if (line[i] < 0x21 || line[i] > 0x7e) return undefined;
  const name = latin1(line.subarray(0, end)).toLowerCase();
  if (!NOTED_NAMES.has(name) || line.indexOf(0x0d, colon) !== -1) return undefined;
  return { name, value: latin1(line.subarray(colon + 1)).trim() };
}

/** The addresses of a From:/To: value: those in angle brackets, else the comma-separated words (lower case). */
export function addressesOf(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>]*)>/g)].map((m) => m[1]);
  const found = bracketed.length > 0 ? bracketed : value.split(',');
  return found.map((a) => a.trim().toLowerCase()).filter((a) => a !== '');
}
