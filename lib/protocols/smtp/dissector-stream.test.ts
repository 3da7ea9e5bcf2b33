import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import fc from 'fast-check';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { SMTP_LIMITS, createSmtpDissector, finish, initialSmtpState, reduce, type SmtpState } from './dissector.ts';

import { enc, raw, dissect, last, expectProse, expectCovered, HELLO, IN_DATA, type Step } from './test-helpers.ts';

/** Runs a real TLS handshake through a recording proxy on 127.0.0.1:0 and returns every chunk in order. */
async function captureTls(): Promise<Step[]> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  const steps: Step[] = [];
  const server = tls.createServer({ key: pems.private, cert: pems.cert }, (s) => s.on('data', (d: Buffer) => s.write(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let closed: Promise<unknown> = Promise.resolve();
  const proxy = net.createServer((c) => {
    const up = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    c.on('data', (d: Buffer) => (steps.push(['client', Uint8Array.from(d)]), up.write(d)));
    up.on('data', (d: Buffer) => (steps.push(['server', Uint8Array.from(d)]), c.write(d)));
    c.on('end', () => up.end());
    up.on('end', () => c.end());
    closed = Promise.all([once(c, 'close'), once(up, 'close')]);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const client = tls.connect({ host: '127.0.0.1', port: (proxy.address() as net.AddressInfo).port, servername: 'localhost', rejectUnauthorized: false });
  await once(client, 'secureConnect');
  client.write('EHLO again\r\n');
  await once(client, 'data');
  client.end();
  await closed;
  server.close();
  proxy.close();
  return steps;
}

describe('STARTTLS', () => {
  it('switches both directions to TLS records after 220', async () => {
    const handshake = await captureTls();
    const steps: Step[] = [...HELLO, ['client', 'STARTTLS\r\n'], ['server', '220 Ready to start TLS\r\n'], ...handshake];
    const msgs = dissect(steps);
    const note = msgs.findIndex((m) => m.kind === 'note');
    expect(msgs[note]).toMatchObject({ dir: 'note', bytes: 0, phase: 'tls', annotation: { key: 'smtp.tls.start' } });
    const after = msgs.slice(note + 1);
    expect(after.every((m) => m.kind === 'tls-record' && m.phase === 'tls')).toBe(true);
    const hello = after.find((m) => m.dir === 'client');
    expect(hello?.text).toMatch(/^TLS record: Handshake \(ClientHello\), [\d,]+ bytes$/);
    expect(hello?.annotation?.key).toBe('smtp.tls.client-hello');
    expect(after.find((m) => m.dir === 'server')?.text).toMatch(/^TLS record: Handshake \(ServerHello\)/);
    expect(after.some((m) => /^TLS record: Application Data, [\d,]+ bytes \(encrypted\)$/.test(m.text))).toBe(true);
    expectCovered(steps, msgs);
  });

  it('dissects decrypted lines after STARTTLS (afterStartTls) without cleartext warnings', () => {
    const d = createSmtpDissector({ afterStartTls: true });
    const msgs = [
      ...d.push('client', enc('EHLO again\r\n')),
      ...d.push('server', enc('250-lab.local\r\n250 AUTH PLAIN LOGIN\r\n')),
      ...d.push('client', enc(`AUTH LOGIN ${btoa('alice')}\r\n`)),
      ...d.push('server', enc('334 UGFzc3dvcmQ6\r\n')),
      ...d.push('client', enc(`${btoa('secret')}\r\n`)),
      ...d.push('server', enc('235 2.7.0 Authentication successful\r\n')),
    ];
    expect(msgs.map((m) => m.annotation?.key)).toEqual(['smtp.cmd.EHLO', 'smtp.reply.250.ehlo', 'smtp.cmd.AUTH', 'smtp.reply.334', 'smtp.auth.password', 'smtp.reply.235']);
    expect(msgs.every((m) => m.annotation?.level === 'info')).toBe(true);
    expect(JSON.stringify(msgs)).not.toContain('secret');
  });

  it('flags plaintext pipelined after STARTTLS as injected and keeps it out of the dialogue', () => {
    const msgs = dissect([...HELLO, ['client', 'STARTTLS\r\nMAIL FROM:<x@y>\r\nRCPT'], ['server', '220 Ready to start TLS\r\n']]);
    expect(msgs.slice(-4).map((m) => [m.kind, m.text, m.annotation?.key])).toEqual([
      ['command', 'MAIL FROM:<x@y>', 'smtp.starttls.injection'],
      ['reply', '220 Ready to start TLS', 'smtp.reply.220.starttls'],
      ['command', 'RCPT', 'smtp.starttls.injection'],
      ['note', expect.stringMatching(/./), 'smtp.tls.start'],
    ]);
  });

  it('reports plaintext typed after the switch as not TLS', () => {
    const msgs = last([...HELLO, ['client', 'STARTTLS\r\n'], ['server', '220 go\r\n']], ['client', 'EHLO x\r\n']);
    expect(msgs).toEqual([expect.objectContaining({ kind: 'tls-record', text: 'Not TLS: 8 bytes: EHLO x^M^J', annotation: expect.objectContaining({ key: 'smtp.tls.garbage', level: 'error' }) })]);
  });
});

describe('robustness', () => {
  it('bounds an overlong line and keeps consuming to the next LF', () => {
    let state = initialSmtpState();
    const all: DissectedMessage[] = [];
    const feed = (dir: StreamDir, x: string): void => {
      const step = reduce(state, dir, enc(x));
      state = step.state;
      all.push(...step.messages);
    };
    feed('server', '220 x\r\n');
    feed('client', 'A'.repeat(200_000));
    expect(state.client.buf.length).toBeLessThanOrEqual(SMTP_LIMITS.lineBuffer);
    feed('client', 'B\r\nNOOP\r\n');
    const client = all.filter((m) => m.dir === 'client');
    expect(client[0]).toMatchObject({ kind: 'overlong', bytes: SMTP_LIMITS.lineBuffer, annotation: { key: 'smtp.overlong.command', level: 'error', ref: 'RFC 5321 §4.5.3.1.4' } });
    expect(client[0]?.text.length).toBeLessThan(300);
    expect(client.at(-2)?.text).toMatch(/end of the overlong line \(200,003 bytes in all\)/);
    expect(client.at(-1)).toMatchObject({ kind: 'command', text: 'NOOP' });
    expect(client.reduce((n, m) => n + m.bytes, 0)).toBe(200_000 + 3 + 6);
  });

  it('flushes a partial line at end() with a closed-mid-line note', () => {
    const msgs = dissect([...HELLO, ['client', 'QUI'], ['server', '250-partial\r\n']]);
    expect(msgs.slice(-2).map((m) => [m.dir, m.text, m.bytes, m.annotation?.key])).toEqual([
      ['client', 'QUI', 3, 'smtp.closed-mid-line'],
      ['server', '250-partial', 13, 'smtp.reply.incomplete'],
    ]);
  });

  it('is pure: reduce never mutates the state it is given', () => {
    let state: SmtpState = initialSmtpState();
    for (const [dir, x] of [...IN_DATA, ['client', 'body\r\n.\r\n'] as Step, ['server', '250 ok\r\n'] as Step]) {
      const before = structuredClone(state);
      const next = reduce(state, dir, raw(x)).state;
      expect(state).toEqual(before);
      state = next;
    }
    expect(finish(state).messages).toEqual([]);
  });
});

const SESSION: Step[] = [
  ['server', '220 lab.local ESMTP Protocol Lab\r\n'],
  ['client', 'EHLO client.local\r\n'],
  ['server', '250-lab.local Nice to meet you\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10485760\r\n'],
  ['client', 'AUTH LOGIN\r\n'],
  ['server', '334 VXNlcm5hbWU6\r\n'],
  ['client', 'YWxpY2U=\r\n'],
  ['server', '334 UGFzc3dvcmQ6\r\n'],
  ['client', 'c2VjcmV0\r\n'],
  ['server', '235 2.7.0 Authentication successful\r\n'],
  ['client', 'MAIL FROM:<alice@lab.local> SIZE=4000\r\nRCPT TO:<bob@lab.local>\r\n'],
  ['server', '250 2.1.0 Accepted\r\n250 2.1.5 Accepted\r\n'],
  ['client', 'DATA\r\n'],
  ['server', '354 End data with <CR><LF>.<CR><LF>\r\n'],
  ['client', `From: alice@lab.local\r\nSubject: hi\r\n\r\n..dot\r\n${'Hello Bob\r\n'.repeat(150)}.\r\n`],
  ['server', '250 2.6.0 OK: message queued\r\n'],
  ['client', 'QUIT\r\n'],
  ['server', '221 2.0.0 Bye\r\n'],
];

describe('properties', () => {
  it('gives the same messages for any split of a realistic session', () => {
    const whole = dissect(SESSION);
    expect(whole.length).toBeGreaterThan(100);
    expectCovered(SESSION, whole);
    expectProse(whole);
    const cuts = fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: SESSION.length, maxLength: SESSION.length });
    fc.assert(
      fc.property(cuts, (perStep) => {
        const split: Step[] = SESSION.flatMap(([dir, x], i) => {
          const bytes = raw(x);
          const points = [0, ...(perStep[i] ?? []).map((p) => p % (bytes.length + 1)).sort((a, b) => a - b), bytes.length];
          return points.slice(1).map((end, k): Step => [dir, bytes.subarray(points[k], end)]);
        });
        expect(dissect(split)).toEqual(whole);
      }),
    );
  });

  const TOKENS = ['AUTH XFOO abc=\r\n', '250-b\r\n250 SIZE 0\r\n', 'MAIL FROM:<> BOGUS=1\r\n', '550 5.9.9 x\r\n', '220 x\r\n', '250 ok\r\n', '250-a\r\n', '354 go\r\n', '334 VXNlcm5hbWU6\r\n', '220 tls\r\n', 'EHLO a\r\n', 'DATA\r\n', 'AUTH LOGIN\r\n', 'STARTTLS\r\n', '.\r\n', '\n.\n', '\x16\x03\x01\x00\x05', 'Z'.repeat(3000)];
  const piece = fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(...TOKENS).map(enc));

  it('never throws on random input and covers every byte pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<StreamDir>('client', 'server'), piece), { maxLength: 40 }), (steps) => {
        const msgs = dissect(steps);
        expectCovered(steps, msgs);
        expectProse(msgs);
      }),
      { numRuns: 300 },
    );
  });
});
