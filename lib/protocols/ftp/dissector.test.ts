import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createFtpDissector } from './dissector.ts';
import { FTP_COMMANDS } from './commands.ts';
import { FTP_CONTEXT_REPLIES, FTP_REPLY_CODES, lookupFtpReply } from './replies.ts';
import { FTP_TEXT } from './text.en.ts';
import { createFtpDataDissector } from './data-summary.ts';

const enc = (s: string) => new TextEncoder().encode(s);
type Step = [StreamDir, string];

function run(steps: Step[]): DissectedMessage[] {
  const d = createFtpDissector();
  return [...steps.flatMap(([dir, raw]) => d.push(dir, enc(raw))), ...d.end()];
}

const SESSION: Step[] = [
  ['server', '220-Protocol Lab FTP\r\n220 Ready\r\n'],
  ['client', 'USER student\r\n'],
  ['server', '331 Password required\r\n'],
  ['client', 'PASS secret\r\n'],
  ['server', '230 Logged in\r\n'],
  ['client', 'FEAT\r\n'],
  ['server', '211-Extensions supported\r\n AUTH TLS\r\n PBSZ\r\n211 End\r\n'],
  ['client', 'PASV\r\n'],
  ['server', '227 PASV OK (127,0,0,1,117,48)\r\n'],
  ['client', 'EPSV\r\n'],
  ['server', '229 EPSV OK (|||30001|)\r\n'],
  ['client', 'PORT 127,0,0,1,4,1\r\n'],
  ['server', '500 The given address is not yours\r\n'],
  ['client', 'EPRT |1|127.0.0.1|5282|\r\n'],
  ['server', '200 OK\r\n'],
  ['client', 'RETR a.txt\r\n'],
  ['server', '150 Opening\r\n'],
  ['server', '226 Done\r\n'],
  ['client', 'QUIT\r\n'],
  ['server', '221 Bye\r\n'],
];

describe('FTP tables', () => {
  it('has prose for every command, reply, context row and class fallback', () => {
    const keys = [
      ...Object.values(FTP_COMMANDS).map((r) => r.key),
      ...Object.values(FTP_REPLY_CODES).map((r) => r.key),
      ...FTP_CONTEXT_REPLIES.map((r) => r.key),
      ...[1, 2, 3, 4, 5].map((k) => `ftp.reply.${k}xx`),
    ];
    for (const key of keys) expect(FTP_TEXT[key]?.explain, key).toBeTruthy();
  });

  it.each([
    [220, 'CONNECT', 'ftp.reply.220.greeting'],
    [500, 'PORT', 'ftp.reply.500.bounce'],
    [425, 'RETR', 'ftp.reply.425'],
    [599, 'NOOP', 'ftp.reply.5xx'],
    [999, 'NOOP', 'ftp.reply.unknown'],
  ])('explains %i after %s as %s', (code, after, key) => {
    expect(lookupFtpReply(code, after).key).toBe(key);
  });
});

