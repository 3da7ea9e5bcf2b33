/**
 * Makes untrusted protocol text safe to print and honest to read. Every C0/C1 control character
 * (except tab) is shown in caret or \x notation, so a client can never send escape sequences
 * (colour changes, DCS queries like `ESC P $q … ESC \`) into another user's xterm. Every invisible
 * format character (General_Category Cf: bidi overrides, embeddings, isolates and marks, zero-width
 * spaces and joiners, the soft hyphen, the BOM, tag characters…), every other default-ignorable code
 * point (Hangul fillers, variation selectors, the combining grapheme joiner…) where it does no visible
 * work, and the line and paragraph separators U+2028/U+2029 are shown as `\u{202E}`, so a line cannot
 * read differently from the bytes that were sent ("Trojan Source": a `MAIL FROM` whose letters display
 * reversed, an HTTP header name with a zero-width space that looks like `Authorization`, a user name
 * `admin` with a Hangul filler after it).
 *
 * Why `\u{202E}`: it names the code point as JavaScript, Rust and Swift escapes do, beside the `\x9b`
 * the C1 controls get; it is printable ASCII (so escaping twice changes nothing, like the caret
 * forms); its braces close it, so the next character never reads as one more hex digit (`\u202eabc`
 * would); and it holds no `<`, `>`, `:` or space, so the dissectors, which read the escaped line,
 * still find the same paths, headers and arguments (a `<U+202E>` form ended `MAIL FROM:<admin…>`'s
 * path at its `>`). A client can type those characters literally: the bytes view tells the two
 * apart, and the annotation names what the line really held (invisible-note.ts).
 */

const TEXT_DECODER = new TextDecoder('utf-8', { fatal: false });

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD) and escapes control and format characters. */
export function bytesToSafeText(bytes: Uint8Array): string {
  return escapeControls(TEXT_DECODER.decode(bytes));
}

/**
 * The visible form of one control character: `^[` for ESC (caret notation for C0), `^?` for DEL,
 * `\x9b` for C1. The output is printable ASCII only, so escaping it again changes nothing.
 * Returns null for anything that is not a C0, DEL or C1 control.
 */
export function visibleControl(code: number): string | null {
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  if (code >= 0x80 && code <= 0x9f) return '\\x' + code.toString(16);
  return null;
}

