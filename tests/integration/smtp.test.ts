import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TEST_PASSWORD, startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

let lab: TestLab;
let port: number;

beforeAll(async () => {
  lab = await startTestLab();
  port = lab.port('smtp');
});
afterAll(async () => {
  await lab?.stop();
});

/** Opens a raw session and waits for the greeting. */
async function session(): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.replyFrom(0);
  return client;
}

/** Waits until the tap has closed the connection whose client port is `clientPort`, and returns its transcript. */
async function transcriptOf(closed: Promise<{ connection: ConnectionInfo }>) {
  const { connection } = await closed;
  return lab.api<{ connection: ConnectionInfo; messages: LabMessage[] }>(`/api/connections/${connection.id}`);
}

const closedFrom = (client: LineClient) => {
  const address = `127.0.0.1:${client.socket.localPort}`;
  return nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === address);
};

describe('SMTP lab with real clients', () => {
  it('delivers a nodemailer mail sent with STARTTLS and AUTH, and records the annotated dialogue', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'student', pass: TEST_PASSWORD },
    });
    const closed = nextEvent(lab.daemon.bus, 'connection.close');
    const delivered = nextEvent(lab.daemon.bus, 'mail');
    const info = await transport.sendMail({
      from: 'student@lab.test',
      to: 'alice@lab.test',
      subject: 'Integration hello',
      text: 'Hello Alice\n.leading dot line\n',
    });
    transport.close();
    expect(info.accepted).toEqual(['alice@lab.test']);
    const mail = (await delivered).mail;

    const { messages: mails } = await lab.api<{ messages: MailSummary[] }>('/api/mailbox');
    expect(mails.map((m) => m.subject)).toContain('Integration hello');
    const raw = await lab.api<string>(`/api/mailbox/${mail.id}/raw`);
    expect(raw).toContain('Subject: Integration hello');
    expect(raw).toContain('\n.leading dot line'); // dot-stuffing undone by the server

    const { messages } = await transcriptOf(closed);
    const wire = messages.filter((m) => m.view === 'wire');
    expect(wire[0]).toMatchObject({ dir: 'server', kind: 'reply' });
    expect(wire[0].text).toMatch(/^220 /);
    expect(wire[0].annotation?.ref).toMatch(/RFC 5321/);
    const ehlo = wire.find((m) => m.dir === 'server' && m.text.startsWith('250-'));
    expect(ehlo?.fields?.some((f) => f.name.includes('STARTTLS') || f.value.includes('STARTTLS'))).toBe(true);
    expect(wire.some((m) => m.kind === 'tls-record')).toBe(true);
    // After STARTTLS the endpoint view carries on, decrypted, from the server's side.
    const endpoint = messages.filter((m) => m.view === 'endpoint');
    const texts = endpoint.map((m) => m.text);
    expect(texts.some((t) => t.startsWith('354'))).toBe(true);
    expect(texts.some((t) => /^250 .*queued/.test(t))).toBe(true);
    expect(endpoint.find((m) => m.text.startsWith('354'))?.annotation?.ref).toMatch(/RFC 5321/);
    expect(mail.conn).toBe(messages[0].conn);
  });

  it('refuses to relay to a foreign domain with 550 5.7.1 and explains open relays', async () => {
    const client = await session();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    const closed = closedFrom(client);
    expect(await client.command('RCPT TO:<someone@example.com>')).toMatch(/^550 5\.7\.1 /);
    // nmap smtp-open-relay's disguises, each answered as README says: relaying denied, or (two forms the
    // server's address parser does not take) bad syntax before any relay check.
    for (const probe of ['user%example.com@lab.test', 'example.com!user@lab.test', '@[127.0.0.1]:user@example.com']) expect(await client.command(`RCPT TO:<${probe}>`)).toMatch(/^550 5\.7\.1 /);
    for (const probe of ['"user@example.com"@lab.test', 'user@example.com@lab.test']) expect(await client.command(`RCPT TO:<${probe}>`)).toMatch(/^501 5\.1\.3 /);
    await client.command('QUIT');
    const { messages } = await transcriptOf(closed);
    const refusal = messages.find((m) => m.dir === 'server' && m.text.startsWith('550 5.7.1'));
    expect(refusal?.annotation?.level).toBe('error');
    expect(`${refusal?.annotation?.title} ${refusal?.annotation?.explain}`).toMatch(/relay/i);
  });

  it('deletes the first dot of every text line that starts with one (RFC 5321 §4.5.2), and says which lines were not doubled', async () => {
    const client = await session();
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    await client.command('RCPT TO:<alice@lab.test>');
    expect(await client.command('DATA')).toMatch(/^354 /);
    const closed = closedFrom(client);
    const delivered = nextEvent(lab.daemon.bus, 'mail');
    // A client that does not stuff (as typed by hand), one that did, and three dots.
    expect(await client.command('Subject: dots\r\n\r\n.single-dot-line\r\n..double-dot-line\r\n...triple\r\n.')).toMatch(/^250 /);
    await client.command('QUIT');
    const raw = await lab.api<string>(`/api/mailbox/${(await delivered).mail.id}/raw`);
    expect(raw).toMatch(/\r\nsingle-dot-line\r\n\.double-dot-line\r\n\.\.triple\r\n/);
    const { messages } = await transcriptOf(closed);
    const line = (text: string) => messages.find((m) => m.view === 'wire' && m.dir === 'client' && m.text === text);
    expect(line('.single-dot-line')).toMatchObject({ annotation: { key: 'smtp.data.dot-not-doubled' }, fields: [{ name: 'as delivered', value: 'single-dot-line' }] });
    expect(line('..double-dot-line')).toMatchObject({ annotation: { key: 'smtp.data.dot-stuffed' }, fields: [{ name: 'as delivered', value: '.double-dot-line' }] });
  });

  it('answers VRFY and EXPN from the lab directory', async () => {
    const client = await session();
    await client.command('EHLO test.example');
    expect(await client.command('VRFY alice')).toMatch(/^250 2\.1\.5 Alice Example <alice@lab\.test>/);
    expect(await client.command('VRFY nobody')).toMatch(/^550 /);
    const list = await client.command('EXPN class');
    expect(list.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(list).toMatch(/^250-2\.1\.5 Student <student@lab\.test>/);
    expect(await client.command('EXPN nolist')).toMatch(/^550 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('answers 552 for a message over SIZE, 452 past 100 recipients, 503 out of order, 500 for unknown', async () => {
    const client = await session();
    await client.command('EHLO test.example');
    expect(await client.command('DATA')).toMatch(/^503 /);
    expect(await client.command('FOO bar')).toMatch(/^500 /);
    await client.command('MAIL FROM:<student@lab.test>');
    // Subaddresses (RFC 5233) are distinct recipients of one mailbox: 100 are allowed, the 101st is not.
    for (let i = 0; i < 100; i++) expect(await client.command(`RCPT TO:<alice+${i}@lab.test>`)).toMatch(/^250 /);
    expect(await client.command('RCPT TO:<alice+100@lab.test>')).toMatch(/^452 /);
    expect(await client.command('RSET')).toMatch(/^250 /);
    await client.command('MAIL FROM:<student@lab.test>');
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /);
    expect(await client.command('DATA')).toMatch(/^354 /);
    const big = 'x'.repeat(998) + '\r\n';
    const start = client.received.length;
    client.write(big.repeat(70)); // 70 KB > the test lab's 64 KiB limit
    client.write('.\r\n');
    expect(await client.replyFrom(start)).toMatch(/^552 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('answers 221 to QUIT (not 211) and closes', async () => {
    const client = await session();
    expect(await client.command('QUIT')).toMatch(/^221 /);
    await client.whenClosed();
  });

  it('survives garbage, control bytes and a vanished client, and escapes control bytes in the transcript', async () => {
    const client = await session();
    const closed = closedFrom(client);
    client.write(Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x00, 0xff, 0xfe, 0x0d, 0x0a]));
    await client.waitFor(/500 .*\r\n/);
    await client.command('EHLO test.example');
    await client.command('MAIL FROM:<student@lab.test>');
    await client.command('RCPT TO:<alice@lab.test>');
    await client.command('DATA');
    client.write('Subject: half a message\r\n\r\nand then the client vanishes');
    client.close();
    const { messages } = await transcriptOf(closed);
    const garbage = messages.find((m) => m.dir === 'client' && m.text.includes('^['));
    expect(garbage).toBeDefined();
    expect(messages.every((m) => !/[\x00-\x08\x0b-\x1f\x7f]/.test(m.text))).toBe(true);
    // Other sessions are unaffected.
    const other = await session();
    expect(await other.command('NOOP')).toMatch(/^250 /);
    other.close();
  });

  it('handles 10,000 pipelined commands and dissects them all (the stored transcript stays capped)', async () => {
    // Count live messages per connection (the store keeps only the first LAB_TRANSCRIPT_MESSAGES).
    const noopsOf = new Map<string, number>();
    const unsubscribe = lab.daemon.bus.subscribe((event) => {
      if (event.type === 'message' && event.message.dir === 'client' && event.message.text === 'NOOP') {
        noopsOf.set(event.message.conn, (noopsOf.get(event.message.conn) ?? 0) + 1);
      }
    });
    const client = await session();
    const closed = closedFrom(client);
    await client.command('EHLO test.example');
    client.write('NOOP\r\n'.repeat(10_000) + 'QUIT\r\n');
    await client.whenClosed();
    expect(client.received.match(/^250 /gm)?.length).toBeGreaterThanOrEqual(10_000);
    const { connection, messages } = await transcriptOf(closed);
    unsubscribe();
    expect(noopsOf.get(connection.id)).toBe(10_000);
    expect(messages.length).toBeLessThan(10_000);
  });

  it('holds a reply in step mode until Step releases it', async () => {
    const client = await session();
    await lab.api('/api/step/smtp', { body: { enabled: true } });
    try {
      const start = client.received.length;
      client.send('NOOP');
      // The command is held at the tap: release it, then the reply is held too.
      await nextEvent(lab.daemon.bus, 'step', (e) => e.state.held === 1);
      expect(client.received.length).toBe(start);
      // Both awaited events are registered before Step: the reply may be held before the API call returns.
      const serverSaw = nextEvent(lab.daemon.bus, 'message', (e) => e.message.text === 'NOOP');
      const replyHeld = nextEvent(lab.daemon.bus, 'step', (e) => e.state.held === 1 && e.state.next?.dir === 'server');
      await lab.api('/api/step/smtp', { body: { action: 'next' } });
      await serverSaw;
      await replyHeld;
      expect(client.received.length).toBe(start);
      await lab.api('/api/step/smtp', { body: { action: 'next' } });
      expect(await client.replyFrom(start)).toMatch(/^250 /);
    } finally {
      await lab.api('/api/step/smtp', { body: { enabled: false } });
    }
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });
});
