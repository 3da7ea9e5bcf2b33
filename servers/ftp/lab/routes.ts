/**
 * /api/ftp/… — the FTP lab's JSON routes: firewall toggle, friendly-client actions, upload and
 * download through the tap (with progress you can poll), and the FTPS-vs-SFTP comparison.
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { HttpError, RawResponse, parse, readJson, type ApiRoute } from '../../../lib/http/api-kit.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { LabContext } from '../../daemon/lab.ts';
import { FriendlyClient } from './client-mode.ts';
import { compareFtpsWithSftp } from './compare.ts';
import type { DataRelays } from './data-relays.ts';

const FirewallBody = z.object({ enabled: z.boolean() });
const name = z.string().min(1).max(255).regex(/^[^\0\r\n]+$/);
const flag = z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true');
const TransferQuery = z.object({ name, secure: flag, passive: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v !== '0' && v !== 'false') });
/** An upload may name its transfer up front, so the page can poll its progress while the request is still running. */
const UploadQuery = TransferQuery.extend({ transfer: z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'transfer: 6–32 letters, digits, _ or -').optional() });
const ClientBody = z.object({
  session: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  action: z.enum(['open', 'ls', 'cd', 'pwd', 'get', 'put', 'rename', 'delete', 'close']),
  passive: z.boolean().optional(),
  secure: z.boolean().optional(),
  path: z.string().max(1024).optional(),
  to: z.string().max(1024).optional(),
  content: z.string().max(1024 * 1024).optional(),
});
const CompareBody = z.object({ bytes: z.number().int().min(1).max(64 * 1024 * 1024).default(1024 * 1024), sshPort: z.number().int().min(1).max(65535).optional() });

