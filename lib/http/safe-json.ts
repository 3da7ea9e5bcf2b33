/**
 * The one place text leaves the daemon as JSON (every API body, every WebSocket message):
 * serialises a value and rewrites every control character in its strings (keys included) to
 * the visible form `escapeControls` uses (`^[`, `^G`, `\x9b`), so raw ESC/BEL/C1 from a client
 * (a mail subject, an FTP file name, an HTTP request-target…) never reaches a browser, a script
 * or a terminal that prints the JSON; and marks every invisible character as `\u{202E}`, as
 * escapeControls does (the same rules: joiners inside emoji and joining scripts, selectors after
 * emoji and ideographs, fillers inside old-Hangul syllables kept), so a bidi override in a file name
 * cannot reverse how the file panel reads, nor a Hangul filler hide in a user name. Fields escaped upstream
 * contain neither, so this pass leaves them unchanged, and so does a second pass.
 */
import { INVISIBLE_CANDIDATES, invisibleShownAt, visibleControl } from '../wire/escape.ts';

/** JSON.stringify leaves DEL, C1 and the invisible characters raw (JSON only escapes C0); a superset of the latter, decided by invisibleShownAt. */
const RAW_CONTROL = new RegExp(`[\\x7f-\\x9f${INVISIBLE_CANDIDATES}]`, 'g');

/**
 * The control character a JSON escape at `i` (a backslash) stands for, or -1 when it must stay:
 * `\uXXXX` for C0, the short forms `\b` `\f` `\r`. Tab and LF survive, and CR when `\n` follows:
 * multi-line fields (a mail's text, explains, the raw HTTP request shown with its CRLFs) need them,
 * and none of them moves a cursor back over printed text. A lone CR (which can overwrite a line),
 * ESC, BEL, the other C0, DEL and C1 are shown.
 */
function escapedControl(json: string, i: number): number {
  const kind = json[i + 1];
  if (kind === 'u') {
    const code = json.startsWith('00', i + 2) ? parseInt(json.slice(i + 4, i + 6), 16) : -1;
    return code < 0x20 && code !== 0x09 && code !== 0x0a ? code : -1;
  }
  if (kind === 'b') return 0x08;
  if (kind === 'f') return 0x0c;
  if (kind === 'r' && !json.startsWith('\\n', i + 2)) return 0x0d;
  return -1;
}

/** The visible form as JSON string content (`^\` for 0x1C and `\x9b` need their backslash escaped). */
const shown = (code: number) => (visibleControl(code) ?? '').replace(/\\/g, '\\\\');

/** JSON.stringify with every control character except \t, \n and CRLF made visible, invisible characters marked; 'null' for undefined. */
export function safeJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  // A scan by indexOf (escapes are rare) and one character class: ~10× faster than a regex with
  // alternatives over a multi-megabyte event batch (bench/escaping.ts).
  let out = '';
  let copied = 0;
  RAW_CONTROL.lastIndex = 0;
  let raw = RAW_CONTROL.exec(json)?.index ?? -1;
  let escape = json.indexOf('\\');
  while (raw !== -1 || escape !== -1) {
    if (raw !== -1 && (escape === -1 || raw < escape)) {
      const code = json.charCodeAt(raw);
      // An invisible character's neighbours in the JSON are its neighbours in the string (JSON.stringify escapes none of
      // the letters, marks and pictographs the rules look for), so the rules read them here; only a keycap's digit
      // could be the end of an escape (`\u0001`), which the JSON mode tells apart.
      const marker = code <= 0x9f ? shown(code) : (invisibleShownAt(json, raw, true)?.replace(/\\/g, '\\\\') ?? null);
      if (marker !== null) {
        out += json.slice(copied, raw) + marker;
        copied = raw + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
      }
      raw = RAW_CONTROL.exec(json)?.index ?? -1;
      continue;
    }
    // Skipping each escape whole keeps `\\` followed by a literal "u001b" from reading as ESC.
    const length = json[escape + 1] === 'u' ? 6 : 2;
    const code = escapedControl(json, escape);
    if (code !== -1) {
      out += json.slice(copied, escape) + shown(code);
      copied = escape + length;
    }
    escape = json.indexOf('\\', escape + length);
  }
  return copied === 0 ? json : out + json.slice(copied);
}
