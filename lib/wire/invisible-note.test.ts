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
    expect(annotateInvisible({ text: 'Author\\u{200B}ization: x' })).toMatchObject({ title: 'Invisible characters marked', ref: 'UAX #9 §2', level: 'warn' });
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
});
