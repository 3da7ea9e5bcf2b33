/**
 * IPv4/IPv6 + TCP packets, built and parsed: what the pcapng export synthesises a connection from,
 * and what the import reads a capture back with. Layouts: RFC 791 §3.1 (IPv4), RFC 8200 §3 (IPv6),
 * RFC 9293 §3.1 (TCP), checksums RFC 1071; link-layer headers per tcpdump.org/linktypes.html.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { LINKTYPE } from './pcapng.ts';

/** One end of a TCP connection. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** TCP flag bits. */
export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

/** What the export puts in one segment. */
export interface Segment {
  from: Endpoint;
  to: Endpoint;
  seq: number;
  ack: number;
  flags: number;
  /** Receive window (already scaled down by the window scale the SYNs announced). */
  window: number;
  payload?: Uint8Array;
  /** TCP options, a multiple of 4 bytes (the SYNs' MSS and window scale). */
  options?: Uint8Array;
}

/** '127.0.0.1:2525', '[::1]:2525', '::1:2525', '::ffff:127.0.0.1:2525' → an endpoint; null if it is none. */
export function parseEndpoint(address: string | undefined): Endpoint | null {
  if (!address) return null;
  const match = /^\[?(.+?)\]?:(\d{1,5})$/.exec(address.trim());
  if (!match) return null;
  const port = Number(match[2]);
  let ip = match[1];
  if (ip.toLowerCase().startsWith('::ffff:') && isIPv4(ip.slice(7))) ip = ip.slice(7);
  if (port > 65535 || !(isIPv4(ip) || isIPv6(ip))) return null;
  return { ip, port };
}

function ipv4Bytes(ip: string): Uint8Array {
  return Uint8Array.from(ip.split('.').map(Number));
}

