import { describe, expect, it } from 'vitest';
import { counted, groupDigits } from './numbers.ts';

describe('groupDigits', () => {
  it('writes counts with a comma every three digits, as toLocaleString("en") does', () => {
    for (const n of [0, -0, 7, -7, 999, -999, 999.5, 1000, -1000, 1234, 65_535, 100_000, 999_999, 1_000_000, 1_234_567, -1_234_567, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -3000, 12.5, 1234.5678, NaN, Infinity, -Infinity])
      expect(groupDigits(n)).toBe(n.toLocaleString('en'));
    expect(groupDigits(1_234_567)).toBe('1,234,567');
  });
});

describe('counted', () => {
  it('names one thing in the singular and any other count in the plural, digits grouped', () => {
    expect(counted(1, 'message')).toBe('1 message');
    expect(counted(0, 'message')).toBe('0 messages');
    expect(counted(2, 'message')).toBe('2 messages');
    expect(counted(1500, 'byte')).toBe('1,500 bytes');
    expect(counted(2, 'child', 'children')).toBe('2 children');
  });
});
