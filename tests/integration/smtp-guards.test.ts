import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TEST_PASSWORD, startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { listeningPorts } from '../helpers/listening.ts';

// Issue 8: names from the wire (#12), no internal port (#13, issue 9: handed over in process), a header bomb (#14),
// AUTH guessing (#15), sessions that never say HELO (#6), and Postmaster (RFC 5321 §4.5.1).
let lab: TestLab;
let port: number;

beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab], config: { smtp: { port: 0, maxSize: 1024 * 1024, helloGraceMs: 400 } } });
  port = lab.port('smtp');
});
afterAll(async () => {
  await lab?.stop();
});

async function greeted(): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.replyFrom(0);
  return client;
}

const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`).toString('base64');
const mails = async () => (await lab.api<{ messages: MailSummary[] }>('/api/mailbox')).messages;

describe('SMTP lab guards', () => {
  it('knows no mailbox or list called constructor or __proto__', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await client.command(`RCPT TO:<${name}@lab.test>`)).toMatch(/^550 5\.1\.1 /);
      const vrfy = await client.command(`VRFY ${name}`);
      expect(vrfy).toMatch(/^550 5\.1\.1 /);
      expect(vrfy).not.toMatch(/native code|function/);
      expect(await client.command(`EXPN ${name}`)).toMatch(/^550 5\.1\.1 /);
      expect(await client.command(`VRFY <${name}@lab.test>`)).toMatch(/^550 5\.1\.1 /);
    }
    expect(await client.command('VRFY alice')).toMatch(/^250 2\.1\.5 Alice Example/);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('answers 555 to a MAIL or RCPT parameter of no extension it announced (RFC 5321 §4.1.1.11), and takes the ones it did', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    expect(await client.command('MAIL FROM:<student@lab.test> FOO=bar')).toBe('555 5.5.4 MAIL FROM parameter FOO not recognized or not implemented\r\n');
    expect(await client.command('MAIL FROM:<student@lab.test> SIZE=100 BODY=8BITMIME')).toMatch(/^250 2\.1\.0 /);
    // No DSN in EHLO, so no NOTIFY.
    expect(await client.command('RCPT TO:<alice@lab.test> NOTIFY=NEVER')).toBe('555 5.5.4 RCPT TO parameter NOTIFY not recognized or not implemented\r\n');
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 2\.1\.5 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('accepts RCPT TO:<Postmaster> without a domain and delivers it to postmaster@lab.test', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    expect(await client.command('RCPT TO:<Postmaster>')).toMatch(/^250 /);
    expect(await client.command('DATA')).toMatch(/^354 /);
    const delivered = nextEvent(lab.daemon.bus, 'mail');
    expect(await client.command('Subject: to the postmaster\r\n\r\nhello\r\n.')).toMatch(/^250 /);
    expect((await delivered).mail.to).toEqual(['postmaster@lab.test']);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('has no internal port: the process listens only on its public ports, and mail goes through the tap', async () => {
    // The tap hands each connection to the server in process: there is no port to reach it around the tap.
    const smtp = lab.daemon.labs.find((l) => l.protocol === 'smtp')!;
    expect(smtp.tap.targetPort).toBe(0);
    expect(listeningPorts()).toEqual([port, Number(new URL(lab.baseUrl).port)].sort((a, b) => a - b));
    const tapped = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const before = (await mails()).length;
    await expect(tapped.sendMail({ from: 'student@lab.test', to: 'alice@lab.test', subject: 'through the tap', text: 'x' })).resolves.toBeTruthy();
    tapped.close();
    expect((await mails()).length).toBe(before + 1);
  });

  it('answers a mail with 40,000 header lines with 552 5.3.4 in its own words', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    await client.command('RCPT TO:<alice@lab.test>');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const start = client.received.length;
    const header = Array.from({ length: 40_000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    expect(header.length).toBeGreaterThan(500_000);
    client.write(`Subject: header bomb\r\n${header}\r\nbody\r\n.\r\n`);
    const reply = await client.replyFrom(start);
    expect(reply).toMatch(/^552 5\.3\.4 /);
    expect(reply).not.toMatch(/Max header size|MIME node/);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('closes a connection with 421 4.7.0 after three failed AUTH attempts', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    expect(await client.command(`AUTH PLAIN ${plain('student', 'wrong-1')}`)).toMatch(/^535 5\.7\.8 /);
    expect(await client.command(`AUTH PLAIN ${plain('student', `${TEST_PASSWORD}x`)}`)).toMatch(/^535 5\.7\.8 /);
    // The third failure ends the session instead of a third 535 (one reply per command).
    expect(await client.command(`AUTH PLAIN ${plain('nobody', TEST_PASSWORD)}`)).toMatch(/^421 4\.7\.0 Too many failed authentication attempts/);
    await client.whenClosed();
  });

  it('still logs in with the right password after a failure', async () => {
    const client = await greeted();
    await client.command('EHLO test.example');
    expect(await client.command(`AUTH PLAIN ${plain('student', 'wrong')}`)).toMatch(/^535 /);
    expect(await client.command(`AUTH PLAIN ${plain('student', TEST_PASSWORD)}`)).toMatch(/^235 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('closes a session that never says HELO/EHLO with 421 4.4.2, and keeps one that did', async () => {
    const polite = await greeted();
    expect(await polite.command('EHLO test.example')).toMatch(/^250/);
    // Connected after `polite` was greeted, so its grace ends later than polite's would.
    const silent = await greeted();
    await silent.whenClosed();
    expect(silent.received).toMatch(/\r\n421 4\.4\.2 No HELO\/EHLO within \d+ s, closing connection\r\n$/);
    expect(await polite.command('NOOP')).toMatch(/^250 /);
    expect(await polite.command('QUIT')).toMatch(/^221 /);
  });
});

describe('SMTP idle timeout', () => {
  it('answers 421 4.4.2 in the lab\'s words when a greeted session goes quiet', async () => {
    const idleLab = await startTestLab({ labs: [smtpLab], config: { smtp: { port: 0, maxSize: 64 * 1024, idleMs: 300 } } });
    try {
      const client = await LineClient.connect(idleLab.port('smtp'));
      await client.replyFrom(0);
      await client.command('EHLO test.example');
      await client.whenClosed();
      expect(client.received).toMatch(/\r\n421 4\.4\.2 Idle timeout: no command received, closing connection\r\n$/);
    } finally {
      await idleLab.stop();
    }
  });
});
