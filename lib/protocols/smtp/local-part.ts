/**
 * A mailbox's local part as RFC 5321 §4.1.2 writes it: a Dot-string (`alice`) or a Quoted-string
 * (`"alice"`, `"a\"b"`). "For any purposes that require generating or comparing Local-parts (e.g.,
 * to specific mailbox names), all quoted forms MUST be treated as equivalent": the lab's directory
 * compares the unquoted value, and the dissector says which mailbox a quoted form names. Shared by
 * the server (servers/smtp/directory.ts) and the dissector, so both read a local part the same way.
 */

/** A local part read: its value with the quoting taken off, and whether it came quoted. */
export type LocalPart = { ok: true; value: string; quoted: boolean } | { ok: false; why: string };

// RFC 5322 §3.2.3 atext, which RFC 5321 §4.1.2's Atom is made of.
const DOT_STRING = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

/**
 * Reads a local part. One that opens a quote must be one whole Quoted-string: qtextSMTP (printable
 * ASCII and space, except `"` and `\`) and quoted-pairs (`\` and any printable ASCII or space).
 * Anything else comes back as written (the server's parser has already refused what it cannot take).
 */
export function readLocalPart(raw: string): LocalPart {
  if (!raw.startsWith('"')) return { ok: true, value: raw, quoted: false };
  let value = '';
  for (let i = 1; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x22) {
      // The closing quote must end the local part: `"ali"ce` is neither form.
      return i === raw.length - 1 ? { ok: true, value, quoted: true } : { ok: false, why: 'text after the closing quote' };
    }
    if (code === 0x5c) {
      const next = raw.charCodeAt(i + 1);
      if (!(next >= 32 && next <= 126)) return { ok: false, why: 'a backslash that quotes no printable character' };
      value += raw[i + 1];
      i++;
      continue;
    }
    if (code < 32 || code > 126) return { ok: false, why: 'a character a quoted string may not hold' };
    value += raw[i];
  }
  return { ok: false, why: 'a quote opened and never closed' };
}

/** A value written back with the least quoting (RFC 5321 §4.1.2: "the minimum quoting possible"). */
export function leastQuoted(value: string): string {
  return DOT_STRING.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}
