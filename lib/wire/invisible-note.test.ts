import { describe, expect, it } from 'vitest';
import { escapeControls } from './escape.ts';
import { annotateInvisible, invisibleNote } from './invisible-note.ts';
import { stampMessage } from './recorder.ts';

const conn = { id: 'smtp-x', sandbox: 'local', protocol: 'smtp' as const };
const mailFrom = { title: 'MAIL FROM', explain: 'Starts a mail transaction with the reverse-path.', ref: 'RFC 5321 §4.1.1.2' };

describe('the note on lines that held invisible characters', () => {
  it('names a right-to-left override, what it would do and its section of UAX #9, in front of the line\'s own explanation', () => {
    const text = escapeControls('MAIL FROM:<\u202Etset.bal@nimda>');
    const a = annotateInvisible({ text, annotation: mailFrom });
    expect(a?.explain).toMatch(/^This line holds U\+202E RIGHT-TO-LEFT OVERRIDE, shown as \\u\{202E\}: it makes the text after it display right to left.*\(UAX #9 §2\.2\)\./);
    expect(a?.explain.endsWith(mailFrom.explain)).toBe(true);
    expect(a).toMatchObject({ title: 'MAIL FROM', ref: 'RFC 5321 §4.1.1.2', level: 'warn' });
  });

  it('annotates a line that had no annotation, and keeps an error an error', () => {
    expect(annotateInvisible({ text: '\\u{202E}x' })).toMatchObject({ title: 'Invisible characters marked', ref: 'UAX #9 §2', level: 'warn' });
    expect(annotateInvisible({ text: '\\u{2066}x', annotation: { ...mailFrom, level: 'error' } })?.level).toBe('error');
  });

  it('lists each kind once when a line holds several, fields included', () => {
    const note = invisibleNote('a\\u{202E}b\\u{202E}', [{ name: 'name', value: 'x\\u{200B}y' }]);
    expect(note).toMatch(/^This line holds 2 kinds of invisible character/);
    expect(note?.match(/U\+202E RIGHT-TO-LEFT OVERRIDE/g)).toHaveLength(1);
    expect(note).toContain('U+200B ZERO WIDTH SPACE');
  });

  it('says nothing for a line without markers, or for a "\\u{0041}" that marks no invisible character', () => {
    expect(annotateInvisible({ text: 'MAIL FROM:<admin@lab.test>', annotation: mailFrom })).toBe(mailFrom);
    expect(invisibleNote('typed \\u{0041} and \\u{110000}')).toBeNull();
    expect(annotateInvisible({ text: 'نامه\u200Cها 👩\u200D💻' })).toBeUndefined();
  });

  it('does not describe a credential: only the line outside its secret span counts', () => {
    const text = 'PASS x\\u{202E}y';
    expect(annotateInvisible({ text, secret: { start: 5, end: text.length } })).toBeUndefined();
    expect(annotateInvisible({ text, fields: [{ name: 'password', value: 'x\\u{202E}y' }], secret: { start: 5, end: text.length } })).toBeUndefined();
  });

  it('is stamped on live and imported messages alike, once however often a message is stamped', () => {
    const once = stampMessage({ dir: 'client', kind: 'command', text: escapeControls('MAIL FROM:<\u202Ex>'), bytes: 16, annotation: mailFrom }, conn, 1, 0, 'wire');
    const twice = stampMessage({ ...once, bytes: 16 }, conn, 1, 0, 'wire');
    expect(once.annotation?.explain).toContain('U+202E RIGHT-TO-LEFT OVERRIDE');
    expect(twice.annotation).toEqual(once.annotation);
  });

  it('cites the text for each kind it names: UAX #9 for bidi controls, UTR #36 for other invisible characters, UTS #39 for default-ignorables', () => {
    expect(annotateInvisible({ text: 'Author\\u{200B}ization: x' })?.ref).toBe('UTR #36 §2.4');
    expect(annotateInvisible({ text: 'USER admin\\u{3164}' })?.ref).toBe('UTS #39 §3.1');
    expect(annotateInvisible({ text: 'a\\u{202E}b\\u{FE00}c\\u{200B}' })?.ref).toBe('UAX #9 §2; UTS #39 §3.1; UTR #36 §2.4');
  });

  it('names a Hangul filler after a name and what it does, citing UTS #39', () => {
    const note = invisibleNote(escapeControls('USER admin\u3164'));
    expect(note).toMatch(/^This line holds U\+3164 HANGUL FILLER, shown as \\u\{3164\}: a Hangul letter that draws nothing .*two names that look the same are different strings, such as admin and admin with one after it \(UTS #39 §3\.1 /);
  });

  it.each([
    ['\uFFA0', 'U+FFA0 HALFWIDTH HANGUL FILLER'],
    ['\u115F', 'U+115F HANGUL CHOSEONG FILLER'],
    ['\u1160', 'U+1160 HANGUL JUNGSEONG FILLER'],
    ['\u034F', 'U+034F COMBINING GRAPHEME JOINER'],
    ['\uFE00', 'U+FE00 VARIATION SELECTOR-1'],
    ['\uFE0E', 'U+FE0E VARIATION SELECTOR-15'],
    ['\uFE0F', 'U+FE0F VARIATION SELECTOR-16'],
    ['\u{E0100}', 'U+E0100 VARIATION SELECTOR-17'],
    ['\u{E01EF}', 'U+E01EF VARIATION SELECTOR-256'],
    ['\u180B', 'U+180B MONGOLIAN FREE VARIATION SELECTOR ONE'],
    ['\u180D', 'U+180D MONGOLIAN FREE VARIATION SELECTOR THREE'],
    ['\u180F', 'U+180F MONGOLIAN FREE VARIATION SELECTOR FOUR'],
    ['\u17B4', 'U+17B4 KHMER VOWEL INHERENT AQ'],
    ['\u17B5', 'U+17B5 KHMER VOWEL INHERENT AA'],
    ['\uFFF0', 'U+FFF0 unassigned default-ignorable code point'],
    ['\u{E0000}', 'U+E0000 unassigned default-ignorable code point'],
  ])('names %j marked after ASCII as %s, with what it would have done', (ch, named) => {
    const note = invisibleNote(escapeControls(`name${ch}`));
    expect(note).toContain(`This line holds ${named}, shown as \\u{${named.slice(2, named.indexOf(' '))}}: `);
    expect(note).toMatch(/draws nothing.*\(UTS #39 §3\.1 restricts default-ignorable characters in identifiers\)\./);
  });

  it('says nothing for kept selectors and fillers (an emoji, a keycap, an old-Hangul syllable)', () => {
    expect(annotateInvisible({ text: escapeControls('❤\uFE0F 1\uFE0F\u20E3 ᄀ\u1160 葛\u{E0100}') })).toBeUndefined();
  });
});
