/**
 * The CURVE port's endpoint view opens the handshake boxes with the lab's server key (issue 10): a real
 * CURVE client (Node zeromq) reaches the lab through a recording relay, so the test holds the raw bytes
 * too. The C′ the endpoint view shows is the one in the HELLO, it opens the WELCOME (with the server's
 * secret key) to the S′ shown; the wire view has no plaintext. A wrong server key: the endpoint view says
 * the HELLO box did not open with the lab's key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { openDatabase } from '../../lib/store/db.ts';
import { SecretStore } from '../../lib/store/secrets.ts';
import { openCurveWelcome, z85Decode, z85Encode } from '../../lib/protocols/zmtp/curve-open.ts';
import { recordingRelay, type RecordedChunk } from '../../lib/wire/recording-relay.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { zmqLab } from '../../servers/zmq/lab.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { zmqOf, zmqTranscript } from './zmq-helpers.ts';

const serverKeys = zmq.curveKeyPair();
let lab: TestLab;
beforeAll(async () => {
  // The lab's CURVE key pair is seeded, so the test knows the secret key the lab opens boxes with.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-test-'));
  const db = openDatabase(dataDir);
  new SecretStore(db).set('zmq.curve.server', JSON.stringify(serverKeys));
  db.close();
  lab = await startTestLab({ labs: [zmqLab], dataDir });
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

const joined = (chunks: RecordedChunk[], dir: 'client' | 'server') => Buffer.concat(chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.data, 'base64')));
const field = (m: LabMessage | undefined, name: string) => m?.fields?.find((f) => f.name.startsWith(name))?.value;
const show = (messages: LabMessage[]) => messages.map((m) => `${m.view} ${m.dir} ${m.text}`).join('\n');

/** A Node zeromq CURVE REQ with its own key pair, trusting `serverKey`, connected to `port`. */
function curveClient(serverKey: string, port: number): zmq.Request {
  const own = zmq.curveKeyPair();
  const req = new zmq.Request({ linger: 0, receiveTimeout: 10_000, curveServerKey: serverKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey });
  req.connect(`tcp://127.0.0.1:${port}`);
  return req;
}

