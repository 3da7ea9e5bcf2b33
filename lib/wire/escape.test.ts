import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToSafeText, escapeControls, hexPreview, INVISIBLE, MAY_CHANGE, visibleControl } from './escape.ts';

describe('escapeControls', () => {
  it.each([
    ['\x1b[31mred', '^[[31mred'],
    ['\x1bP$q\x1b\\', '^[P$q^[\\'],
    ['a\x00b', 'a^@b'],
    ['tab\tkept', 'tab\tkept'],
    ['line\r\n', 'line^M^J'],
    ['del\x7f', 'del^?'],
    ['c1\u009bx', 'c1\\x9bx'],
    ['ünïcødé ✓', 'ünïcødé ✓'],
  ])('shows %j as %j', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('escapes exactly the C0 (but tab), DEL and C1 characters (and the soft hyphen), wherever they stand', () => {
    for (let code = 0; code <= 0x2ff; code++) {
      const ch = String.fromCharCode(code);
      const shown = code === 0x09 ? ch : (visibleControl(code) ?? (code === 0xad ? '\\u{00AD}' : ch));
      expect(escapeControls(`a${ch}b`)).toBe(`a${shown}b`);
    }
  });

  it('is a no-op on its own output (escaping twice never garbles text)', () => {
    const hostile = '\x1b[31m\x07\x1bP$q\x1b\\\u009b\r\n\x00\x7f';
    expect(escapeControls(escapeControls(hostile))).toBe(escapeControls(hostile));
    expect(escapeControls(hostile)).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  });

  it('decodes a UTF-8 right-to-left override to its marker, never the raw character', () => {
    expect(bytesToSafeText(Buffer.from('MAIL FROM:<\u202Etset.bal@nimda>'))).toBe('MAIL FROM:<\\u{202E}tset.bal@nimda>');
  });

  it('decodes invalid UTF-8 to replacement characters, never raw bytes', () => {
    expect(bytesToSafeText(Uint8Array.from([0x41, 0xff, 0x1b, 0x42]))).toBe('A\ufffd^[B');
  });

  it('previews binary as hex', () => {
    expect(hexPreview(Uint8Array.from([0x16, 0x03, 0x01]))).toBe('16 03 01');
    expect(hexPreview(new Uint8Array(20), 2)).toBe('00 00 …');
    expect(hexPreview(new Uint8Array(0))).toBe('');
    // Every byte value, two lowercase digits each, as Node's own hex encoding writes them.
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    expect(hexPreview(all, 256)).toBe(Buffer.from(all).toString('hex').replace(/(..)(?!$)/g, '$1 '));
  });
});

describe('escapeControls: invisible format characters', () => {
  it.each([
    // Bidi embeddings, overrides, isolates and marks (UAX #9 §2.1–2.6).
    ['embeddings and their end', 'a\u202Ab\u202Bc\u202Cd', 'a\\u{202A}b\\u{202B}c\\u{202C}d'],
    ['overrides', '\u202Dltr \u202Ertl', '\\u{202D}ltr \\u{202E}rtl'],
    ['isolates', '\u2066x\u2069 \u2067y\u2069 \u2068z\u2069', '\\u{2066}x\\u{2069} \\u{2067}y\\u{2069} \\u{2068}z\\u{2069}'],
    ['LRM, RLM and the Arabic letter mark', 'a\u200Eb\u200Fc\u061Cd', 'a\\u{200E}b\\u{200F}c\\u{061C}d'],
    // Zero-width characters, the soft hyphen, the BOM.
    ['zero-width space, word joiner, BOM', 'Author\u200Bization \u2060x \uFEFFy', 'Author\\u{200B}ization \\u{2060}x \\u{FEFF}y'],
    ['a joiner between Latin letters', 'ad\u200Dmin ad\u200Cmin', 'ad\\u{200D}min ad\\u{200C}min'],
    ['the soft hyphen', 'pass\u00ADword', 'pass\\u{00AD}word'],
    // Line and paragraph separators (Zl, Zp), and Cf beyond the BMP (a tag character, six digits).
    ['line and paragraph separators', 'one\u2028two\u2029three', 'one\\u{2028}two\\u{2029}three'],
    ['tag characters', 'hi\u{E0041}\u{E0042}', 'hi\\u{E0041}\\u{E0042}'],
    ['an invisible math operator and the Mongolian vowel separator', 'f\u2061x \u180E', 'f\\u{2061}x \\u{180E}'],
  ])('marks %s', (_, input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('marks every code point of General_Category Cf, and no other character except the separators and controls', () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      const invisible = /\p{Cf}/u.test(ch) || code === 0x2028 || code === 0x2029;
      const expected = code === 0x09 ? ch : (visibleControl(code) ?? (invisible ? `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}` : ch));
      if (escapeControls(`a${ch}b`) !== `a${expected}b`) expect(escapeControls(`a${ch}b`), `U+${code.toString(16)}`).toBe(`a${expected}b`);
    }
  });

  it('scans for a superset of every invisible character of the running Unicode version (the fast path misses none)', () => {
    const missed: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      if (INVISIBLE.test(ch) && !MAY_CHANGE.test(ch)) missed.push(code.toString(16));
    }
    expect(missed).toEqual([]);
  });

  it.each([
    ['Korean', '안녕하세요, 메일 서버입니다'],
    ['Persian with its zero-width non-joiner inside words', 'من می\u200Cخواهم نامه\u200Cها را بفرستم'],
    ['Arabic', 'مرحبا بالعالم ١٢٣'],
    ['Hebrew', 'שלום עולם'],
    ['Hindi with a joiner after the virama', 'क्\u200Dष और क्\u200Cष'],
    ['an emoji ZWJ sequence', 'dev 👩\u200D💻 family 👨\u200D👩\u200D👧'],
    ['ZWJ after a skin tone and after VS16', '👩🏽\u200D💻 🏳\uFE0F\u200D🌈'],
    ['accents and no-break space', 'ünïcødé ✓ \u00A0'],
  ])('leaves %s as it is', (_, text) => {
    expect(escapeControls(text)).toBe(text);
  });

  it('marks a joiner that joins nothing: at either end, beside a Hangul or Latin letter, or between two scripts', () => {
    expect(escapeControls('\u200D👩')).toBe('\\u{200D}👩');
    expect(escapeControls('👩\u200D')).toBe('👩\\u{200D}');
    expect(escapeControls('👩\u200Da')).toBe('👩\\u{200D}a');
    expect(escapeControls('한\u200D글')).toBe('한\\u{200D}글');
    expect(escapeControls('ب\u200Cक')).toBe('ب\\u{200C}क');
    expect(escapeControls('ب\u200C\u200Cب')).toBe('ب\\u{200C}\\u{200C}ب');
  });

  it('shows a Trojan-Source address as its bytes read, not as it would display', () => {
    // Displayed by a bidi-aware viewer, this reads "MAIL FROM:<admin@lab.test>"; its bytes say something else.
    expect(escapeControls('MAIL FROM:<\u202Etset.bal@nimda\u202C>')).toBe('MAIL FROM:<\\u{202E}tset.bal@nimda\\u{202C}>');
  });

  it('is idempotent for any text: escaping its output changes nothing', () => {
    const samples = fc.oneof(
      fc.string({ unit: 'binary' }),
      // Dense in what the rule looks at: joiners, emoji, letters of joining scripts, marks, controls.
      fc.array(fc.constantFrom('\u200D', '\u200C', '👩', '💻', '\uFE0F', '🏽', 'ب', 'क', '्', 'a', '한', '\u202E', '\x1b', '<', 'U', '+', '>'), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(samples, (text) => {
        const once = escapeControls(text);
        expect(escapeControls(once)).toBe(once);
        expect(once).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200B\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF\u00AD\u2060]/u);
      }),
    );
  });

  it('leaves plain text, and a line whose only format character is an emoji joiner, unchanged', () => {
    const plain = 'EHLO mail.lab.test — 안녕 مرحبا 👩‍💻'.replace('‍', '\u200D');
    // Same string value either way; the fast path is what keeps most lines from being rebuilt.
    expect(escapeControls(plain)).toBe(plain);
    const ascii = 'MAIL FROM:<student@lab.test>';
    expect(escapeControls(ascii)).toBe(ascii);
  });
});
