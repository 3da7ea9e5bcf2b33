import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { CLIENT_HELLOS, OPENSSH_VERSION as OPENSSH, covered, curlRequest, shape, split, text } from '../kit/other-client.fixtures.ts';
import { createZmtpDissector } from './dissector.ts';

// The client's first bytes as real clients sent them to the lab's ZeroMQ ports.
const CURL = curlRequest(5555);
const [, HELLO] = CLIENT_HELLOS[0];

function run(steps: [StreamDir, Uint8Array][]): DissectedMessage[] {
  const d = createZmtpDissector();
  return [...steps.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()];
}
const client = (...chunks: Uint8Array[]) => run(chunks.map((c): [StreamDir, Uint8Array] => ['client', c])).filter((m) => m.dir === 'client');

describe('another protocol\'s client on a ZeroMQ port', () => {
  it('curl: the first 10 octets read as before ("not ZMTP"), named after the client; the rest undecoded; the server is never named', () => {
    const out = client(CURL);
    expect(shape(out)).toEqual([
      ['greeting', 10, 'zmtp.other.http', 'not ZMTP: 47 45 54 20 2f 20 48 54 54 50'],
      ['undecoded', 68, 'zmtp.undecoded', expect.stringMatching(/^\[68 undecoded octets\]/)],
    ]);
    expect(out[0].annotation).toMatchObject({ title: 'An HTTP request on a ZeroMQ port', level: 'error', ref: 'RFC 9112 §3; ZMTP RFC 37 §3.2' });
    expect(client(text('hello there\r\n'))[0].annotation?.key).toBe('zmtp.greeting.bad');
    expect(run([['server', CURL]])[0]).toMatchObject({ bytes: 10, annotation: { key: 'zmtp.greeting.bad' } });
  });

  it('names the same client however TCP split its request (the line is held until it is whole)', () => {
    for (let at = 1; at < CURL.length; at++) {
      const out = client(CURL.subarray(0, at), CURL.subarray(at));
      expect(out[0], `split at ${at}`).toMatchObject({ bytes: 10, annotation: { key: 'zmtp.other.http' } });
      expect(covered(out)).toBe(CURL.length);
    }
  });

  it.each([
    ['OpenSSH', OPENSSH, 'zmtp.other.ssh', 'RFC 4253 §4.2; ZMTP RFC 37 §3.2'],
    ['a TLS client', HELLO, 'zmtp.other.tls', 'RFC 8446 §5.1; ZMTP RFC 37 §3.2'],
    ['curl ftp://', text('USER student\r\n'), 'zmtp.other.ftp', 'RFC 959 §4.1; ZMTP RFC 37 §3.2'],
  ])('%s', (_, bytes, key, ref) => {
    const out = client(bytes);
    expect(out[0]).toMatchObject({ kind: 'greeting', bytes: 10, annotation: { key, ref } });
    expect(covered(out)).toBe(bytes.length);
  });

  it('a TLS record with no line end is named from its first 10 octets', () => {
    const hello = HELLO.map((b, i) => (i > 8 && b === 0x0a ? 0x0b : b));
    expect(client(hello.subarray(0, 10))[0].annotation?.key).toBe('zmtp.other.tls');
  });

  it.each([
    ['swaks giving up', 'QUIT\r\n', 'zmtp.other.smtp-or-ftp'],
    ['an SMTP client', 'EHLO x\r\n', 'zmtp.other.smtp'],
    ['lftp', 'FEAT\r\n', 'zmtp.other.ftp'],
  ])('%s: a line shorter than a signature, named when the connection ends', (_, line, key) => {
    expect(shape(client(text(line)))).toEqual([['greeting', line.length, key, expect.stringMatching(/^not ZMTP: /)]]);
  });

  it('binary that is no protocol and has no line end is held at most 512 octets', () => {
    const noise = new Uint8Array(600).fill(0x41);
    const d = createZmtpDissector();
    expect(d.push('client', noise.subarray(0, 511))).toEqual([]);
    const out = d.push('client', noise.subarray(511));
    expect(shape(out).map((m) => m.slice(0, 3))).toEqual([['greeting', 10, 'zmtp.greeting.bad'], ['undecoded', 590, 'zmtp.undecoded']]);
  });

  it('names the client and covers every byte for any split of its opening followed by anything (property)', () => {
    const openings: [Uint8Array, string | null][] = [
      [CURL, 'zmtp.other.http'],
      [OPENSSH, 'zmtp.other.ssh'],
      [text('QUIT\r\n'), 'zmtp.other.smtp-or-ftp'],
      [HELLO, 'zmtp.other.tls'],
      [Uint8Array.of(0x41), null],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...openings), fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 20 }), ([opening, key], rest, sizes) => {
        const all = Uint8Array.from([...opening, ...rest]);
        const out = client(...split(all, sizes));
        if (key) expect(out[0]).toMatchObject({ bytes: Math.min(10, all.length), annotation: { key } });
        expect(covered(out)).toBe(all.length);
      }),
      { numRuns: 200 },
    );
  });
});
