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
