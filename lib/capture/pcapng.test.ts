import { describe, expect, it } from 'vitest';
import { BLOCK, EPB_INBOUND, EPB_OUTBOUND, LINKTYPE, PcapngError, readPcapng, SECRETS_TLS_KEYLOG, writePcapng } from './pcapng.ts';
import { buildPacket, parseEndpoint, parseFrame, TCP } from './tcp-packets.ts';
import { reassemble } from './tcp-reassembly.ts';
import { MAX_SEGMENT, synthesise } from './tcp-synth.ts';

/** The blocks of a little-endian file: type, total length at the start and at the end. */
function blocks(file: Buffer): { type: number; length: number; trailer: number; at: number }[] {
  const out = [];
  for (let at = 0; at < file.length; ) {
    const length = file.readUInt32LE(at + 4);
    out.push({ type: file.readUInt32LE(at), length, trailer: file.readUInt32LE(at + length - 4), at });
    at += length;
  }
  return out;
}

const sample = () =>
  writePcapng({
    comments: ['first comment', 'second, ünïcode'],
    userAppl: 'Protocol Lab',
    interfaces: [{ linkType: LINKTYPE.RAW, name: 'protocol-lab' }],
    secrets: [{ type: SECRETS_TLS_KEYLOG, data: Buffer.from('CLIENT_RANDOM 00 11\n') }],
    packets: [
      { interfaceId: 0, timestampUs: 1_700_000_000_123_456, data: Uint8Array.from([1, 2, 3]), comments: ['step 1: a'], flags: EPB_INBOUND },
      { interfaceId: 0, timestampUs: 1_700_000_000_223_456, data: Uint8Array.from([4, 5, 6, 7, 8]), comments: ['step 2: bb', 'step 3: ccc'], flags: EPB_OUTBOUND },
      { interfaceId: 0, timestampUs: 1_700_000_000_323_456, data: new Uint8Array(0) },
    ],
  });

describe('pcapng writer', () => {
  it('writes blocks whose lengths are multiples of 4 and equal at both ends, in the order SHB, IDB, DSB, EPBs', () => {
    const file = sample();
    const list = blocks(file);
    expect(list.map((b) => b.type)).toEqual([BLOCK.SHB, BLOCK.IDB, BLOCK.DSB, BLOCK.EPB, BLOCK.EPB, BLOCK.EPB]);
    for (const b of list) {
      expect(b.length % 4, `block at ${b.at}`).toBe(0);
      expect(b.trailer, `block at ${b.at}`).toBe(b.length);
    }
    expect(list.reduce((sum, b) => sum + b.length, 0)).toBe(file.length);
  });

  it('pads packet data and each option to 32 bits and ends the options with opt_endofopt', () => {
    const epb = blocks(sample())[3];
    const file = sample();
    const body = file.subarray(epb.at + 8, epb.at + epb.length - 4);
    expect(body.readUInt32LE(12)).toBe(3); // captured length
    expect([...body.subarray(20, 24)]).toEqual([1, 2, 3, 0]); // 3 bytes, 1 of padding
    // opt_comment 'step 1: a' (9 bytes, padded to 12), epb_flags (4 bytes), opt_endofopt.
    expect(body.readUInt16LE(24)).toBe(1);
    expect(body.readUInt16LE(26)).toBe(9);
    expect(body.subarray(28, 37).toString()).toBe('step 1: a');
    expect([...body.subarray(37, 40)]).toEqual([0, 0, 0]);
    expect(body.readUInt16LE(40)).toBe(2);
    expect(body.readUInt16LE(42)).toBe(4);
    expect(body.readUInt32LE(44)).toBe(EPB_INBOUND);
    expect(body.readUInt32LE(48)).toBe(0);
    expect(body.length).toBe(52);
  });

  it('leaves the options out entirely when a packet has none', () => {
    const last = blocks(sample())[5];
    expect(last.length).toBe(12 + 20);
  });
});

