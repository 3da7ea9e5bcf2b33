// Another protocol's client pointed at the SMTP port: the bytes are what curl, ssh, swaks and lftp sent to
// the lab's SMTP port (the replies are the lab's smtp-server's).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../types.ts';
import { OPENSSL_CLIENT_HELLO as CLIENT_HELLO } from '../kit/other-client.fixtures.ts';
import { createSmtpDissector, finish, initialSmtpState, reduce, type SmtpState } from './dissector.ts';
import { GREET, HELLO, dissect, expectCovered, expectProse, raw, type Step } from './test-helpers.ts';

const TOO_SOON: Step = ['server', '421 mail.lab.test You talk too soon\r\n'];
const GREETING: Step = ['server', '220 mail.lab.test ESMTP Protocol Lab\r\n'];

const keysOf = (messages: DissectedMessage[], dir: 'client' | 'server') => messages.filter((m) => m.dir === dir).map((m) => m.annotation?.key);

/** Dissects the steps and checks what every test of a whole connection must hold. */
function connection(steps: Step[]): DissectedMessage[] {
  const messages = dissect(steps);
  expectCovered(steps, messages);
  expectProse(messages);
  return messages;
}

describe('curl pointed at the SMTP port', () => {
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:2525\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n';

  it('names the HTTP request line, calls its header lines more of it, and explains the 421', () => {
    const messages = connection([['client', request], TOO_SOON]);
    expect(keysOf(messages, 'client')).toEqual(['smtp.other.http', ...Array<string>(4).fill('smtp.other.http-more')]);
    expect(messages[0]).toMatchObject({ text: 'GET / HTTP/1.1', annotation: { level: 'warn', ref: 'RFC 9112 §3; RFC 5321 §4.3.1, §7.8' } });
    expect(messages[0]?.annotation?.explain).toMatch(/cross-protocol/);
    expect(keysOf(messages, 'server')).toEqual(['smtp.reply.421.early']);
  });

  it('goes back to SMTP after the empty line that ends the request (after the greeting)', () => {
    const messages = connection([GREETING, ['client', `${request}NOOP\r\n`]]);
    expect(keysOf(messages, 'client')).toEqual(['smtp.other.http', ...Array<string>(4).fill('smtp.other.http-more'), 'smtp.cmd.NOOP']);
  });
});

describe('ssh pointed at the SMTP port', () => {
  it('names the SSH version line it sent without waiting', () => {
    const messages = connection([['client', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n'], TOO_SOON]);
    expect(messages.map((m) => m.annotation?.key)).toEqual(['smtp.other.ssh', 'smtp.reply.421.early']);
    expect(messages[0]?.annotation).toMatchObject({ level: 'warn', ref: 'RFC 4253 §4.2; RFC 5321 §4.3.1' });
    expect(messages[0]?.annotation?.explain).toContain('kex_exchange_identification');
  });
});

describe('an implicit-TLS client (swaks --tls-on-connect) at the SMTP port', () => {
  const one = (messages: DissectedMessage[]) => messages.filter((m) => m.dir === 'client');

  it('shows the ClientHello as one message, not as lines cut at its 0x0a bytes', () => {
    expect(CLIENT_HELLO.filter((b) => b === 0x0a)).toHaveLength(4);
    const messages = connection([['client', CLIENT_HELLO], TOO_SOON]);
    expect(one(messages)).toEqual([
      expect.objectContaining({ kind: 'tls-hello', text: '<TLS ClientHello, 325 bytes, sent as an SMTP command>', bytes: 325, phase: 'tls', annotation: expect.objectContaining({ key: 'smtp.tls.unexpected' }) }),
    ]);
    expect(one(messages)[0]?.fields).toEqual([{ name: 'first bytes', value: '16 03 01 01 40 01 00 01' }, { name: 'length', value: '320' }]);
    expect(keysOf(messages, 'server')).toEqual(['smtp.reply.421.early']);
  });

  it('holds the record however it is split, and reads a command after it', () => {
    const whole = connection([GREETING, ['client', CLIENT_HELLO], ['client', 'QUIT\r\n']]);
    expect(whole.map((m) => m.kind)).toEqual(['reply', 'tls-hello', 'command']);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 330 }), { minLength: 1, maxLength: 8 }), (cuts) => {
        const bytes = Uint8Array.from([...CLIENT_HELLO, ...raw('QUIT\r\n')]);
        const steps: Step[] = [GREETING];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length] ?? 1;
          steps.push(['client', bytes.subarray(at, at + n)]);
          at += n;
        }
        expect(dissect(steps)).toEqual(whole);
      }),
    );
  });

  it('shows a record cut short by the end of the connection, covering its bytes', () => {
    for (const n of [1, 2, 4, 200]) {
      const steps: Step[] = [['client', CLIENT_HELLO.subarray(0, n)]];
      const messages = connection(steps);
      expect(messages).toHaveLength(1);
      if (n === 200) expect(messages[0]).toMatchObject({ kind: 'tls-hello', text: '<TLS ClientHello, 200 of 325 bytes (cut short), sent as an SMTP command>' });
    }
  });

  it('keeps reduce pure while a record is held', () => {
    let state: SmtpState = initialSmtpState();
    for (const part of [CLIENT_HELLO.subarray(0, 100), CLIENT_HELLO.subarray(100, 101), CLIENT_HELLO.subarray(101)]) {
      const before = structuredClone(state);
      const step = reduce(state, 'client', part);
      expect(state).toEqual(before);
      state = step.state;
    }
    expect(finish(state).messages).toEqual([]);
    expect(state.tlsHold).toHaveLength(0);
  });

  it('counts a record held across STARTTLS\'s 220 as plaintext sent before it', () => {
    const steps: Step[] = [...HELLO, ['client', Uint8Array.from([...raw('STARTTLS\r\n'), ...CLIENT_HELLO.subarray(0, 100)])], ['server', '220 Ready to start TLS\r\n'], ['client', CLIENT_HELLO.subarray(100)]];
    const messages = connection(steps);
    expect(messages.find((m) => m.annotation?.key === 'smtp.starttls.injection')).toMatchObject({ bytes: 100 });
  });
});

