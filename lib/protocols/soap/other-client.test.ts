import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { CLIENT_HELLOS as hellos, OPENSSH_VERSION as OPENSSH, ZMTP_SIGNATURE, shape, split, text } from '../kit/other-client.fixtures.ts';
import { createHttpApiDissector, createSoapDissector } from './dissector.ts';

// The client's first bytes as real clients sent them to the lab's HTTP hosts (SOAP host, gateway).
const BAD_REQUEST = text('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope\n');

const HOSTS = [
  ['the SOAP host', createSoapDissector],
  ['the access-control gateway', createHttpApiDissector],
] as const;

/** Everything `steps` give, then the end of the connection. */
function run(make: () => Dissector, steps: [StreamDir, Uint8Array][]): DissectedMessage[] {
  const d = make();
  return [...steps.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()];
}
const clientOf = (out: DissectedMessage[]) => out.filter((m) => m.dir === 'client');
const covered = (out: DissectedMessage[], dir: StreamDir) => out.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0);

describe.each(HOSTS)('another protocol\'s client on %s', (_, make) => {
  it('OpenSSH: its version line is named; the server\'s 400 still reads as one', () => {
    const out = run(make, [['client', OPENSSH], ['server', BAD_REQUEST]]);
    const [first] = clientOf(out);
    expect(first).toMatchObject({ kind: 'not-http', text: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6', bytes: OPENSSH.length });
    expect(first.annotation).toMatchObject({ key: 'http.other.ssh', title: 'An SSH client on the HTTP port', level: 'warn', ref: 'RFC 4253 §4.2; RFC 9112 §3' });
    expect(first.annotation?.explain).toContain('kex_exchange_identification');
    expect(out.find((m) => m.dir === 'server')?.kind).toBe('status-line');
    expect(covered(out, 'client')).toBe(OPENSSH.length);
  });

  it('names the first start line only (an empty line before it does not count)', () => {
    const later = run(make, [['client', text('GET / HTTP/1.1\r\nHost: x\r\n\r\n')], ['client', OPENSSH]]);
    expect(clientOf(later).at(-1)?.annotation?.key).toBe('http.not-http');
    const afterBlank = run(make, [['client', text('\r\n')], ['client', OPENSSH]]);
    expect(clientOf(afterBlank).map((m) => m.annotation?.key)).toEqual(['http.empty-line', 'http.other.ssh']);
  });

  it.each([
    ['swaks giving up', 'QUIT\r\n', 'http.other.smtp-or-ftp'],
    ['an SMTP client', 'EHLO x\r\n', 'http.other.smtp'],
    ['curl ftp://', 'USER x\r\n', 'http.other.ftp'],
    ['lftp', 'FEAT\r\n', 'http.other.ftp'],
  ])('%s: %j', (_, line, key) => {
    expect(clientOf(run(make, [['client', text(line)]]))[0]).toMatchObject({ kind: 'not-http', bytes: line.length, annotation: { key } });
  });

  it.each(hellos)('https:// to the plain-HTTP port (%s): one message covering the ClientHello record, however TCP split it', (_, hello) => {
    const whole = clientOf(run(make, [['client', hello]]));
    expect(shape(whole)).toEqual([['tls-record', hello.length, 'http.other.tls', `TLS Handshake (ClientHello) — ${hello.length - 5} bytes`]]);
    expect(whole[0].annotation).toMatchObject({ title: 'A TLS ClientHello on a plain-HTTP port', ref: 'RFC 8446 §5.1; RFC 8446 §4.1.2; RFC 9112 §3' });
    expect(whole[0].annotation?.explain).toContain('http://');
    for (let at = 1; at < hello.length; at++) {
      const split = clientOf(run(make, [['client', hello.subarray(0, at)], ['client', hello.subarray(at)]]));
      expect(shape(split), `split at ${at}`).toEqual(shape(whole));
    }
  });

  it('later TLS records are framed too, unnamed; a record cut short by the close is one message', () => {
    const [, hello] = hellos[0];
    const alert = Uint8Array.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]);
    const out = clientOf(run(make, [['client', hello], ['client', alert]]));
    expect(shape(out)).toEqual([
      ['tls-record', hello.length, 'http.other.tls', expect.stringContaining('ClientHello')],
      ['tls-record', 7, null, 'TLS Alert (fatal protocol_version) — 2 bytes'],
    ]);
    const cut = clientOf(run(make, [['client', hello.subarray(0, 3)]]));
    expect(cut.map((m) => [m.bytes, m.annotation?.key])).toEqual([[3, 'http.other.tls']]);
  });

  it('a ZeroMQ peer: its 10-octet signature, which has no line end, is one message; 0x16 or 0xFF that start neither are lines', () => {
    const bytewise = Array.from(ZMTP_SIGNATURE, (b): [StreamDir, Uint8Array] => ['client', Uint8Array.of(b)]);
    for (const steps of [[['client', ZMTP_SIGNATURE] as [StreamDir, Uint8Array]], bytewise]) {
      expect(shape(clientOf(run(make, steps)))).toEqual([['not-http', 10, 'http.other.zmtp', 'ZMTP signature: ff 00 00 00 00 00 00 00 01 7f']]);
    }
    // 0x16 or 0xFF that start no TLS record or ZMTP signature are read as lines, every byte covered.
    const tls = clientOf(run(make, [['client', text('\x16')], ['client', text('hello\r\n')]]));
    expect(shape(tls)).toEqual([['not-http', 8, 'http.not-http', expect.any(String)]]);
    const ff = Uint8Array.from([0xff, 1, 2, 0x0a, 3, 4, 5, 6, 7, 8, 9]);
    const out = run(make, [['client', ff]]);
    expect(clientOf(out).map((m) => m.annotation?.key)).toEqual(['http.not-http', 'http.incomplete']);
    expect(covered(out, 'client')).toBe(ff.length);
    expect(covered(run(make, [['client', Uint8Array.from([0xff, 0, 0])]]), 'client')).toBe(3);
  });

  it('names the client and covers every byte for any split of its opening followed by anything (property)', () => {
    const openings: [Uint8Array, string | null][] = [
      [OPENSSH, 'http.other.ssh'],
      [ZMTP_SIGNATURE, 'http.other.zmtp'],
      [hellos[0][1], 'http.other.tls'],
      [Uint8Array.of(0x16, 0x03, 0x01, 0xff, 0xff), 'http.other.tls'],
      [Uint8Array.of(0x16), null],
      [Uint8Array.of(0xff, 0), null],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...openings), fc.uint8Array({ maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 20 }), ([opening, key], rest, sizes) => {
        const all = Uint8Array.from([...opening, ...rest]);
        const out = run(make, split(all, sizes).map((part): [StreamDir, Uint8Array] => ['client', part]));
        if (key) expect(out[0].annotation?.key).toBe(key);
        expect(covered(out, 'client')).toBe(all.length);
      }),
      { numRuns: 200 },
    );
  });
});
