import fc from 'fast-check';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateSshKeyPair } from '../../auth/ssh-keygen.ts';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createSshDissector } from './dissector.ts';
import { fingerprintOfBlob } from './fingerprint.ts';

const enc = (s: string) => Buffer.from(s, 'latin1');
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (b: Buffer | string) => Buffer.concat([u32(Buffer.byteLength(b)), Buffer.isBuffer(b) ? b : enc(b)]);

/** A cleartext binary packet (RFC 4253 §6). */
function packet(payload: Buffer): Buffer {
  let padding = 8 - ((5 + payload.length) % 8);
  if (padding < 4) padding += 8;
  return Buffer.concat([u32(1 + payload.length + padding), Buffer.from([padding]), payload, Buffer.alloc(padding)]);
}

function kexinit(lists: string[]): Buffer {
  return packet(Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 1), ...lists.map((l) => str(l)), Buffer.from([0]), u32(0)]));
}

const hostKey = ssh2.utils.parseKey(generateSshKeyPair('ed25519').public);
const hostBlob = (Array.isArray(hostKey) ? hostKey[0] : hostKey) as ssh2.ParsedKey;
const blob = hostBlob.getPublicSSH();

const CLIENT_LISTS = ['sntrup761x25519-sha512@openssh.com,curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com', 'ssh-ed25519', 'aes128-gcm@openssh.com,chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', ''];
const SERVER_LISTS = ['curve25519-sha256,kex-strict-s-v00@openssh.com', 'ssh-ed25519', 'chacha20-poly1305@openssh.com,aes128-gcm@openssh.com', 'aes128-gcm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-256', 'none', 'none', '', ''];

/** One gcm packet after NEWKEYS: 4-byte clear length + ciphertext + 16-byte tag. */
const gcm = (length: number) => Buffer.concat([u32(length), Buffer.alloc(length + 16, 0xab)]);

/** A whole handshake, in the order the two directions send it. */
const STREAM: [StreamDir, Buffer][] = [
  ['server', enc('SSH-2.0-ProtocolLab_1.0\r\n')],
  ['client', Buffer.concat([enc('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'), kexinit(CLIENT_LISTS)])],
  ['server', kexinit(SERVER_LISTS)],
  ['client', packet(Buffer.concat([Buffer.from([30]), str(Buffer.alloc(32, 2))]))],
  ['server', Buffer.concat([packet(Buffer.concat([Buffer.from([31]), str(blob), str(Buffer.alloc(32, 3)), str(Buffer.concat([str('ssh-ed25519'), str(Buffer.alloc(64, 4))]))])), packet(Buffer.from([21])), gcm(32), gcm(160)])],
  ['client', Buffer.concat([packet(Buffer.from([21])), gcm(32), gcm(80)])],
];

function runAll(dissector = createSshDissector(), stream = STREAM): DissectedMessage[] {
  return [...stream.flatMap(([dir, bytes]) => dissector.push(dir, bytes)), ...dissector.end()];
}

const totals = (stream: [StreamDir, Buffer][]) => ({
  client: stream.filter(([d]) => d === 'client').reduce((n, [, b]) => n + b.length, 0),
  server: stream.filter(([d]) => d === 'server').reduce((n, [, b]) => n + b.length, 0),
});
const covered = (messages: DissectedMessage[], dir: StreamDir) => messages.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0);

