/**
 * Reads an xsd:int argument as XML Schema Part 2 defines it (§3.3.17 int, derived from integer
 * §3.3.13): an optional sign and decimal digits, whitespace around them collapsed, the value within
 * 32 bits. parseInt and Number are both wrong for it: parseInt("1x") is 1 and parseInt("2e3") is 2,
 * Number("1e2") is 100 and Number("0x10") is 16 — each a request a schema-valid service refuses.
 */
const INT_LEXICAL = /^[+-]?\d+$/;
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

/** The value of `text` as an xsd:int, or null when it is not one (no text, wrong form, out of range). */
export function parseXsdInt(text: string | null | undefined): number | null {
  const lexical = text?.trim() ?? '';
  if (!INT_LEXICAL.test(lexical)) return null;
  // Leading zeros are allowed ("0002003" is 2003); a value past 32 bits is not an int at all.
  const value = Number(lexical);
  return value >= INT_MIN && value <= INT_MAX ? value + 0 : null;
}