/** The visible form of an invisible format character: `\u{202E}`, four to six upper-case hex digits. */
export function visibleFormat(code: number): string {
  return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`;
}

/**
 * Invisible characters the lab marks: every format character (Cf); every default-ignorable code point, which
 * renders as nothing where it does no work (the Hangul fillers that make `admin\u3164` read `admin`, variation
 * selectors, the combining grapheme joiner, Mongolian free variation selectors, Khmer inherent vowels, the
 * unassigned ignorables); and U+2028/U+2029, which break a line in some viewers but not in others.
 */
export const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;

/**
 * A superset of the invisible characters as a class without the `u` flag (beyond the BMP, any high
 * surrogate); what it finds is decided by INVISIBLE. This scan runs over every line and every
 * multi-megabyte event batch, so it is shaped for V8: a `u`-flag class with \p{Cf} scans text holding
 * any non-Latin-1 character (a "—" in an annotation) three times slower, and so does a class of more
 * than 16 ranges (MAY_CHANGE is at 16). Hence a few ranges are wider than the invisible characters in
 * them, over letters rare in this lab's traffic (Syriac to Arabic Extended-A, Khmer vowel signs to
 * Mongolian, ‰ to ⁞ with the narrow no-break space, the CJK compatibility and small forms, half-width
 * Hangul and full-width signs such as ￥), whose lines take the slow path, changed by nothing; while
 * the common ones stay out of it, so ASCII, Latin, Korean, Arabic, Persian (without its ZWNJ), CJK and
 * Cyrillic lines take the fast path. escape.test.ts checks that it covers every invisible character of
 * the running Unicode version, and the range count.
 */
export const INVISIBLE_CANDIDATES =
  '\\xad\\u034f\\u0600-\\u0605\\u061c\\u06dd\\u070f-\\u08e2\\u115f\\u1160\\u17b4-\\u180f\\u200b-\\u200f\\u2028-\\u206f\\u3164\\ud800-\\udbff\\ufe00-\\ufeff\\uffa0-\\ufffb';

/**
 * A superset of what escapeControls changes: C0, DEL, C1, and where invisible characters can be. Tab,
 * which stays, is in it too (one range for all of C0 keeps the class at 16): a line with a tab is rebuilt unchanged.
 */
export const MAY_CHANGE = new RegExp(`[\\x00-\\x1f\\x7f-\\x9f${INVISIBLE_CANDIDATES}]`);

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const VS16 = '\uFE0F';
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
/** What may stand between an emoji and the ZWJ after it: VS16 (emoji presentation) and the skin-tone modifiers. */
const EMOJI_TAIL = /[\uFE0F\p{Emoji_Modifier}]/u;
/**
 * Scripts whose letters join or form conjuncts, where ZWNJ/ZWJ between two letters visibly change
 * the shapes (Persian writes ZWNJ inside words: می‌خواهم; Indic scripts after a virama). Between two
 * letters of one of these scripts a joiner shows itself, so it is left as it is.
 */
const JOINING_SCRIPTS = ['Arabic', 'Syriac', 'Nko', 'Mongolian', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala'].map(
  (script) => new RegExp(`^[\\p{Script=${script}}]$`, 'u'),
);
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
/** What a variation selector can choose a look for: a letter, number, symbol or punctuation mark. */
const SELECTABLE = /^[\p{L}\p{N}\p{S}\p{P}]$/u;
/** The start of a keycap (`1\uFE0F\u20E3`, UTS #51): a digit, `#` or `*`. */
const KEYCAP_BASE = /^[0-9#*]$/;
const KEYCAP = '\u20E3';
/** Old-Hangul initial consonants and vowels (Hangul Jamo and its extensions), which the fillers stand beside in a syllable block. */
const CHOSEONG = /^[\u1100-\u115e\ua960-\ua97c]$/;
const JUNGSEONG = /^[\u1161-\u11a7\ud7b0-\ud7c6]$/;
const MARK = /^\p{M}$/u;
const MONGOLIAN_LETTER = /^(?=\p{L})\p{Script=Mongolian}$/u;

/** True for a character that shows (never marked, whatever its neighbours) and is not ASCII. */
const shownBeyondAscii = (ch: string): boolean => ch.charCodeAt(0) > 0x7f && !INVISIBLE.test(ch);

/** True where a JSON `\uXXXX` escape ends just before `index` (an odd run of backslashes before its `u`). */
function afterJsonEscape(json: string, index: number): boolean {
  if (json[index - 5] !== 'u' || !/^[0-9a-f]{4}$/.test(json.slice(index - 4, index))) return false;
  let slashes = 0;
  while (json[index - 6 - slashes] === '\\') slashes++;
  return slashes % 2 === 1;
}

/** The code point that ends just before `index` (a surrogate pair read whole), or '' at the start. */
function charBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const low = text.charCodeAt(index - 1);
  const pair = index >= 2 && low >= 0xdc00 && low <= 0xdfff && text.charCodeAt(index - 2) >= 0xd800 && text.charCodeAt(index - 2) <= 0xdbff;
  return text.slice(pair ? index - 2 : index - 1, index);
}

/** The code point that starts at `index`, or '' at the end. */
function charAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? '' : String.fromCodePoint(code);
}

/** One of the 256 variation selectors: VS1–VS16 (U+FE00–FE0F, VS15/VS16 choose text or emoji style) or VS17–VS256. */
const isVariationSelector = (code: number): boolean => (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);

/**
 * True where the invisible character `code` at `index` of `text` does visible work, so marking it would
 * break legitimate text; a small rule per family, each reading only neighbours that are never marked
 * themselves, so escaping twice decides the same:
 * - ZWJ/ZWNJ: inside an emoji ZWJ sequence (👩‍💻, 🏳️‍🌈, 👩🏽‍💻: it fuses the pictographs into one
 *   glyph, UTS #51), or between two letters of one joining script.
 * - Variation selectors: after a visible letter, number, symbol or punctuation beyond ASCII (❤️, ©️, an
 *   ideographic variation sequence 葛󠄀, a math symbol's variant), and VS16 in a keycap (1️⃣). After ASCII
 *   otherwise (`admin\uFE00`), after another selector, or at the start, it changes nothing on screen.
 * - The Hangul choseong filler before an old-Hangul vowel, the jungseong filler after an old-Hangul
 *   consonant: they complete a syllable block. The empty block (both fillers) shows nothing.
 * - The combining grapheme joiner before a combining mark; a Mongolian free variation selector after a
 *   Mongolian letter.
 * Everything else (the Hangul fillers U+3164/U+FFA0, Khmer's inherent vowels, unassigned ignorables, any
 * joiner or selector beside ASCII, at either end or beside another invisible character) is marked.
 * In JSON (`json`), a `\uXXXX` escape before a selector is the character it stands for, never a keycap's digit.
 */
