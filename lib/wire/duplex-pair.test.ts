/**
 * The in-memory socket pair a tap hands to an in-process server: bytes both ways in order,
 * backpressure, FIN and close as TCP has them, net.Socket's idle timeout, and TLS on top (STARTTLS).
 */
import { once } from 'node:events';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { generateLabCertificate } from '../tls/certificate.ts';
import { duplexPair, PAIR_BUFFER_BYTES } from './duplex-pair.ts';

const A = { address: '127.0.0.1', port: 40001 };
const B = { address: '127.0.0.1', port: 2525 };

function collect(socket: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks).toString())));
}

describe('duplexPair', () => {
  it('carries bytes both ways in order and names each side like a socket pair', async () => {
    const [a, b] = duplexPair(A, B);
    expect([b.remoteAddress, b.remotePort, b.localPort, b.remoteFamily]).toEqual(['127.0.0.1', 40001, 2525, 'IPv4']);
    expect([a.remotePort, a.localPort, a.readyState]).toEqual([2525, 40001, 'open']);
    const closed = Promise.all([once(a, 'close'), once(b, 'close')]);
    const atB = collect(b);
    const atA = collect(a);
    a.write('one ');
    a.write('two');
    b.write('back');
    a.end();
    expect(await atB).toBe('one two');
    // Not allowing half-open connections: b's readable end ends b's writable side too.
    expect(await atA).toBe('back');
    await closed;
    expect(b.readyState).toBe('closed');
  });

  it('delivers a write after the writer is done with its tick, not inside it', async () => {
    const [a, b] = duplexPair(A, B);
    const order: string[] = [];
    b.on('data', () => order.push('read'));
    a.write('x');
    order.push('after write');
    await once(b, 'data');
    expect(order).toEqual(['after write', 'read']);
    a.destroy();
  });

  it('takes a socket read\'s worth of writes without asking the writer to wait, as a kernel buffer would', async () => {
    const [a, b] = duplexPair(A, B);
    const received = collect(b);
    expect(a.write(Buffer.alloc(64 * 1024, 0x61))).toBe(true);
    a.end();
    expect((await received).length).toBe(64 * 1024);
  });

  it('holds writes back while the reader is paused, then delivers them all', async () => {
    const [a, b] = duplexPair(A, B);
    b.pause();
    let reads = 0;
    b.on('data', () => reads++);
    b.pause();
    const big = Buffer.alloc(64 * 1024, 0x61);
    const chunks = (2 * PAIR_BUFFER_BYTES) / big.length;
    const accepted = Array.from({ length: chunks }, () => a.write(big));
    // Accepted until the buffer is full, then the writer is asked to wait.
    const fit = PAIR_BUFFER_BYTES / big.length - 1;
    expect(accepted).toEqual(Array.from({ length: chunks }, (_, i) => i < fit));
    // Paused: the reader takes in one chunk (up to its high-water mark) and the writer waits.
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(0);
    expect(a.writableLength).toBeGreaterThanOrEqual((chunks - 1) * big.length);
    const received = collect(b);
    const drained = once(a, 'drain');
    b.resume();
    await drained;
    a.end();
    expect((await received).length).toBe(chunks * big.length);
  });

  it('destroying one end lets the other read what was sent, then closes it', async () => {
    const [a, b] = duplexPair(A, B);
    const closed = once(b, 'close');
    const atB = collect(b);
    a.write('last words');
    a.destroy();
    expect(await atB).toBe('last words');
    await closed;
  });

  it('emits timeout after the idle time, re-armed by traffic, disarmed with 0', async () => {
    const [a, b] = duplexPair(A, B);
    let fired = 0;
    b.setTimeout(20, () => fired++);
    await once(b, 'timeout');
    expect(fired).toBe(1);
    b.setTimeout(0);
    a.destroy();
  });

  it('carries TLS when a server wraps its end in a TLSSocket (STARTTLS)', async () => {
    const [client, server] = duplexPair(A, B);
    const { key, cert } = await generateLabCertificate();
    const secureServer = new tls.TLSSocket(server, { isServer: true, key, cert });
    secureServer.on('data', (chunk: Buffer) => secureServer.write(`echo ${chunk.toString()}`));
    const secureClient = tls.connect({ socket: client, rejectUnauthorized: false });
    await once(secureClient, 'secureConnect');
    secureClient.write('hello');
    const [reply] = (await once(secureClient, 'data')) as [Buffer];
    expect(reply.toString()).toBe('echo hello');
    secureClient.destroy();
    await once(server, 'close');
  });
});
