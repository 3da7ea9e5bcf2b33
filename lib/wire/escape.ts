/**
 * Makes untrusted protocol text safe to print in a terminal: every C0/C1 control character
 * (except tab) is shown in caret or \x notation, so a client can never send escape sequences
 * (colour changes, DCS queries like `ESC P $q … ESC \`) into another user's xterm.
 */

const TEXT_DECODER = new TextDecoder('utf-8', { fatal: false });

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD) and escapes control characters. */
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

/** The characters escapeControls changes: C0 but tab, DEL, C1. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

/** Escapes C0 (except \t), DEL and C1 control characters; CR and LF become visible too. */
export function escapeControls(text: string): string {
  // Most text has none: returned as it is, without building it again character by character (every line of every lab).
  if (!CONTROL.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += code === 0x09 ? ch : (visibleControl(code) ?? ch);
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
