/**
 * A command line longer than the server's buffer (smtp-server's limit, 16 KiB) fails its command, not the
 * session: "500 Line too long" (RFC 5321 §4.5.3.1.9). In an authentication exchange RFC 4954 §4 says the
 * server "fails the AUTH command with the 500 reply" and enhanced code 5.5.6 (§6), and nothing more, so the
 * session goes on (§4 calls 12288 octets enough for an AUTH line). Python's smtplib sends the response after
 * a 334, swaks as AUTH PLAIN's initial response.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TEST_PASSWORD } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { tool } from '../helpers/tools.ts';
import { smtpLabForFile } from './smtp-helpers.ts';

const smtp = smtpLabForFile();

/** Runs a client; resolves with its exit code and everything it printed. */
function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
  });
}

/** The transcript of the next SMTP connection to close, once `client` is done. */
async function transcriptOf(client: () => Promise<{ code: number; out: string }>): Promise<{ code: number; out: string; messages: LabMessage[] }> {
  const closed = nextEvent(smtp.lab.daemon.bus, 'connection.close');
  const result = await client();
  const { connection } = await closed;
  return { ...result, messages: (await smtp.lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`)).messages };
}

const TOO_LONG = '500 5.5.6 Authentication Exchange line is too long';

function expectExplained(messages: LabMessage[]): void {
  const reply = messages.find((m) => m.dir === 'server' && m.text === TOO_LONG);
  expect(reply?.annotation).toMatchObject({ key: 'smtp.reply.500.auth-too-long', ref: 'RFC 4954 §4, §6', level: 'error' });
  expect(reply?.annotation?.explain).toMatch(/stays open/);
  const line = messages.find((m) => m.dir === 'client' && m.kind === 'overlong' && m.annotation);
  expect(line?.annotation).toMatchObject({ key: 'smtp.overlong.auth', ref: 'RFC 4954 §4' });
  // The line carries the credentials: masked, as every AUTH response is.
  expect(messages.some((m) => m.text.includes('xxxx') || m.text.includes('eHh4'))).toBe(false);
}

describe('an AUTH line over the server\'s limit (RFC 4954 §4)', () => {
  it('smtplib: a SASL response after 334 gets 500 5.5.6, and the same session then logs in and quits', async () => {
    const script = `
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), local_hostname='client.test')
s.ehlo()
try:
    s.auth('PLAIN', lambda challenge=None: '\\0student\\0' + 'x' * 20000, initial_response_ok=False)
    print('accepted?!')
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code, e.smtp_error.decode())
print(s.noop())
print(s.login('student', sys.argv[2]))
print(s.quit())
`;
    // It was "421 4.4.2 Error: Command line too long", and the connection closed.
    const { code, out, messages } = await transcriptOf(() => run(tool('python3'), ['-c', script, String(smtp.port), TEST_PASSWORD]));
    expect(out).toBe(`${TOO_LONG}\n(250, b'2.0.0 OK')\n(235, b'2.7.0 Authentication successful')\n(221, b'2.0.0 Bye')\n`);
    expect(code).toBe(0);
    expectExplained(messages);
  });

  it('swaks: an initial response on the AUTH line gets 500 5.5.6, and swaks still quits with 221', async () => {
    const { out, messages } = await transcriptOf(() =>
      run(tool('swaks'), ['--server', `127.0.0.1:${smtp.port}`, '--auth', 'PLAIN', '--auth-user', 'student', '--auth-password', 'x'.repeat(20_000), '--quit-after', 'AUTH']),
    );
    expect(out).toContain(`<** ${TOO_LONG}`);
    expect(out).toMatch(/<- {2}221 /);
    expectExplained(messages);
  });

  it('swaks --tls: the same answer inside TLS (the parser made after STARTTLS is guarded too)', async () => {
    const { out } = await run(tool('swaks'), ['--server', `127.0.0.1:${smtp.port}`, '--tls', '--auth', 'PLAIN', '--auth-user', 'student', '--auth-password', 'x'.repeat(20_000), '--quit-after', 'AUTH']);
    expect(out).toMatch(/<- {2}220 .*Ready to start TLS/);
    expect(out).toContain(`<~* ${TOO_LONG}`);
    expect(out).toMatch(/<~ {2}221 /);
  });

  it('a line cut into many pieces, with commands after it in the same write: refused once, and the rest is read', async () => {
    const client = await LineClient.connect(smtp.port);
    await client.replyFrom(0);
    await client.command('EHLO pieces.test');
    expect(await client.command('AUTH LOGIN')).toMatch(/^334 /);
    const start = client.received.length;
    for (let i = 0; i < 40; i++) client.write('QUFB'.repeat(250));
    client.write('\r\nNOOP\r\n');
    expect(await client.replyFrom(start)).toBe(`${TOO_LONG}\r\n`);
    expect(await client.waitFor(/^\d{3} .*\r\n/m)).toMatch(/^250 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('any other command line over the limit gets 500 Line too long (RFC 5321 §4.5.3.1.9), and the session goes on', async () => {
    const client = await LineClient.connect(smtp.port);
    await client.replyFrom(0);
    await client.command('EHLO long.test');
    // It was "421 4.4.2 Error: Command line too long", and the connection closed.
    expect(await client.command(`MAIL FROM:<${'a'.repeat(20_000)}@lab.test>`)).toBe('500 5.5.2 Line too long\r\n');
    expect(await client.command('NOOP')).toMatch(/^250 /);
    expect(await client.command('QUIT')).toMatch(/^221 /);
  });

  it('an AUTH line that never ends is drained only up to 1 MiB, then the session ends with 421 as the library ends it', async () => {
    const client = await LineClient.connect(smtp.port);
    await client.replyFrom(0);
    await client.command('EHLO endless.test');
    const start = client.received.length;
    client.write(`AUTH PLAIN ${'QUFB'.repeat(600 * 1024)}`);
    expect(await client.replyFrom(start)).toMatch(/^421 4\.4\.2 .*Command line too long\r\n$/);
    await client.whenClosed();
  });
});
