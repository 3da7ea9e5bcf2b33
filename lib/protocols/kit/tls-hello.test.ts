import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTlsHello, tlsByteFields, type SpannedField } from './tls-hello.ts';
import { CIPHER_SUITES, EXTENSIONS, NAMED_GROUPS, SIGNATURE_SCHEMES } from './tls-names.ts';

/** Real hellos recorded through the SMTP lab's STARTTLS tap, with TShark's reading of each (see the file's "about"). */
interface Recorded {
  name: string;
  hex: string;
  tshark: {
    recordVersion: number;
    handshakeType: number;
    legacyVersion: number;
    random: string;
    sessionId: string;
    cipherSuites: number[];
    extensions: number[];
    serverName: string | null;
    supportedVersions: number[];
    supportedGroups: number[];
    keyShareGroups: number[];
    alpn: string[];
    signatureAlgorithms: number[];
  };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/tls-hellos.json', import.meta.url), 'utf8')) as {
  hellos: Recorded[];
  tsharkNames: Record<'cipherSuites' | 'groups' | 'signatureAlgorithms' | 'extensions', Record<string, string>>;
};
const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const hellos = fixture.hellos.map((h) => [h.name, h] as const);
const field = (fields: SpannedField[], name: string) => fields.find((f) => f.name === name);

describe('parseTlsHello on real hellos (curl and openssl s_client on OpenSSL 3.0, Node tls, the lab server)', () => {
  it.each(hellos)('%s reads as TShark reads it', (_, h) => {
    const hello = parseTlsHello(bytesOf(h.hex));
    expect(hello).not.toBeNull();
    const t = h.tshark;
    expect({
      recordVersion: hello?.recordVersion,
      handshakeType: hello?.type === 'ClientHello' ? 1 : 2,
      legacyVersion: hello?.legacyVersion,
      random: hello?.random,
      sessionId: hello?.sessionId,
      cipherSuites: hello?.cipherSuites,
      extensions: hello?.extensions,
      serverName: hello?.serverName ?? null,
      supportedVersions: hello?.supportedVersions,
      supportedGroups: hello?.supportedGroups,
      keyShareGroups: hello?.keyShareGroups,
      alpn: hello?.alpn,
      signatureAlgorithms: hello?.signatureAlgorithms,
    }).toEqual(t);
    expect(hello?.complete).toBe(true);
  });

  it.each(hellos)('%s: every field covers bytes inside the message, and the top-level fields tile it without gaps', (_, h) => {
    const bytes = bytesOf(h.hex);
    const fields = parseTlsHello(bytes)?.fields ?? [];
    for (const f of fields) {
      expect(f.start, f.name).toBeGreaterThanOrEqual(0);
      expect(f.end, f.name).toBeGreaterThan(f.start);
      expect(f.end, f.name).toBeLessThanOrEqual(bytes.length);
    }
    // Record header (depth 0) and hello fields (depth 1) follow each other byte for byte to the end.
    const tiles = fields.filter((f) => f.depth <= 1);
    expect(tiles[0].start).toBe(0);
    for (let i = 1; i < tiles.length; i++) expect(tiles[i].start, tiles[i].name).toBe(tiles[i - 1].end);
    expect(tiles.at(-1)?.end).toBe(bytes.length);
  });

  it('names every suite, group, signature scheme and extension as TShark does', () => {
    const check = (table: Readonly<Record<number, string | { name: string }>>, names: Record<string, string>) => {
      for (const [code, name] of Object.entries(names)) {
        const row = table[Number(code)];
        expect(typeof row === 'string' ? row : row?.name, `${code} ${name}`).toBe(name);
      }
    };
    check(CIPHER_SUITES, fixture.tsharkNames.cipherSuites);
    check(NAMED_GROUPS, fixture.tsharkNames.groups);
    check(SIGNATURE_SCHEMES, fixture.tsharkNames.signatureAlgorithms);
    check(EXTENSIONS, fixture.tsharkNames.extensions);
  });
});

