/**
 * The capture routes: a message's bytes (the bytes view), exports of a connection or a selection
 * (JSON, text, pcapng, key log) and imports (JSON export or pcapng) into the caller's sandbox.
 * Every read goes through the store with the caller's sandbox; an import is published on the bus
 * like any recorded connection, so the store keeps it and the caller's pages list it live.
 */
import type { IncomingMessage } from 'node:http';
import type { Bus } from '../../lib/bus/bus.ts';
import { buildExport, type ConnectionRecord, type ExportFormat } from '../../lib/capture/export.ts';
import { ExportFileSchema } from '../../lib/capture/export-file.ts';
import { buildImported, sourcesFromJson, sourcesFromPcapng, type ImportSource } from '../../lib/capture/import.ts';
import { PcapngError } from '../../lib/capture/pcapng.ts';
import { HttpError, RawResponse, defineRoute, readBytes, type ApiRoute } from '../../lib/http/api-kit.ts';
import { captureContracts as c, IMPORT_MAX_BYTES } from '../../lib/http/capture-contracts.ts';
import { BODY_TYPES, describeIssues } from '../../lib/http/contract.ts';
import { createFtpDataDissector } from '../../lib/protocols/ftp/data-summary.ts';
import type { Dissector } from '../../lib/protocols/types.ts';
import type { CaptureStore } from '../../lib/store/captures.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import type { LabMessage, Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { LabEndpoint } from './lab.ts';
import { counted } from '../../lib/text/numbers.ts';

/** What the capture routes read from. */
export interface CaptureRouteContext {
  sandboxOf(req: IncomingMessage): string;
  transcripts: TranscriptStore;
  captures: CaptureStore;
  bus: Bus;
  taps: Map<Protocol, Tap>;
  endpoints: () => LabEndpoint[];
}

/** Well-known ports, for a capture made elsewhere (the lab's own ports come from its endpoints). */
const WELL_KNOWN: Record<number, Protocol> = { 21: 'ftp', 22: 'ssh', 25: 'smtp', 587: 'smtp' };
/** The most messages read per page while collecting a transcript. */
const PAGE = 2000;

/** Every stored message of a connection, page by page. */
function allMessages(transcripts: TranscriptStore, sandbox: string, id: string): LabMessage[] {
  const messages: LabMessage[] = [];
  for (let from: number | null = 0; from !== null; ) {
    const page = transcripts.getConnection(sandbox, id, { from, limit: PAGE });
    if (!page) break;
    messages.push(...page.messages);
    from = page.next;
  }
  return messages;
}

/** The connections to export: each named one and the connections filed under it, once each, parents first. */
function collect(ctx: CaptureRouteContext, sandbox: string, ids: string[]): ConnectionRecord[] {
  const order: string[] = [];
  for (const id of ids) {
    if (!ctx.transcripts.getConnection(sandbox, id, { limit: 1 })) throw new HttpError(404, `No connection ${id}.`);
    for (const one of [id, ...ctx.captures.descendants(sandbox, id)]) if (!order.includes(one)) order.push(one);
  }
  return order.flatMap((id) => {
    const page = ctx.transcripts.getConnection(sandbox, id, { limit: 1 });
    const capture = ctx.captures.capture(sandbox, id);
    return page && capture ? [{ connection: page.connection, messages: allMessages(ctx.transcripts, sandbox, id), capture }] : [];
  });
}

function download(records: ConnectionRecord[], format: ExportFormat, name: string): RawResponse {
  const out = buildExport(records, format, name);
  return new RawResponse(out.body, out.contentType, { 'content-disposition': `attachment; filename="${out.filename}"` });
}

/** TLS records start with a handshake (22) in the first byte a client sends: PROT P on an FTP data connection. */
const startsWithTls = (source: ImportSource) => source.chunks.find((ch) => ch.data.length > 0)?.data[0] === 0x16;

