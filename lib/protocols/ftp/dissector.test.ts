import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createFtpDissector } from './dissector.ts';
import { FTP_COMMANDS, FTP_HTTP_MORE, FTP_OTHER_CLIENTS } from './commands.ts';
import { FTP_CONTEXT_REPLIES, FTP_FEATURES, FTP_REPLY_CODES, lookupFtpReply } from './replies.ts';
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
      ...Object.keys(FTP_FEATURES),
      'ftp.feat.unknown',
      'ftp.cmd.after-auth',
      'ftp.cmd.tls-without-auth',
      ...Object.values(FTP_OTHER_CLIENTS).map((r) => r.key),
      FTP_HTTP_MORE.key,
      ...[1, 2, 3, 4, 5].map((k) => `ftp.reply.${k}xx`),
    ];
    for (const key of keys) expect(FTP_TEXT[key]?.explain, key).toBeTruthy();
  });

  it.each([
    [220, 'CONNECT', 'ftp.reply.220.greeting'],
    [500, 'PORT', 'ftp.reply.500.bounce'],
    [503, 'PASV', 'ftp.reply.503.epsv-all'],
    [503, 'PORT', 'ftp.reply.503.epsv-all'],
    [503, 'EPRT', 'ftp.reply.503.epsv-all'],
    [503, 'RNTO', 'ftp.reply.503'],
    [522, 'EPSV', 'ftp.reply.522'],
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

  it('shows PASS as the eavesdropper reads it and warns that it crossed in cleartext', () => {
    const pass = byText('PASS');
    expect(pass?.text).toBe('PASS secret');
    expect(pass?.fields).toContainEqual({ name: 'password', value: 'secret', note: 'readable by anyone on the wire' });
    expect(pass?.annotation?.level).toBe('warn');
  });

  it('masks PASS in the endpoint view (the server logs it masked, and it crossed inside TLS)', () => {
    const d = createFtpDissector({ endpoint: true });
    const [pass] = d.push('client', enc('PASS ********\r\n'));
    expect(pass.text).toBe('PASS ********');
    expect(pass.annotation?.key).toBe('ftp.cmd.PASS.tls');
  });

  it('annotates each FEAT line with its own feature', () => {
    const features = messages.filter((m) => m.kind === 'feature').map((m) => m.annotation?.key);
    expect(features).toEqual(['ftp.feat.AUTH TLS', 'ftp.feat.PBSZ']);
    expect(byText('211-')?.annotation?.key).toBe('ftp.reply.211.feat');
    const more = run([['server', '220 Hi\r\n'], ['client', 'FEAT\r\n'], ['server', '211-Features\r\n TYPE A,I,L\r\n SIZE\r\n XYZZY\r\n211 End\r\n']]);
    expect(more.filter((m) => m.kind === 'feature').map((m) => m.annotation?.key)).toEqual(['ftp.feat.TYPE', 'ftp.feat.SIZE', 'ftp.feat.unknown']);
  });

  it.each([
    ['HELP\r\n', '211-Supported commands:\r\n USER PASS\r\n211 Use HELP\r\n', 'ftp.reply.211.help'],
    ['HELP USER\r\n', '214-USER <username>\r\n214 Authentication username\r\n', 'ftp.reply.214.help'],
    ['HELP XYZ\r\n', '502 Unknown command XYZ.\r\n', 'ftp.reply.502.help'],
    ['RETR nope.txt\r\n', '551 /nope.txt: No such file or directory\r\n', 'ftp.reply.551.retr'],
    ['XYZ\r\n', '502 Command not allowed: XYZ\r\n', 'ftp.reply.502'],
  ])('annotates the answer to %j', (command, reply, key) => {
    const out = run([['server', '220 Hi\r\n'], ['client', command], ['server', reply]]);
    expect(out.filter((m) => m.kind === 'reply')[1]?.annotation?.key).toBe(key);
  });

  it('recognises a TLS ClientHello sent where a command belongs (no AUTH TLS)', () => {
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x0a, 0x0d]);
    const d = createFtpDissector();
    d.push('server', enc('220 Hi\r\n'));
    const out = [...d.push('client', hello.subarray(0, 3)), ...d.push('client', hello.subarray(3)), ...d.push('client', enc('NOOP\r\n'))];
    expect(out[0]).toMatchObject({ kind: 'tls-hello', bytes: hello.length, dir: 'client' });
    expect(out[0].annotation?.key).toBe('ftp.cmd.tls-without-auth');
    expect(out[0].text).toContain('ClientHello');
    expect(out[1]).toMatchObject({ kind: 'command', text: 'NOOP' });
  });

  it('flags a command pipelined behind AUTH TLS', () => {
    const out = run([['server', '220 Hi\r\n'], ['client', 'AUTH TLS\r\nUSER x\r\n'], ['server', '234 Go\r\n']]);
    expect(out.find((m) => m.text === 'USER x')?.annotation?.key).toBe('ftp.cmd.after-auth');
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
    expect(kinds).toEqual(['reply', 'feature', 'feature', 'reply-end']);
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

  it('frames an over-long line the same however it is split: its start, then counted remainders, then the next command', () => {
    const long = enc(`STOR ${'x'.repeat(20_000)}\r\nNOOP\r\n`);
    const show = (out: DissectedMessage[]) => out.map((m) => [m.kind, m.text, m.bytes, m.annotation?.key]);
    const whole = show([...createFtpDissector().push('client', long)]);
    expect(whole[0]).toEqual(['overlong', `STOR ${'x'.repeat(115)}… <8194 bytes without a line end>`, 8194, 'ftp.line.overlong']);
    expect(whole.slice(1)).toEqual([['overlong', '… <11813 more bytes, then the line end: 20007 bytes in all>', 11813, undefined], ['command', 'NOOP', 6, 'ftp.cmd.NOOP']]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 10 }), (cuts) => {
        const d = createFtpDissector();
        const out: DissectedMessage[] = [];
        for (let pos = 0, i = 0; pos < long.length; i++) {
          const n = cuts[i % cuts.length];
          out.push(...d.push('client', long.subarray(pos, pos + n)));
          pos += n;
        }
        expect(show(out)).toEqual(whole);
      }),
    );
  });

  it('looks for a TLS record only at the start of a line', () => {
    const hello = [0x16, 0x03, 0x01, 0x00, 0x01, 0x01];
    const out = run([['server', '220 Hi\r\n'], ['client', `NOOP ${String.fromCharCode(...hello)}\r\n`]]);
    expect(out.map((m) => m.kind)).toEqual(['reply', 'command']);
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
