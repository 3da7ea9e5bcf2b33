import { describe, expect, it } from 'vitest';
import { describeRequest, ordinal, thinkTimeProblem } from './format';

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [21, '21st'],
    [113, '113th'],
  ])('%i → %s', (n, s) => expect(ordinal(n)).toBe(s));
});

describe('describeRequest', () => {
  it('pads the month and leaves getYear alone', () => {
    expect(describeRequest({ operation: 'getMonth', args: { year: 2003, month: 1 } })).toBe('getMonth 2003-01');
    expect(describeRequest({ operation: 'getYear', args: { year: 2024 } })).toBe('getYear 2024');
  });
});

describe('thinkTimeProblem', () => {
  it.each(['', ' ', '0', '10000', ' 250 '])('takes %j', (delay) => expect(thinkTimeProblem(delay)).toBeNull());
  it.each(['10001', '99999', '-5', '1.5', 'soon'])('names %j in the form\'s words', (delay) => {
    expect(thinkTimeProblem(delay)).toBe(`the think time must be blank or a whole number of ms from 0 to 10000, not "${delay}"`);
  });
});
