/**
 * What the tap says when its real server goes away: one it could not connect to is "not reachable";
 * one that accepted the connection and then reset it closed it, after the bytes the client had sent.
 */
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { DissectedMessage, Dissector } from '../protocols/types.ts';
import { Tap } from './tap.ts';

const chunkDissector = (): Dissector => ({
  push: (dir, chunk): DissectedMessage[] => [{ dir, kind: 'chunk', text: Buffer.from(chunk).toString('latin1'), bytes: chunk.length }],
  end: () => [],
});

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A tap on port 0 in front of `port`, with the notes its connections get. */
async function tapTo(port: number): Promise<{ tap: Tap; notes: DissectedMessage[] }> {
  const bus = new Bus();
  const notes: DissectedMessage[] = [];
  bus.subscribe((event) => {
    if (event.type === 'message' && event.message.kind === 'note') notes.push({ dir: 'note', kind: 'note', text: event.message.text, bytes: 0, annotation: event.message.annotation });
  });
  const tap = new Tap({ protocol: 'smtp', resolveSandbox: () => 'local', listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port }, dissector: chunkDissector, bus });
  await tap.listen();
  closers.push(() => tap.close());
  return { tap, notes };
}

async function listening(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('a tap whose server goes away', () => {
  it('says the server reset the connection after the bytes the client sent, not that it is unreachable', async () => {
    // Greets, then resets the connection on the client's first bytes (as libzmq drops a peer whose greeting is wrong).
    const server = net.createServer((socket) => {
      socket.write('220 ready\r\n');
      socket.once('data', () => socket.resetAndDestroy());
    });
    const { tap, notes } = await tapTo(await listening(server));
    const client = net.connect(tap.port, '127.0.0.1');
    client.on('error', () => {});
    await once(client, 'data');
    client.write('hello');
    client.resume();
    await once(client, 'close');
    await expect.poll(() => notes.length).toBe(1);
    expect(notes[0].text).toBe("The lab's SMTP server reset the connection (ECONNRESET) after 5 bytes from the client.");
    expect(notes[0].annotation).toMatchObject({ title: 'Server closed the connection', level: 'error' });
  });

  it('says a server it cannot connect to is not reachable', async () => {
    const port = await listening(net.createServer());
    await closers.pop()?.();
    const { tap, notes } = await tapTo(port);
    const client = net.connect(tap.port, '127.0.0.1');
    client.on('error', () => {});
    client.resume();
    await once(client, 'close');
    await expect.poll(() => notes.length).toBe(1);
    expect(notes[0].text).toBe("The lab's SMTP server is not reachable (ECONNREFUSED).");
    expect(notes[0].annotation).toMatchObject({ title: 'Server unreachable' });
  });
});