describe('what the bytes view explains', () => {
  const curl = bytesOf(fixture.hellos[0].hex);
  const server = bytesOf(fixture.hellos[1].hex);
  const openssl = bytesOf(fixture.hellos[2].hex);

  it("explains the ClientHello record's 0x0301 and the hello's frozen 0x0303, each on its own two bytes", () => {
    const fields = parseTlsHello(curl)?.fields ?? [];
    const record = field(fields, 'legacy_record_version');
    expect(record).toMatchObject({ value: 'TLS 1.0 (0x0301)', start: 1, end: 3 });
    expect(record?.note).toMatch(/0x0301.*RFC 8446 §5\.1, Appendix D/);
    const legacy = field(fields, 'legacy_version');
    expect(legacy).toMatchObject({ value: 'TLS 1.2 (0x0303)', start: 9, end: 11, ref: 'RFC 8446 §4.1.2' });
    expect(legacy?.note).toMatch(/supported_versions/);
    expect(Buffer.from(curl.subarray(1, 3)).toString('hex')).toBe('0301');
  });

  it('puts the host name field exactly on the SNI bytes, and the ALPN protocol on its own', () => {
    const sni = field(parseTlsHello(curl)?.fields ?? [], 'host name');
    expect(sni?.value).toBe('lab.test');
    // The entry: name type 0, a 2-byte length, then the name.
    expect(Buffer.from(curl.subarray((sni?.start ?? 0) + 3, sni?.end)).toString()).toBe('lab.test');
    const alpn = field(parseTlsHello(openssl)?.fields ?? [], 'protocol');
    expect(Buffer.from(openssl.subarray((alpn?.start ?? 0) + 1, alpn?.end)).toString()).toBe('smtp');
  });

  it('reads the ServerHello: the chosen suite, TLS 1.3 from supported_versions, the x25519 share', () => {
    const hello = parseTlsHello(server);
    expect(hello).toMatchObject({ type: 'ServerHello', version: 0x0304, legacyVersion: 0x0303, recordVersion: 0x0303 });
    expect(field(hello?.fields ?? [], 'cipher_suite')?.value).toBe('TLS_AES_256_GCM_SHA384 (0x1302)');
    expect(field(hello?.fields ?? [], 'selected_version')?.value).toBe('TLS 1.3 (0x0304)');
    expect(field(hello?.fields ?? [], 'server key share')?.value).toBe('x25519 (0x001d), 32-byte public value');
  });

  it('takes the highest version a ClientHello offers in supported_versions as its version', () => {
    expect(parseTlsHello(openssl)?.version).toBe(0x0304);
    expect(parseTlsHello(openssl)?.supportedVersions).toEqual([0x0304, 0x0303, 0x0302, 0x0301]);
  });

  it('recognises a HelloRetryRequest by its fixed random and reads the group it asks for', () => {
    const hrrRandom = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
    // legacy_version, random, empty session id, suite 0x1301, compression 0, extensions: supported_versions 0x0304, key_share selected_group secp256r1.
    const body = `0303${hrrRandom}00130100000c002b00020304003300020017`;
    const hs = `02${(body.length / 2).toString(16).padStart(6, '0')}${body}`;
    const hello = parseTlsHello(bytesOf(`160303${(hs.length / 2).toString(16).padStart(4, '0')}${hs}`));
    expect(hello).toMatchObject({ type: 'HelloRetryRequest', keyShareGroups: [0x0017], complete: true });
    expect(field(hello?.fields ?? [], 'selected_group')?.value).toBe('secp256r1 (0x0017)');
  });

  it('says where the captured bytes end before the hello does, for every cut', () => {
    for (let n = 6; n < curl.length; n++) {
      const hello = parseTlsHello(curl.subarray(0, n));
      expect(hello?.complete, `cut at ${n}`).toBe(false);
      expect(hello?.fields.at(-1)?.name, `cut at ${n}`).toBe('cut short');
    }
  });

  it('lists what an eavesdropper reads of other records: sealed application data, an alert, ChangeCipherSpec', () => {
    expect(tlsByteFields(bytesOf('1703030005aabbccddee')).map((f) => [f.name, f.value, f.start, f.end])).toEqual([
      ['record type', 'Application Data (23)', 0, 1],
      ['legacy_record_version', 'TLS 1.2 (0x0303)', 1, 3],
      ['record length', '5 bytes', 3, 5],
      ['encrypted fragment', '5 bytes', 5, 10],
    ]);
    expect(tlsByteFields(bytesOf('15030300020228')).slice(3).map((f) => f.value)).toEqual(['fatal (2)', 'handshake_failure (40)']);
    expect(tlsByteFields(bytesOf('140303000101'))[3].note).toMatch(/Appendix D\.4/);
  });

  it('parses the hello inside tlsByteFields the same way, and never throws on random bytes', () => {
    expect(tlsByteFields(curl).map((f) => f.name)).toEqual(parseTlsHello(curl)?.fields.map((f) => f.name));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        parseTlsHello(bytes);
        const fields = tlsByteFields(bytes);
        return fields.every((f) => f.start >= 0 && f.end <= bytes.length && f.start <= f.end);
      }),
    );
    // Random bytes behind a valid-looking hello header.
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (tail) => parseTlsHello(Uint8Array.from([22, 3, 1, 1, 0, 1, 0, 0, 250, ...tail])) !== null));
  });
});
