/**
 * Imports: a JSON export or a pcapng file back into connections of the importer's sandbox, labelled
 * imported, their bytes re-dissected with the protocol's dissector (lib/capture/redissect.ts) and
 * stored again as their capture, so the player, the bytes view and the exports work on them as on
 * any recorded connection.
 */
import type { CapturedChunk, ChunkDir } from '../bus/captures.ts';
import type { Dissector } from '../protocols/types.ts';
import { escapeControls } from '../wire/escape.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { newConnectionId } from '../wire/recorder.ts';
import type { ImportFile, ImportMessage } from './export-file.ts';
import { PCAPNG_CONNECTION_TAG } from './export.ts';
import { readPcapng, SECRETS_TLS_KEYLOG } from './pcapng.ts';
import { fromFile, mergeWithFile, redissect, stamp, type ImportChunk } from './redissect.ts';
import { reassemble } from './tcp-reassembly.ts';

/** One connection read from a file, before it is re-dissected. */
export interface ImportSource {
  protocol: Protocol;
  /** Its id in the file (a JSON export, or a pcapng the lab wrote): how children find their parent. */
  originalId: string | null;
  parentOriginalId: string | null;
  client: string;
  server?: string;
  label?: string;
  startedAt: number;
  endedAt: number;
  chunks: ImportChunk[];
  /** A JSON export's transcript (untrusted): where the endpoint view and the lab's notes come from. */
  fileMessages: ImportMessage[] | null;
  keylog: string[];
  truncatedAt: number | null;
}

/** An imported connection, ready to publish: its facts, transcript, capture and key log. */
export interface ImportedConnection {
  info: ConnectionInfo;
  messages: LabMessage[];
  chunks: CapturedChunk[];
  truncatedAt: number | null;
  keylog: string[];
}

const KEYLOG_LINE = /^[A-Z0-9_]{1,64} [0-9a-fA-F]{16,256} [0-9a-fA-F]{16,512}$/;

/** Only well-formed NSS key log lines (LABEL client_random secret); anything else in a file is dropped. */
function keylogLines(lines: Iterable<string>): string[] {
  return [...new Set([...lines].map((l) => l.trim()).filter((l) => KEYLOG_LINE.test(l)))];
}

/** The connections of a JSON export. */
export function sourcesFromJson(file: ImportFile): ImportSource[] {
  return file.connections.map((entry) => {
    const c = entry.connection;
    const chunks = [...entry.chunks].sort((a, b) => a.seq - b.seq).map((ch) => ({ dir: ch.dir, t: ch.t, data: Buffer.from(ch.data, 'base64') }));
    return {
      protocol: c.protocol,
      originalId: c.id,
      parentOriginalId: c.parent ?? null,
      client: c.client,
      server: c.server,
      label: c.label,
      startedAt: c.startedAt,
      endedAt: c.endedAt ?? c.startedAt + Math.max(0, ...entry.messages.map((m) => m.t), ...chunks.map((ch) => ch.t)),
      chunks,
      fileMessages: entry.messages,
      keylog: keylogLines(entry.keylog ?? []),
      truncatedAt: entry.captureTruncatedAt ?? null,
    };
  });
}

/** What a pcapng the lab wrote says about each connection (its section header's comments). */
interface ConnectionTag {
  id?: string;
  protocol?: string;
  client?: string;
  server?: string;
  label?: string;
  parent?: string;
  captureTruncatedAt?: number | null;
}

function tagsOf(comments: string[]): Map<string, ConnectionTag> {
  const tags = new Map<string, ConnectionTag>();
  for (const comment of comments) {
    if (!comment.startsWith(PCAPNG_CONNECTION_TAG)) continue;
    const json = comment.slice(PCAPNG_CONNECTION_TAG.length).replace(/ — capture truncated.*$/, '');
    try {
      const tag = JSON.parse(json) as ConnectionTag;
      if (typeof tag === 'object' && tag && typeof tag.client === 'string' && typeof tag.server === 'string') tags.set(`${tag.client}>${tag.server}`, tag);
    } catch {
      // A comment that only looks like ours: the stream is imported by its port instead.
    }
  }
  return tags;
}

const str = (v: unknown, max = 200): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

/**
 * The TCP connections of a pcapng file whose protocol the lab knows (from the lab's own comments,
 * else by the server's port); `skipped` counts the others. Key log lines from a Decryption Secrets
 * Block go to the connection whose ClientHello carries their client random.
 */