function invisibleShows(text: string, index: number, code: number, json: boolean): boolean {
  const length = code > 0xffff ? 2 : 1;
  if (code === ZWJ || code === ZWNJ) {
    const next = charAt(text, index + length);
    let prev = charBefore(text, index);
    if (code === ZWJ && PICTOGRAPH.test(next)) {
      let at = index - prev.length;
      // A VS16 counts as the emoji's tail only where it is kept itself.
      while (prev && EMOJI_TAIL.test(prev) && (prev !== VS16 || invisibleShows(text, at, 0xfe0f, json))) {
        prev = charBefore(text, at);
        at -= prev.length;
      }
      return PICTOGRAPH.test(prev);
    }
    if (!LETTER_OR_MARK.test(prev) || !LETTER_OR_MARK.test(next) || INVISIBLE.test(prev) || INVISIBLE.test(next)) return false;
    return JOINING_SCRIPTS.some((script) => script.test(prev) && script.test(next));
  }
  if (isVariationSelector(code)) {
    const prev = charBefore(text, index);
    if (SELECTABLE.test(prev) && shownBeyondAscii(prev)) return true;
    const keycap = code === 0xfe0f && KEYCAP_BASE.test(prev) && charAt(text, index + 1) === KEYCAP;
    return keycap && !(json && afterJsonEscape(text, index));
  }
  if (code === 0x115f) return JUNGSEONG.test(charAt(text, index + 1));
  if (code === 0x1160) return CHOSEONG.test(charBefore(text, index));
  if (code === 0x034f) {
    const next = charAt(text, index + 1);
    return MARK.test(next) && shownBeyondAscii(next);
  }
  if ((code >= 0x180b && code <= 0x180d) || code === 0x180f) return MONGOLIAN_LETTER.test(charBefore(text, index));
  return false;
}

/**
 * The marker for the invisible character starting at `index` of `text`, or null when it stays
 * (no invisible character there, or one doing visible work). Its neighbours decide, so the caller
 * passes the whole text; safeJson calls it on the JSON (`json`), where the neighbours are the same
 * but for the escapes JSON writes.
 */
export function invisibleShownAt(text: string, index: number, json = false): string | null {
  const code = text.codePointAt(index) ?? 0;
  if (!INVISIBLE.test(String.fromCodePoint(code))) return null;
  return invisibleShows(text, index, code, json) ? null : visibleFormat(code);
}

/**
 * Escapes C0 (except \t), DEL and C1 control characters (CR and LF become visible too) and marks
 * invisible characters (INVISIBLE) that do no visible work. Idempotent: its output is its own escape.
 */
export function escapeControls(text: string): string {
  // Most text has none: returned as it is, without building it again character by character (every line of every lab).
  if (!MAY_CHANGE.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) ?? 0;
    const length = code > 0xffff ? 2 : 1;
    // Below U+00AD (the first format character) only the controls change.
    out += code === 0x09 ? '\t' : (visibleControl(code) ?? (code < 0xad ? null : invisibleShownAt(text, i)) ?? text.slice(i, i + length));
    i += length;
  }
  return out;
}

/** Each byte's two hex digits. */
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * Shows the first bytes of a binary payload as hex, for summaries of bulk or encrypted data. Runs once
 * per chunk of an encrypted transfer, so by table: a sixth of the cost of mapping and joining (bench:ssh).
 */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const end = Math.min(bytes.length, max);
  let shown = end > 0 ? HEX_BYTE[bytes[0]] : '';
  for (let i = 1; i < end; i++) shown += ` ${HEX_BYTE[bytes[i]]}`;
  return bytes.length > max ? `${shown} …` : shown;
}
