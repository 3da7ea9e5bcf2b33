/**
 * A tap in front of a server in this process: each connection is handed over as an in-memory
 * socket, filed before the server sees it (byUpstreamPort finds it by the port the server sees),
 * and a server that cannot take it is reported like an unreachable one.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { DissectedMessage, Dissector } from '../protocols/types.ts';
import type { MemorySocket } from './duplex-pair.ts';
import { Tap, type TappedConnection } from './tap.ts';

const chunkDissector = (): Dissector => ({
  push: (dir, chunk): DissectedMessage[] => [{ dir, kind: 'chunk', text: Buffer.from(chunk).toString('latin1'), bytes: chunk.length }],
  end: () => [],
});

const taps: Tap[] = [];
afterEach(async () => {
  for (const tap of taps.splice(0)) await tap.close();
});

async function tapWith(accept: (socket: MemorySocket) => void, bus = new Bus()): Promise<Tap> {
  const tap = new Tap({ protocol: 'smtp', resolveSandbox: () => 'local', listen: { host: '127.0.0.1', port: 0 }, target: { accept }, dissector: chunkDissector, bus });
  taps.push(tap);
  await tap.listen();
  return tap;
}

function reply(port: number, text: string): Promise<{ data: string; socket: net.Socket }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(text);
  return new Promise((resolve, reject) => {
    socket.once('data', (data) => resolve({ data: data.toString(), socket }));
    socket.once('error', reject);
  });
}

describe('a tap in front of an in-process server', () => {
  it('relays both ways, with no internal port, and the server finds the connection by the port it sees', async () => {
    const seen: { remotePort: number; found: TappedConnection | undefined }[] = [];
    let tap: Tap | undefined;
    tap = await tapWith((socket) => {
      seen.push({ remotePort: socket.remotePort, found: tap?.byUpstreamPort(socket.remotePort) });
      socket.on('data', (chunk: Buffer) => socket.write(`echo ${chunk.toString()}`));
    });
    const { data, socket } = await reply(tap.port, 'hello');
    expect(data).toBe('echo hello');
    expect(tap.targetPort).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0].remotePort).toBeGreaterThanOrEqual(49152);
    expect(seen[0].found?.upstreamLocalPort).toBe(seen[0].remotePort);
    socket.destroy();
  });

  it('gives two live connections different ports', async () => {
    const ports: number[] = [];
    const tap = await tapWith((socket) => {
      ports.push(socket.remotePort);
      socket.on('data', (chunk: Buffer) => socket.write(chunk));
    });
    const a = await reply(tap.port, 'a');
    const b = await reply(tap.port, 'b');
    expect(new Set(ports).size).toBe(2);
    a.socket.destroy();
    b.socket.destroy();
  });

  it('reports a server that throws on accept as unreachable and closes the client', async () => {
    const bus = new Bus();
    const events: LabEvent[] = [];
    bus.subscribe((event) => events.push(event));
    const tap = await tapWith(() => {
      throw new Error('not now');
    }, bus);
    const socket = net.connect(tap.port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('close', resolve));
    const note = events.find((e) => e.type === 'message' && e.message.kind === 'note');
    expect(note?.type === 'message' && note.message.text).toMatch(/not reachable \(not now\)/);
    await expect.poll(() => events.some((e) => e.type === 'connection.close')).toBe(true);
  });
});
