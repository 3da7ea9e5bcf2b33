/**
 * sendStream and streamBody (api-kit.ts) on a real HTTP server on loopback: a streamed answer fails as an
 * error before its first byte and as a broken transfer after it, never as a short complete one; a client that
 * leaves stops the source; a streamed request body ends at its limit or where its client stopped.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError, StreamResponse, sendStream, streamBody, type BodyStream } from './api-kit.ts';

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** Serves `handle` on a free port; an error it throws is answered 502 with its message, as the daemon's router does. */
async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>): Promise<string> {
  server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => res.writeHead(err instanceof HttpError ? err.status : 502, { 'content-type': 'text/plain' }).end(err.message));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes `chunk` to `out`, waiting for it to be taken. */
const write = (out: Writable, chunk: Buffer) => new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));

describe('sendStream', () => {
  it('sends the headers with the body, and an error before the first byte is still answered as one', async () => {
    const url = await serve(async (req, res) => {
      const fail = req.url === '/fail';
      await sendStream(res, new StreamResponse('application/octet-stream', { 'x-test': 'yes' }, async (out) => {
        if (fail) throw new HttpError(502, 'the source refused');
        await write(out, Buffer.from('hello '));
        await write(out, Buffer.from('world'));
      }), {}, false);
    });
    const ok = await fetch(`${url}/ok`);
    expect(ok.headers.get('x-test')).toBe('yes');
    expect(await ok.text()).toBe('hello world');
    const failed = await fetch(`${url}/fail`);
    expect(failed.status).toBe(502);
    expect(await failed.text()).toBe('the source refused');
  });

  it('breaks the response when the source fails after the first byte, or sends less than its Content-Length', async () => {
    const url = await serve((req, res) =>
      sendStream(res, new StreamResponse('application/octet-stream', req.url === '/short' ? { 'content-length': '100' } : {}, async (out) => {
        await write(out, Buffer.alloc(10, 1));
        if (req.url === '/fail') throw new Error('the source broke');
      }), {}, false),
    );
    for (const path of ['/fail', '/short']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      await expect(res.arrayBuffer(), path).rejects.toThrow();
    }
  });

  it('errors the body stream when the client leaves, and releases once', async () => {
    let released = 0;
    let sourceError: unknown = null;
    const done = new Promise<void>((resolve) => {
      void serve((_req, res) =>
        sendStream(res, new StreamResponse('application/octet-stream', {}, async (out) => {
          try {
            // Far more than the sockets buffer: the writes wait for a reader that is gone.
            for (let i = 0; i < 10_000; i++) await write(out, Buffer.alloc(64 * 1024));
          } catch (err) {
            sourceError = err;
            throw err;
          }
        }, () => {
          released++;
          resolve();
        }), {}, false),
      ).then((url) => {
        const req = http.get(url, (res) => res.once('data', () => req.destroy()));
        req.on('error', () => {});
      });
    });
    await done;
    expect(String(sourceError)).toMatch(/client closed the connection/);
    expect(released).toBe(1);
  });
});

describe('streamBody', () => {
  /** Serves one streamed body: what the source passed on, and why it was cut. */
  async function bodyServer(limit: number): Promise<{ url: string; arrived: Promise<void>; result: Promise<{ passed: number; cut: HttpError | null; received: number }> }> {
    let settle: (value: { passed: number; cut: HttpError | null; received: number }) => void = () => {};
    const result = new Promise<{ passed: number; cut: HttpError | null; received: number }>((resolve) => (settle = resolve));
    let first: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (first = resolve));
    const url = await serve(async (req, res) => {
      const body: BodyStream = streamBody(req, limit, 'Too large.');
      req.once('data', () => first());
      let passed = 0;
      for await (const chunk of body.source) passed += (chunk as Buffer).length;
      settle({ passed, cut: body.cut(), received: body.received() });
      const cut = body.cut();
      res.writeHead(cut ? cut.status : 200).end(cut ? cut.message : 'ok');
    });
    return { url, arrived, result };
  }

  it('passes a body up to its limit on, and ends it at the limit with 413 (the answer still reaches the client)', async () => {
    const { url, result } = await bodyServer(100_000);
    const over = await fetch(url, { method: 'POST', body: new Uint8Array(300_000) });
    expect(over.status).toBe(413);
    expect(await over.text()).toBe('Too large.');
    const { passed, cut } = await result;
    expect(passed).toBeLessThanOrEqual(100_000);
    expect(cut?.status).toBe(413);
  });

  it('ends the body with a 400 cut when the client stops sending before its end', async () => {
    const { url, arrived, result } = await bodyServer(1_000_000);
    const req = http.request(url, { method: 'POST', headers: { 'content-length': '500000' } });
    req.on('error', () => {});
    req.write(Buffer.alloc(1000));
    await arrived;
    req.destroy();
    const { passed, cut, received } = await result;
    expect(cut?.status).toBe(400);
    expect(cut?.message).toMatch(/stopped sending after 1,000 bytes/);
    expect({ passed, received }).toEqual({ passed: 1000, received: 1000 });
  });
});
