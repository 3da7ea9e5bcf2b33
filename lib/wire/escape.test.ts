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

/** Characters dense in what the rules read: joiners, selectors, fillers, their neighbours, markers' own characters. */
const DENSE = [
  '\u200D', '\u200C', '👩', '💻', '\uFE0F', '\uFE0E', '\uFE00', '\u{E0100}', '🏽', '❤', '葛', 'ب', 'क', '्', 'a', '1', '#', '\u20E3', '한',
  '\u3164', '\uFFA0', '\u115F', '\u1160', 'ᄀ', 'ᅡ', '\u034F', '\u0301', 'ᠠ', '\u180B', '\u17B4', '\uFFF0', '\u202E', '\x1b', '<', 'U', '+', '>', '}',
];

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

  it('marks every format character (Cf) and default-ignorable code point between two ASCII letters, and no other character except the separators and controls', () => {
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u.test(ch) || code === 0x2028 || code === 0x2029;
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
      fc.array(fc.constantFrom(...DENSE), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(samples, (text) => {
        const once = escapeControls(text);
        expect(escapeControls(once)).toBe(once);
        expect(once).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200B\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\uFEFF\u00AD\u2060\u3164\uFFA0\u17B4\u17B5\uFFF0-\uFFF8]/u);
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

describe('escapeControls: default-ignorable characters', () => {
  it.each([
    // The "invisible name": a Hangul filler draws nothing, so each of these reads "admin".
    ['a Hangul filler after a name', 'admin\u3164', 'admin\\u{3164}'],
    ['a halfwidth Hangul filler, and one after Hangul', 'admin\uFFA0 ㄱ\u3164 한\u3164', 'admin\\u{FFA0} ㄱ\\u{3164} 한\\u{3164}'],
    ['a variation selector after ASCII', 'admin\uFE00 1\uFE0F x\uFE0E admin\u{E0100}', 'admin\\u{FE00} 1\\u{FE0F} x\\u{FE0E} admin\\u{E0100}'],
    ['a selector at the start, after another selector or after a filler', '\uFE0F❤ ❤\uFE0F\uFE0F 葛\u{E0100}\u{E0101} \u3164\uFE0F', '\\u{FE0F}❤ ❤\uFE0F\\u{FE0F} 葛\u{E0100}\\u{E0101} \\u{3164}\\u{FE0F}'],
    ['VS16 before a keycap sign after something else than a digit, # or *', 'a\uFE0F\u20E3', 'a\\u{FE0F}\u20E3'],
    ['the Hangul choseong and jungseong fillers outside a syllable block', 'ad\u115Fmin ad\u1160min', 'ad\\u{115F}min ad\\u{1160}min'],
    ['the empty syllable block (both fillers)', '\u115F\u1160', '\\u{115F}\\u{1160}'],
    ['a combining grapheme joiner before a letter, at the end, or before a selector', 'ad\u034Fmin x\u034F a\u034F\uFE00', 'ad\\u{034F}min x\\u{034F} a\\u{034F}\\u{FE00}'],
    ['a Mongolian free variation selector after Latin or after another selector', 'a\u180B ᠠ\u180B\u180C', 'a\\u{180B} ᠠ\u180B\\u{180C}'],
    ['the Khmer inherent vowels, even after a Khmer letter', 'ក\u17B4 ក\u17B5', 'ក\\u{17B4} ក\\u{17B5}'],
    ['unassigned default-ignorable code points', 'a\uFFF0b\uFFF8 \u2065 \u{E0000}\u{E0FFF}', 'a\\u{FFF0}b\\u{FFF8} \\u{2065} \\u{E0000}\\u{E0FFF}'],
    ['a joiner beside a Mongolian selector', 'ᠠ\u180B\u200Dᠠ', 'ᠠ\u180B\\u{200D}ᠠ'],
    ['an emoji joiner after a second VS16 (its tail is no emoji any more)', '👩\uFE0F\uFE0F\u200D💻', '👩\uFE0F\\u{FE0F}\\u{200D}💻'],
  ])('marks %s', (_, input, expected) => {
    expect(escapeControls(input)).toBe(expected);
    expect(escapeControls(expected)).toBe(expected);
  });

  it.each([
    ['emoji and text presentation', '❤\uFE0F ©\uFE0F ☺\uFE0E ™\uFE0F'],
    ['an ideographic variation sequence and a math symbol variant', '葛\u{E0100} 辻\u{E0101} ≩\uFE00 ⊊\uFE00'],
    ['keycaps', '1\uFE0F\u20E3 #\uFE0F\u20E3 *\uFE0F\u20E3'],
    ['VS16 in emoji ZWJ sequences', '🏳\uFE0F\u200D🌈 👁\uFE0F\u200D🗨\uFE0F ❤\uFE0F\u200D🔥 👩🏽\u200D💻'],
    ['modern Korean and compatibility jamo', '안녕하세요 ㄱㅏ ㅎㅏㄴ'],
    ['old-Hangul syllable blocks with a filler', 'ᄀ\u1160 \u115Fᅡ ꥠ\u1160 \u115F\uD7B0'],
    ['a combining grapheme joiner before a combining mark', 'a\u034F\u0301 ק\u034F\u05B8'],
    ['Mongolian free variation selectors after Mongolian letters', 'ᠠ\u180Bᠢ ᠭ\u180C ᠳ\u180D ᠶ\u180F'],
  ])('leaves %s as it is', (_, text) => {
    expect(escapeControls(text)).toBe(text);
  });

  it('scans only where an invisible character can be: ASCII, Latin, Korean, Arabic, Persian, CJK and Cyrillic lines take the fast path', () => {
    const lines = [
      'MAIL FROM:<student@lab.test>',
      'EHLO — the “greeting”, RFC 5321 §4.1.1.1 © ünïcødé\u00A0…',
      '안녕하세요, 메일 서버입니다 ㄱㅏ ㅋㅋ',
      'مرحبا بالعالم، ١٢٣',
      'من نامه را می فرستم ۱۲۳',
      '你好，世界！メールサーバー（テスト）',
      'Привет мир',
    ];
    for (const line of lines) expect(MAY_CHANGE.test(line), line).toBe(false);
  });

  it('keeps its scan a class of at most 16 ranges (beyond, V8 scans non-Latin-1 text several times slower)', () => {
    const items = MAY_CHANGE.source.match(/(?:\\x[0-9a-f]{2}|\\u[0-9a-f]{4})(?:-(?:\\x[0-9a-f]{2}|\\u[0-9a-f]{4}))?/g) ?? [];
    expect(`[${items.join('')}]`).toBe(MAY_CHANGE.source);
    // Touching items count once, as V8 merges them (`\u115f\u1160` is one range).
    const bounds = items.map((item) => item.split('-').map((escape) => parseInt(escape.slice(2), 16))).sort((a, b) => a[0] - b[0]);
    let ranges = 0;
    let end = -2;
    for (const [low, high = low] of bounds) {
      if (low > end + 1) ranges++;
      end = Math.max(end, high);
    }
    expect(ranges).toBeLessThanOrEqual(16);
  });
});
