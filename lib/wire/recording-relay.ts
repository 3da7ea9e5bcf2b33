/**
 * For tests and the golden recorders only: a loopback TCP relay to `target` that records the chunks of the
 * one connection it accepts, exactly as they crossed, in order, each way, in the golden file format
 * (tests/golden/golden.ts).
 */
import net from 'node:net';

/** One chunk as it crossed, base64. */
export interface RecordedChunk {
  dir: 'client' | 'server';
  data: string;
}

/** Starts the relay; `done` resolves with the chunks when both ends of the relayed connection have closed. */
export async function recordingRelay(target: number): Promise<{ port: number; done: Promise<RecordedChunk[]> }> {
  const chunks: RecordedChunk[] = [];
  let finish: (c: RecordedChunk[]) => void = () => {};
  const done = new Promise<RecordedChunk[]>((resolve) => (finish = resolve));
  const server = net.createServer((client) => {
    // One connection only: a reconnecting client must not be recorded twice.
    server.close();
    const upstream = net.connect(target, '127.0.0.1');
    client.on('data', (d: Buffer) => {
      chunks.push({ dir: 'client', data: d.toString('base64') });
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      chunks.push({ dir: 'server', data: d.toString('base64') });
      client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    let open = 2;
    const closed = () => --open === 0 && finish(chunks);
    for (const s of [client, upstream]) {
      s.on('error', () => s.destroy());
      s.on('close', () => {
        (s === client ? upstream : client).destroy();
        closed();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, done };
}
