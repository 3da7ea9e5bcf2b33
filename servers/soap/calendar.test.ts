import { describe, expect, it } from 'vitest';
import { WEEKDAY_HEADER, daysInMonth, formatMonth, formatYear, isLeapYear } from './calendar.ts';

describe('calendar layout (the seed’s Listing 5, Python calendar.month)', () => {
  it.each([
    // [year, month, expected] — expected strings checked against Python 3's calendar.month()
    [2003, 1, '    January 2003\nMo Tu We Th Fr Sa Su\n       1  2  3  4  5\n 6  7  8  9 10 11 12\n13 14 15 16 17 18 19\n20 21 22 23 24 25 26\n27 28 29 30 31\n'],
    [2004, 1, '    January 2004\nMo Tu We Th Fr Sa Su\n          1  2  3  4\n 5  6  7  8  9 10 11\n12 13 14 15 16 17 18\n19 20 21 22 23 24 25\n26 27 28 29 30 31\n'],
    [2005, 1, '    January 2005\nMo Tu We Th Fr Sa Su\n                1  2\n 3  4  5  6  7  8  9\n10 11 12 13 14 15 16\n17 18 19 20 21 22 23\n24 25 26 27 28 29 30\n31\n'],
    // leap February
    [2004, 2, '   February 2004\nMo Tu We Th Fr Sa Su\n                   1\n 2  3  4  5  6  7  8\n 9 10 11 12 13 14 15\n16 17 18 19 20 21 22\n23 24 25 26 27 28 29\n'],
    // a month starting on Sunday
    [2023, 1, '    January 2023\nMo Tu We Th Fr Sa Su\n                   1\n 2  3  4  5  6  7  8\n 9 10 11 12 13 14 15\n16 17 18 19 20 21 22\n23 24 25 26 27 28 29\n30 31\n'],
    // six weeks
    [2021, 8, '    August 2021\nMo Tu We Th Fr Sa Su\n                   1\n 2  3  4  5  6  7  8\n 9 10 11 12 13 14 15\n16 17 18 19 20 21 22\n23 24 25 26 27 28 29\n30 31\n'],
    // a February of exactly four weeks starting on Monday
    [2021, 2, '   February 2021\nMo Tu We Th Fr Sa Su\n 1  2  3  4  5  6  7\n 8  9 10 11 12 13 14\n15 16 17 18 19 20 21\n22 23 24 25 26 27 28\n'],
  ])('lays out %i-%i', (year, month, expected) => {
    expect(formatMonth(year, month)).toBe(expected);
  });

  it('knows the Gregorian leap rules', () => {
    expect([1900, 2000, 2004, 2100, 2023].map(isLeapYear)).toEqual([false, true, true, false, false]);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('keeps every line within 20 columns without trailing spaces, for years 1 and 9999 too', () => {
    for (const [year, month] of [[1, 1], [9999, 12], [1752, 9]]) {
      const text = formatMonth(year, month);
      for (const line of text.split('\n')) {
        expect(line.length).toBeLessThanOrEqual(WEEKDAY_HEADER.length);
        expect(line).toBe(line.trimEnd());
      }
    }
    expect(formatMonth(1, 1).split('\n')[2]).toBe(' 1  2  3  4  5  6  7'); // 1 January 0001 was a Monday (proleptic)
  });

  it('formats a whole year as twelve months', () => {
    const year = formatYear(2004);
    expect(year.match(/Mo Tu We Th Fr Sa Su/g)).toHaveLength(12);
    expect(year).toContain(formatMonth(2004, 2));
  });
});