describe('lftp pointed at the SMTP port', () => {
  it('names FEAT as an FTP client\'s first command and AUTH TLS as FTP\'s, not a SASL login', () => {
    const messages = connection([
      GREETING,
      ['client', 'FEAT\r\n'],
      ['server', '500 5.5.2 Error: command not recognized\r\n'],
      ['client', 'AUTH TLS\r\n'],
      ['server', '503 5.5.1 Error: send HELO/EHLO first\r\n'],
      ['client', 'USER student\r\n'],
      ['server', '500 5.5.2 Error: command not recognized\r\n'],
      ['client', 'QUIT\r\n'],
      ['server', '221 2.0.0 Bye\r\n'],
    ]);
    // Only the first command names the client: USER later is just a command SMTP does not know.
    expect(keysOf(messages, 'client')).toEqual(['smtp.other.ftp', 'smtp.cmd.auth-tls', 'smtp.cmd.unknown', 'smtp.cmd.QUIT']);
    expect(messages[1]?.annotation).toMatchObject({ level: 'warn', ref: 'RFC 959 §4.1; RFC 5321 §4.2.4' });
    expect(messages.find((m) => m.text === 'AUTH TLS')?.annotation).toMatchObject({ level: 'warn', ref: 'RFC 4217 §4; RFC 4954 §4; RFC 3207 §4' });
  });

  it('explains AUTH TLS and AUTH SSL wherever they come, and AUTH PLAIN still as a cleartext login', () => {
    const after = (line: string) => dissect([...HELLO, ['client', line]]).at(-1)?.annotation?.key;
    expect(after('AUTH TLS\r\n')).toBe('smtp.cmd.auth-tls');
    expect(after('auth ssl\r\n')).toBe('smtp.cmd.auth-tls');
    expect(after(`AUTH PLAIN ${btoa('\0a\0b')}\r\n`)).toBe('smtp.auth.cleartext');
  });
});

describe('which first commands name another client', () => {
  const first = (line: string, prefix: Step[] = GREET) => dissect([...prefix, ['client', line]]).at(-1)?.annotation?.key;

  it('leaves SMTP\'s own openings and every later line to SMTP', () => {
    expect(first('PASV\r\n')).toBe('smtp.other.ftp');
    expect(first('EHLO client.local\r\n')).toBe('smtp.cmd.EHLO');
    expect(first('QUIT\r\n')).toBe('smtp.cmd.QUIT');
    expect(first('NOOP\r\n')).toBe('smtp.cmd.NOOP');
    // An HTTP request line is refused (421) wherever it comes, so it is named wherever it comes.
    expect(first('GET / HTTP/1.1\r\n', HELLO)).toBe('smtp.other.http');
    expect(first('GET /index.html\r\n', HELLO)).toBe('smtp.cmd.unknown');
    expect(first('SSH-2.0-OpenSSH_9.2p1\r\n', HELLO)).toBe('smtp.cmd.unknown');
  });

  it('asks no question in the endpoint view, which starts after STARTTLS', () => {
    const d = createSmtpDissector({ afterStartTls: true });
    expect(d.push('client', raw('FEAT\r\n'))[0]?.annotation?.key).toBe('smtp.cmd.unknown');
    expect(createSmtpDissector().push('client', raw('FEAT\r\n'))[0]?.annotation?.key).toBe('smtp.other.ftp');
  });
});