describe('pcapng reader', () => {
  it('reads back what the writer wrote: comments, interface, secrets, packets with timestamps, comments and flags', () => {
    const read = readPcapng(sample());
    expect(read.comments).toEqual(['first comment', 'second, ünïcode']);
    expect(read.interfaces).toEqual([{ linkType: LINKTYPE.RAW, snapLen: 0, tsresolUs: 1, name: 'protocol-lab' }]);
    expect(read.secrets.map((s) => [s.type, Buffer.from(s.data).toString()])).toEqual([[SECRETS_TLS_KEYLOG, 'CLIENT_RANDOM 00 11\n']]);
    expect(read.packets.map((p) => [p.timestampUs, [...p.data], p.comments, p.flags])).toEqual([
      [1_700_000_000_123_456, [1, 2, 3], ['step 1: a'], EPB_INBOUND],
      [1_700_000_000_223_456, [4, 5, 6, 7, 8], ['step 2: bb', 'step 3: ccc'], EPB_OUTBOUND],
      [1_700_000_000_323_456, [], undefined, undefined],
    ]);
  });

  it('reads a big-endian section', () => {
    // SHB + IDB (RAW, if_tsresol 10^-3) + EPB, written by hand in big-endian order.
    const be = (words: number[]) => Buffer.concat(words.map((w) => Buffer.from([(w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255])));
    const file = Buffer.concat([
      be([0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00010000, 0xffffffff, 0xffffffff, 28]),
      be([1, 32, (101 << 16) | 0, 0, (9 << 16) | 1, 0x03000000, 0, 32]),
      be([6, 36, 0, 0, 5000, 2, 2, 0xabcd0000, 36]),
    ]);
    const read = readPcapng(file);
    expect(read.interfaces[0]).toMatchObject({ linkType: 101, tsresolUs: 1000 });
    expect(read.packets.map((p) => [p.timestampUs, [...p.data]])).toEqual([[5_000_000, [0xab, 0xcd]]]);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /not a pcapng file/],
    ['a text file', Buffer.from('hello, this is not a capture at all'), /not a pcapng file/],
    ['a classic pcap file', Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'), /classic pcap/],
    ['a block longer than the file', Buffer.concat([sample().subarray(0, 28), Buffer.from('06000000ffff0000', 'hex'), Buffer.alloc(8)]), /runs past the end of the file/],
    ['a block with a different trailer', (() => { const f = Buffer.from(sample()); f.writeUInt32LE(999, blocks(f)[0].length - 4); return f; })(), /ends with a different length/],
    ['a packet on an undeclared interface', (() => { const f = Buffer.from(sample()); f.writeUInt32LE(7, blocks(f)[3].at + 8); return f; })(), /names interface 7/],
    ['a packet length past its block', (() => { const f = Buffer.from(sample()); f.writeUInt32LE(4000, blocks(f)[3].at + 8 + 12); return f; })(), /runs past its end/],
    ['a cut-off file', sample().subarray(0, 70), /runs past the end|ends inside a block header/],
  ])('refuses %s with a PcapngError in words', (_name, bytes, message) => {
    expect(() => readPcapng(bytes)).toThrow(PcapngError);
    expect(() => readPcapng(bytes)).toThrow(message);
  });
});

describe('synthesised TCP streams', () => {
  const client = { ip: '127.0.0.1', port: 53412 };
  const server = { ip: '127.0.0.1', port: 2525 };

  it('parses the addresses the recorder writes', () => {
    expect(parseEndpoint('127.0.0.1:53412')).toEqual(client);
    expect(parseEndpoint('::ffff:127.0.0.1:2525')).toEqual(server);
    expect(parseEndpoint('::1:2525')).toEqual({ ip: '::1', port: 2525 });
    expect(parseEndpoint('unknown:?')).toBeNull();
  });

  it('builds IPv4 and IPv6 packets that parse back to the same segment', () => {
    for (const [from, to] of [[client, server], [{ ip: '::1', port: 5000 }, { ip: '::1', port: 2525 }]]) {
      const packet = buildPacket({ from, to, seq: 0xfffffff0, ack: 7, flags: TCP.PSH | TCP.ACK, window: 65535, payload: Buffer.from('EHLO x\r\n') }, 1);
      const parsed = parseFrame(LINKTYPE.RAW, packet);
      expect(parsed).toMatchObject({ from, to, seq: 0xfffffff0, ack: 7, flags: TCP.PSH | TCP.ACK });
      expect(Buffer.from(parsed!.payload).toString()).toBe('EHLO x\r\n');
    }
  });

  it('handshakes, numbers every byte, splits big chunks, and reassembles to the original write boundaries', () => {
    const big = Buffer.alloc(MAX_SEGMENT * 2 + 10, 7);
    const chunks = [
      { dir: 'server' as const, timestampUs: 1_000_100, data: Buffer.from('220 hi\r\n'), comments: [{ offset: 0, text: 'step 1' }] },
      { dir: 'client' as const, timestampUs: 1_000_200, data: Buffer.from('EHLO a\r\nNOOP\r\n'), comments: [{ offset: 0, text: 'step 2' }, { offset: 8, text: 'step 3' }] },
      { dir: 'client' as const, timestampUs: 1_000_300, data: big },
    ];
    const packets = synthesise({ client, server, seed: 'smtp-test', startUs: 1_000_000, endUs: 1_000_400, chunks });
    const segments = packets.map((p) => parseFrame(LINKTYPE.RAW, p.data)!);
    expect(segments.slice(0, 3).map((s) => s.flags)).toEqual([TCP.SYN, TCP.SYN | TCP.ACK, TCP.ACK]);
    expect(segments.slice(-3).map((s) => s.flags)).toEqual([TCP.FIN | TCP.ACK, TCP.FIN | TCP.ACK, TCP.ACK]);
    // Data segments: 1 + 1 + 3 (the big chunk split), PSH only on each chunk's last segment.
    const data = segments.filter((s) => s.payload.length > 0);
    expect(data.map((s) => s.payload.length)).toEqual([8, 14, MAX_SEGMENT, MAX_SEGMENT, 10]);
    expect(data.map((s) => (s.flags & TCP.PSH) !== 0)).toEqual([true, true, false, false, true]);
    expect(packets.filter((p) => p.comments).map((p) => p.comments)).toEqual([['step 1'], ['step 2', 'step 3']]);
    // Sequence numbers: each segment starts where the sender's last ended (the SYN counts one).
    const isn = segments[0].seq;
    expect(data.filter((s) => s.from.port === client.port).map((s) => (s.seq - isn) >>> 0)).toEqual([1, 15, 15 + MAX_SEGMENT, 15 + 2 * MAX_SEGMENT]);
    // The server's FIN acknowledges every client byte.
    expect((segments.at(-2)!.ack - isn) >>> 0).toBe(1 + 14 + big.length + 1);

    const streams = reassemble(packets.map((p) => ({ linkType: LINKTYPE.RAW, timestampUs: p.timestampUs, data: p.data })), () => false);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ client, server, missing: 0 });
    expect(streams[0].chunks.map((c) => [c.dir, c.data.length])).toEqual([['server', 8], ['client', 14], ['client', big.length]]);
  });

  it('reassembles retransmitted and out-of-order segments once, in order', () => {
    const at = (seq: number, text: string, flags = TCP.ACK | TCP.PSH) => ({ linkType: LINKTYPE.RAW, timestampUs: seq, data: buildPacket({ from: client, to: server, seq, ack: 0, flags, window: 100, payload: Buffer.from(text) }, 1) });
    const syn = { linkType: LINKTYPE.RAW, timestampUs: 0, data: buildPacket({ from: client, to: server, seq: 99, ack: 0, flags: TCP.SYN, window: 100 }, 1) };
    const streams = reassemble([syn, at(100, 'AB', TCP.ACK), at(104, 'EF'), at(100, 'AB', TCP.ACK), at(102, 'CD', TCP.ACK)], () => false);
    expect(streams[0].chunks.map((c) => Buffer.from(c.data).toString())).toEqual(['ABCDEF']);
  });
});
