import { describe, expect, it } from 'vitest';
import { leastQuoted, readLocalPart } from './local-part.ts';

describe('a local part (RFC 5321 §4.1.2)', () => {
  it.each([
    ['alice', 'alice', false],
    ['"alice"', 'alice', true],
    ['"al\\ice"', 'alice', true],
    ['"a\\"b"', 'a"b', true],
    ['"a b"', 'a b', true],
    ['""', '', true],
  ])('reads %s as %s', (raw, value, quoted) => {
    expect(readLocalPart(raw)).toEqual({ ok: true, value, quoted });
  });

  it.each([
    ['"alice', /never closed/],
    ['"ali"ce"', /after the closing quote/],
    ['"alice\\', /backslash/],
    ['"al\u00e9"', /may not hold/],
    ['"a\tb"', /may not hold/],
  ])('refuses %s', (raw, why) => {
    const read = readLocalPart(raw);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.why).toMatch(why);
  });

  it('writes a value back with the least quoting', () => {
    expect(leastQuoted('alice')).toBe('alice');
    expect(leastQuoted('alice.b+news')).toBe('alice.b+news');
    expect(leastQuoted('a"b')).toBe('"a\\"b"');
    expect(leastQuoted('a b')).toBe('"a b"');
    expect(leastQuoted('.a')).toBe('".a"');
  });
});
