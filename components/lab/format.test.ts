import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs } from './format';

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
