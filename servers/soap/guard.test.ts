/**
 * The host's front door refuses any connection the tap did not file (issue 8 #13), whether it came
 * from a TCP listener or was handed over in process, before HTTP parsing or the service runs.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { duplexPair } from '../../lib/wire/duplex-pair.ts';
import { guardedListener } from './guard.ts';

function exchange(accept: (socket: ReturnType<typeof duplexPair>[1]) => void, remotePort: number, request: string): Promise<string> {
  const [client, server] = duplexPair({ address: '127.0.0.1', port: remotePort }, { address: '127.0.0.1', port: 8080 });
  accept(server);
  let got = '';
  client.setEncoding('utf8');
  client.on('data', (chunk: string) => (got += chunk));
  client.write(request);
  return new Promise((resolve) => client.once('close', () => resolve(got)));
}

describe('guardedListener.accept', () => {
  const answered: number[] = [];
  const server = http.createServer((req, res) => {
    answered.push(req.socket.remotePort ?? 0);
    res.writeHead(200, { 'Content-Length': '2', Connection: 'close' });
    res.end('ok');
  });
  const tapPorts = new Set([50001]);
  const { accept } = guardedListener(server, { classify: (port) => (tapPorts.has(port) ? 'external' : null) });

  it('serves an in-memory connection the tap filed', async () => {
    const reply = await exchange(accept, 50001, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply.endsWith('ok')).toBe(true);
    expect(answered).toEqual([50001]);
  });

  it('refuses one the tap did not file with 403, and the server never sees the request', async () => {
    const reply = await exchange(accept, 50002, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 403 /);
    expect(answered).toEqual([50001]);
  });
});
