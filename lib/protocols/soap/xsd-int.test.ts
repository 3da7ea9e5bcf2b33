import { describe, expect, it } from 'vitest';
import { parseXsdInt } from './xsd-int.ts';

describe('parseXsdInt (XML Schema Part 2 §3.3.17)', () => {
  it('reads a sign, digits, leading zeros and surrounding whitespace', () => {
    expect(parseXsdInt('2003')).toBe(2003);
    expect(parseXsdInt(' 02 ')).toBe(2);
    expect(parseXsdInt('+7')).toBe(7);
    expect(parseXsdInt('-12')).toBe(-12);
    expect(parseXsdInt('0000000002003')).toBe(2003);
    expect(parseXsdInt('-0')).toBe(0);
    expect(Object.is(parseXsdInt('-0'), -0)).toBe(false);
  });

  it('refuses what parseInt or Number would have read as a number', () => {
    for (const text of ['1x', '1.9', '2e3', '1e2', '0x10', '', '  ', '+', '1 2', 'Infinity', 'NaN', '١٢']) {
      expect(parseXsdInt(text), JSON.stringify(text)).toBeNull();
    }
    expect(parseXsdInt(undefined)).toBeNull();
    expect(parseXsdInt(null)).toBeNull();
  });

  it('keeps to 32 bits', () => {
    expect(parseXsdInt('2147483647')).toBe(2_147_483_647);
    expect(parseXsdInt('-2147483648')).toBe(-2_147_483_648);
    expect(parseXsdInt('2147483648')).toBeNull();
    expect(parseXsdInt('99999999999999999999')).toBeNull();
  });
});