describe("ZeroMQ CURVE: the endpoint view opens the handshake with the lab's key", () => {
  it('shows C′ (the HELLO’s), the verified signature, S′ and the cookie; the wire view no plaintext', async () => {
    expect(zmqOf(lab).info?.({ sandbox: 'local', login: { user: 'student', password: 'x' }, mailDomain: 'lab.test', host: '127.0.0.1' }).curveServerKey).toBe(serverKeys.publicKey);
    const t = zmqTranscript(lab.daemon.bus);
    const relay = await recordingRelay(zmqOf(lab).tapOf.curve.port);
    const req = curveClient(serverKeys.publicKey, relay.port);
    await req.send('Hello');
    const [reply] = await req.receive();
    expect(reply.toString()).toBe(`World from ${zmqOf(lab).tapOf.curve.port}`);
    req.close();
    const chunks = await relay.done;
    // The connection's own messages (its close comes after the relay saw both ends close).
    const conn = t.messages.find((m) => m.view === 'wire' && m.annotation?.key === 'zmtp.curve.HELLO')?.conn;
    await new Promise<void>((resolve) => {
      if (typeof t.connections.get(conn ?? '')?.endedAt === 'number') return resolve();
      const stop = lab.daemon.bus.subscribe((event) => {
        if (event.type === 'connection.close' && event.connection.id === conn) {
          stop();
          resolve();
        }
      });
    });
    t.stop();
    const mine = t.messages.filter((m) => m.conn === conn);
    const endpoint = mine.filter((m) => m.view === 'endpoint');

    const hello = endpoint.find((m) => m.text.startsWith('HELLO opened'));
    expect(hello, show(mine)).toBeDefined();
    expect(field(hello, 'signature box')).toBe('64 zero octets (verified)');
    expect(hello?.annotation?.ref).toBe('ZeroMQ RFC 26 §2.7.1');
    const shownClientKey = field(hello, 'C′') ?? '';
    const clientBytes = joined(chunks, 'client');
    // C′ sits after the greeting, the frame header, the name, the version and the 72-octet padding.
    expect(z85Decode(shownClientKey)).toEqual(new Uint8Array(clientBytes.subarray(66 + 80, 66 + 112)));

    // The C′ shown, with the server's secret key, opens the WELCOME that crossed to the S′ shown.
    const welcome = endpoint.find((m) => m.text.startsWith('WELCOME opened'));
    expect(welcome, show(mine)).toBeDefined();
    const serverBytes = joined(chunks, 'server');
    expect(serverBytes[64]).toBe(0x04);
    const opened = openCurveWelcome(serverBytes.subarray(66, 66 + serverBytes[65]), z85Decode(shownClientKey) ?? new Uint8Array(0), z85Decode(serverKeys.secretKey) ?? new Uint8Array(0));
    const shownServerKey = field(welcome, 'S′') ?? '';
    expect(shownServerKey).toMatch(/^.{40}$/);
    expect(z85Decode(shownServerKey)?.length).toBe(32);
    expect(z85Encode(opened?.serverShortTermKey ?? new Uint8Array(0))).toBe(shownServerKey);
    expect(shownServerKey).not.toBe(serverKeys.publicKey);
    expect(welcome?.text).toContain('cookie 96 octets');
    expect(field(welcome, 'cookie nonce')).toBe(Buffer.from(opened?.cookie.subarray(0, 16) ?? []).toString('hex'));

    // Each endpoint line follows its wire line.
    const seqOf = (m: LabMessage | undefined) => m?.seq ?? -1;
    const wireOf = (key: string) => mine.find((m) => m.view === 'wire' && m.annotation?.key === key);
    expect(seqOf(hello)).toBeGreaterThan(seqOf(wireOf('zmtp.curve.HELLO')));
    expect(seqOf(welcome)).toBeGreaterThan(seqOf(wireOf('zmtp.curve.WELCOME')));

    // INITIATE on: one honest note that the short-term boxes stay shut; the plaintext is the application's.
    const sealed = endpoint.filter((m) => m.annotation?.title.startsWith('Forward secrecy'));
    expect(sealed).toHaveLength(1);
    expect(sealed[0].seq).toBeGreaterThan(seqOf(wireOf('zmtp.curve.INITIATE')));
    expect(endpoint.some((m) => m.text === 'CURVE REP application received a message: "Hello"'), show(mine)).toBe(true);
    expect(mine.filter((m) => m.view === 'wire').some((m) => /Hello|World/.test(`${m.text} ${JSON.stringify(m.fields ?? [])}`))).toBe(false);
    expect(clientBytes.includes('Hello')).toBe(false);
  }, 30_000);

  it("with a wrong server key the endpoint view says the HELLO box did not open with the lab's key", async () => {
    const t = zmqTranscript(lab.daemon.bus);
    const req = curveClient(zmq.curveKeyPair().publicKey, zmqOf(lab).tapOf.curve.port);
    void req.send('Hello').catch(() => {});
    const failed = await new Promise<LabMessage>((resolve) => {
      const stop = lab.daemon.bus.subscribe((event) => {
        if (event.type === 'message' && event.message.view === 'endpoint' && event.message.text.startsWith('HELLO box could not be opened')) {
          stop();
          resolve(event.message);
        }
      });
    });
    req.close();
    t.stop();
    expect(failed.text).toBe("HELLO box could not be opened with the lab's server key");
    expect(failed.annotation?.level).toBe('error');
    expect(failed.annotation?.explain).toMatch(/no WELCOME/);
    // The connection's wire view has the HELLO and no WELCOME; its endpoint view no opened HELLO.
    const mine = t.messages.filter((m) => m.conn === failed.conn);
    expect(mine.some((m) => m.view === 'wire' && m.annotation?.key === 'zmtp.curve.HELLO')).toBe(true);
    expect(mine.some((m) => m.annotation?.key === 'zmtp.curve.WELCOME' || m.text.startsWith('HELLO opened'))).toBe(false);
  }, 30_000);

  it('a client of another security mechanism is told so, not that its key was wrong: PLAIN to the CURVE port, CURVE to the NULL REP', async () => {
    /** The note libzmq's handshake failure became on a connection whose client greeting named `mechanism` (an earlier test's client may still be retrying). */
    const nextFailure = (mechanism: string) =>
      new Promise<LabMessage>((resolve) => {
        const named = new Set<string>();
        const stop = lab.daemon.bus.subscribe((event) => {
          if (event.type !== 'message') return;
          const m = event.message;
          if (m.view === 'wire' && m.dir === 'client' && m.fields?.some((f) => f.name === 'mechanism' && f.value === mechanism)) named.add(m.conn);
          if (m.view === 'endpoint' && named.has(m.conn) && /libzmq reports handshake:error/.test(m.text)) {
            stop();
            resolve(m);
          }
        });
      });
    const ports = zmqOf(lab).tapOf;

    let failed = nextFailure('PLAIN');
    const plain = new zmq.Request({ linger: 0, plainUsername: 'student', plainPassword: 'pw' });
    plain.connect(`tcp://127.0.0.1:${ports.curve.port}`);
    void plain.send('Hello').catch(() => {});
    let note = await failed;
    plain.close();
    expect(note.annotation).toMatchObject({ title: 'Security mechanisms differ', ref: 'ZMTP RFC 37 §3.5, §3.6', level: 'error' });
    expect(note.annotation?.explain).toMatch(/named PLAIN; this socket uses CURVE/);
    expect(note.annotation?.explain).not.toMatch(/HELLO box|server key/);

    failed = nextFailure('CURVE');
    const curve = curveClient(serverKeys.publicKey, ports.rep.port);
    void curve.send('Hello').catch(() => {});
    note = await failed;
    curve.close();
    expect(note.annotation?.title).toBe('Security mechanisms differ');
    expect(note.annotation?.explain).toMatch(/named CURVE; this socket uses NULL/);
  }, 30_000);
});
