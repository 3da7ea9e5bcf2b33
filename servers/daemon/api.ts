import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { HttpError, RawResponse, checkContentType, parse, readJson, type ApiRoute } from '../../lib/http/api-kit.ts';
import { refuseRequest } from '../../lib/http/host-guard.ts';
import { safeJson } from '../../lib/http/safe-json.ts';
import type { MailboxStore } from '../../lib/store/mailbox.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import { PROTOCOLS, type Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { LabEndpoint } from './lab.ts';

/** What the JSON API reads from. */
export interface ApiContext {
  sandbox: string;
  endpoints: () => LabEndpoint[];
  transcripts: TranscriptStore;
  mailbox: MailboxStore;
  taps: Map<Protocol, Tap>;
  /** Shown to the user on the lab pages (credentials, fingerprints). */
  labInfo: () => Record<string, unknown>;
  /** Routes the labs add (file panels, SOAP clients…). */
  labRoutes: ApiRoute[];
  /** Host names the API answers to (host-guard.ts). */
  allowedHosts: Set<string>;
}

/** Headers on every API answer: never cached, never sniffed into another type (a mail rendered as HTML). */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const ConnectionsQuery = z.object({
  protocol: z.enum(PROTOCOLS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
// A page of one transcript: stored messages with seq ≥ from (a capped connection's summary note is seq cap + 0.5).
const TranscriptPageQuery = z.object({
  from: z.coerce.number().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
const StepBody = z.object({ enabled: z.boolean().optional(), action: z.enum(['next', 'play', 'pause']).optional(), paceMs: z.number().min(50).max(10_000).optional() });

/** Builds the daemon's /api/* handler (DESIGN.md "Stable JSON API"). Returns false for other paths. */
export function createApi(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: /^\/api\/health$/,
      handler: () => ({
        ok: ctx.endpoints().every((e) => e.listening()),
        servers: ctx.endpoints().map((e) => ({ protocol: e.protocol, name: e.name, host: e.host, port: e.port, listening: e.listening() })),
      }),
    },
    { method: 'GET', pattern: /^\/api\/lab$/, handler: () => ctx.labInfo() },
    {
      method: 'GET',
      pattern: /^\/api\/connections$/,
      handler: (_m, url) => {
        const query = parse(ConnectionsQuery, Object.fromEntries(url.searchParams));
        return { connections: ctx.transcripts.listConnections(query) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/connections\/([A-Za-z0-9_-]{1,64})$/,
      handler: (m, url) => {
        const found = ctx.transcripts.getConnection(m[1], parse(TranscriptPageQuery, Object.fromEntries(url.searchParams)));
        if (!found) throw new HttpError(404, `No connection ${m[1]}.`);
        return found;
      },
    },
    { method: 'GET', pattern: /^\/api\/mailbox$/, handler: () => ({ messages: ctx.mailbox.list(ctx.sandbox) }) },
    {
      method: 'GET',
      pattern: /^\/api\/mailbox\/([A-Za-z0-9_-]{1,64})\/raw$/,
      // The RFC 5322 source as stored: bytes, not JSON.
      handler: (m) => {
        const source = ctx.mailbox.raw(ctx.sandbox, m[1]);
        if (!source) throw new HttpError(404, `No message ${m[1]}.`);
        return new RawResponse(source, 'message/rfc822');
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/mailbox\/([A-Za-z0-9_-]{1,64})$/,
      handler: async (m) => {
        const mail = await ctx.mailbox.parsed(ctx.sandbox, m[1]);
        if (!mail) throw new HttpError(404, `No message ${m[1]}.`);
        return mail;
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/step$/,
      handler: () => ({ step: [...ctx.taps.values()].map((t) => t.step.state()) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/step\/([a-z]+)$/,
      handler: async (m, _url, req) => {
        const tap = ctx.taps.get(m[1] as Protocol);
        if (!tap) throw new HttpError(404, `No lab ${m[1]}.`);
        const body = parse(StepBody, await readJson(req));
        if (body.enabled !== undefined) tap.step.setEnabled(body.enabled);
        if (body.action === 'next') tap.step.step();
        if (body.action === 'play') tap.step.play(body.paceMs ?? 800);
        if (body.action === 'pause') tap.step.pause();
        return tap.step.state();
      },
    },
    ...ctx.labRoutes,
  ];

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    if (!url.pathname.startsWith('/api/')) return false;

    const refusal = refuseRequest(req, ctx.allowedHosts);
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS });
      res.end(safeJson({ error: refusal.error }));
      return true;
    }
    // HEAD is GET without the body (RFC 9110 §9.3.2).
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const head = req.method === 'HEAD';

    const route = routes.find((r) => r.pattern.test(url.pathname) && r.method === method);
    try {
      if (!route) {
        const known = routes.some((r) => r.pattern.test(url.pathname));
        throw new HttpError(known ? 405 : 404, known ? `Method ${req.method} not allowed.` : `No API route ${url.pathname}.`);
      }
      checkContentType(route, req.headers['content-type']);
      const body = await route.handler(url.pathname.match(route.pattern) as RegExpMatchArray, url, req);
      if (body instanceof RawResponse) {
        res.writeHead(200, { 'content-type': body.contentType, ...COMMON_HEADERS, ...body.headers });
        res.end(head ? undefined : body.body);
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS });
      res.end(head ? undefined : safeJson(body));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) console.error('[api]', err);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS });
      res.end(head ? undefined : safeJson({ error: err instanceof HttpError ? err.message : 'Internal error.' }));
    }
    return true;
  };
}
