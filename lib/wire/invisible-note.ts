/**
 * The annotation of a message whose text holds invisible characters the escape marked (`\u{202E}`,
 * escape.ts): it says which, what each would have done on screen, and cites the text that says so:
 * UAX #9 for the bidi controls, UTR #36 (Unicode Security Considerations) for the other invisible
 * format characters, UTS #39 (Unicode Security Mechanisms) for the default-ignorable ones that let a
 * name look like another. One place for every protocol and view, applied as a message is stamped
 * (recorder.ts), so a live transcript, an import and every export carry the same note.
 */
import type { Annotation, Field, Level, SecretSpan } from './event.ts';
import { INVISIBLE, visibleFormat } from './escape.ts';

/** A marker as escape.ts writes it. */
const MARKER = /\\u\{([0-9A-F]{4,6})\}/g;

/** The texts a note cites: each character's family has one. */
const BIDI_REF = 'UAX #9 §2';
const INVISIBLE_REF = 'UTR #36 §2.4';
const IGNORABLE_REF = 'UTS #39 §3.1';

/** What one invisible character is and would do, in a student's words, and the text that describes its kind. */
interface Described {
  name: string;
  does: string;
  ref: string;
}

const override = (dir: string) => `it makes the text after it display ${dir}, so the line could read differently from the bytes sent (UAX #9 §2.2)`;
const embedding = (dir: string) => `it opens a ${dir} embedding, which can reorder the text after it (UAX #9 §2.1)`;
const isolate = (dir: string) => `it opens a ${dir} isolate, which can reorder the text inside it (UAX #9 §2.4)`;
const mark = 'an invisible letter with a direction, which moves the punctuation and digits beside it (UAX #9 §2.6)';
const zeroWidth = 'it has no width, so two names that look the same on screen are different strings';
/** A default-ignorable character where it does no work: what it is for, and that here it draws nothing. */
const ignored = (isFor: string) =>
  `${isFor}, so it draws nothing here, and two names that look the same are different strings (${IGNORABLE_REF} restricts default-ignorable characters in identifiers)`;
const filler = (form: string) =>
  `${form} that draws nothing (modern Korean never writes it), so two names that look the same are different strings, such as admin and admin with one after it (${IGNORABLE_REF} restricts default-ignorable characters in identifiers)`;
const selector = 'it asks for another look of the character before it (emoji or text style, a variant glyph), but what comes before it has none';
const khmer = ignored('a Khmer vowel sign the Unicode Standard discourages, with no shape of its own');
const mongolian = ignored('it chooses another shape of the Mongolian letter before it, but no Mongolian letter comes before it');

const bidi = (name: string, does: string): Described => ({ name, does, ref: BIDI_REF });
const other = (name: string, does: string): Described => ({ name, does, ref: INVISIBLE_REF });
const ignorable = (name: string, does: string): Described => ({ name, does, ref: IGNORABLE_REF });

/** The characters a note names; variation selectors, tags and the unassigned ones are named by range in describe(). */
const KNOWN: Record<number, Described> = {
  0x202a: bidi('LEFT-TO-RIGHT EMBEDDING', embedding('left-to-right')),
  0x202b: bidi('RIGHT-TO-LEFT EMBEDDING', embedding('right-to-left')),
  0x202c: bidi('POP DIRECTIONAL FORMATTING', 'it ends an embedding or override (UAX #9 §2.3)'),
  0x202d: bidi('LEFT-TO-RIGHT OVERRIDE', override('left to right')),
  0x202e: bidi('RIGHT-TO-LEFT OVERRIDE', override('right to left')),
  0x2066: bidi('LEFT-TO-RIGHT ISOLATE', isolate('left-to-right')),
  0x2067: bidi('RIGHT-TO-LEFT ISOLATE', isolate('right-to-left')),
  0x2068: bidi('FIRST STRONG ISOLATE', isolate('first-strong')),
  0x2069: bidi('POP DIRECTIONAL ISOLATE', 'it closes an isolate (UAX #9 §2.5)'),
  0x200e: bidi('LEFT-TO-RIGHT MARK', mark),
  0x200f: bidi('RIGHT-TO-LEFT MARK', mark),
  0x061c: bidi('ARABIC LETTER MARK', mark),
  0x200b: other('ZERO WIDTH SPACE', zeroWidth),
  0x200c: other('ZERO WIDTH NON-JOINER', `outside a word of a joining script ${zeroWidth}`),
  0x200d: other('ZERO WIDTH JOINER', `outside an emoji sequence ${zeroWidth}`),
  0x2060: other('WORD JOINER', zeroWidth),
  0xfeff: other('ZERO WIDTH NO-BREAK SPACE (byte order mark)', zeroWidth),
  0x00ad: other('SOFT HYPHEN', 'it shows only where a line happens to break, so two names that look the same are different strings'),
  0x2028: other('LINE SEPARATOR', 'a line break in some viewers and none in others'),
  0x2029: other('PARAGRAPH SEPARATOR', 'a paragraph break in some viewers and none in others'),
  0x3164: ignorable('HANGUL FILLER', filler('a Hangul letter')),
  0xffa0: ignorable('HALFWIDTH HANGUL FILLER', filler('the half-width Hangul letter')),
  0x115f: ignorable('HANGUL CHOSEONG FILLER', ignored('it stands in for the missing first consonant of an old-Hangul syllable, and no vowel follows it')),
  0x1160: ignorable('HANGUL JUNGSEONG FILLER', ignored('it stands in for the missing vowel of an old-Hangul syllable, and no consonant comes before it')),
  0x034f: ignorable('COMBINING GRAPHEME JOINER', ignored('it only keeps the combining mark after it apart, and no mark follows it')),
  0x17b4: ignorable('KHMER VOWEL INHERENT AQ', khmer),
  0x17b5: ignorable('KHMER VOWEL INHERENT AA', khmer),
  0x180b: ignorable('MONGOLIAN FREE VARIATION SELECTOR ONE', mongolian),
  0x180c: ignorable('MONGOLIAN FREE VARIATION SELECTOR TWO', mongolian),
  0x180d: ignorable('MONGOLIAN FREE VARIATION SELECTOR THREE', mongolian),
  0x180f: ignorable('MONGOLIAN FREE VARIATION SELECTOR FOUR', mongolian),
};

