/**
 * Records the ZMTP golden transcripts: real libzmq sockets (npm `zeromq`, libzmq 4.3.5) on loopback, with a
 * recording TCP relay between them that keeps every chunk exactly as it crossed. Writes
 * tests/golden/zmtp-<name>.json in the format of the other golden files (plus `serverSecretKey`, Z85, for
 * CURVE, so the box opener can be tested on them). lib/protocols/zmtp/golden.test.ts replays them.
 *
 *   node --import tsx tests/golden/zmtp-record.ts            (all)
 *   node --import tsx tests/golden/zmtp-record.ts req-rep    (some)
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zmq from 'zeromq';
import type { ZmtpGolden } from '../../lib/protocols/zmtp/golden-format.ts';
import { recordingRelay } from '../../lib/wire/recording-relay.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free loopback TCP port for a socket to bind. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Recording {
  description: string;
  /** Binds the server side on `port`, drives a client through `relay`, closes both; returns extra fields to store. */
  drive(port: number, relay: number): Promise<Partial<ZmtpGolden>>;
}

async function reqRep(port: number, relay: number, curve?: { publicKey: string; secretKey: string }): Promise<void> {
  const rep = new zmq.Reply({ linger: 0, ...(curve ? { curveServer: true, curveSecretKey: curve.secretKey } : {}) });
  await rep.bind(`tcp://127.0.0.1:${port}`);
  const client = curve ? zmq.curveKeyPair() : undefined;
  const req = new zmq.Request({
    linger: 0,
    heartbeatInterval: curve ? 0 : 100,
    heartbeatTimeToLive: curve ? 0 : 3000,
    ...(curve && client ? { curveServerKey: curve.publicKey, curvePublicKey: client.publicKey, curveSecretKey: client.secretKey } : {}),
  });
  req.connect(`tcp://127.0.0.1:${relay}`);
  const serve = (async () => {
    for (let i = 0; i < 2; i++) {
      const [msg] = await rep.receive();
      await rep.send(`World from 5555 (${msg.toString()})`);
    }
  })();
  for (let i = 1; i <= 2; i++) {
    await req.send('Hello');
    await req.receive();
    // Long enough for a heartbeat PING (every 100 ms) and its PONG between requests.
    if (!curve) await sleep(250);
  }
  await serve;
  req.close();
  rep.close();
}

