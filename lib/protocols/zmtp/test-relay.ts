/**
 * For tests and the golden recorder only: a loopback TCP relay to `target` that records the chunks of the one
 * connection it accepts, exactly as they crossed, in order, each way (as tests/golden/record.ts does for
 * the other labs), in the golden file format.
 */
import net from 'node:net';

/** One chunk as it crossed, base64. */
export interface ZmtpChunk {
  dir: 'client' | 'server';
  data: string;
}

/** A ZMTP golden transcript: the shared golden format plus, for CURVE, the server's key pair (Z85). */
export interface ZmtpGolden {
  protocol: 'zmq';
  description: string;
  recorded: string;
  serverPublicKey?: string;
  serverSecretKey?: string;
  chunks: ZmtpChunk[];
}

/** Starts the relay; `done` resolves with the chunks when both ends of the relayed connection have closed. */
export async function zmtpRecordingRelay(target: number): Promise<{ port: number; done: Promise<ZmtpChunk[]> }> {
  const chunks: ZmtpChunk[] = [];
  let finish: (c: ZmtpChunk[]) => void = () => {};
  const done = new Promise<ZmtpChunk[]>((resolve) => (finish = resolve));
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
