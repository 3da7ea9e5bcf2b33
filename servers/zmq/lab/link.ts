/**
 * How the daemon's own zeromq sockets (consoles, workers) reach a tap as labelled connections.
 * libzmq opens its TCP connections itself, so the daemon never holds the socket to label it; instead
 * the zeromq socket connects to a private ipc:// endpoint (in the lab's 0700 directory) and every
 * connection accepted there is relayed into a fresh stream the daemon opens itself: a labelled
 * `tap.connectOwnClient` for the browser, or an SSH channel for the tunnel console (like `ssh -L`,
 * with a Unix socket nobody else can reach instead of a loopback port).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { TappedConnection } from '../../../lib/wire/tap.ts';

/** One relayed stream: what the connection is piped into, and its tapped connection when known. */
export interface LinkUpstream {
  stream: Duplex;
  accepted?: Promise<TappedConnection>;
}

export interface OwnLink {
  /** Where the zeromq socket connects: ipc://<dir>/<random>.sock. */
  endpoint: string;
  /** Called with each tapped connection the link opens (a reconnect opens another). */
  onConnection(listener: (connection: TappedConnection) => void): void;
  close(): Promise<void>;
}

/**
 * Opens a link in `dir`; each connection the zeromq socket makes is piped both ways into `open()`'s
 * stream. A stream that cannot be opened closes the zeromq side, which then retries as libzmq does.
 */
export async function openLink(dir: string, open: () => Promise<LinkUpstream> | LinkUpstream): Promise<OwnLink> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const socketPath = path.join(dir, `${randomBytes(6).toString('hex')}.sock`);
  const listeners: ((connection: TappedConnection) => void)[] = [];
  const live = new Set<net.Socket>();
  const server = net.createServer((local) => {
    live.add(local);
    local.on('error', () => {});
    local.once('close', () => live.delete(local));
    void Promise.resolve()
      .then(open)
      .then(
        ({ stream, accepted }) => {
          if (local.destroyed) return void stream.destroy();
          stream.on('error', () => local.destroy());
          local.on('error', () => stream.destroy());
          local.pipe(stream).pipe(local);
          local.once('close', () => stream.destroy());
          stream.once('close', () => local.destroy());
          void accepted?.then((connection) => listeners.forEach((listener) => listener(connection)));
        },
        () => local.destroy(),
      );
  });
  server.listen(socketPath);
  await once(server, 'listening');
  fs.chmodSync(socketPath, 0o600);
  return {
    endpoint: `ipc://${socketPath}`,
    onConnection: (listener) => void listeners.push(listener),
    close: async () => {
      for (const socket of live) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(socketPath, { force: true });
    },
  };
}
