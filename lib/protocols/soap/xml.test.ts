import { describe, expect, it } from 'vitest';
import { readXml } from './xml.ts';

describe('readXml', () => {
  it('names the elements a document never closed, at the end of the document', () => {
    expect(readXml('<s:Envelope xmlns:s="x">\n  <s:Body>\n    <getMonth>')).toEqual({
      ok: false,
      problem: 'malformed',
      message: 'The document ends before <s:Envelope>, <s:Body>, <getMonth> are closed (no end tag).',
      line: 3,
      col: 15,
    });
    expect(readXml('<a><b>')).toMatchObject({ message: 'The document ends before <a>, <b> are closed (no end tag).', line: 1, col: 7 });
  });

  it("passes the validator's other reports on as they are", () => {
    expect(readXml('<a></b>')).toMatchObject({ ok: false, problem: 'malformed', message: "Expected closing tag 'a' (opened in line 1, col 1) instead of closing tag 'b'.", line: 1, col: 4 });
    expect(readXml('not xml')).toMatchObject({ ok: false, problem: 'malformed', line: 1, col: 1 });
    expect(readXml('<a>')).toMatchObject({ ok: false, problem: 'malformed', message: "Unclosed tag 'a'." });
  });

  it('reads a well-formed document', () => {
    const read = readXml('<a><b>text</b></a>');
    expect(read.ok && read.root.name).toBe('a');
  });
});

describe('entity and character references', () => {
  it.each([
    ['<a>&foo;</a>', '&foo; names an entity that is not declared', 1, 4],
    ['<a>\n  <b c="x&y"/></a>', 'A bare "&" is not allowed', 2, 10],
    ['<a>&nbsp;</a>', '&nbsp; names an entity that is not declared', 1, 4],
  ])('refuses %j: %s', (xml, message, line, col) => {
    const read = readXml(xml);
    expect(read).toMatchObject({ ok: false, problem: 'malformed', line, col });
    expect(read.ok === false && read.message).toContain(message);
  });

  it.each(['<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;</a>', '<a><![CDATA[AT&T &x;]]></a>', '<a><!-- a & b --><?pi x&y?>ok</a>', '<a><![CDATA[x]]>&amp;<!--&-->&#10;</a>'])('reads %j', (xml) => {
    expect(readXml(xml).ok).toBe(true);
  });

  it('scans a large document in one pass', () => {
    const big = `<a>${'&amp;<!--c-->'.repeat(40_000)}&bad;</a>`;
    expect(readXml(big)).toMatchObject({ ok: false, message: expect.stringContaining('&bad;') });
  });
});
