import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import fc from 'fast-check';
import { generate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { flushTls, frameTls, guessTls13, initialTlsFlowState, initialTlsFramerState, type TlsFrame, type TlsFramerState, type TlsGuess, type TlsRecord } from './tls-records.ts';

type Chunk = ['client' | 'server', Uint8Array];

/** Runs a real TLS handshake through a recording proxy on 127.0.0.1:0 and returns every chunk in order. */
async function captureTls(maxVersion: tls.SecureVersion): Promise<Chunk[]> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  const chunks: Chunk[] = [];
  const server = tls.createServer({ key: pems.private, cert: pems.cert, maxVersion }, (s) => s.on('data', (d: Buffer) => s.write(d)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  let done: Promise<unknown> = Promise.resolve();
  const proxy = net.createServer((c) => {
    const up = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    c.on('data', (d: Buffer) => (chunks.push(['client', Uint8Array.from(d)]), up.write(d)));
    up.on('data', (d: Buffer) => (chunks.push(['server', Uint8Array.from(d)]), c.write(d)));
    c.on('end', () => up.end());
    up.on('end', () => c.end());
    done = Promise.all([once(c, 'close'), once(up, 'close')]);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const port = (proxy.address() as net.AddressInfo).port;
  const client = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, maxVersion });
  await once(client, 'secureConnect');
  client.write('EHLO x\r\n');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
  await done;
  server.close();
  proxy.close();
  return chunks;
}

function frameAll(chunks: Uint8Array[]): TlsFrame[] {
  let state: TlsFramerState = initialTlsFramerState;
  const frames: TlsFrame[] = [];
  for (const c of chunks) {
    const r = frameTls(state, c);
    state = r.state;
    frames.push(...r.frames);
  }
  return [...frames, ...flushTls(state)];
}

const records = (frames: TlsFrame[]): TlsRecord[] => frames.filter((f): f is TlsRecord => f.kind === 'record');
const total = (frames: TlsFrame[]): number => frames.reduce((n, f) => n + f.bytes, 0);
const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('frameTls on a real handshake', () => {
  let tls13: Chunk[] = [];
  let tls12: Chunk[] = [];
  beforeAll(async () => {
    tls13 = await captureTls('TLSv1.3');
    tls12 = await captureTls('TLSv1.2');
  });
  const side = (chunks: Chunk[], dir: Chunk[0]): Uint8Array[] => chunks.filter(([d]) => d === dir).map(([, c]) => c);

  it('names the ClientHello and ServerHello and marks application data encrypted (TLS 1.3)', () => {
    const client = records(frameAll(side(tls13, 'client')));
    const server = records(frameAll(side(tls13, 'server')));
    expect(client[0]).toMatchObject({ contentTypeName: 'Handshake', handshake: ['ClientHello'], encrypted: false, complete: true });
    expect(server[0]).toMatchObject({ contentTypeName: 'Handshake', handshake: ['ServerHello'], encrypted: false });
    expect(server.some((r) => r.contentType === 20)).toBe(true);
    expect(server.filter((r) => r.contentType === 23).every((r) => r.encrypted && r.handshake.length === 0)).toBe(true);
    expect(client.some((r) => r.contentType === 23)).toBe(true);
  });

  it('reads the TLS 1.2 certificate flight in clear but not the Finished after ChangeCipherSpec', () => {
    const server = records(frameAll(side(tls12, 'server')));
    const names = server.flatMap((r) => r.handshake);
    expect(names.slice(0, 4)).toEqual(['ServerHello', 'Certificate', 'ServerKeyExchange', 'ServerHelloDone']);
    const ccs = server.findIndex((r) => r.contentType === 20);
    expect(ccs).toBeGreaterThan(0);
    expect(server[ccs + 1]).toMatchObject({ contentType: 22, encrypted: true, handshake: [] });
    const client = records(frameAll(side(tls12, 'client')));
    expect(client.flatMap((r) => r.handshake).slice(0, 2)).toEqual(['ClientHello', 'ClientKeyExchange']);
  });

  /** Frames both directions in capture order and guesses each record's role. */
  const guessAll = (chunks: Chunk[]): { dir: Chunk[0]; record: TlsRecord; guess: TlsGuess | null }[] => {
    const framers = { client: initialTlsFramerState, server: initialTlsFramerState };
    let flow = initialTlsFlowState;
    const out: { dir: Chunk[0]; record: TlsRecord; guess: TlsGuess | null }[] = [];
    for (const [dir, chunk] of chunks) {
      const r = frameTls(framers[dir], chunk);
      framers[dir] = r.state;
      for (const record of records(r.frames)) {
        const g = guessTls13(flow, dir, record);
        flow = g.state;
        out.push({ dir, record, guess: g.guess });
      }
    }
    return out;
  };

  it('tells the TLS 1.3 handshake records, tickets and alerts apart by their order (RFC 8446 §2, §4.6.1)', () => {
    const guessed = guessAll(tls13);
    const server = guessed.filter((g) => g.dir === 'server' && g.guess).map((g) => g.guess);
    const client = guessed.filter((g) => g.dir === 'client' && g.guess).map((g) => g.guess);
    expect(server.slice(0, 4)).toEqual([
      { role: 'server-flight', position: 1, name: 'EncryptedExtensions' },
      { role: 'server-flight', position: 2, name: 'Certificate' },
      { role: 'server-flight', position: 3, name: 'CertificateVerify' },
      { role: 'server-flight', position: 4, name: 'Finished' },
    ]);
    expect(server.slice(4, 6)).toEqual([
      { role: 'session-ticket', position: 1 },
      { role: 'session-ticket', position: 2 },
    ]);
    expect(server.slice(6).map((g) => g?.role)).toContain('application-data');
    expect(client[0]).toEqual({ role: 'client-finished' });
    expect(client[1]).toEqual({ role: 'application-data' });
    expect(client.at(-1)).toEqual({ role: 'encrypted-alert' }); // close_notify from client.end()
    // Cleartext records get no guess.
    expect(guessed.filter((g) => g.record.contentType !== 23).every((g) => g.guess === null)).toBe(true);
  });

  it('guesses nothing for TLS 1.2, where the record types still tell', () => {
    expect(guessAll(tls12).every((g) => g.guess === null)).toBe(true);
  });

  it('covers every byte and gives the same frames for any split of the stream', () => {
    const stream = Uint8Array.from(side(tls13, 'client').flatMap((c) => [...c]));
    const whole = frameAll([stream]);
    expect(total(whole)).toBe(stream.length);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const parts = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        expect(frameAll(parts)).toEqual(whole);
      }),
    );
  });
});

