/**
 * /api/ftp/… — the FTP lab's JSON routes: firewall toggle (each sandbox's own, for its own
 * clients' active-mode connect-backs), friendly-client actions, upload and download through the tap (with
 * progress the same sandbox can poll), and the FTPS-vs-SFTP comparison.
 */
import { groupDigits } from '../../../lib/text/numbers.ts';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { HttpError, RawResponse, defineRoute, readBytes, type ApiRoute } from '../../../lib/http/api-kit.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import { ownerOfRequest } from '../../daemon/sandboxes.ts';
import type { LabContext } from '../../daemon/lab.ts';
import { FriendlyClient } from './client-mode.ts';
import { compareFtpsWithSftp } from './compare.ts';
import { ftpContracts as c, type ClientEntrySchema, type TransferQuery, type Transfer } from './contracts.ts';
import type { DataRelays } from './data-relays.ts';

/** A transfer started through the API, pollable for progress (GET /api/ftp/transfers/:id). */
export type { Transfer };

/** API FTP sessions one sandbox may hold open, and the whole lab. */
const MAX_SESSIONS_PER_SANDBOX = 20;
const MAX_SESSIONS = 400;

/** Builds the routes; `close()` ends every API-held FTP session, `forget(sandbox)` those of an expired sandbox. */
export function ftpRoutes(deps: { ctx: LabContext; tap: Tap; relays: DataRelays }): { routes: ApiRoute[]; close(): Promise<void>; forget(sandbox: string): void } {
  const { ctx, tap, relays } = deps;
  const sessions = new Map<string, { client: FriendlyClient; log: string[] }>();
  const transfers = new Map<string, Transfer>();

  // Keyed by sandbox and the caller's session (or transfer) id: another sandbox's page cannot reach it.
  const sessionKey = (owner: ConnectionOwner, id: string) => `${owner.sandbox}\n${id}`;
  /** The session `id` of the requesting page, opened for it (its sandbox and step mode) on first use. */
  const session = (id: string, owner: ConnectionOwner) => {
    const key = sessionKey(owner, id);
    let entry = sessions.get(key);
    if (!entry) {
      const log: string[] = [];
      const client = new FriendlyClient(tap, { ...ctx.clientLogin(owner.sandbox), log: (line) => log.push(line), owner, label: 'ftp file panel' });
      entry = { client, log };
      // Per sandbox, so one class member cannot use up the others' sessions; the whole lab has a ceiling too.
      const ofSandbox = [...sessions.keys()].filter((k) => k.startsWith(sessionKey(owner, ''))).length;
      if (ofSandbox >= MAX_SESSIONS_PER_SANDBOX) throw new HttpError(429, 'Too many API FTP sessions in this sandbox; close some first.');
      if (sessions.size >= MAX_SESSIONS) throw new HttpError(429, 'The lab holds too many API FTP sessions right now; try again when some are closed.');
      sessions.set(key, entry);
    }
    return entry;
  };

  /**
   * Registers a pollable transfer record under the caller's sandbox (another sandbox can neither poll
   * it nor take its id); a client-chosen id must be new in that sandbox (409 otherwise).
   */
  const register = (owner: ConnectionOwner, direction: Transfer['direction'], name: string, id?: string): Transfer => {
    if (id !== undefined && transfers.has(sessionKey(owner, id))) throw new HttpError(409, `Transfer ${id} already exists; choose another id.`);
    const t: Transfer = { id: id ?? randomBytes(6).toString('base64url'), direction, name, bytes: 0, total: null, done: false, error: null, conn: null };
    transfers.set(sessionKey(owner, t.id), t);
    if (transfers.size > 100) transfers.delete(transfers.keys().next().value as string);
    return t;
  };

  /** Runs one upload/download in its own short session, tracking progress in `t`. */
  const transfer = async (t: Transfer, query: z.infer<typeof TransferQuery>, owner: ConnectionOwner, run: (client: FriendlyClient, t: Transfer) => Promise<unknown>) => {
    const { direction } = t;
    const client = new FriendlyClient(tap, { ...ctx.clientLogin(owner.sandbox), log: () => {}, progress: (bytes) => (t.bytes = bytes), owner, label: `ftp file panel (${direction})` });
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
    defineRoute(c.status, ({ req }) => ({ firewall: relays.firewallOf(ctx.sandboxes.ofRequest(req)), port: tap.port, passiveRange: ctx.config.ftp.pasvRange, maxFileBytes: ctx.config.ftp.maxFileBytes })),
    defineRoute(c.firewall, ({ body, req }) => {
      // The caller's sandbox's own: its clients' active-mode connect-backs are dropped, nobody else's.
      const sandbox = ctx.sandboxes.ofRequest(req);
      relays.setFirewall(sandbox, body.enabled);
      return { firewall: relays.firewallOf(sandbox) };
    }),
    defineRoute(c.client, async ({ body, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      const { client, log } = session(body.session, owner);
      log.length = 0;
      if (body.passive !== undefined) client.passive = body.passive;
      if (body.secure !== undefined) client.secure = body.secure;
      try {
        let result: string | z.infer<typeof ClientEntrySchema>[] | null = null;
        if (body.action === 'open') result = await client.open();
        else if (body.action === 'ls') result = (await client.list(body.path ?? '')).map((f) => ({ name: f.name, size: f.size, isDirectory: f.isDirectory, ...(f.rawModifiedAt ? { modified: f.rawModifiedAt } : {}) }));
        else if (body.action === 'cd') result = await client.cd(body.path ?? '/');
        else if (body.action === 'pwd') result = await client.pwd();
        else if (body.action === 'get') result = (await client.get(body.path ?? '')).toString('base64');
        else if (body.action === 'put') await client.put(body.path ?? '', Buffer.from(body.content ?? '', 'utf8'));
        else if (body.action === 'rename') await client.rename(body.path ?? '', body.to ?? '');
        else if (body.action === 'delete') await client.remove(body.path ?? '');
        else if (body.action === 'mkdir') await client.mkdir(body.path ?? '');
        else if (body.action === 'rmdir') await client.rmdir(body.path ?? '');
        else {
          client.close();
          sessions.delete(sessionKey(owner, body.session));
        }
        return { ok: true, conn: client.connected ? client.conn : null, passive: client.passive, secure: client.secure, log: [...log], result };
      } catch (err) {
        return { ok: false, conn: client.connected ? client.conn : null, passive: client.passive, secure: client.secure, log: [...log], error: (err as Error).message };
      }
    }),
    defineRoute(c.upload, async ({ query, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      // Registered before the body is read, so a poll right after the request starts finds the record.
      const t = register(owner, 'upload', query.name, query.transfer);
      let data: Buffer;
      try {
        const limit = ctx.config.ftp.maxFileBytes;
        data = await readBytes(req, limit, `Upload larger than the lab's limit of ${groupDigits(limit)} bytes.`);
      } catch (err) {
        t.error = (err as Error).message;
        t.done = true;
        throw err;
      }
      t.total = data.length;
      const outcome = await transfer(t, query, owner, (client) => client.put(query.name, data));
      return { transfer: t.id, conn: t.conn, bytes: data.length, ms: outcome.ms };
    }),
    defineRoute(c.download, async ({ query, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      let data: Buffer = Buffer.alloc(0);
      let conn: string | null = null;
      await transfer(register(owner, 'download', query.name), query, owner, async (client, t) => {
        data = await client.get(query.name);
        conn = t.conn;
      });
      const file = query.name.split('/').pop() ?? 'download';
      return new RawResponse(data, 'application/octet-stream', { 'content-disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"`, 'x-ftp-conn': conn ?? '' });
    }),
    defineRoute(c.transfer, ({ params, req }) => {
      const t = transfers.get(sessionKey({ sandbox: ctx.sandboxes.ofRequest(req) }, params.id));
      if (!t) throw new HttpError(404, `No transfer ${params.id}.`);
      return t;
    }),
    // Run for the calling page: both sessions are its sandbox's (its files, its transcripts).
    defineRoute(c.compare, ({ body, req }) => compareFtpsWithSftp({ ctx, tap, relays, owner: ownerOfRequest(ctx.sandboxes, req), ...body })),
  ];
  return {
    routes,
    close: async () => {
      for (const { client } of sessions.values()) client.close();
      sessions.clear();
    },
    // Its page was last seen days ago: the server's idle timeout has long closed these sessions' connections.
    forget: (sandbox) => {
      const prefix = sessionKey({ sandbox }, '');
      for (const [key, { client }] of sessions) {
        if (!key.startsWith(prefix)) continue;
        client.close();
        sessions.delete(key);
      }
      for (const key of transfers.keys()) if (key.startsWith(prefix)) transfers.delete(key);
    },
  };
}
