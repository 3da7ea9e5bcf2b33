import { groupDigits } from '../text/numbers.ts';
/**
 * A small pcapng writer and reader of our own (draft-ietf-opsawg-pcapng: Section Header, Interface
 * Description, Enhanced and Simple Packet, Decryption Secrets blocks, and their options). No
 * maintained npm package writes pcapng (the ones there read it, or write classic pcap only), and
 * the format is simple enough to write from the spec: blocks of 32-bit words, each framed by its
 * total length at both ends. tests/integration/export-*.test.ts check what this writes with tshark.
 *
 * The reader takes files from anywhere (an upload): every length is checked against what is left
 * before it is used, unknown blocks are skipped, and the first problem is a PcapngError in words.
 */

/** A problem with a file handed to readPcapng, worded for the user. */
export class PcapngError extends Error {}

/** Block types (spec §4, §10.1). */
export const BLOCK = { SHB: 0x0a0d0d0a, IDB: 0x00000001, SPB: 0x00000003, EPB: 0x00000006, DSB: 0x0000000a } as const;
/** Link types (tcpdump.org/linktypes.html) the lab writes or reads. */
export const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;
/** Decryption Secrets Block type for a TLS key log in NSS format (spec §4.7). */
export const SECRETS_TLS_KEYLOG = 0x544c534b; // 'TLSK'
/** epb_flags direction bits (spec §4.3.1): inbound = towards the capturing host's interface. */
export const EPB_INBOUND = 0b01;
export const EPB_OUTBOUND = 0b10;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const EPB_FLAGS = 2;

/** One interface (IDB). Timestamps are written in microseconds (the default resolution). */
export interface PcapngInterface {
  linkType: number;
  /** 0 = no limit. */
  snapLen?: number;
  name?: string;
}

/** One packet (written as an EPB). */
export interface PcapngPacket {
  interfaceId: number;
  /** Microseconds since the epoch. */
  timestampUs: number;
  data: Uint8Array;
  /** opt_comment: one option per comment, in order. */
  comments?: string[];
  /** epb_flags (direction in bits 0–1). */
  flags?: number;
}

/** Secrets for a reader to decrypt with (DSB), e.g. a TLS key log. */
export interface PcapngSecrets {
  type: number;
  data: Uint8Array;
}

/** What a pcapng file holds, as far as the lab reads it. */
export interface PcapngFile {
  comments: string[];
  /** Interfaces of every section, numbered across sections in order. */
  interfaces: (PcapngInterface & { tsresolUs: number })[];
  packets: PcapngPacket[];
  secrets: PcapngSecrets[];
}

const pad4 = (n: number) => (n + 3) & ~3;

/** Little-endian block builder: body words, then the length at both ends. */
class Writer {
  private readonly parts: Buffer[] = [];

  block(type: number, body: Buffer, options: Buffer): void {
    const total = 12 + body.length + options.length;
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(total, 4);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(total, 0);
    this.parts.push(head, body, options, tail);
  }

