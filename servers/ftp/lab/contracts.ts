/**
 * The FTP lab's routes (/api/ftp/…), declared once for the daemon (routes.ts), the page
 * (components/ftp/api.ts) and the tests. Pure zod and types: the browser imports this file.
 */
import { z } from 'zod';
import { raw, route, segment } from '../../../lib/http/contract.ts';
import type { ComparisonRow } from './compare.ts';

const name = z.string().min(1).max(255).regex(/^[^\0\r\n]+$/);
const bool = z.enum(['0', '1', 'true', 'false']).optional();
/** A query flag: on for '1' and 'true' (secure), or off only for '0' and 'false' (passive). */
export const TransferQuery = z.object({
  name,
  secure: bool.transform((v) => v === '1' || v === 'true'),
  passive: bool.transform((v) => v !== '0' && v !== 'false'),
});

const Range = z.object({ min: z.number(), max: z.number() }).nullable();

/** A transfer started through the API, pollable for progress (GET /api/ftp/transfers/:id). */
export const TransferSchema = z.object({
  id: z.string(),
  direction: z.enum(['upload', 'download']),
  name: z.string(),
  bytes: z.number(),
  total: z.number().nullable(),
  done: z.boolean(),
  error: z.string().nullable(),
  conn: z.string().nullable(),
});
export type Transfer = z.infer<typeof TransferSchema>;

export const StatusSchema = z.object({ firewall: z.boolean(), port: z.number(), passiveRange: Range, maxFileBytes: z.number() });

/** One listing entry of the friendly client; `modified` as the server's LIST line gives it ("Dec 07 00:51"). */
export const ClientEntrySchema = z.object({ name: z.string(), size: z.number(), isDirectory: z.boolean(), modified: z.string().optional() });

export const ComparisonRowSchema: z.ZodType<ComparisonRow> = z.object({
  protocol: z.enum(['FTPS', 'SFTP']),
  ok: z.boolean(),
  error: z.string().optional(),
  tcpConnections: z.number(),
  ports: z.array(z.string()),
  encrypted: z.string(),
  auth: z.string(),
  payloadBytes: z.number(),
  bytesOnWire: z.number(),
  ms: z.number(),
  connections: z.array(z.string()).optional(),
});

export const ftpContracts = {
  status: route({ method: 'GET', path: '/api/ftp/status', reply: StatusSchema }),
  firewall: route({ method: 'POST', path: '/api/ftp/firewall', body: z.object({ enabled: z.boolean() }), reply: z.object({ firewall: z.boolean() }) }),
  /** One friendly-client action in an API-held session; a failed action answers ok: false with the client's log. */
  client: route({
    method: 'POST',
    path: '/api/ftp/client',
    bodyLimit: 2 * 1024 * 1024,
    body: z.object({
      session: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      action: z.enum(['open', 'ls', 'cd', 'pwd', 'get', 'put', 'rename', 'delete', 'mkdir', 'rmdir', 'close']),
      passive: z.boolean().optional(),
      secure: z.boolean().optional(),
      path: z.string().max(1024).optional(),
      to: z.string().max(1024).optional(),
      content: z.string().max(1024 * 1024).optional(),
    }),
    reply: z.object({
      ok: z.boolean(),
      /** The session's control connection; null while it is not connected (never opened, or closed by the server). */
      conn: z.string().nullable(),
      passive: z.boolean(),
      secure: z.boolean(),
      log: z.array(z.string()),
      /** ls: the entries; open/cd/pwd: a path or connection id; get: the file in base64; else null. */
      result: z.union([z.array(ClientEntrySchema), z.string(), z.null()]).optional(),
      error: z.string().optional(),
    }),
  }),
  /** The body is the file; an upload may name its transfer up front, so the page can poll its progress while the request runs. */
  upload: route({
    method: 'POST',
    path: '/api/ftp/upload',
    query: TransferQuery.extend({ transfer: z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'transfer: 6–32 letters, digits, _ or -').optional() }),
    body: 'bytes',
    reply: z.object({ transfer: z.string(), conn: z.string().nullable(), bytes: z.number(), ms: z.number() }),
  }),
  download: route({ method: 'GET', path: '/api/ftp/download', query: TransferQuery, reply: raw('application/octet-stream') }),
  transfer: route({ method: 'GET', path: '/api/ftp/transfers/:id', params: { id: segment(/[A-Za-z0-9_-]{1,32}/) }, reply: TransferSchema }),
  compare: route({
    method: 'POST',
    path: '/api/ftp/compare',
    body: z.object({ bytes: z.number().int().min(1).max(64 * 1024 * 1024).default(1024 * 1024) }).strict(),
    reply: z.object({ bytes: z.number(), rows: z.array(ComparisonRowSchema) }),
  }),
};
