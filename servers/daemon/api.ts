import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, RawResponse, StreamResponse, checkContentType, defineRoute, sendStream, type ApiRoute } from '../../lib/http/api-kit.ts';
import { coreContracts as c } from '../../lib/http/core-contracts.ts';
import { refuseRequest } from '../../lib/http/host-guard.ts';
import { safeJson } from '../../lib/http/safe-json.ts';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../../lib/http/problem.ts';
import type { Bus } from '../../lib/bus/bus.ts';
import type { CaptureStore } from '../../lib/store/captures.ts';
import type { MailboxStore } from '../../lib/store/mailbox.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import { stepScope, type StepHolder } from '../../lib/wire/step.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { captureRoutes } from './capture-routes.ts';
import { stepModes, type LabEndpoint } from './lab.ts';
import { searchRoutes } from './search-routes.ts';

/** What the JSON API reads from. */
export interface ApiContext {
  /** The sandbox a request acts in (the sandbox policy's `ofRequest`): what it may read and step. */
  sandboxOf(req: IncomingMessage): string;
  endpoints: () => LabEndpoint[];
  transcripts: TranscriptStore;
  /** Captured bytes and key logs (the bytes view, exports); imports are published on `bus`. */
  captures: CaptureStore;
  bus: Bus;
  mailbox: MailboxStore;
  taps: Map<Protocol, Tap>;
  /** Shown to the user on the lab pages (credentials, fingerprints). */
  labInfo: (req: IncomingMessage) => Record<string, unknown>;
  /** Routes the labs add (file panels, SOAP clients…). */
  labRoutes: ApiRoute[];
  /** Host names the API answers to (host-guard.ts). */
  allowedHosts: Set<string>;
}

/** Headers on every API answer: never cached, never sniffed into another type (a mail rendered as HTML). */
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** HTTP callers (scripts, tests) step as one holder per sandbox, apart from every browser. */
const apiHolder = (sandbox: string): StepHolder => ({ id: 'http', sandbox });

/** Builds the daemon's /api/* handler (DESIGN.md "Stable JSON API"). Returns false for other paths. */
/** The /api/* handler, with the routes it serves (the web-guard test probes each of them). */
export type ApiHandler = ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) & { readonly routes: readonly ApiRoute[] };

export function createApi(ctx: ApiContext): ApiHandler {
  const routes: ApiRoute[] = [
    {
      method: 'GET',
      pattern: /^\/api\/health$/,
      handler: () => ({
        ok: ctx.endpoints().every((e) => e.listening()),
        servers: ctx.endpoints().map((e) => ({ protocol: e.protocol, name: e.name, host: e.host, port: e.port, listening: e.listening() })),
      }),
    },
    { method: 'GET', pattern: /^\/api\/lab$/, handler: (_match, _url, req) => ctx.labInfo(req) },
    defineRoute(c.connections, ({ query, req }) => ({ connections: ctx.transcripts.listConnections(ctx.sandboxOf(req), query) })),
    defineRoute(c.connection, ({ params, query, req }) => {
      const found = ctx.transcripts.getConnection(ctx.sandboxOf(req), params.id, query);
      if (!found) throw new HttpError(404, `No connection ${params.id}.`);
      return found;
    }),
    defineRoute(c.mailbox, ({ req }) => ({ messages: ctx.mailbox.list(ctx.sandboxOf(req)) })),
    defineRoute(c.mailRaw, ({ params, req }) => {
      const source = ctx.mailbox.raw(ctx.sandboxOf(req), params.id);
      if (!source) throw new HttpError(404, `No message ${params.id}.`);
      return new RawResponse(source, 'message/rfc822');
    }),
    defineRoute(c.mail, async ({ params, req }) => {
      const mail = await ctx.mailbox.parsed(ctx.sandboxOf(req), params.id);
      if (!mail) throw new HttpError(404, `No message ${params.id}.`);
      return mail;
    }),
    defineRoute(c.step, ({ req }) => ({ step: stepModes(ctx.taps.values()).map((step) => step.state(apiHolder(ctx.sandboxOf(req)))) })),
    defineRoute(c.setStep, ({ params, body, req }) => {
      const tap = ctx.taps.get(params.protocol as Protocol);
      if (!tap) throw new HttpError(404, `No lab ${params.protocol}.`);
      const holder = apiHolder(ctx.sandboxOf(req));
      if (body.enabled !== undefined) {
        const refused = tap.step.set(holder, body.enabled, stepScope(body.scope, body.conn));
        if (refused) throw new HttpError(400, refused);
      }
      if (body.action === 'next') tap.step.step(holder);
      if (body.action === 'play') tap.step.play(holder, body.paceMs ?? 800);
      if (body.action === 'pause') tap.step.pause(holder);
      if (body.action === 'edit' || body.action === 'drop') {
        const refused = body.action === 'edit' ? tap.step.edit(holder, body.text ?? '') : tap.step.drop(holder);
        if (refused) throw new HttpError(409, refused);
      }
      return tap.step.state(holder);
    }),
    ...searchRoutes(ctx),
    ...captureRoutes(ctx),
    ...ctx.labRoutes,
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    if (!url.pathname.startsWith('/api/')) return false;

    const refusal = refuseRequest(req, ctx.allowedHosts, { api: true });
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': PROBLEM_CONTENT_TYPE, ...COMMON_HEADERS });
      res.end(problemBody(refusal.status, refusal.error));
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
      const replyHeaders: Record<string, string> = {};
      const body = await route.handler(url.pathname.match(route.pattern) as RegExpMatchArray, url, req, replyHeaders);
      if (body instanceof RawResponse) {
        res.writeHead(200, { 'content-type': body.contentType, ...COMMON_HEADERS, ...replyHeaders, ...body.headers });
        res.end(head ? undefined : body.body);
        return true;
      }
      if (body instanceof StreamResponse) {
        await sendStream(res, body, { ...COMMON_HEADERS, ...replyHeaders }, head);
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS, ...replyHeaders });
      res.end(head ? undefined : safeJson(body));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) console.error('[api]', err);
      res.writeHead(status, { 'content-type': PROBLEM_CONTENT_TYPE, ...COMMON_HEADERS });
      res.end(head ? undefined : problemBody(status, err instanceof HttpError ? err.message : 'Internal error.'));
    }
    return true;
  };
  return Object.assign(handle, { routes });
}
