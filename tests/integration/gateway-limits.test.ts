/**
 * Hostile requests against the access-control host's size limits: a request body over 256 KiB is refused
 * with 413 problem+json after the host has read it to its end (so the answer reaches the client and the
 * same connection serves its next request), and the host serves the next client; an answer of the SOAP
 * host over 4 MiB becomes the gateway's 502, and the next forward is served.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY } from '../../servers/gateway/access/interceptor.ts';
import { forwardThroughTap, gatewayLab } from '../../servers/gateway/lab.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { soapLab } from '../../servers/soap/lab.ts';
import { startTestLab, TEST_PASSWORD, type TestLab } from '../helpers/daemon.ts';
import { within } from '../helpers/waits.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab, soapLab, gatewayLab] });
});
afterAll(async () => {
  await lab?.stop();
});

const BOB = `Basic ${Buffer.from(`bob:${TEST_PASSWORD}`).toString('base64')}`;

/** A raw keep-alive HTTP/1.1 client: writes a request, reads one whole answer (Content-Length framed). */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let buffer = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  let closed = false;
  socket.on('data', (chunk: Buffer) => ((buffer = Buffer.concat([buffer, chunk])), wake?.()));
  socket.on('close', () => ((closed = true), wake?.()));
  const answer = async (): Promise<{ status: number; headers: string; body: string }> => {
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const headers = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
        if (buffer.length >= end + 4 + length) {
          const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          buffer = buffer.subarray(end + 4 + length);
          return { status: Number(headers.slice(9, 12)), headers, body };
        }
      }
      if (closed) throw new Error(`the connection closed before a whole answer; got: ${buffer.toString('latin1').slice(0, 200)}`);
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  return { socket, answer };
}

describe('the access-control host under hostile request sizes', () => {
  it('refuses a 1 MiB body with 413 problem+json, then serves the same connection and the next client', async () => {
    const client = rawClient(lab.port('gateway'));
    const body = Buffer.alloc(1024 * 1024, 0x61);
    client.socket.write(`POST /api/library/loans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BOB}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    client.socket.write(body);
    const refused = await within(client.answer(), 'the answer to the 1 MiB body');
    expect(refused.status).toBe(413);
    expect(refused.headers).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(JSON.parse(refused.body)).toMatchObject({ type: 'tag:protocol-lab.local,2025:access/too-large', status: 413, detail: `A request body may be at most ${MAX_BODY} bytes.` });

    // The host read the refused body to its end: the same connection carries the next request.
    client.socket.write(`GET /api/library/books HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BOB}\r\n\r\n`);
    expect((await within(client.answer(), 'the answer to the next request on the same connection')).status).toBe(200);
    client.socket.destroy();

    const next = await within(fetch(`http://127.0.0.1:${lab.port('gateway')}/api/library/books`, { headers: { authorization: BOB } }), "the next client's answer");
    expect(next.status).toBe(200);
  });

  it('takes a body of exactly 256 KiB to the service (the limit is inclusive)', async () => {
    const client = rawClient(lab.port('gateway'));
    const body = Buffer.alloc(MAX_BODY, 0x20);
    body.write('{"isbn":"9780132126953"}');
    client.socket.write(`POST /api/library/loans HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${BOB}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    client.socket.write(body);
    // bob may not borrow (premium only): the decision point answered, so the body was taken.
    const answer = await within(client.answer(), 'the answer to the 256 KiB body');
    expect(answer.status).toBe(403);
    client.socket.destroy();
  });
});

describe("the gateway's forward to the SOAP host", () => {
  it('answers 502 naming the limit when the SOAP host answers more than 4 MiB, and serves the next forward', async () => {
    let requests = 0;
    const host = http.createServer((req, res) => {
      req.resume();
      const size = requests++ === 0 ? 5 * 1024 * 1024 : 10;
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(size) });
      res.end(Buffer.alloc(size, 0x20));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const port = (host.address() as net.AddressInfo).port;
    const tap = { port, connectOwnClient: () => ({ socket: net.connect(port, '127.0.0.1') }) };
    const request = { method: 'POST', path: '/calendar', headers: { 'content-type': 'text/xml' }, body: Buffer.from('<x/>') };
    try {
      const huge = await within(forwardThroughTap(tap, request, { sandbox: 'local' }), 'the forward of a 5 MiB answer');
      expect(huge.status).toBe(502);
      expect(String(huge.body)).toBe('The SOAP host did not answer: the answer is larger than 4 MiB\n');
      const small = await within(forwardThroughTap(tap, request, { sandbox: 'local' }), 'the next forward');
      expect(small.status).toBe(200);
      expect(Buffer.from(small.body).length).toBe(10);
    } finally {
      host.closeAllConnections();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });
});
