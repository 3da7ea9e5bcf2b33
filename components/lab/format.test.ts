import { describe, expect, it } from 'vitest';
import { clockTime, formatBytes, formatMs } from './format';

describe('formatBytes', () => {
  it.each([
    [54, '54 B'],
    [300_000, '293.0 KB'],
    [2_105_359, '2.01 MB'],
  ])('%i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatMs', () => {
  it.each([
    [0.4, '0.4 ms'],
    [250, '250 ms'],
    [1234, '1.23 s'],
  ])('%d → %s', (ms, text) => expect(formatMs(ms)).toBe(text));
});

describe('clockTime', () => {
  it('is 24-hour with seconds, whatever the locale', () => {
    expect(clockTime(new Date(2026, 11, 3, 17, 48, 5).getTime())).toBe('17:48:05');
    expect(clockTime(new Date(2026, 11, 3, 9, 3, 0).getTime())).toBe('09:03:00');
  });
});
