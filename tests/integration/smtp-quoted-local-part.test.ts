/**
 * A quoted local part names the same mailbox as its unquoted form: RFC 5321 §4.1.2, "all quoted
 * forms MUST be treated as equivalent" when local parts are compared. swaks sends the quotes as
 * typed; a raw client tries the forms that could confuse routing.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { LineClient } from '../helpers/line-client.ts';
import { tool } from '../helpers/tools.ts';
import { smtpLabForFile } from './smtp-helpers.ts';

const smtp = smtpLabForFile();

function swaks(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(tool('swaks'), args, { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

const transcript = async (closed: Promise<{ connection: ConnectionInfo }>) => {
  const { connection } = await closed;
  return (await smtp.lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`)).messages;
};

describe('a quoted local part (RFC 5321 §4.1.2)', () => {
  it('delivers swaks\'s RCPT TO:<"alice"@lab.test> to alice, and the transcript says it is the same mailbox', async () => {
    const closed = nextEvent(smtp.lab.daemon.bus, 'connection.close');
    const delivered = nextEvent(smtp.lab.daemon.bus, 'mail');
    const sent = await swaks(['--server', `127.0.0.1:${smtp.port}`, '--from', 'student@lab.test', '--to', '"alice"@lab.test', '--header', 'Subject: quoted alice', '--body', 'hello']);
    expect(sent.out).toContain('RCPT TO:<"alice"@lab.test>');
    expect(sent.code, sent.out).toBe(0);
    expect((await delivered).mail.to).toEqual(['alice@lab.test']);
    const { messages } = await smtp.lab.api<{ messages: MailSummary[] }>('/api/mailbox');
    expect(messages.find((m) => m.subject === 'quoted alice')?.to).toEqual(['alice@lab.test']);

    const rcpt = (await transcript(closed)).find((m) => m.dir === 'client' && m.text.startsWith('RCPT TO:'));
    expect(rcpt?.annotation).toMatchObject({ key: 'smtp.rcpt.quoted-local-part', ref: 'RFC 5321 §4.1.2' });
    expect(rcpt?.annotation?.explain).toMatch(/same mailbox/);
    expect(rcpt?.fields).toContainEqual(expect.objectContaining({ name: 'local-part', value: 'alice' }));
  });

  it('refuses a quoted name that is no lab user with 550 5.1.1, and lets no quoted form relay or crash the session', async () => {
    const client = await LineClient.connect(smtp.port);
    await client.replyFrom(0);
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    // Equivalent quoted forms of lab mailboxes: a quoted-pair stands for its character.
    expect(await client.command('RCPT TO:<"Bob"@lab.test>')).toMatch(/^250 2\.1\.5 /);
    expect(await client.command('RCPT TO:<"al\\ice"@localhost>')).toMatch(/^250 2\.1\.5 /);
    expect(await client.command('RCPT TO:<"nobody"@lab.test>')).toMatch(/^550 5\.1\.1 <"nobody"@lab\.test>: no such mailbox here/);
    // An address hidden in the quotes is never unwrapped into a route.
    // With a second @ in the quotes the server's address parser refuses it before any routing (501 5.1.3).
    for (const probe of ['"alice@evil.example"@lab.test', '"@evil.example:alice"@lab.test']) expect(await client.command(`RCPT TO:<${probe}>`)).toMatch(/^501 5\.1\.3 /);
    expect(await client.command('RCPT TO:<"alice%evil.example"@lab.test>')).toMatch(/^550 5\.7\.1 .*relaying denied/);
    expect(await client.command('RCPT TO:<"evil.example!alice"@lab.test>')).toMatch(/^550 5\.7\.1 .*relaying denied/);
    expect(await client.command('RCPT TO:<"alice"@evil.example>')).toMatch(/^550 5\.7\.1 .*relaying denied/);
    // An escaped quote is a name with a quote in it: nobody here.
    expect(await client.command('RCPT TO:<"a\\"b"@lab.test>')).toMatch(/^550 5\.1\.1 /);
    // A quote opened and never closed is no Quoted-string at all.
    expect(await client.command('RCPT TO:<"alice@lab.test>')).toMatch(/^501 5\.1\.3 /);
    expect(await client.command('RCPT TO:<"ali"ce"@lab.test>')).toMatch(/^501 5\.1\.3 /);
    // VRFY compares local parts the same way.
    expect(await client.command('VRFY <"alice"@lab.test>')).toMatch(/^250 2\.1\.5 Alice Example <alice@lab\.test>/);
    // The session goes on: the accepted recipients get the mail, under their plain names.
    expect(await client.command('DATA')).toMatch(/^354 /);
    const delivered = nextEvent(smtp.lab.daemon.bus, 'mail');
    expect(await client.command('Subject: quoted forms\r\n\r\nhello\r\n.')).toMatch(/^250 /);
    expect((await delivered).mail.to).toEqual(['bob@lab.test', 'alice@lab.test']);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('reads a space inside the quotes as part of the name ("John Smith"), as RFC 5321 §4.1.2 allows: no 501', async () => {
    const client = await LineClient.connect(smtp.port);
    await client.replyFrom(0);
    await client.command('EHLO test.example');
    expect(await client.command('MAIL FROM:<"John Smith"@example.com>')).toMatch(/^250 2\.1\.0 /);
    // A well-formed name that is no lab mailbox: the same 550 5.1.1 as any other, naming the address as sent.
    expect(await client.command('RCPT TO:<"al ice"@lab.test>')).toMatch(/^550 5\.1\.1 <"al ice"@lab\.test>: no such mailbox here/);
    expect(await client.command('RCPT TO:<"alice "@lab.test>')).toMatch(/^550 5\.1\.1 /);
    // Spaces hide no address from the relay rules.
    expect(await client.command('RCPT TO:<"bob %evil.example"@lab.test>')).toMatch(/^550 5\.7\.1 .*relaying denied/);
    expect(await client.command('RCPT TO:<"bob @evil.example"@lab.test>')).toMatch(/^501 5\.1\.3 /);
    expect(await client.command('RCPT TO:<"bob"@lab.test>')).toMatch(/^250 2\.1\.5 /);
    expect(await client.command('DATA')).toMatch(/^354 /);
    const delivered = nextEvent(smtp.lab.daemon.bus, 'mail');
    expect(await client.command('Subject: spaces\r\n\r\nhello\r\n.')).toMatch(/^250 /);
    expect((await delivered).mail).toMatchObject({ from: '"John Smith"@example.com', to: ['bob@lab.test'] });
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });
});