describe('frameTls on hand-made records', () => {
  it.each<[string, Uint8Array, Partial<TlsRecord>]>([
    ['ChangeCipherSpec', bytes(20, 3, 3, 0, 1, 1), { contentTypeName: 'ChangeCipherSpec', versionName: 'TLS 1.2', length: 1, bytes: 6 }],
    ['a cleartext fatal alert', bytes(21, 3, 3, 0, 2, 2, 40), { alert: { level: 'fatal', description: 'handshake_failure' }, encrypted: false }],
    ['an encrypted alert', bytes(21, 3, 3, 0, 3, 9, 9, 9), { encrypted: true }],
    ['a zero-length record', bytes(23, 3, 3, 0, 0), { contentTypeName: 'Application Data', length: 0, bytes: 5, encrypted: true }],
    ['a record version of TLS 1.0', bytes(22, 3, 1, 0, 4, 1, 0, 0, 0), { versionName: 'TLS 1.0', handshake: ['ClientHello'] }],
  ])('frames %s', (_name, input, expected) => {
    const [frame] = frameAll([input]);
    expect(frame).toMatchObject({ kind: 'record', complete: true, ...expected });
  });

  it('names handshake messages that span two records', () => {
    // Certificate (11) of length 6 split over two records, then ServerHelloDone (14) of length 0.
    const a = bytes(22, 3, 3, 0, 6, 11, 0, 0, 6, 1, 2);
    const b = bytes(22, 3, 3, 0, 8, 3, 4, 5, 6, 14, 0, 0, 0);
    expect(records(frameAll([a, b])).map((r) => r.handshake)).toEqual([['Certificate'], ['ServerHelloDone']]);
  });

  it('reports a record cut short by the end of the stream', () => {
    const frames = frameAll([bytes(23, 3, 3, 0, 10, 1, 2, 3)]);
    expect(frames).toEqual([expect.objectContaining({ kind: 'record', complete: false, bytes: 8, length: 10 })]);
  });

  it('reports a partial header at the end as garbage covering its bytes', () => {
    expect(frameAll([bytes(22, 3)])).toEqual([expect.objectContaining({ kind: 'garbage', bytes: 2 })]);
  });

  it('gives up on plaintext and reports it as garbage, chunk by chunk', () => {
    const enc = new TextEncoder();
    const frames = frameAll([enc.encode('EHLO x\r\n'), enc.encode('MAIL FROM:<a@b>\r\n')]);
    expect(frames.map((f) => f.kind)).toEqual(['garbage', 'garbage']);
    expect(total(frames)).toBe(8 + 17);
    expect(new TextDecoder().decode((frames[0] as { preview: Uint8Array }).preview)).toBe('EHLO x\r\n');
  });

  it('treats an impossible length as lost sync', () => {
    expect(frameAll([bytes(23, 3, 3, 0xff, 0xff, 0)])[0]).toMatchObject({ kind: 'garbage', bytes: 6 });
  });

  it('never throws on random bytes and always covers every byte', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
        const frames = frameAll(chunks);
        expect(total(frames)).toBe(chunks.reduce((n, c) => n + c.length, 0));
      }),
    );
  });

  it('does not mutate the state it is given', () => {
    const first = frameTls(initialTlsFramerState, bytes(22, 3, 3, 0, 8, 1, 0));
    const snapshot = structuredClone(first.state);
    frameTls(first.state, bytes(0, 4, 1, 2, 3, 4));
    expect(first.state).toEqual(snapshot);
    expect(initialTlsFramerState).toEqual({ header: [], open: null, hsHeader: [], hsSkip: 0, afterCcs: false, lost: false });
  });
});
