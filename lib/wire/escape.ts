/**
 * Makes untrusted protocol text safe to print and honest to read. Every C0/C1 control character
 * (except tab) is shown in caret or \x notation, so a client can never send escape sequences
 * (colour changes, DCS queries like `ESC P $q … ESC \`) into another user's xterm. Every invisible
 * format character (General_Category Cf: bidi overrides, embeddings, isolates and marks, zero-width
 * spaces and joiners, the soft hyphen, the BOM, tag characters…) and the line and paragraph
 * separators U+2028/U+2029 are shown as `\u{202E}`, so a line cannot read differently from the
 * bytes that were sent ("Trojan Source": a `MAIL FROM` whose letters display reversed, an HTTP
 * header name with a zero-width space that looks like `Authorization`).
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

/** Invisible characters the lab marks: every format character (Cf), and U+2028/U+2029, which break a line in some viewers but not in others. */
export const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;

/**
 * A superset of the invisible characters as a class without the `u` flag: where they can be, by block
 * (every BMP format character lies in these ranges; beyond the BMP, any high surrogate). A `u`-flag
 * class with \p{Cf} scans text holding any non-Latin-1 character (a "—" in an annotation) three times
 * slower, and this scan runs over every line and every multi-megabyte event batch; what it finds is
 * decided by INVISIBLE. escape.test.ts checks that it covers every Cf of the running Unicode version.
 */
export const INVISIBLE_CANDIDATES = '\\xad\\u0600-\\u070f\\u0890-\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ud800-\\udbff\\ufeff\\ufff9-\\ufffb';

/** A superset of what escapeControls changes: C0 but tab, DEL, C1, and where invisible characters can be. */
export const MAY_CHANGE = new RegExp(`[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f${INVISIBLE_CANDIDATES}]`);

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
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

/**
 * True where a joiner at `index` (of `length` UTF-16 units) does visible work, so marking it would
 * break legitimate text: a ZWJ inside an emoji ZWJ sequence (👩‍💻, 🏳️‍🌈, 👩🏽‍💻: it fuses the
 * pictographs into one glyph, UTS #51), or a ZWNJ/ZWJ between two letters of one joining script.
 * Everywhere else (in ASCII, in Latin or Hangul text, at either end, beside another invisible
 * character) it changes nothing on screen and is marked.
 */
function joinerShows(text: string, index: number, length: number, code: number): boolean {
  const next = charAt(text, index + length);
  let prev = charBefore(text, index);
  if (code === ZWJ && PICTOGRAPH.test(next)) {
    let at = index - prev.length;
    while (prev && EMOJI_TAIL.test(prev)) {
      prev = charBefore(text, at);
      at -= prev.length;
    }
    return PICTOGRAPH.test(prev);
  }
  if (!LETTER_OR_MARK.test(prev) || !LETTER_OR_MARK.test(next)) return false;
  return JOINING_SCRIPTS.some((script) => script.test(prev) && script.test(next));
}

/**
 * The marker for the invisible character starting at `index` of `text`, or null when it stays
 * (no invisible character there, or a joiner doing visible work). Its neighbours decide a joiner, so
 * the caller passes the whole text; safeJson calls it on the JSON, where the neighbours are the same.
 */
export function invisibleShownAt(text: string, index: number): string | null {
  const code = text.codePointAt(index) ?? 0;
  const ch = String.fromCodePoint(code);
  if (!INVISIBLE.test(ch)) return null;
  if ((code === ZWJ || code === ZWNJ) && joinerShows(text, index, 1, code)) return null;
  return visibleFormat(code);
}

/**
 * Escapes C0 (except \t), DEL and C1 control characters (CR and LF become visible too) and marks
 * invisible format characters. Idempotent: its output is its own escape.
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