function describe(code: number): Described {
  const known = KNOWN[code];
  if (known) return known;
  if (code >= 0xfe00 && code <= 0xfe0f) return ignorable(`VARIATION SELECTOR-${code - 0xfe00 + 1}`, ignored(selector));
  if (code >= 0xe0100 && code <= 0xe01ef) return ignorable(`VARIATION SELECTOR-${code - 0xe0100 + 17}`, ignored(selector));
  if (code === 0xe0001 || (code >= 0xe0020 && code <= 0xe007f)) return other('TAG character', 'an invisible tag, which can carry text nobody sees');
  if (!/\p{Cf}/u.test(String.fromCodePoint(code))) {
    return ignorable('unassigned default-ignorable code point', ignored('no character yet: the code point is reserved for future invisible ones'));
  }
  return other('format character', 'it is invisible, so the line could read differently from the bytes sent');
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

/** The note on the marked characters of `text` (and its fields): its sentences, and the texts they cite. */
interface Note {
  explain: string;
  ref: string;
}

/** A message's text and its fields' names and values: where a marker can be. */
const textsOf = (text: string, fields?: readonly Field[]): string[] => (fields ? [text, ...fields.flatMap((f) => [f.name, f.value])] : [text]);

/** The note for the invisible characters marked in `texts`, or null when they hold no marker. */
function noteOn(texts: readonly string[]): Note | null {
  const codes = markedIn(texts);
  if (codes.length === 0) return null;
  const each = codes.map((code) => ({ hex: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, ...describe(code) }));
  const first =
    each.length === 1
      ? `This line holds ${each[0].hex} ${each[0].name}, shown as ${visibleFormat(codes[0])}: ${each[0].does}.`
      : `This line holds ${each.length} kinds of invisible character, each shown as \\u{…} with its code point: ${each.map((e) => `${e.hex} ${e.name} (${e.does})`).join('; ')}.`;
  const explain = `${first} The lab shows ${each.length === 1 ? 'it' : 'them'} instead of obeying ${each.length === 1 ? 'it' : 'them'}; a client that typed the marker's characters would look the same here, and the bytes view tells the two apart.`;
  return { explain, ref: [...new Set(each.map((e) => e.ref))].join('; ') };
}

/** The sentences that open the note, or null when the texts hold no marker. */
export function invisibleNote(text: string, fields?: readonly Field[]): string | null {
  return noteOn(textsOf(text, fields))?.explain ?? null;
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
  const note = noteOn(secret ? [text.slice(0, secret.start) + text.slice(secret.end)] : textsOf(text, fields));
  if (note === null || annotation?.explain.startsWith(note.explain)) return annotation;
  if (!annotation) return { key: 'lab.invisible', title: 'Invisible characters marked', explain: note.explain, ref: note.ref, level: 'warn' };
  const level = RANK[annotation.level ?? 'info'] >= RANK.warn ? annotation.level : 'warn';
  return { ...annotation, explain: annotation.explain ? `${note.explain} ${annotation.explain}` : note.explain, level };
}
