import { describe, expect, it } from 'vitest';
import type { Field } from '@/lib/wire/event.ts';
import { fieldSpans } from './field-spans';

const bytes = (text: string) => new TextEncoder().encode(text);
/** What each field's span covers, as text (null: not located). */
function covered(raw: string, fields: Field[]): (string | null)[] {
  const b = bytes(raw);
  return fieldSpans(b, fields).map((s) => (s ? new TextDecoder().decode(b.subarray(s.start, s.end)) : null));
}
const f = (name: string, value: string): Field => ({ name, value });

describe('fieldSpans', () => {
  it.each<[string, string, Field[], (string | null)[]]>([
    ['MAIL FROM with a parameter', 'MAIL FROM:<a@b> SIZE=120\r\n', [f('verb', 'MAIL'), f('reverse-path', '<a@b>'), f('SIZE', '120')], ['MAIL', '<a@b>', '120']],
    ['a command typed in lower case', 'mail from:<student@lab.test>\r\n', [f('verb', 'MAIL'), f('reverse-path', '<student@lab.test>')], ['mail', '<student@lab.test>']],
    ['a null reverse-path', 'MAIL FROM:<>\r\n', [f('verb', 'MAIL'), f('reverse-path', '<>')], ['MAIL', '<>']],
    ['an enhanced code split into class, subject and detail', '250 2.1.0 Accepted\r\n', [f('code', '250'), f('enhanced code', '2.1.0'), f('class', '2'), f('subject', '1'), f('detail', '0')], ['250', '2.1.0', '2', '1', '0']],
    [
      'an EHLO reply: domain, keywords with and without parameters',
      '250-lab.test Hello student\r\n250-PIPELINING\r\n250-SIZE 1048576\r\n250 AUTH PLAIN LOGIN\r\n',
      [f('code', '250'), f('domain', 'lab.test'), f('PIPELINING', ''), f('SIZE', '1048576'), f('AUTH', 'PLAIN LOGIN')],
      ['250', 'lab.test', 'PIPELINING', '1048576', 'PLAIN LOGIN'],
    ],
    ['an AUTH LOGIN username decoded from base64', 'c3R1ZGVudA==\r\n', [f('username', 'student')], ['c3R1ZGVudA==']],
    ['a masked password is not pointed at', 'AUTH PLAIN AHN0dWRlbnQAc2VjcmV0\r\n', [f('verb', 'AUTH'), f('mechanism', 'PLAIN'), f('password', '••••••')], ['AUTH', 'PLAIN', null]],
    ['FTP 227: address and port as the six numbers spell them', '227 Entering Passive Mode (127,0,0,1,117,49)\r\n', [f('code', '227'), f('address', '127.0.0.1'), f('port', '30001')], ['227', '127,0,0,1', '117,49']],
    ['FTP PORT', 'PORT 127,0,0,1,195,80\r\n', [f('address', '127.0.0.1'), f('port', '50000')], ['127,0,0,1', '195,80']],
    ['FTP EPSV reply', '229 Entering Extended Passive Mode (|||30002|)\r\n', [f('code', '229'), f('port', '30002')], ['229', '30002']],
    ['an HTTP request line', 'POST /soap/calendar HTTP/1.1\r\n', [f('method', 'POST'), f('target', '/soap/calendar'), f('version', 'HTTP/1.1')], ['POST', '/soap/calendar', 'HTTP/1.1']],
    ['an HTTP status line', 'HTTP/1.1 500 Internal Server Error\r\n', [f('version', 'HTTP/1.1'), f('status', '500'), f('reason', 'Internal Server Error')], ['HTTP/1.1', '500', 'Internal Server Error']],
    ['an HTTP header', 'Content-Type: text/xml; charset=utf-8\r\n', [f('Content-Type', 'text/xml; charset=utf-8')], ['text/xml; charset=utf-8']],
    ['a value that is not in the bytes', 'NOOP\r\n', [f('verb', 'NOOP'), f('note', 'no such text')], ['NOOP', null]],
  ])('%s', (_, raw, fields, expected) => {
    expect(covered(raw, fields)).toEqual(expected);
  });

  it('finds a value as a whole token before a part of a longer one', () => {
    // The class "5" of 5.1.1 is not the 5 of 550.
    const raw = '550 5.1.1 <x@lab.test>: unknown mailbox\r\n';
    expect(fieldSpans(bytes(raw), [f('code', '550'), f('class', '5')]).map((s) => s?.start)).toEqual([0, 4]);
  });

  it('never puts two fields on the same bytes: subject and detail of 2.0.0 are both "0"', () => {
    const spans = fieldSpans(bytes('250 2.0.0 OK\r\n'), [f('code', '250'), f('enhanced code', '2.0.0'), f('class', '2'), f('subject', '0'), f('detail', '0')]);
    expect(spans.map((s) => s?.start)).toEqual([0, 4, 4, 6, 8]);
  });

  it('gives byte offsets, not character offsets, after multi-byte UTF-8', () => {
    const raw = 'RCPT TO:<jürgen@lab.test> NOTIFY=NEVER\r\n';
    const spans = fieldSpans(bytes(raw), [f('verb', 'RCPT'), f('forward-path', '<jürgen@lab.test>'), f('NOTIFY', 'NEVER')]);
    expect(spans).toEqual([
      { start: 0, end: 4 },
      { start: 8, end: 26 },
      { start: 34, end: 39 },
    ]);
  });

  it('falls back to the start of the message when fields come out of wire order', () => {
    expect(covered('PASS secret\r\n', [f('password', 'secret'), f('verb', 'PASS')])).toEqual(['secret', 'PASS']);
  });
});
