import { describe, expect, it } from 'vitest';
import { decodeXmlBody, unreadableCharset } from './charset.ts';

const xml = '<?xml version="1.0"?><a>ünïcödé 안녕</a>';
const utf16le = (text: string, bom: boolean) => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
};

describe('decodeXmlBody', () => {
  it('reads UTF-16 by its byte order mark, by its charset, or by the "<" of its declaration', () => {
    expect(decodeXmlBody(utf16le(xml, true), 'text/xml')).toBe(xml);
    expect(decodeXmlBody(utf16le(xml, false), 'text/xml; charset=utf-16')).toBe(xml);
    expect(decodeXmlBody(utf16be(xml), 'application/soap+xml; charset="UTF-16"')).toBe(xml);
    expect(decodeXmlBody(utf16be(xml), 'text/xml')).toBe(xml);
  });

  it('reads ISO-8859-1 as declared, and UTF-8 otherwise (a UTF-8 byte order mark dropped)', () => {
    expect(decodeXmlBody(Buffer.from('<a>é</a>', 'latin1'), 'text/xml; charset=ISO-8859-1')).toBe('<a>é</a>');
    expect(decodeXmlBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]), 'text/xml')).toBe(xml);
    expect(decodeXmlBody(Buffer.from(xml), undefined)).toBe(xml);
  });

  it('reads other charsets TextDecoder knows, windows-1252 with its own 0x80–0x9F (€, curly quotes)', () => {
    expect(decodeXmlBody(Buffer.from([0x3c, 0x61, 0x3e, 0x80, 0x93, 0x94, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]), 'text/xml; charset=windows-1252')).toBe('<a>€“”é</a>');
    expect(decodeXmlBody(Buffer.from([0x82, 0xa0]), 'text/xml; charset=Shift_JIS')).toBe('あ');
  });
});

describe('unreadableCharset', () => {
  it('names a charset the lab cannot read, and only that', () => {
    expect(unreadableCharset('text/xml; charset=ebcdic-cp-us')).toBe('ebcdic-cp-us');
    expect(unreadableCharset('text/xml; charset="klingon"')).toBe('klingon');
    for (const fine of ['text/xml', 'text/xml; charset=UTF-8', 'text/xml; charset=us-ascii', 'text/xml; charset=windows-1252', 'application/soap+xml; charset=utf-16; action="x"']) {
      expect(unreadableCharset(fine)).toBeUndefined();
    }
  });
});
