import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLabCertificate } from '../../lib/tls/certificate.ts';
import { LineClient } from '../../tests/helpers/line-client.ts';
import { start, type RunningSmtpServer } from './index.ts';

// The lab's extensions must reach the lab's own server only (issue 9 #6): a second, plain
// smtp-server in the same process keeps the library's VRFY (252 stub), has no EXPN, and words
// hook errors the library's way. Pins smtp-server 3.21.x's dispatch on connection instances.
const prototypeBefore = new Map(
  (['send', '_getHandler', '_sendGreeting', '_onTimeout', 'handler_HELO', 'handler_EHLO', 'handler_VRFY'] as const).map((name) => [
    name,
    SMTPConnection.prototype[name],
  ]),
);

/** A plain smtp-server, started the way other code in the process would start one. */
async function startPlain(): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: false,
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error('5.7.1 relaying denied'), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let plainBefore: Awaited<ReturnType<typeof startPlain>>;
let lab: RunningSmtpServer;
let plainAfter: Awaited<ReturnType<typeof startPlain>>;

beforeAll(async () => {
  plainBefore = await startPlain();
  lab = await start({
    host: '127.0.0.1',
    port: 0,
    hostname: 'lab.test',
    tls: await generateLabCertificate(),
    maxSize: 64 * 1024,
    credentials: { user: 'student', password: 'secret' },
    deliver: async () => {},
  });
  plainAfter = await startPlain();
});
afterAll(async () => {
  // A client a failed test left open would hold smtp-server's close for its 30 s grace.
  for (const client of clients) client.socket.destroy();
  await Promise.all([plainBefore?.stop(), lab?.stop(), plainAfter?.stop()]);
});

const clients: LineClient[] = [];

async function greeted(port: number): Promise<LineClient> {
  const client = await LineClient.connect(port);
  clients.push(client);
  await client.replyFrom(0);
  expect(await client.command('EHLO client.example')).toMatch(/^250 /m);
  return client;
}

describe('SMTP connection extensions', () => {
  it('answers VRFY and EXPN from the lab directory on the lab server', async () => {
    const client = await greeted(lab.ports.smtp);
    expect(await client.command('VRFY alice')).toBe('250 2.1.5 Alice Example <alice@lab.test>\r\n');
    expect(await client.command('VRFY')).toBe('501 5.5.4 Error: Syntax: VRFY <address>\r\n');
    expect(await client.command('EXPN')).toBe('501 5.5.4 Error: Syntax: EXPN <address>\r\n');
    expect(await client.command('EXPN class')).toBe(
      '250-2.1.5 Student <student@lab.test>\r\n250-2.1.5 Alice Example <alice@lab.test>\r\n' +
        '250-2.1.5 Bob Example <bob@lab.test>\r\n250 2.1.5 Teacher <teacher@lab.test>\r\n',
    );
    expect(await client.command('EXPN nolist')).toMatch(/^550 5\.1\.1 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it.each([
    ['started before the lab server', () => plainBefore.port],
    ['started after the lab server', () => plainAfter.port],
  ])('leaves a plain smtp-server %s with the library\'s VRFY, no EXPN and its own reply words', async (_when, port) => {
    const client = await greeted(port());
    // Made a connection on the lab server too, so its extension has run in this process.
    const labClient = await greeted(lab.ports.smtp);
    expect(await labClient.command('EXPN class')).toMatch(/^250 /m);
    expect(await client.command('VRFY alice')).toMatch(/^252 2\.\d\.\d Try to send something/);
    expect(await client.command('EXPN class')).toMatch(/^500 5\.\d\.\d Error: command not recognized\r\n$/);
    await client.command('MAIL FROM:<a@client.example>');
    // The lab lets a hook's own enhanced code stand; the library prepends its own.
    expect(await client.command('RCPT TO:<b@elsewhere.example>')).toMatch(/^550 \d\.\d\.\d+ 5\.7\.1 relaying denied\r\n$/);
    expect(await client.command('QUIT')).toMatch(/^221 /);
    expect(await labClient.command('QUIT')).toMatch(/^221 /);
  });

  it('leaves SMTPConnection.prototype as the library made it', () => {
    for (const [name, method] of prototypeBefore) expect(SMTPConnection.prototype[name], name).toBe(method);
    expect(Object.hasOwn(SMTPConnection.prototype, 'handler_EXPN')).toBe(false);
  });
});
