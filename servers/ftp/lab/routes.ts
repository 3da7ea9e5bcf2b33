/**
 * /api/ftp/… — the FTP lab's JSON routes: firewall toggle (each sandbox's own, for its own
 * clients' active-mode connect-backs), friendly-client actions, upload and download through the tap (with
 * progress the same sandbox can poll), and the FTPS-vs-SFTP comparison.
 */
import { groupDigits } from '../../../lib/text/numbers.ts';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { HttpError, StreamResponse, defineRoute, streamBody, type ApiRoute } from '../../../lib/http/api-kit.ts';
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

  /** Marks `t` failed and gives the error to answer with: an HttpError as it is (413), any other 502. */
  const failed = (t: Transfer, err: unknown): HttpError => {
    t.error = (err as Error).message;
    t.done = true;
    return err instanceof HttpError ? err : new HttpError(502, `FTP ${t.direction} failed: ${t.error}`);
  };

  /** Opens the short session of one upload/download, its progress tracked in `t`. */
  const openFor = async (t: Transfer, query: z.infer<typeof TransferQuery>, owner: ConnectionOwner): Promise<FriendlyClient> => {
    const client = new FriendlyClient(tap, { ...ctx.clientLogin(owner.sandbox), log: () => {}, progress: (bytes) => (t.bytes = bytes), owner, label: `ftp file panel (${t.direction})` });
    client.secure = query.secure;
    client.passive = query.passive;
    try {
      t.conn = await client.open();
      return client;
    } catch (err) {
      client.close();
      throw failed(t, err);
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
      const limit = ctx.config.ftp.maxFileBytes;
      const tooLarge = `Upload larger than the lab's limit of ${groupDigits(limit)} bytes.`;
      const declared = Number(req.headers['content-length'] ?? NaN);
      t.total = Number.isSafeInteger(declared) ? declared : null;
      // Said up front: refused before any FTP session (the router reads and drops the body).
      if (t.total !== null && t.total > limit) throw failed(t, new HttpError(413, tooLarge));
      const started = performance.now();
      const client = await openFor(t, query, owner);
      // The body goes into the STOR as it arrives: the daemon never holds the file.
      const body = streamBody(req, limit, tooLarge);
      try {
        await client.upload(query.name, body.source);
        const cut = body.cut();
        if (cut) {
          // Stream mode cannot tell the server a file is short (its end is the connection's): the STOR stored
          // what came, so delete it rather than leave a part that looks like the whole file.
          await client.remove(query.name).catch((err: unknown) => {
            throw new HttpError(cut.status, `${cut.message} The part stored could not be deleted: ${(err as Error).message}`);
          });
          throw cut;
        }
      } catch (err) {
        // The body's cut is the cause when both happened (a STOR that failed because its client left).
        throw failed(t, body.cut() ?? err);
      } finally {
        body.drop();
        client.close();
      }
      t.total = body.received();
      t.done = true;
      return { transfer: t.id, conn: t.conn, bytes: body.received(), ms: Math.round(performance.now() - started) };
    }),
    defineRoute(c.download, async ({ query, req }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      const t = register(owner, 'download', query.name);
      const client = await openFor(t, query, owner);
      // SIZE first, so the browser knows the length (and shows progress); without it the answer is chunked.
      t.total = await client.size(query.name);
      const file = query.name.split('/').pop() ?? 'download';
      const headers: Record<string, string> = { 'content-disposition': `attachment; filename="${file.replace(/[^\w.-]/g, '_')}"`, 'x-ftp-conn': t.conn ?? '' };
      if (t.total !== null) headers['content-length'] = String(t.total);
      return new StreamResponse(
        'application/octet-stream',
        headers,
        // RETR straight into the response; the router sends the headers with the first byte, so a RETR refused
        // before it is still answered 502, and a browser that leaves errors `out`, which ends this session.
        async (out) => {
          await client.download(query.name, out).catch((err: unknown) => {
            throw failed(t, err);
          });
        },
        () => {
          t.done = true;
          client.close();
        },
      );
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
