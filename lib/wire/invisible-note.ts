/**
 * The annotation of a message whose text holds invisible characters the escape marked (`\u{202E}`,
 * escape.ts): it says which, what each would have done on screen, and cites UAX #9 for the bidi
 * controls. One place for every protocol and view, applied as a message is stamped (recorder.ts),
 * so a live transcript, an import and every export carry the same note.
 */
import type { Annotation, Field, Level, SecretSpan } from './event.ts';
import { INVISIBLE } from './escape.ts';

/** A marker as escape.ts writes it. */
const MARKER = /\\u\{([0-9A-F]{4,6})\}/g;

/** What one invisible character is and would do, in a student's words, with its section of UAX #9 where it has one. */
interface Described {
  name: string;
  does: string;
}

const override = (dir: string) => `it makes the text after it display ${dir}, so the line could read differently from the bytes sent (UAX #9 §2.2)`;
const embedding = (dir: string) => `it opens a ${dir} embedding, which can reorder the text after it (UAX #9 §2.1)`;
const isolate = (dir: string) => `it opens a ${dir} isolate, which can reorder the text inside it (UAX #9 §2.4)`;
const mark = 'an invisible letter with a direction, which moves the punctuation and digits beside it (UAX #9 §2.6)';
const zeroWidth = 'it has no width, so two names that look the same on screen are different strings';

/** The characters a note names; any other format character is described by its category. */
const KNOWN: Record<number, Described> = {
  0x202a: { name: 'LEFT-TO-RIGHT EMBEDDING', does: embedding('left-to-right') },
  0x202b: { name: 'RIGHT-TO-LEFT EMBEDDING', does: embedding('right-to-left') },
  0x202c: { name: 'POP DIRECTIONAL FORMATTING', does: 'it ends an embedding or override (UAX #9 §2.3)' },
  0x202d: { name: 'LEFT-TO-RIGHT OVERRIDE', does: override('left to right') },
  0x202e: { name: 'RIGHT-TO-LEFT OVERRIDE', does: override('right to left') },
  0x2066: { name: 'LEFT-TO-RIGHT ISOLATE', does: isolate('left-to-right') },
  0x2067: { name: 'RIGHT-TO-LEFT ISOLATE', does: isolate('right-to-left') },
  0x2068: { name: 'FIRST STRONG ISOLATE', does: isolate('first-strong') },
  0x2069: { name: 'POP DIRECTIONAL ISOLATE', does: 'it closes an isolate (UAX #9 §2.5)' },
  0x200e: { name: 'LEFT-TO-RIGHT MARK', does: mark },
  0x200f: { name: 'RIGHT-TO-LEFT MARK', does: mark },
  0x061c: { name: 'ARABIC LETTER MARK', does: mark },
  0x200b: { name: 'ZERO WIDTH SPACE', does: zeroWidth },
  0x200c: { name: 'ZERO WIDTH NON-JOINER', does: `outside a word of a joining script ${zeroWidth}` },
  0x200d: { name: 'ZERO WIDTH JOINER', does: `outside an emoji sequence ${zeroWidth}` },
  0x2060: { name: 'WORD JOINER', does: zeroWidth },
  0xfeff: { name: 'ZERO WIDTH NO-BREAK SPACE (byte order mark)', does: zeroWidth },
  0x00ad: { name: 'SOFT HYPHEN', does: 'it shows only where a line happens to break, so two names that look the same are different strings' },
  0x2028: { name: 'LINE SEPARATOR', does: 'a line break in some viewers and none in others' },
  0x2029: { name: 'PARAGRAPH SEPARATOR', does: 'a paragraph break in some viewers and none in others' },
};

function describe(code: number): Described {
  const known = KNOWN[code];
  if (known) return known;
  if (code >= 0xe0000 && code <= 0xe007f) return { name: 'TAG character', does: 'an invisible tag, which can carry text nobody sees' };
  return { name: 'format character', does: 'it is invisible, so the line could read differently from the bytes sent' };
}

/** The distinct invisible characters marked in `texts`, in order of first appearance. */
function markedIn(texts: readonly string[]): number[] {
  const found: number[] = [];
  for (const text of texts) {
    if (!text.includes('\\u{')) continue;
    for (const m of text.matchAll(MARKER)) {
      const code = parseInt(m[1], 16);
      // Only what the escape marks: `\u{0041}` typed by a client is text, not a marker.
      if (code <= 0x10ffff && INVISIBLE.test(String.fromCodePoint(code)) && !found.includes(code)) found.push(code);
    }
  }
  return found;
}

/** The sentences that open the note, or null when the texts hold no marker. */
export function invisibleNote(text: string, fields?: readonly Field[]): string | null {
  const texts = fields ? [text, ...fields.flatMap((f) => [f.name, f.value])] : [text];
  const codes = markedIn(texts);
  if (codes.length === 0) return null;
  const each = codes.map((code) => ({ hex: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, ...describe(code) }));
  const first =
    each.length === 1
      ? `This line holds ${each[0].hex} ${each[0].name}, shown as \\u{${each[0].hex.slice(2)}}: ${each[0].does}.`
      : `This line holds ${each.length} kinds of invisible character, each shown as \\u{…} with its code point: ${each.map((e) => `${e.hex} ${e.name} (${e.does})`).join('; ')}.`;
  return `${first} The lab shows ${each.length === 1 ? 'it' : 'them'} instead of obeying ${each.length === 1 ? 'it' : 'them'}; a client that typed the marker's characters would look the same here, and the bytes view tells the two apart.`;
}

const RANK: Record<Level, number> = { info: 0, warn: 1, error: 2 };

/**
 * The annotation a message is stamped with: its own, or, when its text or fields hold marked
 * invisible characters, its own with the note in front (and at least a warning: what a line hid
 * matters more than what it meant), or the note alone. Idempotent: a note already there stays once.
 */
export function annotateInvisible(message: { text: string; fields?: readonly Field[]; annotation?: Annotation; secret?: SecretSpan }): Annotation | undefined {
  const { text, fields, annotation, secret } = message;
  // A credential's characters are not described (followers read the line with it hidden): only the rest of the line, without fields.
  const note = secret ? invisibleNote(text.slice(0, secret.start) + text.slice(secret.end)) : invisibleNote(text, fields);
  if (note === null || annotation?.explain.startsWith(note)) return annotation;
  if (!annotation) return { key: 'lab.invisible', title: 'Invisible characters marked', explain: note, ref: 'UAX #9 §2', level: 'warn' };
  const level = RANK[annotation.level ?? 'info'] >= RANK.warn ? annotation.level : 'warn';
  return { ...annotation, explain: annotation.explain ? `${note} ${annotation.explain}` : note, level };
}
