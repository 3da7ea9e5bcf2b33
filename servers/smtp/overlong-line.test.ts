import { describe, expect, it } from 'vitest';
import { overlongLineStart } from './overlong-line.ts';

// The library's parser measures a line without its CRLF (or bare LF) and a partial line whole; so does the guard.
describe('overlongLineStart (limit 4)', () => {
  it.each<[string, string, string, number | null]>([
    ['no line over the limit', '', 'NOOP\r\nRSET\nQUIT', null],
    ['a line of exactly the limit, CR LF not counted', '', 'abcd\r\n', null],
    ['one byte over', '', 'abcde\r\n', 0],
    ['the second line', '', 'ok\r\nabcde\r\nok\r\n', 4],
    ['a partial line over the limit', '', 'ok\r\nabcde', 4],
    ['a line begun in the remainder', 'abc', 'de\r\n', -3],
    ['a remainder ending in CR, its LF in this chunk', 'abcd\r', '\nxy', null],
    ['a line that ends before the long one begins', 'ab', 'c\r\nabcdefgh', 3],
  ])('%s', (_name, remainder, chunk, start) => {
    expect(overlongLineStart(remainder, Buffer.from(chunk, 'latin1'), 4)).toBe(start);
  });
});
