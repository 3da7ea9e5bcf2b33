// Another protocol's client pointed at the FTP port: the bytes are what curl, ssh and swaks sent to the
// lab's FTP port (the replies are the lab's ftp-srv's).
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { OPENSSL_CLIENT_HELLO as CLIENT_HELLO } from '../kit/other-client.fixtures.ts';
import { createFtpDissector } from './dissector.ts';

type Step = [StreamDir, string | Uint8Array];
const bytesOf = (x: string | Uint8Array) => (typeof x === 'string' ? new TextEncoder().encode(x) : x);

/** Feeds the steps, ends the connection, and checks that every byte is in exactly one message. */
function connection(steps: Step[], endpoint = false): DissectedMessage[] {
  const d = createFtpDissector({ endpoint });
  const messages = [...steps.flatMap(([dir, x]) => d.push(dir, bytesOf(x))), ...d.end()];
  for (const dir of ['client', 'server'] as const) {
    const sent = steps.filter(([s]) => s === dir).reduce((n, [, x]) => n + bytesOf(x).length, 0);
    expect(messages.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0), dir).toBe(sent);
  }
  for (const m of messages) if (m.annotation) expect(m.annotation.title, m.annotation.key).not.toBe(m.annotation.key);
  return messages;
}
const clientKeys = (messages: DissectedMessage[]) => messages.filter((m) => m.dir === 'client').map((m) => m.annotation?.key);

const GREETING: Step = ['server', '220-Protocol Lab FTP\r\n220 Ready\r\n'];

describe('another protocol\'s client pointed at the FTP port', () => {
  it('curl: names the HTTP request line and calls its header lines more of it, up to the empty line', () => {
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:2121\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n';
    const messages = connection([GREETING, ['client', request], ['server', '502 Command not allowed: GET\r\n502 Command not allowed: HOST:\r\n'], ['client', 'QUIT\r\n']]);
    expect(clientKeys(messages)).toEqual(['ftp.other.http', ...Array<string>(4).fill('ftp.other.http-more'), 'ftp.cmd.QUIT']);
    expect(messages.find((m) => m.text === 'GET / HTTP/1.1')?.annotation).toMatchObject({ level: 'warn', ref: 'RFC 9112 §3; RFC 959 §4.2.1' });
  });

  it('ssh: names the version line it sent before the greeting', () => {
    const messages = connection([['client', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n'], GREETING, ['server', '502 Command not allowed: SSH-2.0-OPENSSH_9.2P1\r\n']]);
    expect(messages[0]).toMatchObject({ dir: 'client', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6', annotation: { key: 'ftp.other.ssh', level: 'warn', ref: 'RFC 4253 §4.2; RFC 959 §5.4' } });
    expect(messages[0]?.annotation?.explain).toContain('banner exchange');
    expect(messages.filter((m) => m.dir === 'server').map((m) => m.annotation?.key)).toEqual(['ftp.reply.220.greeting', undefined, 'ftp.reply.502']);
  });

  it('swaks: names EHLO after the FTP greeting, and only the first command', () => {
    const messages = connection([GREETING, ['client', 'EHLO lab.test\r\n'], ['server', '502 Command not allowed: EHLO\r\n'], ['client', 'HELO lab.test\r\n'], ['server', '502 Command not allowed: HELO\r\n'], ['client', 'QUIT\r\n']]);
    expect(clientKeys(messages)).toEqual(['ftp.other.smtp', 'ftp.cmd.unknown', 'ftp.cmd.QUIT']);
    expect(messages[2]?.annotation?.ref).toBe('RFC 5321 §4.1.1.1; RFC 959 §5.4');
  });

  it('leaves FTP\'s own openings (and those FTP shares with SMTP) to FTP, and asks nothing in the endpoint view', () => {
    const first = (line: string, endpoint = false) => clientKeys(connection([GREETING, ['client', line]], endpoint))[0];
    expect(first('EHLO lab.test\r\n')).toBe('ftp.other.smtp');
    expect(first('EHLO lab.test\r\n', true)).toBe('ftp.cmd.unknown');
    expect(first('USER student\r\n')).toBe('ftp.cmd.USER');
    expect(first('FEAT\r\n')).toBe('ftp.cmd.FEAT');
    expect(first('QUIT\r\n')).toBe('ftp.cmd.QUIT');
    expect(first('NOOP\r\n')).toBe('ftp.cmd.NOOP');
  });

  it('an implicit-TLS client: one message for the ClientHello, also when the connection ends inside it', () => {
    const whole = connection([GREETING, ['client', CLIENT_HELLO]]);
    expect(whole.filter((m) => m.dir === 'client')).toEqual([
      expect.objectContaining({ kind: 'tls-hello', bytes: 325, text: '<TLS ClientHello, 325 bytes, sent as an FTP command>', annotation: expect.objectContaining({ key: 'ftp.cmd.tls-without-auth' }) }),
    ]);
    const cut = connection([GREETING, ['client', CLIENT_HELLO.subarray(0, 200)]]);
    expect(cut.filter((m) => m.dir === 'client')).toEqual([expect.objectContaining({ kind: 'tls-hello', bytes: 200, text: '<TLS ClientHello, 200 of 325 bytes (cut short), sent as an FTP command>' })]);
  });
});
