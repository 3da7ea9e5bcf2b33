/**
 * Exports of recorded connections: JSON (lossless, re-importable), plain text for handouts,
 * pcapng (each connection a synthesised TCP stream, annotated, with the TLS key log embedded) and
 * the key log alone (NSS format, for Wireshark's "(Pre)-Master-Secret log filename").
 */
import type { Capture } from '../store/captures.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from './export-file.ts';
import { LINKTYPE, SECRETS_TLS_KEYLOG, writePcapng, type PcapngPacket } from './pcapng.ts';
import { parseEndpoint, type Endpoint } from './tcp-packets.ts';
import { synthesise, type SynthChunk } from './tcp-synth.ts';
import { counted } from '../text/numbers.ts';

/** The export formats (`?format=`). */
export const EXPORT_FORMATS = ['json', 'text', 'pcapng', 'keylog'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One connection to export: its facts, its stored transcript and its capture. */
export interface ConnectionRecord {
  connection: ConnectionInfo;
  messages: LabMessage[];
  capture: Capture;
}

/** What the route sends: the bytes, their type and a file name for Content-Disposition. */
export interface ExportOutput {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** Marks the comment of each connection in a pcapng's section header, so the import knows what it was. */
export const PCAPNG_CONNECTION_TAG = 'Protocol Lab connection ';

/** The lab's default public ports: where a connection recorded without its server address is placed. */
const DEFAULT_PORTS: Record<Protocol, number> = { smtp: 2525, ftp: 2121, ssh: 2222, soap: 8080, zmq: 5555, policy: 8080, gateway: 8090 };
/** FTP's data port (RFC 959 §3.2), for data connections recorded without their server address. */
const FTP_DATA_PORT = 20;

/** Builds an export of `records` (a connection and its children, or a selection) in `format`. */
export function buildExport(records: ConnectionRecord[], format: ExportFormat, name: string, now = new Date()): ExportOutput {
  switch (format) {
    case 'json':
      return { body: Buffer.from(JSON.stringify(jsonExport(records, now), null, 1)), contentType: 'application/json; charset=utf-8', filename: `${name}.json` };
    case 'text':
      return { body: Buffer.from(textExport(records)), contentType: 'text/plain; charset=utf-8', filename: `${name}.txt` };
    case 'pcapng':
      return { body: pcapngExport(records, now), contentType: 'application/x-pcapng', filename: `${name}.pcapng` };
    case 'keylog':
      return { body: Buffer.from(keylogOf(records)), contentType: 'text/plain; charset=utf-8', filename: `${name}.keylog` };
  }
}

/** Every key log line of the records, once each, one per line (NSS key log format). */
export function keylogOf(records: ConnectionRecord[]): string {
  const lines = [...new Set(records.flatMap((r) => r.capture.keylog))];
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The lossless JSON export. */
export function jsonExport(records: ConnectionRecord[], now = new Date()): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    connections: records.map((r) => ({
      connection: r.connection,
      messages: r.messages,
      chunks: r.capture.chunks.map((c) => ({ dir: c.dir, seq: c.seq, t: c.t, offset: c.offset, data: c.data.toString('base64') })),
      captureTruncatedAt: r.capture.truncatedAt,
      keylog: r.capture.keylog,
    })),
  };
}

/**
 * Why the capture holds less than crossed the wire, or nothing: an unclaimed connection's bytes were never
 * kept (lib/wire/recorder.ts), so its pcapng stream is a bare handshake and close that must not pass for a
 * capture of an empty session; a capture stops at LAB_CAPTURE_BYTES.
 */
function truncation(record: ConnectionRecord): string | null {
  if (record.connection.unclaimed) return 'bytes not kept: it never logged in to a sandbox, and they could hold a mistyped password of a student';
  return record.capture.truncatedAt === null ? null : `capture truncated at ${record.capture.truncatedAt} bytes (LAB_CAPTURE_BYTES)`;
}

const who: Record<LabMessage['dir'], string> = { client: 'C:', server: 'S:', note: '--' };

/** A note's text without the em dashes the terminal frames some notes with ('— TLS starts here … —'): '--' marks it here. */
function noteText(text: string): string {
  return text.replace(/^\s*—\s*/, '').replace(/\s*—\s*$/, '');
}

/** A handout: each connection's messages in wire order, each annotation with its RFC reference under it. */
export function textExport(records: ConnectionRecord[]): string {
  const out: string[] = [];
  for (const r of records) {
    const c = r.connection;
    out.push(`${c.protocol.toUpperCase()} connection ${c.id}${c.label ? ` (${c.label})` : ''}${c.parent ? `, part of ${c.parent}` : ''}`);
    out.push(`  client ${c.client} → server ${c.server ?? 'unknown'}, started ${new Date(c.startedAt).toISOString()}${c.endedAt ? `, ended ${new Date(c.endedAt).toISOString()}` : ', still open'}`);
    const cut = truncation(r);
    if (cut) out.push(`  ${cut}`);
    out.push('');
    for (const m of r.messages) {
      const view = m.view === 'endpoint' ? ' [endpoint view]' : '';
      const lines = (m.dir === 'note' ? noteText(m.text) : m.text).split('\n');
      out.push(`#${m.seq}  +${m.t.toFixed(1)} ms  ${who[m.dir]} ${lines[0]}${view}`);
      for (const line of lines.slice(1)) out.push(`        ${line}`);
      for (const f of m.fields ?? []) out.push(`        ${f.name}: ${f.value}${f.note ? ` (${f.note})` : ''}`);
      const a = m.annotation;
      if (a) {
        out.push(`        ${a.title}${a.key ? ` [${a.key}]` : ''}${a.ref ? ` — ${a.ref}` : ''}${a.level && a.level !== 'info' ? ` (${a.level})` : ''}`);
        if (a.explain) out.push(`        ${a.explain}`);
      }
      if (m.edited) out.push(`        edited in step mode; held as: ${m.edited.original}`);
      if (m.injected) out.push(`        produced by the scripted fault ${m.injected.rule}: ${m.injected.title}`);
    }
    out.push('', '');
  }
  return out.join('\n');
}

/** The opt_comment of a message's first packet: its step number, annotation title, key and RFC reference. */
export function packetComment(m: LabMessage): string {
  const a = m.annotation;
  const first = m.text.split('\n')[0];
  if (!a) return `step ${m.seq}: ${first.length > 120 ? `${first.slice(0, 120)}…` : first}`;
  return [`step ${m.seq}: ${a.title}`, a.key, a.ref].filter(Boolean).join(' · ');
}

/** Where the connection was on the wire: its recorded addresses, or the lab's defaults for one recorded without. */
export function endpointsOf(c: ConnectionInfo, index: number, parentProtocol?: Protocol): { client: Endpoint; server: Endpoint } {
  const fallbackPort = c.protocol === 'ftp' && parentProtocol === 'ftp' ? FTP_DATA_PORT : DEFAULT_PORTS[c.protocol];
  return {
    client: parseEndpoint(c.client) ?? { ip: '127.0.0.1', port: 40000 + (index % 20000) },
    server: parseEndpoint(c.server) ?? { ip: '127.0.0.1', port: fallbackPort },
  };
}

/** The chunks of one connection, each with the comments of the wire messages that start in it. */
function synthChunks(r: ConnectionRecord): SynthChunk[] {
  const startUs = r.connection.startedAt * 1000;
  const chunks: SynthChunk[] = r.capture.chunks.map((c) => ({ dir: c.dir, timestampUs: startUs + c.t * 1000, data: c.data, comments: [] }));
  for (const dir of ['client', 'server'] as const) {
    const own = r.capture.chunks.map((c, i) => ({ c, i })).filter(({ c }) => c.dir === dir);
    let k = 0;
    for (const m of r.messages) {
      if (m.dir !== dir || m.at === undefined || m.view !== 'wire') continue;
      // Messages come in stream order, so the chunk holding this one is at or after the last one's.
      while (k < own.length && own[k].c.offset + own[k].c.data.length <= m.at) k++;
      if (k === own.length) break;
      const { c, i } = own[k];
      if (m.at >= c.offset) chunks[i].comments!.push({ offset: m.at - c.offset, text: packetComment(m) });
    }
  }
  return chunks;
}

/** Each connection a TCP stream; packets of all of them in time order; the key log as a Decryption Secrets Block. */
export function pcapngExport(records: ConnectionRecord[], now = new Date()): Buffer {
  const protocolOf = new Map(records.map((r) => [r.connection.id, r.connection.protocol]));
  const comments = [`Protocol Lab export of ${counted(records.length, 'connection')}, ${now.toISOString()}. Each packet's comment names the lab's step (the message's number in its transcript) and annotation.`];
  const streams: PcapngPacket[][] = [];
  records.forEach((r, index) => {
    const c = r.connection;
    const { client, server } = endpointsOf(c, index, c.parent ? protocolOf.get(c.parent) : undefined);
    const cut = truncation(r);
    const tag = { id: c.id, protocol: c.protocol, client: `${client.ip}:${client.port}`, server: `${server.ip}:${server.port}`, label: c.label, parent: c.parent, captureTruncatedAt: r.capture.truncatedAt };
    comments.push(`${PCAPNG_CONNECTION_TAG}${JSON.stringify(tag)}${cut ? ` — ${cut}` : ''}`);
    streams.push(synthesise({ client, server, seed: c.id, startUs: c.startedAt * 1000, endUs: c.endedAt === null ? null : c.endedAt * 1000, chunks: synthChunks(r) }));
  });
  const keylog = keylogOf(records);
  return writePcapng({
    comments,
    userAppl: 'Protocol Lab',
    interfaces: [{ linkType: LINKTYPE.RAW, name: 'protocol-lab' }],
    secrets: keylog ? [{ type: SECRETS_TLS_KEYLOG, data: Buffer.from(keylog) }] : [],
    packets: mergeByTime(streams),
  });
}

/** Merges per-connection packet lists (each in order) by timestamp; ties keep connection order. */
function mergeByTime(streams: PcapngPacket[][]): PcapngPacket[] {
  if (streams.length === 1) return streams[0];
  const all = streams.flatMap((packets, s) => packets.map((p, i) => ({ p, s, i })));
  all.sort((a, b) => a.p.timestampUs - b.p.timestampUs || a.s - b.s || a.i - b.i);
  // Within a connection the order must stay as synthesised even where its clock went back a little.
  const next = streams.map(() => 0);
  return all.map(({ s }) => streams[s][next[s]++]);
}
