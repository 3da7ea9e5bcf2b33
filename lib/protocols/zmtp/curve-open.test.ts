/**
 * The CURVE box opener against real libzmq bytes: a zeromq CURVE REQ/REP on loopback through a recording
 * relay; the server's secret key opens HELLO's signature box (64 zeros) and WELCOME's box (S′ + cookie).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { openCurveHandshake, openCurveHello, z85Decode, z85Encode } from './curve-open.ts';
import { recordingRelay, type RecordedChunk } from '../../wire/recording-relay.ts';
import type { ZmtpGolden } from './golden-format.ts';

const joined = (chunks: RecordedChunk[], dir: 'client' | 'server') => new Uint8Array(Buffer.concat(chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.data, 'base64'))));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Z85 (CURVE key text)', () => {
  it('decodes the example of ZeroMQ RFC 32 and round-trips keys', () => {
    expect(Array.from(z85Decode('HelloWorld') ?? [])).toEqual([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    const { publicKey } = zmq.curveKeyPair();
    expect(z85Encode(z85Decode(publicKey) ?? new Uint8Array(1))).toBe(publicKey);
    expect(z85Decode('abc')).toBeNull();
    expect(z85Decode('~~~~~')).toBeNull();
  });
});

describe('opening CURVE HELLO and WELCOME with the server secret key', () => {
  it('opens a live libzmq CURVE handshake recorded on loopback', async () => {
    const server = zmq.curveKeyPair();
    const client = zmq.curveKeyPair();
    const port = await freePort();
    const rep = new zmq.Reply({ linger: 0, curveServer: true, curveSecretKey: server.secretKey });
    await rep.bind(`tcp://127.0.0.1:${port}`);
    const relay = await recordingRelay(port);
    const req = new zmq.Request({ linger: 0, curveServerKey: server.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey });
    req.connect(`tcp://127.0.0.1:${relay.port}`);
    await req.send('Hello');
    const [request] = await rep.receive();
    await rep.send('World');
    const [reply] = await req.receive();
    expect([request.toString(), reply.toString()]).toEqual(['Hello', 'World']);
    req.close();
    rep.close();
    const chunks = await relay.done;

    const secret = z85Decode(server.secretKey) ?? new Uint8Array(0);
    const clientBytes = joined(chunks, 'client');
    const { hello, welcome } = openCurveHandshake(clientBytes, joined(chunks, 'server'), secret);
    expect(hello?.signatureValid).toBe(true);
    // C′ is the 32 octets after the version and the 72-octet padding (the ABNF's 72, not the prose's 70).
    expect(Buffer.from(hello?.clientShortTermKey ?? []).equals(Buffer.from(clientBytes.subarray(66 + 80, 66 + 112)))).toBe(true);
    expect(welcome?.serverShortTermKey.length).toBe(32);
    expect(welcome?.cookie.length).toBe(96);
    // The short-term key is not the long-term one, and the plaintext never crosses the wire.
    expect(z85Encode(welcome?.serverShortTermKey ?? new Uint8Array(0))).not.toBe(server.publicKey);
    expect(Buffer.from(clientBytes).includes('Hello')).toBe(false);

    // Another key pair's secret opens nothing.
    const wrong = z85Decode(zmq.curveKeyPair().secretKey) ?? new Uint8Array(0);
    const stranger = openCurveHandshake(clientBytes, joined(chunks, 'server'), wrong);
    expect(stranger.hello?.signatureValid).toBe(false);
    expect(stranger.welcome).toBeNull();
  });

  it('opens the committed golden CURVE transcript and refuses what is not a HELLO', () => {
    const golden = JSON.parse(readFileSync(fileURLToPath(new URL('../../../tests/golden/zmtp-curve.json', import.meta.url)), 'utf8')) as ZmtpGolden;
    const secret = z85Decode(golden.serverSecretKey ?? '') ?? new Uint8Array(0);
    const { hello, welcome } = openCurveHandshake(joined(golden.chunks, 'client'), joined(golden.chunks, 'server'), secret);
    expect(hello?.signatureValid).toBe(true);
    expect(welcome?.cookie.length).toBe(96);
    expect(openCurveHello(new Uint8Array(200), secret)).toBeNull();
    expect(openCurveHandshake(new Uint8Array(10), new Uint8Array(0), secret)).toEqual({ hello: null, welcome: null });
  });
});