  result(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A value padded to 32 bits. */
function padded(value: Uint8Array): Buffer {
  const out = Buffer.alloc(pad4(value.length));
  out.set(value, 0);
  return out;
}

/** Options, each padded to 32 bits, closed by opt_endofopt; nothing at all when there are none. */
function options(list: [code: number, value: Uint8Array][]): Buffer {
  if (list.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const [code, value] of list) {
    if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} longer than 65535 bytes`);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(code, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, padded(value));
  }
  parts.push(Buffer.alloc(4)); // opt_endofopt, length 0
  return Buffer.concat(parts);
}

const text = (s: string) => Buffer.from(s, 'utf8');
/** Comments are capped so one option never passes its 16-bit length (UTF-8 may take 4 bytes a character). */
const comment = (s: string): [number, Uint8Array] => [OPT_COMMENT, text(s.length > 16_000 ? `${s.slice(0, 16_000)}…` : s)];

/** Writes one section: header (with comments), interfaces, decryption secrets, then the packets in order. */
export function writePcapng(file: { comments?: string[]; userAppl?: string; interfaces: PcapngInterface[]; secrets?: PcapngSecrets[]; packets: PcapngPacket[] }): Buffer {
  const w = new Writer();
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeUInt16LE(0, 6);
  shb.writeBigInt64LE(-1n, 8); // section length not given
  const shbOptions: [number, Uint8Array][] = (file.comments ?? []).map(comment);
  if (file.userAppl) shbOptions.push([SHB_USERAPPL, text(file.userAppl)]);
  w.block(BLOCK.SHB, shb, options(shbOptions));

  for (const i of file.interfaces) {
    const idb = Buffer.alloc(8);
    idb.writeUInt16LE(i.linkType, 0);
    idb.writeUInt32LE(i.snapLen ?? 0, 4);
    w.block(BLOCK.IDB, idb, options(i.name ? [[IF_NAME, text(i.name)]] : []));
  }
  // Before the packets: a reader decrypts a packet with the secrets it has seen so far.
  for (const s of file.secrets ?? []) {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(s.type, 0);
    head.writeUInt32LE(s.data.length, 4);
    w.block(BLOCK.DSB, Buffer.concat([head, padded(s.data)]), Buffer.alloc(0));
  }
  for (const p of file.packets) {
    const head = Buffer.alloc(20);
    const ts = BigInt(Math.round(p.timestampUs));
    head.writeUInt32LE(p.interfaceId, 0);
    head.writeUInt32LE(Number(ts >> 32n), 4);
    head.writeUInt32LE(Number(ts & 0xffffffffn), 8);
    head.writeUInt32LE(p.data.length, 12);
    head.writeUInt32LE(p.data.length, 16);
    const opts: [number, Uint8Array][] = (p.comments ?? []).map(comment);
    if (p.flags !== undefined) {
      const flags = Buffer.alloc(4);
      flags.writeUInt32LE(p.flags, 0);
      opts.push([EPB_FLAGS, flags]);
    }
    w.block(BLOCK.EPB, Buffer.concat([head, padded(p.data)]), options(opts));
  }
  return w.result();
}

/** Bounds-checked reads in the current section's byte order. */
class Cursor {
  constructor(
    private readonly view: DataView,
    public little: boolean,
  ) {}

  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }
}

interface Option {
  code: number;
  value: Uint8Array;
}

/** Reads the options between `from` and `to`; stops at opt_endofopt. */
function readOptions(bytes: Uint8Array, c: Cursor, from: number, to: number): Option[] {
  const out: Option[] = [];
  let at = from;
  while (at + 4 <= to) {
    const code = c.u16(at);
    const length = c.u16(at + 2);
    if (code === OPT_ENDOFOPT) break;
    if (at + 4 + length > to) throw new PcapngError(`an option (code ${code}) runs past the end of its block at byte ${at}`);
    out.push({ code, value: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + pad4(length);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** Microseconds per timestamp unit for an if_tsresol value (spec §4.2: 10^-n, or 2^-n with the top bit set). */
function tsresolUs(options: Option[]): number {
  const value = options.find((o) => o.code === IF_TSRESOL)?.value[0];
  if (value === undefined) return 1;
  const exponent = value & 0x7f;
  return value & 0x80 ? 1e6 / 2 ** exponent : 1e6 / 10 ** exponent;
}

/** Reads a pcapng file; throws PcapngError, in words, at the first thing that is not pcapng. */
export function readPcapng(input: Uint8Array, limits: { maxPackets?: number } = {}): PcapngFile {
  const maxPackets = limits.maxPackets ?? 1_000_000;
  const bytes = input;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const file: PcapngFile = { comments: [], interfaces: [], packets: [], secrets: [] };
  if (bytes.length < 28 || view.getUint32(0, true) !== BLOCK.SHB) {
    throw new PcapngError(bytes.length >= 4 && (view.getUint32(0, true) === 0xa1b2c3d4 || view.getUint32(0, false) === 0xa1b2c3d4)
      ? 'This is a classic pcap file, not pcapng: save it as pcapng (Wireshark: File › Save As… › pcapng), then import it.'
      : 'This is not a pcapng file: it does not start with a Section Header Block.');
  }
  const c = new Cursor(view, true);
  let sectionBase = 0; // interfaces of earlier sections
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PcapngError(`the file ends inside a block header at byte ${at}`);
    // The SHB's type reads the same in both byte orders; every other block's in its section's order.
    const type = view.getUint32(at, true) === BLOCK.SHB ? BLOCK.SHB : c.u32(at);
    if (type === BLOCK.SHB) {
      // Each section says its own byte order.
      const magic = view.getUint32(at + 8, true);
      if (magic === BYTE_ORDER_MAGIC) c.little = true;
      else if (view.getUint32(at + 8, false) === BYTE_ORDER_MAGIC) c.little = false;
      else throw new PcapngError(`the Section Header Block at byte ${at} has no byte-order magic`);
      sectionBase = file.interfaces.length;
    }
    const total = c.u32(at + 4);
    if (total < 12 || total % 4 !== 0 || at + total > bytes.length) {
      throw new PcapngError(`the block at byte ${at} says it is ${total} bytes long, which ${at + total > bytes.length ? 'runs past the end of the file' : 'is not a valid block length'}`);
    }
    if (c.u32(at + total - 4) !== total) throw new PcapngError(`the block at byte ${at} ends with a different length than it starts with`);
    const body = at + 8;
    const end = at + total - 4;
    const need = (n: number, what: string) => {
      if (body + n > end) throw new PcapngError(`the ${what} at byte ${at} is too short`);
    };
    if (type === BLOCK.SHB) {
      need(16, 'Section Header Block');
      for (const o of readOptions(bytes, c, body + 16, end)) if (o.code === OPT_COMMENT) file.comments.push(utf8.decode(o.value));
    } else if (type === BLOCK.IDB) {
      need(8, 'Interface Description Block');
      const opts = readOptions(bytes, c, body + 8, end);
      const name = opts.find((o) => o.code === IF_NAME);
      file.interfaces.push({ linkType: c.u16(body), snapLen: c.u32(body + 4), tsresolUs: tsresolUs(opts), ...(name ? { name: utf8.decode(name.value) } : {}) });
    } else if (type === BLOCK.EPB || type === BLOCK.SPB) {
      if (file.packets.length >= maxPackets) throw new PcapngError(`the file holds more than ${groupDigits(maxPackets)} packets`);
      file.packets.push(type === BLOCK.EPB ? readEpb(bytes, c, at, body, end, sectionBase, file) : readSpb(bytes, c, at, body, end, sectionBase, file));
    } else if (type === BLOCK.DSB) {
      need(8, 'Decryption Secrets Block');
      const length = c.u32(body + 4);
      if (body + 8 + length > end) throw new PcapngError(`the secrets in the block at byte ${at} run past its end`);
      file.secrets.push({ type: c.u32(body), data: bytes.slice(body + 8, body + 8 + length) });
    }
    at += total;
  }
  return file;
}

function interfaceOf(file: PcapngFile, sectionBase: number, id: number, at: number): PcapngFile['interfaces'][number] {
  const found = file.interfaces[sectionBase + id];
  if (!found) throw new PcapngError(`the packet at byte ${at} names interface ${id}, which no Interface Description Block declared before it`);
  return found;
}

function readEpb(bytes: Uint8Array, c: Cursor, at: number, body: number, end: number, sectionBase: number, file: PcapngFile): PcapngPacket {
  if (body + 20 > end) throw new PcapngError(`the Enhanced Packet Block at byte ${at} is too short`);
  const interfaceId = c.u32(body);
  const iface = interfaceOf(file, sectionBase, interfaceId, at);
  const ticks = (BigInt(c.u32(body + 4)) << 32n) | BigInt(c.u32(body + 8));
  const captured = c.u32(body + 12);
  const dataStart = body + 20;
  if (dataStart + pad4(captured) > end) throw new PcapngError(`the packet in the block at byte ${at} runs past its end`);
  const opts = readOptions(bytes, c, dataStart + pad4(captured), end);
  const flags = opts.find((o) => o.code === EPB_FLAGS && o.value.length === 4);
  const comments = opts.filter((o) => o.code === OPT_COMMENT).map((o) => utf8.decode(o.value));
  return {
    interfaceId: sectionBase + interfaceId,
    timestampUs: Number(ticks) * iface.tsresolUs,
    data: bytes.subarray(dataStart, dataStart + captured),
    ...(comments.length ? { comments } : {}),
    ...(flags ? { flags: new DataView(flags.value.buffer, flags.value.byteOffset, 4).getUint32(0, c.little) } : {}),
  };
}

function readSpb(bytes: Uint8Array, c: Cursor, at: number, body: number, end: number, sectionBase: number, file: PcapngFile): PcapngPacket {
  if (body + 4 > end) throw new PcapngError(`the Simple Packet Block at byte ${at} is too short`);
  const iface = interfaceOf(file, sectionBase, 0, at);
  const original = c.u32(body);
  const captured = Math.min(original, end - body - 4, iface.snapLen || Infinity);
  // Simple Packet Blocks carry no timestamp.
  return { interfaceId: sectionBase, timestampUs: 0, data: bytes.subarray(body + 4, body + 4 + captured) };
}
