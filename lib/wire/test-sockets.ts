/**
 * For the wire's tests: pairs of connected loopback sockets, half-open allowed, the accepted one
 * paused (as the tap accepts). Each pair's listener is closed by `closeSocketServers` (an afterEach).
 */
import { once } from 'node:events';
import net from 'node:net';

const servers: net.Server[] = [];

/** Two connected loopback sockets: [the one accepted, the one that connected]. */
export async function socketPair(): Promise<[net.Socket, net.Socket]> {
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const connected = net.connect({ port: (server.address() as net.AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  await once(connected, 'connect');
  return [(await accepted)[0], connected];
}

/** Closes the listeners of every pair made so far. */
export function closeSocketServers(): void {
  for (const server of servers.splice(0)) server.close();
}