const RECORDINGS: Record<string, Recording> = {
  'req-rep': {
    description: 'zeromq REQ → REP (NULL, ZMTP 3.1): greeting in pieces, READY both ways, two "Hello" requests with the empty delimiter, heartbeats on (PING/PONG)',
    async drive(port, relay) {
      await reqRep(port, relay);
      return {};
    },
  },
  'pub-sub': {
    description: 'zeromq SUB → PUB (NULL, ZMTP 3.1): SUBSCRIBE "weather.", matching messages only, then CANCEL',
    async drive(port, relay) {
      const pub = new zmq.Publisher({ linger: 0 });
      await pub.bind(`tcp://127.0.0.1:${port}`);
      const sub = new zmq.Subscriber({ linger: 0 });
      sub.connect(`tcp://127.0.0.1:${relay}`);
      sub.subscribe('weather.');
      // Publish until the subscription has reached the publisher (the slow joiner), then two more.
      const got: string[] = [];
      const receiving = (async () => {
        for await (const [topic] of sub) {
          got.push(topic.toString());
          if (got.length >= 3) break;
        }
      })();
      for (let i = 0; got.length < 3 && i < 200; i++) {
        await pub.send(['clock', `${i}`]);
        await pub.send(['weather.seoul', `${20 + (i % 5)} C`]);
        await sleep(20);
      }
      await receiving;
      sub.unsubscribe('weather.');
      await sleep(100);
      sub.close();
      pub.close();
      return {};
    },
  },
  curve: {
    description: 'zeromq REQ → REP over CURVE: HELLO 200, WELCOME 168, INITIATE, READY, MESSAGE; serverSecretKey opens HELLO and WELCOME',
    async drive(port, relay) {
      const server = zmq.curveKeyPair();
      await reqRep(port, relay, server);
      return { serverPublicKey: server.publicKey, serverSecretKey: server.secretKey };
    },
  },
  plain: {
    description: 'zeromq REQ → REP over PLAIN: HELLO with user name and password in clear, WELCOME, INITIATE, READY, one request',
    async drive(port, relay) {
      // A PLAIN server asks a ZAP handler (RFC 27) to check the password; without one the handshake fails.
      const zap = new zmq.Reply({ linger: 0 });
      await zap.bind('inproc://zeromq.zap.01');
      const approving = (async () => {
        for await (const [version, id, , , , mechanism, user] of zap) {
          await zap.send([version, id, mechanism.toString() === 'PLAIN' ? '200' : '400', 'OK', user ?? '', '']);
        }
      })();
      const rep = new zmq.Reply({ linger: 0, plainServer: true });
      await rep.bind(`tcp://127.0.0.1:${port}`);
      const req = new zmq.Request({ linger: 0, plainUsername: 'student', plainPassword: 'lab-password' });
      req.connect(`tcp://127.0.0.1:${relay}`);
      await req.send('Hello');
      const [msg] = await rep.receive();
      await rep.send(`World (${msg.toString()})`);
      await req.receive();
      req.close();
      rep.close();
      zap.close();
      await approving.catch(() => undefined);
      return {};
    },
  },
  incompatible: {
    description: 'zeromq REQ → PUB: READY Socket-Type REQ, READY Socket-Type PUB, the connection closed (an illegal pair)',
    async drive(port, relay) {
      const pub = new zmq.Publisher({ linger: 0 });
      await pub.bind(`tcp://127.0.0.1:${port}`);
      const req = new zmq.Request({ linger: 0, reconnectInterval: 60_000 });
      req.connect(`tcp://127.0.0.1:${relay}`);
      await sleep(300);
      req.close();
      pub.close();
      return {};
    },
  },
  'sub-30': {
    description: 'a raw ZMTP 3.0 SUB (greeting minor 0) → zeromq PUB: the subscription is a message 0x01 "weather." and the publisher answers at 3.0',
    async drive(port, relay) {
      const pub = new zmq.Publisher({ linger: 0 });
      await pub.bind(`tcp://127.0.0.1:${port}`);
      const sock = net.connect(relay, '127.0.0.1');
      await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
      const greeting = Buffer.alloc(64);
      greeting[0] = 0xff;
      greeting[8] = 1;
      greeting[9] = 0x7f;
      greeting[10] = 3;
      greeting[11] = 0;
      greeting.write('NULL', 12, 'latin1');
      const socketType = Buffer.concat([Buffer.from([11]), Buffer.from('Socket-Type'), Buffer.from([0, 0, 0, 3]), Buffer.from('SUB')]);
      const ready = Buffer.concat([Buffer.from([5]), Buffer.from('READY'), socketType]);
      const subscribe = Buffer.concat([Buffer.from([1]), Buffer.from('weather.')]);
      let seen = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => (seen = Buffer.concat([seen, d])));
      // Like libzmq: the signature first, the rest once the peer's signature has arrived (libzmq 4.3.5 did not
      // answer a 3.0 greeting that arrived together with READY).
      sock.write(greeting.subarray(0, 10));
      for (let i = 0; i < 100 && seen.length < 10; i++) await sleep(10);
      sock.write(greeting.subarray(10));
      for (let i = 0; i < 100 && seen.length < 64; i++) await sleep(10);
      sock.write(Buffer.concat([Buffer.from([0x04, ready.length]), ready, Buffer.from([0x00, subscribe.length]), subscribe]));
      for (let i = 0; i < 200 && !seen.includes('weather.tehran'); i++) {
        await pub.send(['clock', `${i}`]);
        await pub.send(['weather.tehran', '31 C']);
        await sleep(20);
      }
      sock.end();
      await sleep(100);
      pub.close();
      return {};
    },
  },
};

async function record(name: string): Promise<void> {
  const spec = RECORDINGS[name];
  if (!spec) throw new Error(`unknown recording ${name}; known: ${Object.keys(RECORDINGS).join(', ')}`);
  const port = await freePort();
  const relay = await recordingRelay(port);
  const extra = await spec.drive(port, relay.port);
  const chunks = await relay.done;
  const golden: ZmtpGolden = { protocol: 'zmq', description: spec.description, recorded: new Date().toISOString().slice(0, 10), ...extra, chunks };
  fs.writeFileSync(path.join(here, `zmtp-${name}.json`), `${JSON.stringify(golden, null, 1)}\n`);
  const bytes = chunks.reduce((n, c) => n + Buffer.from(c.data, 'base64').length, 0);
  console.log(`zmtp-${name}: ${chunks.length} chunks, ${bytes} bytes`);
}

const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(RECORDINGS)) await record(name);
