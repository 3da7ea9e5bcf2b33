import { describe, expect, it } from 'vitest';
import { shortMessageId, splitMail } from './mail-source';

describe('splitMail', () => {
  it('separates unfolded headers from the body', () => {
    const raw = 'From: Calendar service <calendar@lab.test>\r\nIn-Reply-To: <a@lab.test>\r\nContent-Type: application/soap+xml;\r\n charset=utf-8\r\n\r\n<soap:Envelope/>\r\n';
    const mail = splitMail(raw);
    expect(mail.headers).toEqual([
      { name: 'From', value: 'Calendar service <calendar@lab.test>' },
      { name: 'In-Reply-To', value: '<a@lab.test>' },
      { name: 'Content-Type', value: 'application/soap+xml; charset=utf-8' },
    ]);
    expect(mail.body).toBe('<soap:Envelope/>\n');
  });

  it('decodes a base64 body', () => {
    const mail = splitMail(`Content-Transfer-Encoding: base64\n\n${btoa('<x>é</x>'.replace('é', '\u00c3\u00a9'))}\n`);
    expect(mail.body).toBe('<x>é</x>');
  });

  it('keeps a mail without a body', () => {
    expect(splitMail('Subject: hi')).toEqual({ headers: [{ name: 'Subject', value: 'hi' }], body: '' });
  });
});

describe('shortMessageId', () => {
  it.each([
    ['<97b51fe8-29bb-4b62-9224-e2e407e5d8bc@lab.test>', '<97b51fe8…@lab.test>'],
    ['<short@lab.test>', '<short@lab.test>'],
    [null, '—'],
    ['not-an-id', '<not-an-id@>'.replace('<not-an-id@>', 'not-an-id')],
  ])('shortens %j', (input, expected) => expect(shortMessageId(input)).toBe(expected));
});