/** Expands an IPv6 text (with ::, or a dotted IPv4 tail) into its 16 bytes. */
function ipv6Bytes(ip: string): Uint8Array {
  const out = new Uint8Array(16);
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Bytes(dotted[1]);
    text = text.slice(0, -dotted[1].length) + `${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((g, i) => {
    const value = parseInt(g || '0', 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  });
  return out;
}

/** The 16-bit one's complement sum of `parts` (RFC 1071), folded, not yet inverted. */
function onesSum(parts: Uint8Array[], initial = 0): number {
  let sum = initial;
  for (const part of parts) {
    for (let i = 0; i + 1 < part.length; i += 2) sum += (part[i] << 8) | part[i + 1];
    if (part.length % 2) sum += part[part.length - 1] << 8;
    // Fold now and then so the sum stays a small integer.
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** Whether both ends are IPv4 (else the packet is IPv6, an IPv4 end mapped to ::ffff:a.b.c.d). */
const bothIpv4 = (s: Segment) => isIPv4(s.from.ip) && isIPv4(s.to.ip);
const v6 = (ip: string) => (isIPv4(ip) ? ipv6Bytes(`::ffff:${ip}`) : ipv6Bytes(ip));

/** One IP packet carrying one TCP segment (for LINKTYPE_RAW: the packet starts with the IP header). */
export function buildPacket(s: Segment, ipId: number): Uint8Array {
  const payload = s.payload ?? new Uint8Array(0);
  const options = s.options ?? new Uint8Array(0);
  const tcp = new Uint8Array(20 + options.length + payload.length);
  const t = new DataView(tcp.buffer);
  t.setUint16(0, s.from.port);
  t.setUint16(2, s.to.port);
  t.setUint32(4, s.seq >>> 0);
  t.setUint32(8, s.ack >>> 0);
  t.setUint8(12, ((20 + options.length) / 4) << 4);
  t.setUint8(13, s.flags);
  t.setUint16(14, s.window);
  tcp.set(options, 20);
  tcp.set(payload, 20 + options.length);

  if (bothIpv4(s)) {
    const src = ipv4Bytes(s.from.ip);
    const dst = ipv4Bytes(s.to.ip);
    const pseudo = new Uint8Array(12);
    pseudo.set(src, 0);
    pseudo.set(dst, 4);
    pseudo[9] = 6;
    new DataView(pseudo.buffer).setUint16(10, tcp.length);
    t.setUint16(16, ~onesSum([pseudo, tcp]) & 0xffff);
    const packet = new Uint8Array(20 + tcp.length);
    const ip = new DataView(packet.buffer);
    ip.setUint8(0, 0x45);
    ip.setUint16(2, packet.length);
    ip.setUint16(4, ipId & 0xffff);
    ip.setUint16(6, 0x4000); // don't fragment
    ip.setUint8(8, 64);
    ip.setUint8(9, 6);
    packet.set(src, 12);
    packet.set(dst, 16);
    ip.setUint16(10, ~onesSum([packet.subarray(0, 20)]) & 0xffff);
    packet.set(tcp, 20);
    return packet;
  }
  const src = v6(s.from.ip);
  const dst = v6(s.to.ip);
  const pseudo = new Uint8Array(40);
  pseudo.set(src, 0);
  pseudo.set(dst, 16);
  new DataView(pseudo.buffer).setUint32(32, tcp.length);
  pseudo[39] = 6;
  t.setUint16(16, ~onesSum([pseudo, tcp]) & 0xffff);
  const packet = new Uint8Array(40 + tcp.length);
  const ip = new DataView(packet.buffer);
  ip.setUint32(0, 0x60000000);
  ip.setUint16(4, tcp.length);
  ip.setUint8(6, 6);
  ip.setUint8(7, 64);
  packet.set(src, 8);
  packet.set(dst, 24);
  packet.set(tcp, 40);
  return packet;
}

/** A TCP segment read from a captured packet. */
export interface ParsedSegment {
  from: Endpoint;
  to: Endpoint;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
}

function ipv4Text(b: Uint8Array): string {
  return Array.from(b).join('.');
}

function ipv6Text(b: Uint8Array): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return ipv4Text(b.subarray(12, 16));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Where the IP packet starts in a frame of `linkType`, and its version; null if it carries no IP. */
function ipStart(linkType: number, frame: Uint8Array): number | null {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const at = (n: number) => (frame.length >= n ? n : null);
  switch (linkType) {
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return 0;
    case LINKTYPE.NULL:
      return at(4);
    case LINKTYPE.ETHERNET: {
      let offset = 12;
      // 802.1Q / QinQ tags before the EtherType.
      while (frame.length >= offset + 2 && [0x8100, 0x88a8].includes(view.getUint16(offset))) offset += 4;
      if (frame.length < offset + 2) return null;
      return [0x0800, 0x86dd].includes(view.getUint16(offset)) ? offset + 2 : null;
    }
    case LINKTYPE.LINUX_SLL:
      return frame.length >= 16 && [0x0800, 0x86dd].includes(view.getUint16(14)) ? 16 : null;
    case LINKTYPE.LINUX_SLL2:
      return frame.length >= 20 && [0x0800, 0x86dd].includes(view.getUint16(0)) ? 20 : null;
    default:
      return null;
  }
}

/** The link types parseFrame reads. */
export const READABLE_LINKTYPES: ReadonlySet<number> = new Set(Object.values(LINKTYPE));

/** The TCP segment in a captured frame, or null (not IP, not TCP, a fragment, cut short). Never throws. */
export function parseFrame(linkType: number, frame: Uint8Array): ParsedSegment | null {
  const start = ipStart(linkType, frame);
  if (start === null || frame.length < start + 20) return null;
  const ip = frame.subarray(start);
  const view = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  const version = ip[0] >> 4;
  let tcpStart: number;
  let tcpEnd: number;
  let from: string;
  let to: string;
  if (version === 4) {
    const headerLength = (ip[0] & 0x0f) * 4;
    const total = view.getUint16(2);
    // Fragments (other than a whole datagram) are not reassembled: the lab's and loopback captures have none.
    if (ip[9] !== 6 || headerLength < 20 || (view.getUint16(6) & 0x3fff) !== 0) return null;
    tcpStart = headerLength;
    tcpEnd = Math.min(ip.length, total || ip.length);
    from = ipv4Text(ip.subarray(12, 16));
    to = ipv4Text(ip.subarray(16, 20));
  } else if (version === 6) {
    if (ip.length < 40 || ip[6] !== 6) return null; // extension headers are not followed
    tcpStart = 40;
    tcpEnd = Math.min(ip.length, 40 + view.getUint16(4));
    from = ipv6Text(ip.subarray(8, 24));
    to = ipv6Text(ip.subarray(24, 40));
  } else {
    return null;
  }
  if (tcpEnd < tcpStart + 20) return null;
  const dataOffset = (ip[tcpStart + 12] >> 4) * 4;
  if (dataOffset < 20 || tcpStart + dataOffset > tcpEnd) return null;
  return {
    from: { ip: from, port: view.getUint16(tcpStart) },
    to: { ip: to, port: view.getUint16(tcpStart + 2) },
    seq: view.getUint32(tcpStart + 4),
    ack: view.getUint32(tcpStart + 8),
    flags: ip[tcpStart + 13],
    payload: ip.subarray(tcpStart + dataOffset, tcpEnd),
  };
}