describe('SSH wire dissector', () => {
  const messages = runAll();
  const byKey = (key: string) => messages.filter((m) => m.annotation?.key === key);

  it.each([
    ['client', 'version', 'ssh.version.client', 'SSH-2.0-OpenSSH_9.2p1 Debian-2'],
    ['server', 'version', 'ssh.version.server', 'SSH-2.0-ProtocolLab_1.0'],
  ] as const)('decodes the %s version line', (dir, kind, key, text) => {
    expect(messages.find((m) => m.dir === dir && m.kind === kind)).toMatchObject({ annotation: { key }, text });
  });

  it('decodes both KEXINITs list by list', () => {
    const [client] = byKey('ssh.msg.KEXINIT').filter((m) => m.dir === 'client');
    expect(client.fields?.find((f) => f.name === 'kex_algorithms')?.value).toBe(CLIENT_LISTS[0]);
    expect(client.fields?.find((f) => f.name === 'encryption_algorithms_client_to_server')?.value).toBe(CLIENT_LISTS[2]);
  });

  it('says where each field of a cleartext packet lies in its bytes, so the bytes view can show it', () => {
    const [client] = byKey('ssh.msg.KEXINIT').filter((m) => m.dir === 'client');
    const packetBytes = kexinit(CLIENT_LISTS);
    const bytesOf = (name: string) => {
      const f = client.fields?.find((x) => x.name === name);
      return packetBytes.subarray(f?.start ?? 0, f?.end ?? 0);
    };
    expect(bytesOf('packet_length').readUInt32BE()).toBe(packetBytes.length - 4);
    expect(Array.from(bytesOf('msg'))).toEqual([20]);
    expect(Array.from(bytesOf('cookie'))).toEqual(Array(16).fill(1));
    // A name-list with its length: uint32, then the names.
    expect(bytesOf('kex_algorithms').equals(str(CLIENT_LISTS[0]))).toBe(true);
    expect(bytesOf('first_kex_packet_follows').toString('hex')).toBe('00');
    // Every spanned field of every cleartext packet lies inside its packet.
    const outside = messages.filter((m) => m.kind === 'packet').flatMap((m) => (m.fields ?? []).filter((f) => f.start === undefined || f.end === undefined || f.start < 0 || f.end > m.bytes || f.end <= f.start).map((f) => `${m.text}: ${f.name}`));
    expect(outside).toEqual([]);
  });

  it('notes the choice: first client algorithm the server supports, skipping pseudo-algorithms', () => {
    const note = messages.find((m) => m.kind === 'negotiation');
    const field = (name: string) => note?.fields?.find((f) => f.name === name)?.value;
    expect(field('kex')).toBe('curve25519-sha256');
    expect(field('cipher c→s')).toBe('aes128-gcm@openssh.com');
    expect(field('mac c→s')).toBe('<implicit>');
    expect(field('strict KEX')).toMatch(/^on/);
    expect(note?.annotation?.ref).toBe('RFC 4253 §7.1');
  });

  it('decodes KEX_ECDH_INIT and KEX_ECDH_REPLY with the host key fingerprint', () => {
    expect(byKey('ssh.msg.KEX_ECDH_INIT')[0].fields?.[3]).toMatchObject({ name: 'Q_C' });
    const reply = byKey('ssh.msg.KEX_ECDH_REPLY')[0];
    expect(reply.fields?.find((f) => f.name === 'K_S fingerprint')?.value).toBe(fingerprintOfBlob(blob));
    expect(reply.text).toContain('ssh-ed25519');
  });

  it('switches each direction to ciphertext after its NEWKEYS and frames AES-GCM packets by their clear length', () => {
    expect(byKey('ssh.msg.NEWKEYS').map((m) => m.dir)).toEqual(['server', 'client']);
    const encrypted = messages.filter((m) => m.kind === 'encrypted');
    expect(encrypted.find((m) => m.dir === 'server')?.text).toContain('2 packets');
    expect(encrypted.find((m) => m.dir === 'server')?.text).toContain('lengths 32, 160');
  });

  it('covers every byte exactly once per direction', () => {
    const total = totals(STREAM);
    expect(covered(messages, 'client')).toBe(total.client);
    expect(covered(messages, 'server')).toBe(total.server);
  });

  it('does not frame chacha20-poly1305, whose length is encrypted too', () => {
    const lists = [...CLIENT_LISTS];
    lists[2] = 'chacha20-poly1305@openssh.com';
    const stream = STREAM.map(([d, b], i) => (i === 1 ? ([d, Buffer.concat([enc('SSH-2.0-x\r\n'), kexinit(lists)])] as [StreamDir, Buffer]) : ([d, b] as [StreamDir, Buffer])));
    const out = runAll(createSshDissector(), stream);
    const client = out.filter((m) => m.kind === 'encrypted' && m.dir === 'client');
    expect(client[0].annotation?.key).toBe('ssh.encrypted.length-hidden');
    expect(client[0].text).not.toContain('packet');
  });

  /** The handshake with other cipher/MAC lists in the client's KEXINIT (the server offers them too). */
  function withClientCrypto(cipher: string, mac: string): DissectedMessage[] {
    const client = [...CLIENT_LISTS];
    const server = [...SERVER_LISTS];
    client[2] = client[3] = server[2] = server[3] = cipher;
    client[4] = client[5] = server[4] = server[5] = mac;
    const stream = STREAM.map(([d, b], i): [StreamDir, Buffer] =>
      i === 1 ? [d, Buffer.concat([enc('SSH-2.0-x\r\n'), kexinit(client)])] : i === 2 ? [d, kexinit(server)] : [d, b],
    );
    return runAll(createSshDissector(), stream);
  }

  it.each([
    ['aes128-ctr', 'hmac-sha2-256', 'ssh.encrypted.whole', /whole packet/, 'RFC 4253 §6, §6.4'],
    ['aes128-ctr', 'hmac-sha2-256-etm@openssh.com', 'ssh.encrypted.etm', /packet_length is sent unencrypted/, 'OpenSSH PROTOCOL §1.5'],
    ['aes256-gcm@openssh.com', 'hmac-sha2-256', 'ssh.encrypted.gcm', /additional data/, 'RFC 5647 §7.3; OpenSSH PROTOCOL §1.6'],
    ['chacha20-poly1305@openssh.com', 'hmac-sha2-256', 'ssh.encrypted.length-hidden', /chacha20-poly1305/, 'OpenSSH PROTOCOL.chacha20poly1305'],
  ])('explains what %s + %s hides, not another cipher', (cipher, mac, key, explain, ref) => {
    const first = withClientCrypto(cipher, mac).find((m) => m.kind === 'encrypted' && m.dir === 'client');
    expect(first?.annotation).toMatchObject({ key, ref });
    expect(first?.annotation?.explain).toMatch(explain);
    if (!cipher.startsWith('chacha')) expect(first?.annotation?.explain).not.toContain('chacha');
    expect(first?.text).toContain(cipher);
  });

  it('does not frame aes-ctr with an ordinary MAC: the length is encrypted too', () => {
    const client = withClientCrypto('aes128-ctr', 'hmac-sha2-256').filter((m) => m.kind === 'encrypted' && m.dir === 'client');
    expect(client[0].text).not.toMatch(/packet|lengths/);
  });

  it('says what RFC 4253 §6.1 requires of the 35000-byte limit (handle at least that), not that packets are at most that long', () => {
    const d = createSshDissector();
    const out = d.push('client', Buffer.concat([enc('SSH-2.0-x\r\n'), u32(40_000)]));
    const bad = out.find((m) => m.annotation?.key === 'ssh.packet.bad-length');
    expect(bad?.annotation?.explain).toMatch(/must be able to handle packets of up to 35000 bytes/);
    expect(bad?.annotation?.explain).not.toMatch(/at most 35000/);
  });

  it('names SSH-1.5 an SSH-1 identification, not "not SSH" (RFC 4253 §5)', () => {
    const d = createSshDissector();
    const [m] = d.push('client', enc('SSH-1.5-OldClient\r\n'));
    expect(m.annotation).toMatchObject({ key: 'ssh.version.ssh1', level: 'error', title: 'SSH-1 identification' });
    expect(m.annotation?.ref).toContain('RFC 4253 §5');
    expect(m.fields?.find((f) => f.name === 'protoversion')?.value).toBe('1.5');
  });

  it.each([
    // A line no other protocol's client opens with (those are named: other-client.test.ts).
    ['garbage instead of a version line', enc('hello there\r\n'), 'ssh.version.bad'],
    ['a version line over 255 bytes', enc('SSH-2.0-' + 'x'.repeat(300) + '\r\n'), 'ssh.version.too-long'],
    ['no end of line at all', Buffer.alloc(100_000, 0x41), 'ssh.version.too-long'],
    ['SSH-1.5', enc('SSH-1.5-old\r\n'), 'ssh.version.ssh1'],
    ['SSH-3.0', enc('SSH-3.0-future\r\n'), 'ssh.version.unsupported'],
  ])('flags %s', (_name, bytes, key) => {
    const d = createSshDissector();
    const out = [...d.push('client', bytes), ...d.end()];
    expect(out[0].annotation).toMatchObject({ key, level: 'error' });
    expect(covered(out, 'client')).toBe(bytes.length);
  });

  it('cuts an over-long version line at 255 bytes however it is split (the rest is undecoded)', () => {
    const bytes = enc('SSH-2.0-' + 'x'.repeat(300) + '\r\n');
    const show = (out: DissectedMessage[]) => out.map((m) => [m.kind, m.bytes, m.annotation?.key]);
    const whole = show([...createSshDissector().push('client', bytes)]);
    expect(whole).toEqual([['version', 255, 'ssh.version.too-long'], ['undecoded', 55, 'ssh.undecoded']]);
    for (let at = 1; at < bytes.length; at++) {
      const d = createSshDissector();
      const out = [...d.push('client', bytes.subarray(0, at)), ...d.push('client', bytes.subarray(at)), ...d.end()];
      expect(show(out).slice(0, 1), `split at ${at}`).toEqual(whole.slice(0, 1));
      expect(covered(out, 'client')).toBe(bytes.length);
    }
  });

  it('flags an impossible packet length and stops decoding', () => {
    const d = createSshDissector();
    const bytes = Buffer.concat([enc('SSH-2.0-x\r\n'), u32(0x7fffffff), Buffer.alloc(64, 9)]);
    const out = [...d.push('client', bytes), ...d.end()];
    expect(out.some((m) => m.annotation?.key === 'ssh.packet.bad-length')).toBe(true);
    expect(covered(out, 'client')).toBe(bytes.length);
  });

  it('gives the same messages for any split of the stream (property)', () => {
    const flat = STREAM.flatMap(([dir, bytes]) => [...bytes].map((b) => [dir, b] as const));
    const expected = messages.filter((m) => m.kind !== 'encrypted').map((m) => [m.dir, m.kind, m.text, m.bytes]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const d = createSshDissector();
        const out: DissectedMessage[] = [];
        let i = 0;
        let s = 0;
        while (i < flat.length) {
          const dir = flat[i][0];
          const chunk: number[] = [];
          const size = sizes[s++ % sizes.length];
          while (i < flat.length && flat[i][0] === dir && chunk.length < size) chunk.push(flat[i++][1]);
          out.push(...d.push(dir, Uint8Array.from(chunk)));
        }
        out.push(...d.end());
        expect(out.filter((m) => m.kind !== 'encrypted').map((m) => [m.dir, m.kind, m.text, m.bytes])).toEqual(expected);
        const total = totals(STREAM);
        expect(covered(out, 'client')).toBe(total.client);
        expect(covered(out, 'server')).toBe(total.server);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes and always accounts for them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<StreamDir>('client', 'server'), fc.uint8Array({ maxLength: 3000 })), { maxLength: 20 }),
        fc.boolean(),
        (chunks, prefix) => {
          const d = createSshDissector();
          const input: [StreamDir, Uint8Array][] = prefix ? [['client', enc('SSH-2.0-x\r\n')], ['server', enc('SSH-2.0-y\r\n')], ...chunks] : chunks;
          const out = [...input.flatMap(([dir, bytes]) => d.push(dir, bytes)), ...d.end()];
          for (const dir of ['client', 'server'] as const) {
            const total = input.filter(([x]) => x === dir).reduce((n, [, b]) => n + b.length, 0);
            expect(covered(out, dir)).toBe(total);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
