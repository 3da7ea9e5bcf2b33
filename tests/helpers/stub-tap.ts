/**
 * The smallest server a test lab can put behind a real lab tap: a TCP server on an ephemeral port,
 * tapped with a dissector that finds nothing. Tests that declare a lab of their own (the registry,
 * the sandbox policy) use it, so what they test is the declaration, not a server.
 */
import { once } from 'node:events';
import net from 'node:net';
import { openLabTap } from '../../servers/daemon/lab-tap.ts';
import type { LabContext } from '../../servers/daemon/lab.ts';
import type { Tap } from '../../lib/wire/tap.ts';

export interface StubTap {
  tap: Tap;
  /** Closes the tap, then the server behind it. */
  stop(): Promise<void>;
}

/** `onSocket` answers each connection the tap forwards (echo it, close it). */
export async function openStubTap(ctx: LabContext<{ port: number }>, onSocket: (socket: net.Socket) => void): Promise<StubTap> {
  const server = net.createServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const stopServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const tap = await openLabTap(ctx, { stop: stopServer }, {
    protocol: 'gateway',
    port: ctx.settings.port,
    target: (server.address() as net.AddressInfo).port,
    dissector: () => ({ push: () => [], end: () => [] }),
  });
  return {
    tap,
    stop: async () => {
      await tap.close();
      await stopServer();
    },
  };
}
