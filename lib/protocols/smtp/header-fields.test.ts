import { describe, expect, it } from 'vitest';
import { notedField } from './header-fields.ts';

// What the dissector matched before notedField read the bytes itself (RFC 5322 §3.6.8 ftext, then the value).
const FIELD = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:[ \t]*(.*)$/;
const NOTED = new Set(['message-id', 'in-reply-to', 'references', 'content-type']);
function byRegex(text: string): { name: string; value: string } | undefined {
  const m = FIELD.exec(text);
  if (!m) return undefined;
  const name = (m[1] ?? '').toLowerCase();
  return NOTED.has(name) ? { name, value: (m[2] ?? '').trim() } : undefined;
}

describe('notedField', () => {
  it.each([
    'Message-ID: <a@lab.test>',
    'message-id:<x@y>',
    'MESSAGE-ID \t:  <spaced@y>  ',
    'Message-ID x: y',
    'Message-ID: a\rb',
    'Content-Type:\ttext/xml; charset=utf-8',
    'Content-Type: application/soap+xml; action="urn:x:y"',
    ':value',
    ' Content-Type: leading blank',
    '\tContent-Type: folded',
    'In-Reply-To:',
    'References: <a@b> <c@d>',
    'Referencesx: y',
    'Content-Type',
    'Content-Types: not this one',
    'Content-Transfer-Encoding: base64',
    'Content-Type: caf\xe9 \xa0',
    'Content-Type: \u00a0 nbsp kept out by trim',
  ])('reads %j as the regex did', (text) => {
    expect(notedField(Buffer.from(text, 'latin1'))).toEqual(byRegex(text));
  });
});
