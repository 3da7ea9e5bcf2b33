/**
 * Any client can reach the ZeroMQ lab's ports, ZeroMQ or not, and a ZeroMQ client may not speak request-reply as
 * the REP expects. A request libzmq's REP drops as it reads it
 * (no envelope delimiter) made zeromq.js reject receive() with EAGAIN, which ended the lab's REP loop: every
 * later REQ, from any student, waited for ever. The lab's REP must keep answering. One reply right after
 * such a request may still be lost inside libzmq 4.3.5 (its ROUTER's rollback leaves a half-sent message
 * open when the stray peer is already gone, so the next reply is dropped as its continuation), so a REQ
 * that gets no answer asks once more, as a lazy-pirate client would.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zmq from 'zeromq';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { nextEvent } from '../helpers/bus.ts';
import { zmqContracts } from '../../servers/zmq/lab/contracts.ts';
import { zmqOf } from './zmq-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
  await lab.api(zmqContracts.think, { body: { ms: 0 } });
}, 60_000);
afterAll(async () => {
  await lab?.stop();
});

/** A ZMTP/1.0 peer's identity frame (empty), then a one-part message "hello" with no empty delimiter before it. */
const REQUEST_WITHOUT_DELIMITER = Buffer.from([0x01, 0x00, 0x06, 0x00, ...Buffer.from('hello')]);

/** Sends `bytes` from a raw TCP client and closes; resolves once the tap has recorded both sides closed. */
async function strayClient(port: number, bytes: Buffer): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const opened = await nextEvent(lab.daemon.bus, 'connection.open', (e) => e.connection.protocol === 'zmq' && e.connection.client.endsWith(`:${socket.localPort}`));
  const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.id === opened.connection.id);
  socket.end(bytes);
  await closed;
}

async function askOnce(port: number): Promise<string> {
  const req = new zmq.Request({ receiveTimeout: 5_000, linger: 0 });
  try {
    req.connect(`tcp://127.0.0.1:${port}`);
    await req.send('Hello');
    const [reply] = await req.receive();
    return reply.toString();
  } finally {
    req.close();
  }
}

/** A fresh REQ asks; without an answer in 5 s a second fresh REQ asks again. */
async function ask(port: number): Promise<string> {
  try {
    return await askOnce(port);
  } catch {
    return askOnce(port);
  }
}

describe('the ZeroMQ REP after a client that is not a well-formed REQ', () => {
  it('answers the next REQ every time, after requests without an envelope delimiter and after bytes that are not ZeroMQ', async () => {
    const port = zmqOf(lab).tapOf.rep.port;
    expect(await askOnce(port)).toBe(`World from ${port}`);
    for (const stray of [REQUEST_WITHOUT_DELIMITER, Buffer.from('GET / HTTP/1.1\r\nHost: lab\r\n\r\n'), REQUEST_WITHOUT_DELIMITER]) {
      await strayClient(port, stray);
      expect(await ask(port)).toBe(`World from ${port}`);
    }
  }, 90_000);
});

describe('a DEALER that leaves out the envelope delimiter (ZeroMQ RFC 28 §5)', () => {
  it('is told, on the message the REP drops, why no reply comes; with the delimiter it is answered', async () => {
    const port = zmqOf(lab).tapOf.rep.port;
    const dealer = new zmq.Dealer({ receiveTimeout: 5_000, linger: 0 });
    try {
      const warned = nextEvent(lab.daemon.bus, 'message', (e) => e.message.protocol === 'zmq' && e.message.annotation?.key === 'zmtp.frame.no-delimiter');
      dealer.connect(`tcp://127.0.0.1:${port}`);
      await dealer.send('Hello');
      const { message } = await warned;
      expect(message).toMatchObject({ dir: 'client', text: expect.stringContaining('"Hello"'), annotation: { level: 'warn', ref: 'ZeroMQ RFC 28 §4, §5' } });
      expect(message.annotation?.explain).toContain('The server is a REP socket.');
      await dealer.send(['', 'Hello']);
      const [delimiter, reply] = await dealer.receive();
      expect([delimiter.length, reply.toString()]).toEqual([0, `World from ${port}`]);
    } finally {
      dealer.close();
    }
  }, 30_000);
});
