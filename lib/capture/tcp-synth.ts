/**
 * A recorded connection as the TCP stream it was on the wire: three-way handshake, one segment per
 * chunk the tap wrote (the original write boundaries; a chunk over MAX_SEGMENT is split, PSH on its
 * last segment), sequence and acknowledgement numbers that add up, and a FIN each way once it ended.
 * Wireshark and tshark then dissect SMTP, FTP, SSH and HTTP on it as on any capture.
 */
import type { ChunkDir } from '../bus/captures.ts';
import { EPB_INBOUND, EPB_OUTBOUND, type PcapngPacket } from './pcapng.ts';
import { buildPacket, TCP, type Endpoint, type Segment } from './tcp-packets.ts';

/** Largest payload per segment: an IPv4 packet (65,535 bytes) less its headers, with room to spare. */
export const MAX_SEGMENT = 65_000;
/** Window scale the SYNs announce (RFC 7323 §2): 65,535 << 7 ≈ 8 MiB, so no bulk transfer fills the window. */
const WINDOW_SCALE = 7;
const WINDOW = 0xffff;
/** A receiver with this many bytes unacknowledged sends a pure ACK (as delayed ACKs would). */
const ACK_EVERY = 256 * 1024;

/** One chunk to send, with the comments of the messages that start in it. */
export interface SynthChunk {
  dir: ChunkDir;
  /** Microseconds since the epoch. */
  timestampUs: number;
  data: Uint8Array;
  /** Comments, each at the offset inside this chunk where its message starts. */
  comments?: { offset: number; text: string }[];
}

/** The connection to synthesise. */
export interface SynthConnection {
  client: Endpoint;
  server: Endpoint;
  /** Seeds the initial sequence numbers (a connection id): the same export gives the same file. */
  seed: string;
  startUs: number;
  /** Null while the connection is still open: no FIN then. */
  endUs: number | null;
  chunks: SynthChunk[];
}

/** A 32-bit FNV-1a hash: initial sequence numbers that look like any other, and repeat per connection. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** MSS 65,495 (loopback's) and window scale 7: the SYNs' options, 8 bytes. */
const SYN_OPTIONS = Uint8Array.from([2, 4, 0xff, 0xd7, 1, 3, 3, WINDOW_SCALE]);

/** The packets of one connection, in order, as pcapng packets on interface `interfaceId`. */
export function synthesise(c: SynthConnection, interfaceId = 0, firstIpId = 1): PcapngPacket[] {
  const packets: PcapngPacket[] = [];
  const ends: Record<ChunkDir, Endpoint> = { client: c.client, server: c.server };
  const other = (dir: ChunkDir): ChunkDir => (dir === 'client' ? 'server' : 'client');
  // Next sequence number each side sends, and how much of the other side's bytes it has acknowledged.
  const next: Record<ChunkDir, number> = { client: fnv(`${c.seed}/client`), server: fnv(`${c.seed}/server`) };
  const acked: Record<ChunkDir, number> = { client: 0, server: 0 };
  let ipId = firstIpId;
  let last = c.startUs;

  const send = (dir: ChunkDir, flags: number, timestampUs: number, extra: { payload?: Uint8Array; options?: Uint8Array; comments?: string[] } = {}) => {
    last = Math.max(last, timestampUs);
    const segment: Segment = {
      from: ends[dir],
      to: ends[other(dir)],
      seq: next[dir] >>> 0,
      ack: flags & TCP.ACK ? next[other(dir)] >>> 0 : 0,
      flags,
      window: WINDOW,
      payload: extra.payload,
      options: extra.options,
    };
    if (flags & TCP.ACK) acked[dir] = next[other(dir)];
    packets.push({
      interfaceId,
      timestampUs: last,
      data: buildPacket(segment, ipId++),
      // Inbound: towards the lab's server (the interface the lab captures on); outbound: from it.
      flags: dir === 'client' ? EPB_INBOUND : EPB_OUTBOUND,
      ...(extra.comments?.length ? { comments: extra.comments } : {}),
    });
    next[dir] = (next[dir] + (extra.payload?.length ?? 0) + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0)) >>> 0;
  };

  send('client', TCP.SYN, c.startUs, { options: SYN_OPTIONS });
  send('server', TCP.SYN | TCP.ACK, c.startUs, { options: SYN_OPTIONS });
  send('client', TCP.ACK, c.startUs);

  for (const chunk of c.chunks) {
    for (let from = 0; from < chunk.data.length; from += MAX_SEGMENT) {
      const to = Math.min(chunk.data.length, from + MAX_SEGMENT);
      const comments = (chunk.comments ?? []).filter((m) => m.offset >= from && (m.offset < to || (to === chunk.data.length && m.offset === to))).map((m) => m.text);
      send(chunk.dir, TCP.ACK | (to === chunk.data.length ? TCP.PSH : 0), chunk.timestampUs, { payload: chunk.data.subarray(from, to), comments });
      // The receiver acknowledges now and then, as a real one would.
      const receiver = other(chunk.dir);
      if (((next[chunk.dir] - acked[receiver]) >>> 0) >= ACK_EVERY) send(receiver, TCP.ACK, chunk.timestampUs);
    }
  }

  if (c.endUs !== null) {
    const end = Math.max(c.endUs, last);
    send('client', TCP.FIN | TCP.ACK, end);
    send('server', TCP.FIN | TCP.ACK, end);
    send('client', TCP.ACK, end);
  }
  return packets;
}