describe('FTP control dissector', () => {
  const messages = run(SESSION);
  const byText = (prefix: string) => messages.find((m) => m.text.startsWith(prefix));

  it.each([
    ['220', 'ftp.reply.220.greeting'],
    ['USER student', 'ftp.cmd.USER'],
    ['331', 'ftp.reply.331'],
    ['230', 'ftp.reply.230.login'],
    ['227', 'ftp.reply.227'],
    ['229', 'ftp.reply.229'],
    ['500', 'ftp.reply.500.bounce'],
    ['150', 'ftp.reply.150'],
    ['226', 'ftp.reply.226'],
    ['221', 'ftp.reply.221'],
  ])('annotates %s as %s', (prefix, key) => {
    const annotated = messages.filter((x) => x.text.startsWith(prefix) && x.annotation).at(-1);
    expect(annotated?.annotation?.key).toBe(key);
  });

  it('masks PASS and warns that it crossed in cleartext', () => {
    const pass = byText('PASS');
    expect(pass?.text).toBe('PASS ********');
    expect(JSON.stringify(messages)).not.toContain('secret');
    expect(pass?.annotation?.level).toBe('warn');
  });

  it('decodes 227 to address and port = p1×256+p2', () => {
    const fields = byText('227')?.fields ?? [];
    expect(fields).toContainEqual({ name: 'address', value: '127.0.0.1' });
    expect(fields).toContainEqual({ name: 'port', value: '30000', note: 'p1×256+p2 = 117×256+48' });
  });

  it('decodes 229, PORT and EPRT', () => {
    expect(byText('229')?.fields).toContainEqual(expect.objectContaining({ name: 'port', value: '30001' }));
    expect(byText('PORT')?.fields).toContainEqual(expect.objectContaining({ name: 'port', value: '1025' }));
    expect(byText('EPRT')?.fields).toContainEqual({ name: 'port', value: '5282' });
  });

  it('keeps multi-line replies together until "211 End"', () => {
    const kinds = messages.filter((m) => m.text.startsWith('211') || m.text.startsWith(' ')).map((m) => m.kind);
    expect(kinds).toEqual(['reply', 'reply-continued', 'reply-continued', 'reply-end']);
    expect(byText('227')?.annotation?.key).toBe('ftp.reply.227');
  });

  it('switches both directions to TLS records after AUTH TLS and 234', () => {
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00]);
    const d = createFtpDissector();
    const out = [
      ...d.push('server', enc('220 Ready\r\n')),
      ...d.push('client', enc('AUTH TLS\r\n')),
      ...d.push('server', enc('234 Go ahead\r\n')),
      ...d.push('client', hello),
    ];
    expect(out.find((m) => m.text.startsWith('234'))?.annotation?.key).toBe('ftp.reply.234');
    expect(out.some((m) => m.kind === 'note')).toBe(true);
    expect(out.at(-1)).toMatchObject({ kind: 'tls-record', dir: 'client', bytes: 9 });
    expect(out.at(-1)?.text).toContain('ClientHello');
  });

  it('does not switch to TLS when AUTH is refused', () => {
    const out = run([['client', 'AUTH TLS\r\n'], ['server', '502 no\r\n'], ['client', 'USER x\r\n']]);
    expect(out.at(-1)?.kind).toBe('command');
  });

  it('escapes control characters a client sends', () => {
    const out = run([['client', 'NOOP \x1bP$q\x1b\\\r\n']]);
    expect(out[0].text).not.toContain('\x1b');
  });

  const stepArb = fc.array(fc.tuple(fc.constantFrom<StreamDir>('client', 'server'), fc.uint8Array({ maxLength: 300 })), { maxLength: 30 });

  it('never throws and covers every byte exactly once, for any input', () => {
    fc.assert(
      fc.property(stepArb, (steps) => {
        const d = createFtpDissector();
        const out = [...steps.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()];
        for (const dir of ['client', 'server'] as const) {
          const sent = steps.filter(([s]) => s === dir).reduce((n, [, b]) => n + b.length, 0);
          expect(out.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0)).toBe(sent);
        }
      }),
    );
  });

  it('frames the same messages however the stream is split', () => {
    const whole = run(SESSION).map((m) => [m.dir, m.text, m.bytes]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), (cuts) => {
        const d = createFtpDissector();
        const out: DissectedMessage[] = [];
        for (const [dir, raw] of SESSION) {
          const bytes = enc(raw);
          let pos = 0;
          let i = 0;
          while (pos < bytes.length) {
            const n = cuts[i++ % cuts.length];
            out.push(...d.push(dir, bytes.subarray(pos, pos + n)));
            pos += n;
          }
        }
        out.push(...d.end());
        expect(out.map((m) => [m.dir, m.text, m.bytes])).toEqual(whole);
      }),
    );
  });
});

describe('FTP data summariser', () => {
  it('shows the first plain bytes and summarises the rest', () => {
    const d = createFtpDataDissector({ tls: false });
    const out = [...d.push('server', Buffer.alloc(100_000, 0x61)), ...d.end()];
    expect(out[0]).toMatchObject({ kind: 'data', bytes: 256 });
    expect(out[1]).toMatchObject({ kind: 'data-summary', bytes: 100_000 - 256 });
  });

  it('lists the first TLS records and counts the rest', () => {
    const record = Buffer.from([0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb]);
    const d = createFtpDataDissector({ tls: true });
    const out = [...d.push('server', Buffer.concat(Array.from({ length: 20 }, () => record))), ...d.end()];
    expect(out.filter((m) => m.kind === 'tls-record')).toHaveLength(8);
    expect(out.at(-1)?.text).toContain('12 more TLS records');
  });

  it('covers every byte and never throws', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(fc.tuple(fc.constantFrom<StreamDir>('client', 'server'), fc.uint8Array({ maxLength: 600 })), { maxLength: 20 }), (tls, steps) => {
        const d = createFtpDataDissector({ tls });
        const out = [...steps.flatMap(([dir, b]) => d.push(dir, b)), ...d.end()];
        const total = steps.reduce((n, [, b]) => n + b.length, 0);
        expect(out.reduce((n, m) => n + m.bytes, 0)).toBe(total);
      }),
    );
  });
});
