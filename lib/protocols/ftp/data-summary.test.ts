import { describe, expect, it } from 'vitest';
import { previewLines } from './data-summary.ts';

describe('previewLines (the end-of-data note on the control connection)', () => {
  it.each([
    ['text lines, CRLF or LF', Buffer.from('first\r\nsecond\nthird\n'), ['first', 'second', 'third']],
    ['escape sequences shown, not run', Buffer.from('\x1b[31mred\x07 \u009b2J\n'), ['^[[31mred^G \\x9b2J']],
    ['a UTF-8 sequence cut by the preview', Buffer.from('größe').subarray(0, 3), ['gr']],
    ['binary (NUL bytes) as hex', Buffer.from([0, 1, 2, 0x41]), ['00 01 02 41']],
    ['mostly control bytes as hex', Buffer.alloc(4, 7), ['07 07 07 07']],
  ])('%s', (_what, bytes, lines) => expect(previewLines(bytes)).toEqual(lines));

  it('stops after maxLines with an ellipsis', () => {
    expect(previewLines(Buffer.from('a\nb\nc\nd\n'), 2)).toEqual(['a', 'b', '…']);
  });
});
