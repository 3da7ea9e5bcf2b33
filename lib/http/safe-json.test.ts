import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeControls } from '../wire/escape.ts';
import { safeJson } from './safe-json.ts';

/** Controls that must not survive; CR only as part of CRLF. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;
const roundTrip = (text: string) => (JSON.parse(safeJson({ text })) as { text: string }).text;

describe('safeJson', () => {
  // fast-check builds a table of every code point (1.1 M entries) the first time a process asks for
  // unit 'binary': 2 s on an idle machine, 16 s seen under load, which the first property test paid
  // within its own 30 s. Paid here, under a timeout that says so.
  beforeAll(() => {
    fc.sample(fc.string({ unit: 'binary' }), 1);
  }, 120_000);

  it.each([
    ['\x1b[31mred', '^[[31mred'],
    ['bell\x07', 'bell^G'],
    ['\x1bP$q\x1b\\', '^[P$q^[\\'],
    ['c1\u009b31m', 'c1\\x9b31m'],
    ['del\x7f', 'del^?'],
    ['crlf\r\nkept, lone\rcr shown, \r\r\n', 'crlf\r\nkept, lone^Mcr shown, ^M\r\n'],
    ['cr at the end\r', 'cr at the end^M'],
    ['nul\x00 bs\b ff\f fs\x1c', 'nul^@ bs^H ff^L fs^\\'],
    ['tab\tand\nnewline kept', 'tab\tand\nnewline kept'],
    ['literal \\u001b and \\r stay text', 'literal \\u001b and \\r stay text'],
    ['backslash then ESC \\\x1b', 'backslash then ESC \\^['],
    ['ünïcødé ✓ \u00a0\u00ff', 'ünïcødé ✓ \u00a0\u00ff'],
    ['lone surrogate \ud800\x1b "quoted"\u0085', 'lone surrogate \ud800^[ "quoted"\\x85'],
    ['\x1b', '^['],
    ['rtl \u202Eoverride\u202C, zws Author\u200Bization, ls\u2028ps\u2029', 'rtl \\u{202E}override\\u{202C}, zws Author\\u{200B}ization, ls\\u{2028}ps\\u{2029}'],
    ['tag \u{E0041}', 'tag \\u{E0041}'],
    ['emoji 👩\u200D💻 and Persian می\u200Cخواهم kept, a\u200Db marked', 'emoji 👩\u200D💻 and Persian می\u200Cخواهم kept, a\\u{200D}b marked'],
    ['\u200D\u202E', '\\u{200D}\\u{202E}'],
    ['name admin\u3164 and admin\uFE00, kept ❤\uFE0F 1\uFE0F\u20E3 ᄀ\u1160', 'name admin\\u{3164} and admin\\u{FE00}, kept ❤\uFE0F 1\uFE0F\u20E3 ᄀ\u1160'],
    ['a keycap after an escaped control is no keycap: \x01\uFE0F\u20E3, \\\x01\uFE0F\u20E3', 'a keycap after an escaped control is no keycap: ^A\\u{FE0F}\u20E3, \\^A\\u{FE0F}\u20E3'],
    ['a literal \\u0001 before a keycap is text: \\u0001\uFE0F\u20E3', 'a literal \\u0001 before a keycap is text: \\u0001\uFE0F\u20E3'],
  ])('shows %j as %j', (input, expected) => {
    expect(roundTrip(input)).toBe(expected);
  });

  it('escapes object keys, nested arrays and numbers alike', () => {
    expect(JSON.parse(safeJson({ 'k\x1b': [{ v: '\x9b' }], n: 1, b: true, z: null }))).toEqual({ 'k^[': [{ v: '\\x9b' }], n: 1, b: true, z: null });
    expect(JSON.parse(safeJson({ 'x-api\u200Bkey': ['\u202Efdp.exe'] }))).toEqual({ 'x-api\\u{200B}key': ['\\u{202E}fdp.exe'] });
    expect(safeJson(undefined)).toBe('null');
  });

  it('leaves control-free values byte-for-byte as JSON.stringify writes them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = JSON.stringify(value);
        fc.pre(!/[\x7f-\x9f\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]|\\u00[01]|\\[bf]|\\r(?!\\n)/u.test(json));
        expect(safeJson(value)).toBe(json);
      }),
    );
  });

  it('never lets a control character other than tab, LF and CRLF through, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(CONTROL.test(roundTrip(text))).toBe(false);
      }),
    );
  });

  it('is idempotent: a second pass (or text escaped upstream) changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = roundTrip(text);
        expect(roundTrip(once)).toBe(once);
        expect(roundTrip(escapeControls(text))).toBe(escapeControls(text));
      }),
    );
  });

  it('agrees with escapeControls on every line (only LF and CRLF survive, as line breaks)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(roundTrip(text).split(/\r?\n/)).toEqual(text.split(/\r?\n/).map(escapeControls));
      }),
    );
  });

  it('marks invisible characters by the same rule as escapeControls, joiners in emoji and joining scripts included', () => {
    const parts = ['\u200D', '\u200C', '👩', '💻', '\uFE0F', '🏽', 'ب', 'क', '्', 'a', 'n', '"', '\\', '\n', '\r\n', '\x1b', '\x7f', '\u202E', '\u2028', '\u{E0041}'];
    // The default-ignorables' rules, and what JSON writes before them: `\u0001` ends in a digit, as a keycap starts.
    parts.push('\uFE00', '\u20E3', '1', '#', '\x01', '\ud801', '❤', '葛', '\u{E0100}', '\u3164', '\u115F', '\u1160', 'ᄀ', 'ᅡ', '\u034F', '\u0301', 'ᠠ', '\u180B', '\u17B4');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 12 }).map((p) => p.join('')), (text) => {
        expect(roundTrip(text).split(/\r?\n/)).toEqual(text.split(/\r?\n/).map(escapeControls));
        expect(roundTrip(roundTrip(text))).toBe(roundTrip(text));
      }),
      { numRuns: 2000 },
    );
  });
});
