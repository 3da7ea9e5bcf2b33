import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, RawResponse, checkContentType, defineRoute, type ApiRoute } from './api-kit.ts';
import { ApiError, callRoute, linkUrl, pathPattern, raw, route, routeUrl, segment, setPageBrowser } from './contract.ts';

const contracts = {
  item: route({
    method: 'GET',
    path: '/api/t/items/:id',
    params: { id: segment(/\d{1,4}/, z.coerce.number()) },
    query: z.object({ full: z.enum(['0', '1']).default('0') }),
    reply: z.object({ id: z.number(), full: z.boolean() }),
  }),
  rename: route({ method: 'POST', path: '/api/t/rename', body: z.object({ to: z.string().min(1) }), reply: z.object({ name: z.string() }) }),
  upload: route({ method: 'POST', path: '/api/t/upload', query: z.object({ name: z.string() }), body: 'bytes', reply: z.object({ name: z.string(), bytes: z.number() }) }),
  drift: route({ method: 'GET', path: '/api/t/drift', reply: z.object({ count: z.number() }) }),
  file: route({ method: 'GET', path: '/api/t/file.txt', reply: raw('text/plain') }),
};

/** The routes as a lab defines them; the drift route answers outside its schema on purpose. */
const routes: ApiRoute[] = [
  defineRoute(contracts.item, ({ params, query }) => ({ id: params.id, full: query.full === '1' })),
  defineRoute(contracts.rename, ({ body }) => ({ name: body.to })),
  defineRoute(contracts.upload, async ({ query, req }) => {
    let bytes = 0;
    for await (const chunk of req) bytes += (chunk as Buffer).length;
    return { name: query.name, bytes };
  }),
  defineRoute(contracts.drift, () => ({ count: 'three' }) as unknown as { count: number }),
  defineRoute(contracts.file, () => new RawResponse('hello', 'text/plain')),
];

/** A minimal router with the daemon's rules for matching and Content-Type (servers/daemon/api.ts). */
let server: http.Server;
let baseUrl = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://t.invalid');
    const found = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    void (async () => {
      if (!found) throw new HttpError(404, `No API route ${url.pathname}.`);
      checkContentType(found, req.headers['content-type']);
      const answer = await found.handler(url.pathname.match(found.pattern) as RegExpMatchArray, url, req);
      if (answer instanceof RawResponse) res.writeHead(200, { 'content-type': answer.contentType }).end(answer.body);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    })().catch((err: Error) => {
      res.writeHead(err instanceof HttpError ? err.status : 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err instanceof HttpError ? err.message : `Internal: ${err.message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('route contracts', () => {
  it('builds URLs from the template: params encoded, undefined query values left out', () => {
    expect(routeUrl(contracts.item, { params: { id: 7 }, query: { full: '1' } })).toBe('/api/t/items/7?full=1');
    expect(routeUrl(contracts.upload, { query: { name: 'a b/c' } })).toBe('/api/t/upload?name=a+b%2Fc');
  });

  it("adds the page's browser id to a plain link's URL once the lab socket said hello", () => {
    expect(linkUrl(contracts.upload, { query: { name: 'f' } })).toBe('/api/t/upload?name=f');
    setPageBrowser('browser-9');
    try {
      expect(linkUrl(contracts.upload, { query: { name: 'f' } })).toBe('/api/t/upload?name=f&browser=browser-9');
      expect(linkUrl(contracts.item, { params: { id: 1 } })).toBe('/api/t/items/1?browser=browser-9');
    } finally {
      setPageBrowser(null);
    }
  });

  it('matches literal dots literally and params only by their segment pattern', () => {
    const { pattern } = pathPattern(contracts.file);
    expect(pattern.test('/api/t/file.txt')).toBe(true);
    expect(pattern.test('/api/t/fileXtxt')).toBe(false);
    expect(pathPattern(contracts.item).pattern.test('/api/t/items/12345')).toBe(false);
  });

  it('hands the handler typed params and query, and the caller the parsed reply', async () => {
    await expect(callRoute(contracts.item, { params: { id: 12 }, query: { full: '1' }, baseUrl })).resolves.toEqual({ id: 12, full: true });
    await expect(callRoute(contracts.item, { params: { id: 3 }, baseUrl })).resolves.toEqual({ id: 3, full: false });
  });

  it('answers 400 with the schema issue for bad input, shown as the ApiError message', async () => {
    const bad = callRoute(contracts.rename, { body: { to: '' }, baseUrl });
    await expect(bad).rejects.toBeInstanceOf(ApiError);
    await expect(bad).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^to: /) });
    const query = await fetch(`${baseUrl}/api/t/items/1?full=2`);
    expect(query.status).toBe(400);
  });

  it('sends JSON bodies as application/json and bytes as application/octet-stream (the router refuses others)', async () => {
    await expect(callRoute(contracts.rename, { body: { to: 'b' }, baseUrl })).resolves.toEqual({ name: 'b' });
    await expect(callRoute(contracts.upload, { query: { name: 'f' }, body: new Uint8Array(1000), baseUrl })).resolves.toEqual({ name: 'f', bytes: 1000 });
    const plain = await fetch(`${baseUrl}/api/t/rename`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"to":"b"}' });
    expect(plain.status).toBe(415);
  });

  it('refuses a reply outside its schema in tests, naming the route and the field', async () => {
    await expect(callRoute(contracts.drift, { baseUrl })).rejects.toMatchObject({ status: 500, message: expect.stringContaining('GET /api/t/drift answered outside its reply schema: count:') });
  });

  it('types calls from the contract (checked by tsc)', () => {
    const typeOnly = () => {
      // @ts-expect-error: the path's :id is required
      void callRoute(contracts.item, { baseUrl });
      // @ts-expect-error: the body must match its schema
      void callRoute(contracts.rename, { body: { to: 1 }, baseUrl });
    };
    expect(typeOnly).toBeTypeOf('function');
  });

  it('gives a raw reply as the Response', async () => {
    const res = await callRoute(contracts.file, { baseUrl });
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('hello');
  });
});