export function sourcesFromPcapng(bytes: Uint8Array, protocolOfPort: (port: number) => Protocol | null): { sources: ImportSource[]; skipped: number } {
  const file = readPcapng(bytes);
  const tags = tagsOf(file.comments);
  const serverPorts = new Set([...tags.values()].map((t) => Number(t.server?.split(':').pop())));
  const frames = file.packets.map((p) => ({ linkType: file.interfaces[p.interfaceId]?.linkType ?? -1, timestampUs: p.timestampUs, data: p.data }));
  const streams = reassemble(frames, (port) => serverPorts.has(port) || protocolOfPort(port) !== null);
  const sources: ImportSource[] = [];
  let skipped = 0;
  for (const s of streams) {
    const client = `${s.client.ip}:${s.client.port}`;
    const server = `${s.server.ip}:${s.server.port}`;
    const tag = tags.get(`${client}>${server}`);
    const tagged = PROTOCOLS.find((p) => p === tag?.protocol);
    const protocol = tagged ?? protocolOfPort(s.server.port);
    if (!protocol) {
      skipped++;
      continue;
    }
    const startMs = s.startUs / 1000;
    sources.push({
      protocol,
      originalId: str(tag?.id) ?? null,
      parentOriginalId: str(tag?.parent) ?? null,
      client,
      server,
      label: str(tag?.label),
      startedAt: Math.round(startMs),
      endedAt: Math.round(s.endUs / 1000),
      chunks: s.chunks.map((c) => ({ dir: c.dir, t: Math.max(0, c.timestampUs / 1000 - startMs), data: c.data })),
      fileMessages: null,
      keylog: [],
      truncatedAt: typeof tag?.captureTruncatedAt === 'number' ? tag.captureTruncatedAt : null,
    });
  }
  const lines = keylogLines(file.secrets.filter((s) => s.type === SECRETS_TLS_KEYLOG).flatMap((s) => Buffer.from(s.data).toString('utf8').split('\n')));
  for (const line of lines) {
    const random = Buffer.from(line.split(' ')[1], 'hex');
    const owner = sources.find((src) => src.chunks.some((c) => c.dir === 'client' && Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength).includes(random))) ?? sources[0];
    owner?.keylog.push(line);
  }
  return { sources, skipped };
}

/** How the importer reaches the lab: a dissector for each connection (null: keep the file's transcript), the capture cap. */
export interface ImportDeps {
  sandbox: string;
  /** The dissector a connection of `source.protocol` gets (`parent`: the source it belongs to, when it has one). */
  dissectorFor(source: ImportSource, parent: ImportSource | undefined, conn: string): Dissector | null;
  captureLimit: number;
}

/** Re-dissects every source into a connection of the importer's sandbox; children keep their parents. */
export function buildImported(sources: ImportSource[], deps: ImportDeps): ImportedConnection[] {
  const byOriginal = new Map(sources.flatMap((s) => (s.originalId ? [[s.originalId, s] as const] : [])));
  const newIds = new Map(sources.map((s) => [s, newConnectionId(s.protocol)]));
  return sources.map((source) => {
    const id = newIds.get(source)!;
    const parentSource = source.parentOriginalId ? byOriginal.get(source.parentOriginalId) : undefined;
    const dissector = deps.dissectorFor(source, parentSource, id);
    const endT = Math.max(0, source.endedAt - source.startedAt);
    let placed;
    if (dissector && source.chunks.length > 0) {
      const fresh = redissect(dissector, source.chunks, endT);
      placed = source.fileMessages ? mergeWithFile(source.fileMessages, fresh) : fresh;
    } else {
      placed = [...(source.fileMessages ?? [])].sort((a, b) => a.seq - b.seq).map(fromFile);
    }
    const messages = stamp(placed, { id, sandbox: deps.sandbox, protocol: source.protocol });
    const { chunks, truncatedAt } = captureOf(id, source, deps.captureLimit);
    const label = escapeControls(`imported${source.label ? `: ${source.label}` : ''}`).slice(0, 200);
    const info: ConnectionInfo = {
      id,
      protocol: source.protocol,
      sandbox: deps.sandbox,
      startedAt: source.startedAt,
      endedAt: Math.max(source.endedAt, source.startedAt),
      messageCount: messages.length,
      client: escapeControls(source.client).slice(0, 200),
      ...(source.server ? { server: escapeControls(source.server).slice(0, 200) } : {}),
      label,
      ...(parentSource ? { parent: newIds.get(parentSource) } : {}),
    };
    return { info, messages, chunks, truncatedAt, keylog: source.keylog };
  });
}

/** The source's chunks as stored captures (seq, offsets per direction), up to the per-connection cap. */
function captureOf(conn: string, source: ImportSource, limit: number): { chunks: CapturedChunk[]; truncatedAt: number | null } {
  const offsets: Record<ChunkDir, number> = { client: 0, server: 0 };
  const chunks: CapturedChunk[] = [];
  let kept = 0;
  let truncatedAt = source.truncatedAt;
  for (const c of source.chunks) {
    const room = limit - kept;
    const data = c.data.length <= room ? c.data : c.data.subarray(0, Math.max(0, room));
    if (data.length > 0) chunks.push({ conn, dir: c.dir, seq: chunks.length + 1, t: Math.round(c.t * 10) / 10, offset: offsets[c.dir], latin1: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1') });
    offsets[c.dir] += c.data.length;
    kept += data.length;
    if (data.length < c.data.length) {
      truncatedAt = kept;
      break;
    }
  }
  return { chunks, truncatedAt };
}