export function captureRoutes(ctx: CaptureRouteContext): ApiRoute[] {
  const protocolOfPort = (port: number): Protocol | null => ctx.endpoints().find((e) => e.port === port)?.protocol ?? WELL_KNOWN[port] ?? null;

  const dissectorFor = (source: ImportSource, parent: ImportSource | undefined, conn: string, sandbox: string): Dissector | null => {
    // An FTP data connection is read by the data summariser, not by the control channel's dissector.
    if (source.protocol === 'ftp' && parent?.protocol === 'ftp') return createFtpDataDissector({ tls: startsWithTls(source) });
    const factory = ctx.taps.get(source.protocol)?.dissector;
    return factory ? factory({ conn, sandbox }) : null;
  };

  const readSources = async (req: IncomingMessage): Promise<{ sources: ImportSource[]; skipped: number }> => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const body = await readBytes(req, IMPORT_MAX_BYTES, `This file is larger than the import limit of ${IMPORT_MAX_BYTES / 1024 / 1024} MiB.`);
    if (body.length === 0) throw new HttpError(400, 'The import is empty: send a JSON export or a pcapng file.');
    // A JSON export sent as a file's bytes is still a JSON export (a pcapng starts with 0x0a, never '{').
    if (type === BODY_TYPES.json || /^\s*\{/.test(body.subarray(0, 64).toString('latin1'))) {
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'This is not JSON: send a Protocol Lab JSON export (format=json) as application/json.');
      }
      const parsed = ExportFileSchema.safeParse(value);
      if (!parsed.success) throw new HttpError(400, `This is not a Protocol Lab export: ${describeIssues(parsed.error)}`);
      return { sources: sourcesFromJson(parsed.data), skipped: 0 };
    }
    try {
      return sourcesFromPcapng(body, protocolOfPort);
    } catch (err) {
      if (err instanceof PcapngError) throw new HttpError(400, `This pcapng file cannot be read: ${err.message}`);
      if (err instanceof RangeError) throw new HttpError(413, `This capture is too large to import: ${err.message}.`);
      throw err;
    }
  };

  return [
    defineRoute(c.messageBytes, ({ params, req }) => {
      const found = ctx.captures.messageBytes(ctx.sandboxOf(req), params.id, params.seq);
      if (found === null) throw new HttpError(404, `No connection ${params.id}.`);
      if (typeof found === 'string') throw new HttpError(404, found);
      return { at: found.at, bytes: found.bytes, data: found.data.toString('base64'), truncated: found.truncated };
    }),
    defineRoute(c.exportConnection, ({ params, query, req }) => download(collect(ctx, ctx.sandboxOf(req), [params.id]), query.format, params.id)),
    defineRoute(c.exportSelection, ({ query, req }) => {
      const ids = [...new Set(query.conns.split(','))];
      return download(collect(ctx, ctx.sandboxOf(req), ids), query.format, ids.length === 1 ? ids[0] : `selection-${ids.length}-connections`);
    }),
    {
      ...defineRoute(c.import, async ({ req }) => {
        const sandbox = ctx.sandboxOf(req);
        const { sources, skipped } = await readSources(req);
        if (sources.length === 0) {
          throw new HttpError(400, `No connection in this capture is on a port a lab serves (${counted(skipped, 'TCP connection')} skipped): the lab cannot tell which protocol it speaks.`);
        }
        const imported = buildImported(sources, { sandbox, captureLimit: ctx.bus.captures.limitBytes, dissectorFor: (s, p, conn) => dissectorFor(s, p, conn, sandbox) });
        for (const one of imported) {
          // As a live connection would be: opened, its messages, its capture, closed.
          ctx.bus.publish({ type: 'connection.open', connection: { ...one.info } });
          for (const message of one.messages) ctx.bus.publish({ type: 'message', message });
          for (const chunk of one.chunks) ctx.bus.captures.publish({ type: 'capture.chunk', chunk });
          if (one.truncatedAt !== null) ctx.bus.captures.publish({ type: 'capture.truncated', conn: one.info.id, bytes: one.truncatedAt });
          for (const line of one.keylog) ctx.bus.captures.publish({ type: 'capture.keylog', conn: one.info.id, line });
          ctx.bus.publish({ type: 'connection.close', connection: { ...one.info } });
        }
        return {
          connections: imported.map((one) => ({ id: one.info.id, protocol: one.info.protocol, label: one.info.label ?? 'imported', messages: one.messages.length, ...(one.info.parent ? { parent: one.info.parent } : {}) })),
          skipped,
        };
      }),
      alsoAccepts: [BODY_TYPES.json],
    },
  ];
}
