/** Credentials marked by the dissectors, and hidden from every sandbox but the connection's own. */
import { describe, expect, it } from 'vitest';
import { createFtpDissector } from '../protocols/ftp/dissector.ts';
import { createSoapDissector } from '../protocols/soap/dissector.ts';
import { stampMessage } from './recorder.ts';
import type { LabEvent } from '../bus/events.ts';
import { HIDDEN_SECRET, eventForOthers, forOthers, secretSpan } from './redact.ts';

const conn = { id: 'ftp-x', sandbox: 'local', protocol: 'ftp' as const };
const bytes = (s: string) => new TextEncoder().encode(s);

describe('dissectors mark credentials', () => {
  it.each([
    ['PASS hunter2\r\n', 'hunter2'],
    ['pass  two words\r\n', ' two words'],
  ])('FTP %j: the argument', (line, secret) => {
    const [message] = createFtpDissector().push('client', bytes(line));
    expect(message.secret && message.text.slice(message.secret.start, message.secret.end)).toBe(secret);
  });

  it('FTP: a bare PASS, USER and the endpoint view (masked already) carry none', () => {
    const d = createFtpDissector();
    expect(d.push('client', bytes('USER student\r\nPASS\r\n')).map((m) => m.secret)).toEqual([undefined, undefined]);
    expect(createFtpDissector({ endpoint: true }).push('client', bytes('PASS hunter2\r\n'))[0].secret).toBeUndefined();
  });

  it.each([
    ['Authorization: Basic c3R1ZGVudDpodW50ZXIy', 'c3R1ZGVudDpodW50ZXIy'],
    ['authorization:Bearer  abc.def', 'abc.def'],
    ['X-Api-Key: k-123', 'k-123'],
    ['Content-Type: text/xml', undefined],
  ])('HTTP %j: the credentials after the scheme', (header, secret) => {
    const out = createSoapDissector().push('client', bytes(`GET / HTTP/1.1\r\nHost: x\r\n${header}\r\n\r\n`));
    const message = out.find((m) => m.text === header);
    expect(message?.secret && message.text.slice(message.secret.start, message.secret.end)).toBe(secret);
  });
});

describe('forOthers', () => {
  const pass = stampMessage({ dir: 'client', kind: 'command', text: 'PASS hunter2', bytes: 14, fields: [{ name: 'password', value: 'hunter2', note: 'readable by anyone on the wire' }], annotation: { title: 'PASS', explain: 'was hunter2' }, edited: { original: 'PASS hunter2' }, secret: secretSpan('PASS hunter2', 'hunter2') }, conn, 3, 1, 'wire');

  it('hides the credential in the text, the fields, the annotation and an edit’s original, and drops the mark', () => {
    const hidden = forOthers(pass);
    expect(hidden.text).toBe(`PASS ${HIDDEN_SECRET}`);
    expect(hidden.fields).toEqual([{ name: 'password', value: HIDDEN_SECRET, note: 'readable by anyone on the wire' }]);
    expect(hidden.annotation?.explain).toBe(`was ${HIDDEN_SECRET}`);
    expect(hidden.edited?.original).toBe(`PASS ${HIDDEN_SECRET}`);
    expect(JSON.stringify(hidden)).not.toContain('hunter2');
    expect(hidden.secret).toBeUndefined();
    // The owner's copy is untouched.
    expect(pass.text).toBe('PASS hunter2');
  });

  it('returns a message without a credential, and events other than messages, as they are', () => {
    const plain = stampMessage({ dir: 'client', kind: 'command', text: 'USER student', bytes: 14 }, conn, 2, 1, 'wire');
    expect(forOthers(plain)).toBe(plain);
    const event: LabEvent = { type: 'message', message: plain };
    expect(eventForOthers(event)).toBe(event);
    expect((eventForOthers({ type: 'message', message: pass }) as Extract<LabEvent, { type: 'message' }>).message.text).toBe(`PASS ${HIDDEN_SECRET}`);
  });
});
