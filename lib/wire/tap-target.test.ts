/**
 * A tap reaches its real server over a Unix socket as well as a loopback port (ZeroMQ's ipc://
 * endpoints), and the taps of one lab share one step mode: holding it holds every port's connections.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { DissectedMessage, Dissector } from '../protocols/types.ts';
import { Tap } from './tap.ts';

/** One message per chunk: enough framing to see held and released bytes. */
const chunkDissector = (): Dissector => ({
  push: (dir, chunk): DissectedMessage[] => [{ dir, kind: 'chunk', text: Buffer.from(chunk).toString('latin1'), bytes: chunk.length }],
  end: () => [],
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tap-target-'));
const socketPath = path.join(dir, 'echo.sock');
const echo = net.createServer((socket) => socket.pipe(socket));
const bus = new Bus();
let first: Tap;
let second: Tap;

function tapTo(step?: Tap['step']): Tap {
  return new Tap({ protocol: 'zmq', resolveSandbox: () => 'local', listen: { host: '127.0.0.1', port: 0 }, target: { path: socketPath }, dissector: chunkDissector, bus, step });
}

/** Sends `text` through a tap and resolves with the first echoed data. */
function roundTrip(tap: Tap, text: string): { reply: Promise<string>; socket: net.Socket } {
  const socket = net.connect(tap.port, '127.0.0.1');
  const reply = new Promise<string>((resolve, reject) => {
    socket.once('data', (data) => resolve(data.toString()));
    socket.once('error', reject);
  });
  socket.write(text);
  return { reply, socket };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => echo.listen(socketPath, resolve));
  first = tapTo();
  second = tapTo(first.step);
  await first.listen();
  await second.listen();
});

afterAll(async () => {
  await second.close();
  await first.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a tap in front of a Unix socket', () => {
  it('relays both ways and reports no internal port', async () => {
    const { reply, socket } = roundTrip(first, 'ping');
    expect(await reply).toBe('ping');
    expect(first.targetPort).toBe(0);
    expect(first.target).toEqual({ path: socketPath });
    socket.destroy();
  });

  it("holds the second tap's connections when the first tap's step mode is on", async () => {
    expect(second.step).toBe(first.step);
    const holder = { id: 'browser-1', sandbox: 'local' };
    first.step.set(holder, true, { kind: 'sandbox' });
    const { reply, socket } = roundTrip(second, 'held');
    let arrived = false;
    void reply.then(() => (arrived = true));
    // Wait until the message is held, then prove it has not been echoed before Step.
    await expect.poll(() => first.step.state(holder).held).toBe(1);
    expect(arrived).toBe(false);
    // Step lets the request through; the echo coming back is held in turn, and a second Step releases it.
    first.step.step(holder);
    await expect.poll(() => first.step.state(holder).next?.dir).toBe('server');
    expect(arrived).toBe(false);
    first.step.step(holder);
    expect(await reply).toBe('held');
    first.step.set(holder, false);
    socket.destroy();
  });
});
