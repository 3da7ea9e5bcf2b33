/**
 * The one place text leaves the daemon as JSON (every API body, every WebSocket message):
 * serialises a value and rewrites every control character in its strings (keys included) to
 * the visible form `escapeControls` uses (`^[`, `^G`, `\x9b`), so raw ESC/BEL/C1 from a client
 * (a mail subject, an FTP file name, an HTTP request-target…) never reaches a browser, a script
 * or a terminal that prints the JSON. Fields escaped upstream contain no controls, so this pass
 * leaves them unchanged.
 */
import { visibleControl } from '../wire/escape.ts';

/**
 * What JSON.stringify writes for a control character: `\u00XX`, the short forms `\b` `\f`, `\r`
 * unless a `\n` follows (`\n`, `\t` and CRLF are kept: see below), or a raw DEL/C1, which JSON
 * does not escape. `\\` is matched too so that an escaped backslash followed by a literal
 * "u001b" is not mistaken for ESC.
 */
const JSON_CONTROL = /\\(?:u00[01][0-9a-f]|[bf\\]|r(?!\\n))|[\x7f-\x9f]/g;
const SHORT_FORMS: Record<string, number> = { '\\b': 0x08, '\\f': 0x0c, '\\r': 0x0d };

function rewrite(match: string): string {
  if (match === '\\\\') return match;
  const code = match.length === 1 ? match.charCodeAt(0) : (SHORT_FORMS[match] ?? parseInt(match.slice(2), 16));
  // Tab, LF and CRLF survive: multi-line fields (a mail's text, explains, the raw HTTP request shown
  // with its CRLFs) need them, and none can move a cursor back over printed text. A lone CR (which
  // can overwrite a line), ESC, BEL, the other C0, DEL and C1 are shown.
  if (code === 0x09 || code === 0x0a) return match;
  return (visibleControl(code) ?? match).replace(/\\/g, '\\\\');
}

/** JSON.stringify with every control character except \t, \n and CRLF made visible; 'null' for undefined. */
export function safeJson(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(JSON_CONTROL, rewrite);
}
