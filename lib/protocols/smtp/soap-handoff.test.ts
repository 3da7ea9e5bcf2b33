import { describe, expect, it } from 'vitest';
import { decodeBody, soapBodyFor } from './soap-handoff.ts';
import { dissect, expectCovered, IN_DATA, type Step } from './test-helpers.ts';

const ENVELOPE = [
  '<?xml version="1.0"?>',
  '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:c="http://lab.test/soap/calendar">',
  '<env:Body><c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth></env:Body>',
  '</env:Envelope>',
];

function mail(headers: string[], body: string[]): Step[] {
  return [...IN_DATA, ['client', [...headers, '', ...body, '.', ''].join('\r\n')], ['server', '250 OK\r\n']];
}

describe('SMTP → SOAP hand-off', () => {
  it('hands a SOAP 1.2 body to the SOAP dissector at the final "." and keeps every byte covered', () => {
    const steps = mail(['Message-ID: <r1@lab.test>', 'Content-Type: application/soap+xml; charset=utf-8'], ENVELOPE);
    const messages = dissect(steps);
    const note = messages.find((m) => m.text.includes('handed to the SOAP dissector'));
    expect(note?.text).toContain('SOAP 1.2 getMonth');
    expect(note?.annotation?.ref).toMatch(/Email Binding/);
    const soapLines = messages.slice(messages.indexOf(note!) + 1).filter((m) => m.bytes === 0 && m.dir === 'client');
    expect(soapLines.some((m) => /getMonth/.test(m.text))).toBe(true);
    expect(messages.findIndex((m) => m.kind === 'data-end')).toBeGreaterThan(messages.indexOf(note!));
    expectCovered(steps, messages);
  });

  it('undoes base64 and quoted-printable transfer encodings first', () => {
    const b64 = Buffer.from(ENVELOPE.join('\n')).toString('base64').match(/.{1,76}/g) ?? [];
    const messages = dissect(mail(['Content-Type: text/xml', 'Content-Transfer-Encoding: base64'], b64));
    expect(messages.find((m) => m.text.includes('handed to the SOAP dissector'))?.text).toContain('getMonth');
    const qp = soapBodyFor('Content-Type: text/xml\nContent-Transfer-Encoding: quoted-printable\n');
    expect(qp).not.toBeNull();
    if (qp) {
      qp.text = '<a x=3D"1">caf=C3=A9 =\nlong</a>\n';
      expect(decodeBody(qp).toString('utf8')).toBe('<a x="1">café long</a>\n');
    }
  });

  it('leaves ordinary mail alone, and reads folded Content-Type headers', () => {
    const plain = dissect(mail(['Content-Type: text/plain'], ['Hello']));
    expect(plain.some((m) => m.text.includes('SOAP dissector'))).toBe(false);
    expect(soapBodyFor('Subject: x\nContent-Type:\n  application/soap+xml;\n  charset=utf-8\n')).not.toBeNull();
  });

  it('flags a DOCTYPE in a mailed envelope instead of expanding it', () => {
    const evil = ['<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '<x>&e;</x>'];
    const messages = dissect(mail(['Content-Type: text/xml'], evil));
    const note = messages.find((m) => m.text.includes('SOAP dissector'));
    expect(note?.text).toMatch(/DOCTYPE/);
    expect(messages.some((m) => m.text.includes('root:'))).toBe(false);
  });
});
