import { describe, expect, it } from 'vitest';
import { vsTarget } from './report.ts';

describe('vsTarget', () => {
  it('prints a figure, its target and whether it was met', () => {
    expect(vsTarget(0.91, { atLeast: 0.85 })).toBe('0.91   target ≥ 0.85  met');
    expect(vsTarget(23.4, { below: 50 }, 1, ' ms')).toBe('23.4 ms   target < 50 ms  met');
  });

  it('never prints a miss as the target itself', () => {
    // bench:smtp once printed "0.85   target ≥ 0.85  MISSED" for 1,386 / 1,632 mails/s.
    expect(vsTarget(1386 / 1632, { atLeast: 0.85 })).toBe('0.849   target ≥ 0.85  MISSED');
    expect(vsTarget(1499.6, { atLeast: 1500 }, 0, ' msgs/s')).toBe('1,499.6 msgs/s   target ≥ 1,500 msgs/s  MISSED');
    expect(vsTarget(10.001, { below: 10 }, 1)).toBe('10.001   target < 10  MISSED');
  });
});
