/**
 * Issue 15, SMTP: two student sandboxes A and B side by side, driven by nodemailer and a raw socket.
 * AUTH files a session in its login's sandbox (a student's id and password, or the lab's own login
 * for the default one) and all its mail lands there; without AUTH the first recipient's domain does
 * (`<id>.lab.test` is that sandbox's, lab.test the default's), one sandbox per session. Transcripts
 * follow the filing: A's session is listed and readable for A's browser only.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { LAB_USER } from '../../servers/daemon/config.ts';
import type { SmtpInfo } from '../../servers/smtp/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { callAs, openStudent, type Student } from '../helpers/student.ts';

let lab: TestLab;
let port: number;
let a: Student;
let b: Student;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
  port = lab.port('smtp');
  a = await openStudent(lab);
  b = await openStudent(lab);
});
afterAll(async () => {
  await lab?.stop();
});

/** A browser's cookie; undefined is the machine owner's browser (the default sandbox). */
type Cookie = string | undefined;
const OWNER: Cookie = undefined;

const plain = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`).toString('base64');

async function mailboxOf(cookie: Cookie): Promise<MailSummary[]> {
  const res = await callAs<{ messages: MailSummary[] }>(lab, cookie, '/api/mailbox');
  expect(res.status).toBe(200);
  return res.body.messages;
}
const subjectsOf = async (cookie: Cookie) => (await mailboxOf(cookie)).map((m) => m.subject);

async function listed(cookie: Cookie): Promise<ConnectionInfo[]> {
  const res = await callAs<{ connections: ConnectionInfo[] }>(lab, cookie, '/api/connections?protocol=smtp&limit=1000');
  expect(res.status).toBe(200);
  return res.body.connections;
}

async function transcriptAs(cookie: Cookie, id: string): Promise<{ status: number; messages: LabMessage[] }> {
  const res = await callAs<{ messages?: LabMessage[] }>(lab, cookie, `/api/connections/${id}?limit=2000`);
  return { status: res.status, messages: res.body.messages ?? [] };
}

/** The next external client connection to the SMTP tap, once it has closed (filed by then, whatever its path). */
const nextClosed = (client?: LineClient) => {
  const address = client ? `127.0.0.1:${client.socket.localPort}` : null;
  return nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.protocol === 'smtp' && !e.connection.label && (address === null || e.connection.client === address));
};

/** Sends one mail with nodemailer (STARTTLS when offered), with `auth` if given; resolves with the session's connection and the stored mail. */
async function send(mail: { to: string[]; subject: string }, auth?: { user: string; pass: string }) {
  const closed = nextClosed();
  const delivered = nextEvent(lab.daemon.bus, 'mail', (e) => e.mail.subject === mail.subject);
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, tls: { rejectUnauthorized: false }, ...(auth ? { auth } : {}) });
  try {
    const info = await transport.sendMail({ from: 'student@lab.test', to: mail.to, subject: mail.subject, text: `${mail.subject}\n` });
    expect(info.accepted).toEqual(mail.to);
  } finally {
    transport.close();
  }
  return { mail: (await delivered).mail, connection: (await closed).connection };
}

/** A raw session, greeted and EHLO'd (the server answers a client that talks before its 220 with 421). */
async function session(): Promise<LineClient> {
  const client = await LineClient.connect(port);
  await client.replyFrom(0);
  expect(await client.command('EHLO classroom.example')).toMatch(/^250 /m);
  return client;
}

/** Ends a raw session with a message (if a transaction is open) and QUIT; resolves with its filed connection. */
async function finish(client: LineClient, closed: ReturnType<typeof nextClosed>, subject?: string): Promise<ConnectionInfo> {
  if (subject !== undefined) {
    expect(await client.command('DATA')).toMatch(/^354 /);
    expect(await client.command(`Subject: ${subject}\r\n\r\nhello\r\n.`)).toMatch(/^250 /);
  }
  expect(await client.command('QUIT')).toMatch(/^221 /);
  return (await closed).connection;
}

describe('SMTP with two student sandboxes', () => {
  let aSession: ConnectionInfo;
  const aToken = () => plain(a.user, a.password);

  it("GET /api/lab names each browser's own mail domain and AUTH login in the SMTP recipes", async () => {
    const mine = (await a.call<{ smtp: SmtpInfo }>('/api/lab')).body.smtp;
    expect(mine.domains).toEqual([`${a.sandbox}.lab.test`, 'lab.test', 'localhost']);
    expect(mine.mailDomain).toBe(`${a.sandbox}.lab.test`);
    expect(mine.user).toBe(a.user);
    expect(mine.commands.swaks).toBe(`swaks --server 127.0.0.1:${port} --to alice@${a.sandbox}.lab.test`);
    expect(mine.commands.swaksAuth).toContain(`--auth-user ${a.user} --auth-password '${a.password}' --to alice@${a.sandbox}.lab.test`);
    const owner = (await callAs<{ smtp: SmtpInfo }>(lab, OWNER, '/api/lab')).body.smtp;
    expect(owner.domains).toEqual(['lab.test', 'localhost']);
    expect(owner.commands.swaksAuth).toContain(`--auth-user ${LAB_USER} --auth-password '${TEST_PASSWORD}' --to alice@lab.test`);
  });

  it("mail sent with A's AUTH lands in A's mailbox only, whatever lab address it names", async () => {
    const subject = 'with the login of A';
    const sent = await send({ to: ['alice@lab.test', `bob@${b.sandbox}.lab.test`], subject }, { user: a.user, pass: a.password });
    expect(sent.mail.sandbox).toBe(a.sandbox);
    expect(sent.mail.to).toEqual(['alice@lab.test', `bob@${b.sandbox}.lab.test`]);
    expect(sent.connection.sandbox).toBe(a.sandbox);
    expect(await subjectsOf(a.cookie)).toContain(subject);
    expect(await subjectsOf(b.cookie)).not.toContain(subject);
    expect(await subjectsOf(OWNER)).not.toContain(subject);
  });

  it("lists A's session (its AUTH in clear) for A's browser only", async () => {
    // Without TLS, so the AUTH line crosses the wire (and the tap) as typed.
    const client = await session();
    const closed = nextClosed(client);
    expect(await client.command(`AUTH PLAIN ${aToken()}`)).toMatch(/^235 /);
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /);
    expect(await client.command('RCPT TO:<alice@lab.test>')).toMatch(/^250 /);
    aSession = await finish(client, closed, 'raw AUTH of A');
    expect(aSession.sandbox).toBe(a.sandbox);
    expect((await mailboxOf(a.cookie)).find((m) => m.subject === 'raw AUTH of A')?.conn).toBe(aSession.id);

    expect((await listed(a.cookie)).map((c) => c.id)).toContain(aSession.id);
    expect((await listed(b.cookie)).map((c) => c.id)).not.toContain(aSession.id);
    expect((await listed(OWNER)).map((c) => c.id)).not.toContain(aSession.id);
    const mine = await transcriptAs(a.cookie, aSession.id);
    expect(mine.status).toBe(200);
    const auth = mine.messages.find((m) => m.view === 'wire' && m.text.startsWith('AUTH PLAIN'));
    expect(auth?.fields?.some((f) => f.value === a.user)).toBe(true);
    for (const cookie of [b.cookie, OWNER]) expect((await transcriptAs(cookie, aSession.id)).status).toBe(404);
  });

  it("mail to x@<B>.lab.test without AUTH lands in B's mailbox (any name: a sandbox's domain is a catch-all)", async () => {
    const subject = 'for B by its domain';
    const sent = await send({ to: [`x@${b.sandbox}.lab.test`, `alice@${b.sandbox}.lab.test`], subject });
    expect(sent.mail.sandbox).toBe(b.sandbox);
    expect(sent.mail.to).toEqual([`x@${b.sandbox}.lab.test`, `alice@${b.sandbox}.lab.test`]);
    expect(sent.connection.sandbox).toBe(b.sandbox);
    expect(await subjectsOf(b.cookie)).toContain(subject);
    expect(await subjectsOf(a.cookie)).not.toContain(subject);
    expect(await subjectsOf(OWNER)).not.toContain(subject);
    expect((await listed(b.cookie)).map((c) => c.id)).toContain(sent.connection.id);
  });

  it('mail to bob@lab.test without AUTH lands in the default sandbox', async () => {
    const subject = 'for the lab domain';
    const sent = await send({ to: ['bob@lab.test'], subject });
    expect(sent.mail.sandbox).toBe('local');
    expect(sent.connection.sandbox).toBe('local');
    expect(await subjectsOf(OWNER)).toContain(subject);
    expect(await subjectsOf(a.cookie)).not.toContain(subject);
    expect(await subjectsOf(b.cookie)).not.toContain(subject);
  });

  it("stores no line of A's session in B's or the default sandbox's transcripts", async () => {
    // Every stored message of B's and the default sandbox's: none is A's, names A's login or carries its token.
    for (const cookie of [b.cookie, OWNER]) {
      const connections = await listed(cookie);
      expect(connections.length).toBeGreaterThan(0);
      for (const connection of connections) {
        const { status, messages } = await transcriptAs(cookie, connection.id);
        expect(status).toBe(200);
        for (const message of messages) {
          const said = [message.text, ...(message.fields ?? []).map((f) => f.value)].join('\n');
          expect(message.conn).not.toBe(aSession.id);
          expect(said).not.toContain(a.sandbox);
          expect(said).not.toContain(aToken());
        }
      }
    }
  });

  it("refuses A's login on a session a recipient filed in B, and any recipient of another sandbox there", async () => {
    const client = await session();
    const closed = nextClosed(client);
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /);
    // The domain in any case: DNS names are case-insensitive.
    expect(await client.command(`RCPT TO:<Alice@${b.sandbox.toUpperCase()}.Lab.Test>`)).toMatch(/^250 /);
    expect(await client.command(`AUTH PLAIN ${aToken()}`)).toMatch(/^535 5\.7\.8 .*already belongs to another sandbox/);
    expect(await client.command(`RCPT TO:<bob@${a.sandbox}.lab.test>`)).toMatch(/^550 5\.7\.1 .*one sandbox per session/);
    // A plain lab address means the session's own sandbox; the lab's own login is let in and changes nothing.
    expect(await client.command('RCPT TO:<bob@localhost>')).toMatch(/^250 /);
    expect(await client.command(`AUTH PLAIN ${plain(LAB_USER, TEST_PASSWORD)}`)).toMatch(/^235 /);
    const connection = await finish(client, closed, 'filed in B before AUTH');
    expect(connection.sandbox).toBe(b.sandbox);
    const stored = (await mailboxOf(b.cookie)).find((m) => m.subject === 'filed in B before AUTH');
    expect(stored?.to).toEqual([`alice@${b.sandbox}.lab.test`, 'bob@lab.test']);
    expect(await subjectsOf(a.cookie)).not.toContain('filed in B before AUTH');
  });

  it('answers a wrong password 535 5.7.8 and files nothing by it', async () => {
    const client = await session();
    const closed = nextClosed(client);
    expect(await client.command(`AUTH PLAIN ${plain(a.user, `${a.password}-wrong`)}`)).toMatch(/^535 5\.7\.8 Authentication credentials invalid\r\n$/);
    expect(await client.command(`AUTH PLAIN ${plain('nobody', a.password)}`)).toMatch(/^535 5\.7\.8 Authentication credentials invalid\r\n$/);
    const connection = await finish(client, closed);
    expect(connection.sandbox).toBe('local');
  });

  it('refuses an unknown sandbox domain 550 5.1.2 and another domain as relaying, as before', async () => {
    const client = await session();
    const closed = nextClosed(client);
    expect(await client.command('MAIL FROM:<student@lab.test>')).toMatch(/^250 /);
    // RFC 3463 §3.2: X.1.2 "Bad destination system address", the part right of the "@"; X.1.1 is a bad mailbox.
    expect(await client.command('RCPT TO:<alice@zzzzzz.lab.test>')).toMatch(/^550 5\.1\.2 .*no such sandbox/);
    // The default sandbox's domain is lab.test: its id names no sandbox domain.
    expect(await client.command('RCPT TO:<alice@local.lab.test>')).toMatch(/^550 5\.1\.2 .*no such sandbox/);
    expect(await client.command('RCPT TO:<alice@example.com>')).toMatch(/^550 5\.7\.1 .*relaying denied/);
    expect(await client.command('RCPT TO:<nobody@lab.test>')).toMatch(/^550 5\.1\.1 .*no such mailbox/);
    const connection = await finish(client, closed);
    expect(connection.sandbox).toBe('local');
  });

  it('files a connection that closes without RCPT or AUTH in the default sandbox', async () => {
    const client = await session();
    const closed = nextClosed(client);
    expect(await client.command('NOOP')).toMatch(/^250 /);
    const connection = await finish(client, closed);
    expect(connection.sandbox).toBe('local');
    expect((await listed(OWNER)).map((c) => c.id)).toContain(connection.id);
    for (const cookie of [a.cookie, b.cookie]) expect((await listed(cookie)).map((c) => c.id)).not.toContain(connection.id);
  });
});