/** A transfer started through the API, pollable for progress (GET /api/ftp/transfers/:id). */
export interface Transfer {
  id: string;
  direction: 'upload' | 'download';
  name: string;
  bytes: number;
  total: number | null;
  done: boolean;
  error: string | null;
  conn: string | null;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `Upload larger than the lab's limit of ${limit.toLocaleString('en')} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Builds the routes; `close()` ends every API-held FTP session. */
export function ftpRoutes(deps: { ctx: LabContext; tap: Tap; relays: DataRelays; root: string }): { routes: ApiRoute[]; close(): Promise<void> } {
  const { ctx, tap, relays } = deps;
  const sessions = new Map<string, { client: FriendlyClient; log: string[] }>();
  const transfers = new Map<string, Transfer>();

  const session = (id: string) => {
    let entry = sessions.get(id);
    if (!entry) {
      const log: string[] = [];
      const client = new FriendlyClient(tap, { ...ctx.credentials, log: (line) => log.push(line) });
      entry = { client, log };
      if (sessions.size >= 20) throw new HttpError(429, 'Too many API FTP sessions; close some first.');
      sessions.set(id, entry);
    }
    return entry;
  };

  /** Registers a pollable transfer record; a client-chosen id must be new (409 otherwise). */
  const register = (direction: Transfer['direction'], name: string, id?: string): Transfer => {
    if (id !== undefined && transfers.has(id)) throw new HttpError(409, `Transfer ${id} already exists; choose another id.`);
    const t: Transfer = { id: id ?? randomBytes(6).toString('base64url'), direction, name, bytes: 0, total: null, done: false, error: null, conn: null };
    transfers.set(t.id, t);
    if (transfers.size > 100) transfers.delete(transfers.keys().next().value as string);
    return t;
  };

  /** Runs one upload/download in its own short session, tracking progress in `t`. */
  const transfer = async (t: Transfer, query: z.infer<typeof TransferQuery>, run: (client: FriendlyClient, t: Transfer) => Promise<unknown>) => {
    const { direction } = t;
    const client = new FriendlyClient(tap, { ...ctx.credentials, log: () => {}, progress: (bytes) => (t.bytes = bytes) });
    client.secure = query.secure;
    client.passive = query.passive;
    const started = performance.now();
    try {
      t.conn = await client.open();
      const result = await run(client, t);
      return { result, ms: Math.round(performance.now() - started) };
    } catch (err) {
      t.error = (err as Error).message;
      throw new HttpError(502, `FTP ${direction} failed: ${t.error}`);
    } finally {
      t.done = true;
      client.close();
    }
  };

  const routes: ApiRoute[] = [
    { method: 'GET', pattern: /^\/api\/ftp\/status$/, handler: () => ({ firewall: relays.firewall, port: tap.port, passiveRange: ctx.config.ftp.pasvRange, maxFileBytes: ctx.config.ftp.maxFileBytes }) },
    {
      method: 'POST',
      pattern: /^\/api\/ftp\/firewall$/,
      handler: async (_m, _u, req) => {
        relays.firewall = parse(FirewallBody, await readJson(req)).enabled;
        return { firewall: relays.firewall };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ftp\/client$/,
      handler: async (_m, _u, req) => {
        const body = parse(ClientBody, await readJson(req, 2 * 1024 * 1024));
        const { client, log } = session(body.session);
        log.length = 0;
        if (body.passive !== undefined) client.passive = body.passive;
        if (body.secure !== undefined) client.secure = body.secure;
        try {
          let result: unknown = null;
          if (body.action === 'open') result = await client.open();
          else if (body.action === 'ls') result = (await client.list(body.path ?? '')).map((f) => ({ name: f.name, size: f.size, isDirectory: f.isDirectory }));
          else if (body.action === 'cd') result = await client.cd(body.path ?? '/');
          else if (body.action === 'pwd') result = await client.pwd();
          else if (body.action === 'get') result = (await client.get(body.path ?? '')).toString('base64');
          else if (body.action === 'put') await client.put(body.path ?? '', Buffer.from(body.content ?? '', 'utf8'));
          else if (body.action === 'rename') await client.rename(body.path ?? '', body.to ?? '');
          else if (body.action === 'delete') await client.remove(body.path ?? '');
          else {
            client.close();
            sessions.delete(body.session);
          }
          return { ok: true, conn: client.conn, passive: client.passive, secure: client.secure, log: [...log], result };
        } catch (err) {
          return { ok: false, conn: client.conn, passive: client.passive, secure: client.secure, log: [...log], error: (err as Error).message };
        }
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ftp\/upload$/,
      body: 'bytes',
      handler: async (_m, url, req) => {
        const query = parse(UploadQuery, Object.fromEntries(url.searchParams));
        // Registered before the body is read, so a poll right after the request starts finds the record.
        const t = register('upload', query.name, query.transfer);
        let data: Buffer;
        try {
          data = await readBody(req, ctx.config.ftp.maxFileBytes);
        } catch (err) {
          t.error = (err as Error).message;
          t.done = true;
          throw err;
        }
        t.total = data.length;
        const outcome = await transfer(t, query, (client) => client.put(query.name, data));
        return { transfer: t.id, conn: t.conn, bytes: data.length, ms: outcome.ms };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/ftp\/download$/,
      handler: async (_m, url) => {
        const query = parse(TransferQuery, Object.fromEntries(url.searchParams));
        let data: Buffer = Buffer.alloc(0);
        let conn: string | null = null;
        await transfer(register('download', query.name), query, async (client, t) => {
          data = await client.get(query.name);
          conn = t.conn;
        });
        const file = query.name.split('/').pop() ?? 'download';
        return new RawResponse(data, 'application/octet-stream', { 'content-disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"`, 'x-ftp-conn': conn ?? '' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/ftp\/transfers\/([A-Za-z0-9_-]{1,32})$/,
      handler: (m) => {
        const t = transfers.get(m[1]);
        if (!t) throw new HttpError(404, `No transfer ${m[1]}.`);
        return t;
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ftp\/compare$/,
      handler: async (_m, _u, req) => compareFtpsWithSftp({ ctx, tap, relays, ...parse(CompareBody, await readJson(req)) }),
    },
  ];
  return {
    routes,
    close: async () => {
      for (const { client } of sessions.values()) client.close();
      sessions.clear();
    },
  };
}
