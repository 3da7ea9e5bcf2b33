import { describe, expect, it } from 'vitest';
import { sameSecret } from './same-secret.ts';

describe('sameSecret', () => {
  it.each([
    ['lab-pass', 'lab-pass', true],
    ['lab-pas', 'lab-pass', false],
    ['', 'lab-pass', false],
    ['lab-pass-and-more', 'lab-pass', false],
    ['ünï', 'ünï', true],
  ])('compares %j with %j → %s', (given, expected, result) => {
    expect(sameSecret(given, expected)).toBe(result);
  });
});
