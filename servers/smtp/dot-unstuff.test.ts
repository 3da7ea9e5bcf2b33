import { describe, expect, it } from 'vitest';
import { DotUnstuffer } from './dot-unstuff.ts';

/** Feeds the chunks to one unstuffer and returns what the library's parser would get. */
const feed = (...chunks: string[]): string => {
  const u = new DotUnstuffer();
  return chunks.map((c) => u.feed(Buffer.from(c, 'latin1')).toString('latin1')).join('');
};

describe('DotUnstuffer (RFC 5321 §4.5.2, in front of a parser that deletes only a doubled dot)', () => {
  it('deletes a lone leading dot and leaves "..", the final "." and dots inside lines to the parser', () => {
    expect(feed('.single\r\n..double\r\na.b\r\n.\r\n')).toBe('single\r\n..double\r\na.b\r\n.\r\n');
  });

  it('decides a dot split from its next byte across chunks', () => {
    expect(feed('x\r\n.', 'y\r\n.', '.z\r\n.', '\r\n')).toBe('x\r\ny\r\n..z\r\n.\r\n');
    expect(feed('.', 'first line\r\n')).toBe('first line\r\n');
  });

  it('passes everything after the final CRLF.CRLF untouched (the commands that follow)', () => {
    expect(feed('a\r\n.\r\nNOOP\r\n.x\r\n')).toBe('a\r\n.\r\nNOOP\r\n.x\r\n');
  });

  it('does not take a bare LF for a line end (RFC 5321 §2.3.8)', () => {
    expect(feed('a\n.b\r\n')).toBe('a\n.b\r\n');
  });
});
