import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../types.ts';
import { CLIENT_HELLOS as hellos, ZMTP_SIGNATURE, covered, curlRequest, shape, split, text } from '../kit/other-client.fixtures.ts';
import { createSshDissector } from './dissector.ts';

// The client's first bytes as real clients sent them to the lab's SSH port.
const CURL = curlRequest(2222);

/** The client's messages for `chunks` pushed in order, then the end of the connection. */
function client(...chunks: Uint8Array[]): DissectedMessage[] {
  const d = createSshDissector();
  return [...chunks.flatMap((c) => d.push('client', c)), ...d.end()].filter((m) => m.dir === 'client');
}

describe('another protocol\'s client on the SSH port', () => {
  it('curl: its request line is named, the rest stays undecoded; a line of no protocol and the server are not named', () => {
    const out = client(CURL);
    expect(shape(out)).toEqual([
      ['version', 16, 'ssh.other.http', 'GET / HTTP/1.1'],
      ['undecoded', 62, 'ssh.undecoded', expect.stringMatching(/^\[62 undecoded bytes\]/)],
    ]);
    expect(out[0].annotation).toMatchObject({ title: 'An HTTP request on the SSH port', level: 'error', ref: 'RFC 9112 §3; RFC 4253 §4.2' });
    expect(out[0].annotation?.explain).toContain('SSH-2.0-');
    expect(client(text('hello there\r\n'))[0].annotation?.key).toBe('ssh.version.bad');
    // A server line that is no version line is still a prelude (RFC 4253 §4.2): only the client is named.
    expect(createSshDissector().push('server', text('GET / HTTP/1.1\r\n'))[0].annotation?.key).toBe('ssh.version.prelude');
  });

  it.each([
    ['swaks giving up after its timeout', 'QUIT\r\n', 'ssh.other.smtp-or-ftp', 'RFC 5321 §4.1.1; RFC 959 §4.1; RFC 4253 §4.2'],
    ['an SMTP client', 'EHLO x\r\n', 'ssh.other.smtp', 'RFC 5321 §4.1.1.1; RFC 4253 §4.2'],
    ['curl ftp://', 'USER x\r\n', 'ssh.other.ftp', 'RFC 959 §4.1; RFC 4253 §4.2'],
    ['lftp', 'FEAT\r\n', 'ssh.other.ftp', 'RFC 959 §4.1; RFC 4253 §4.2'],
  ])('%s: %j', (_, line, key, ref) => {
    const out = client(text(line));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'version', text: line.trimEnd(), bytes: line.length, annotation: { key, ref, level: 'error' } });
  });

  it.each(hellos)('a TLS client (%s): one message covering the ClientHello record, however TCP split it', (_, hello) => {
    const whole = client(hello);
    expect(shape(whole)).toEqual([['tls-record', hello.length, 'ssh.other.tls', `TLS Handshake (ClientHello) — ${hello.length - 5} bytes`]]);
    expect(whole[0].annotation).toMatchObject({ title: 'A TLS ClientHello on the SSH port', ref: 'RFC 8446 §5.1; RFC 4253 §4.2' });
    expect(whole[0].fields).toContainEqual({ name: 'handshake', value: 'ClientHello' });
    for (let at = 1; at < hello.length; at++) {
      const split = client(hello.subarray(0, at), hello.subarray(at));
      expect(shape(split), `split at ${at}`).toEqual(shape(whole));
    }
  });

  it('a ClientHello with no line end in its first 255 bytes is one record too, not an over-long version line', () => {
    const [, openssl] = hellos.find(([name]) => name.startsWith('openssl'))!;
    // Only the record and handshake headers are framed: the bytes after them may be anything.
    const hello = openssl.map((b, i) => (i > 8 && b === 0x0a ? 0x0b : b));
    expect(hello.indexOf(0x0a)).toBe(-1);
    expect(hello.length).toBeGreaterThan(255);
    expect(shape(client(hello))).toEqual([['tls-record', hello.length, 'ssh.other.tls', `TLS Handshake (ClientHello) — ${hello.length - 5} bytes`]]);
  });

  it('bytes after the ClientHello stay undecoded; a record cut short by the close is still one message; 0x16 then text is a line', () => {
    const [, hello] = hellos[0];
    const alert = Uint8Array.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);
    const out = client(hello, alert);
    expect(shape(out).map((m) => m.slice(0, 3))).toEqual([['tls-record', hello.length, 'ssh.other.tls'], ['undecoded', 7, 'ssh.undecoded']]);
    const cut = client(hello.subarray(0, 100));
    expect(shape(cut)).toEqual([['tls-record', 100, 'ssh.other.tls', `TLS Handshake (ClientHello) — ${hello.length - 5} bytes (cut short)`]]);
    const notTls = text('\x16hello\r\n');
    expect(shape(client(notTls))).toEqual([['version', notTls.length, 'ssh.version.bad', expect.any(String)]]);
  });

  it('a ZeroMQ peer: its 10-octet signature, which has no line end, is one message; 0xFF that starts none is a line', () => {
    const expected = [['version', 10, 'ssh.other.zmtp', 'ZMTP signature: ff 00 00 00 00 00 00 00 01 7f']];
    expect(shape(client(ZMTP_SIGNATURE))).toEqual(expected);
    expect(shape(client(...Array.from(ZMTP_SIGNATURE, (b) => Uint8Array.of(b))))).toEqual(expected);
    expect(client(ZMTP_SIGNATURE)[0].annotation?.ref).toBe('ZMTP RFC 37 §3.2; RFC 4253 §4.2');
    const ff = Uint8Array.from([0xff, 1, 2, 0x0a, 3, 4, 5, 6, 7, 8, 9]);
    const out = client(ff);
    expect(out.map((m) => m.annotation?.key)).toEqual(['ssh.version.bad', 'ssh.undecoded']);
    expect(covered(out)).toBe(ff.length);
    // Fewer bytes than a signature when the connection ends: a fragment, every byte covered.
    expect(covered(client(Uint8Array.from([0xff, 0, 0])))).toBe(3);
  });

  it('names the client and covers every byte for any split of its opening followed by anything (property)', () => {
    const openings: [Uint8Array, string | null][] = [
      [CURL, 'ssh.other.http'],
      [text('QUIT\r\n'), 'ssh.other.smtp-or-ftp'],
      [ZMTP_SIGNATURE, 'ssh.other.zmtp'],
      [hellos[0][1], 'ssh.other.tls'],
      [Uint8Array.of(0x16, 0x03, 0x01, 0xff, 0xff), 'ssh.other.tls'],
      [Uint8Array.of(0x16), null],
      [Uint8Array.of(0xff, 0), null],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...openings), fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 20 }), ([opening, key], rest, sizes) => {
        const all = Uint8Array.from([...opening, ...rest]);
        const out = client(...split(all, sizes));
        if (key) expect(out[0].annotation?.key).toBe(key);
        expect(covered(out)).toBe(all.length);
      }),
      { numRuns: 200 },
    );
  });
});
