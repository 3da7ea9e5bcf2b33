/**
 * The lab's HTTP service hosts (the SOAP host with the calendar and the WS-Policy Orders provider,
 * and the access-control host) answer to the lab's own host names only (DNS rebinding) and refuse
 * what a page of another site sends them (CSRF), before any service runs; real clients, which
 * send no Origin, still get through.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

const basic = `Basic ${Buffer.from(`bob:${TEST_PASSWORD}`).toString('base64')}`;
interface Target {
  name: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  body: string;
}
const targets = (): Target[] => [
  { name: 'SOAP calendar', port: lab.port('soap'), path: '/soap/calendar', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"x"' }, body: '<x/>' },
  { name: 'WS-Policy Orders', port: lab.port('soap'), path: '/soap/orders', headers: { 'content-type': 'application/soap+xml' }, body: '<x/>' },
  { name: 'access control', port: lab.port('gateway'), path: '/api/library/books', headers: { authorization: basic }, body: '' },
];

/** fetch sets Host from the URL and refuses to override it; a raw header list does. */
async function send(port: number, path: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data }));
    socket.on('error', reject);
    const lines = [`${method} ${path} HTTP/1.1`, ...Object.entries({ host: `127.0.0.1:${port}`, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...headers }).map(([k, v]) => `${k}: ${v}`), '', body];
    socket.write(lines.join('\r\n'));
  });
}

/** Sends `text` as it is and reads everything the host answers until it closes ('' if it closes without a word). */
const raw = (port: number, text: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(text);
  });
const detailOf = (reply: string) => (JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { detail: string }).detail;

describe('the service hosts refuse foreign Host names and other sites’ pages', () => {
  it('a foreign Host gets 421, on GET and POST, on every host', async () => {
    for (const t of targets()) {
      for (const method of ['GET', 'POST']) {
        const r = await send(t.port, t.path, method, { ...t.headers, host: 'evil.example' }, method === 'POST' ? t.body : '');
        expect([t.name, method, r.status]).toEqual([t.name, method, 421]);
        expect(r.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      }
    }
  });

  it('an HTTP/1.0 request typed without Host is told to send one, not to change LAB_ALLOWED_HOSTS', async () => {
    for (const t of targets()) {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(t.port, '127.0.0.1');
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
        socket.write(`GET ${t.path} HTTP/1.0\r\n\r\n`);
      });
      expect([t.name, reply.slice(0, 12)]).toEqual([t.name, 'HTTP/1.1 421']);
      const detail = (JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { detail: string }).detail;
      expect(detail).toMatch(/needs a Host header naming it, e\.g\. "Host: localhost"/);
      expect(detail).not.toMatch(/LAB_ALLOWED_HOSTS/);
    }
  });

  it('a request whose lines end in a bare LF (nc without -C) is told so, and garbage is called what it is', async () => {
    for (const t of targets()) {
      const lf = await raw(t.port, `GET ${t.path} HTTP/1.1\nHost: localhost\n\n`);
      expect([t.name, lf.slice(0, 12)]).toEqual([t.name, 'HTTP/1.1 400']);
      expect(lf).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(detailOf(lf)).toMatch(/bare LF; HTTP lines end in CR LF \(RFC 9112 §2\.2\)/);
      const garbage = await raw(t.port, 'HELLO THERE\r\n\r\n');
      expect(detailOf(garbage)).toMatch(/^This is not a valid HTTP\/1\.1 request/);
    }
  });

  it('an oversized header gets 431, a method no host knows 501, and CONNECT (no proxy here) 501, each in words', async () => {
    for (const t of targets()) {
      const big = await raw(t.port, `GET ${t.path} HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect([t.name, big.slice(0, 12)]).toEqual([t.name, 'HTTP/1.1 431']);
      expect(detailOf(big)).toMatch(/header is too large.*16384 bytes/);
      const foo = await raw(t.port, `FOO ${t.path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expect([t.name, foo.slice(0, 12)]).toEqual([t.name, 'HTTP/1.1 501']);
      expect(detailOf(foo)).toMatch(/"FOO"/);
      const connect = await raw(t.port, 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
      expect([t.name, connect.slice(0, 12)]).toEqual([t.name, 'HTTP/1.1 501']);
      expect(connect).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(detailOf(connect)).toMatch(/not a proxy/);
    }
  });

  it('a POST with a foreign Origin or cross-site fetch metadata gets 403; without Origin (curl, zeep) it reaches the service', async () => {
    for (const t of targets()) {
      const foreign = await send(t.port, t.path, 'POST', { ...t.headers, origin: 'http://evil.example' }, t.body);
      expect([t.name, foreign.status]).toEqual([t.name, 403]);
      // Problem details, as every other refusal of the lab's HTTP side (the access-control services' own included).
      expect(foreign.text).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(JSON.parse(foreign.text.slice(foreign.text.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringMatching(/another site/) });
      const crossSite = await send(t.port, t.path, 'POST', { ...t.headers, 'sec-fetch-site': 'cross-site' }, t.body);
      expect([t.name, crossSite.status]).toEqual([t.name, 403]);
      const plain = await send(t.port, t.path, 'POST', t.headers, t.body);
      expect([t.name, plain.status]).not.toEqual([t.name, 403]);
      expect([t.name, plain.status]).not.toEqual([t.name, 421]);
    }
  });
});
