import { describe, expect, it } from 'vitest';
import { HANDOFFS } from '../handoffs.ts';
import type { Handoff } from '../kit/handoff.ts';
import { appendBodyLine, bodyFor, decodeBody, handOff } from './body-handoff.ts';
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
    const qp = bodyFor('Content-Type: text/xml\nContent-Transfer-Encoding: quoted-printable\n');
    expect(qp).not.toBeNull();
    if (qp) {
      qp.text = '<a x=3D"1">caf=C3=A9 =\nlong</a>\n';
      expect(decodeBody(qp).toString('utf8')).toBe('<a x="1">café long</a>\n');
    }
  });

  it('leaves ordinary mail alone, and reads folded Content-Type headers', () => {
    const plain = dissect(mail(['Content-Type: text/plain'], ['Hello']));
    expect(plain.some((m) => m.text.includes('SOAP dissector'))).toBe(false);
    expect(bodyFor('Subject: x\nContent-Type:\n  application/soap+xml;\n  charset=utf-8\n')).not.toBeNull();
  });

  it('flags a DOCTYPE in a mailed envelope instead of expanding it', () => {
    const evil = ['<?xml version="1.0"?>', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '<x>&e;</x>'];
    const messages = dissect(mail(['Content-Type: text/xml'], evil));
    const note = messages.find((m) => m.text.includes('SOAP dissector'));
    expect(note?.text).toMatch(/DOCTYPE/);
    expect(messages.some((m) => m.text.includes('root:'))).toBe(false);
  });
});

describe('hand-off registry', () => {
  const child: Handoff = {
    id: 'policy',
    name: 'WS-Policy',
    accepts: ({ mediaType }) => mediaType?.startsWith('application/wspolicy+xml') === true,
    dissect: (payload) => ({ description: `${payload.length} bytes of policy`, messages: [{ dir: 'client', kind: 'policy', text: 'wsp:Policy', bytes: 0 }] }),
    note: { key: 'test.handoff', title: 'Policy in a mail', explain: 'A registered child read it.' },
  };
  const registry = [...HANDOFFS, child];

  it('asks the registry who reads a body, so a new child needs no SMTP change', () => {
    const body = bodyFor('Content-Type: application/wspolicy+xml\n', registry);
    expect(body?.handler).toBe('policy');
    appendBodyLine(body!, '<wsp:Policy/>');
    const [note, line] = handOff(body!, registry);
    expect(note?.text).toBe('The message body is 14 bytes of policy: handed to the WS-Policy dissector');
    expect(note?.annotation?.key).toBe('test.handoff');
    expect(line).toMatchObject({ kind: 'policy', phase: 'data' });
  });

  it('collects nothing when no registered child reads the media type', () => {
    expect(bodyFor('Content-Type: application/wspolicy+xml\n')).toBeNull();
    expect(bodyFor('Content-Type: text/plain\n', registry)).toBeNull();
  });
});
