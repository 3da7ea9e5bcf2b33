/**
 * direct-tcpip channels (ssh -L, RFC 4254 §7.2): the server connects to the destination for the
 * client. Only the lab's own ports on 127.0.0.1 are allowed, or the lab would be an open proxy;
 * anything else is refused "administratively prohibited", as OpenSSH's PermitOpen does.
 */
import net from 'node:net';
import type { AcceptConnection, Connection, RejectConnection, TcpipRequestInfo } from 'ssh2';
import { loopbackOrigins, type LoopbackOrigin } from '../../lib/wire/origins.ts';
import { rejectOpenWith } from './ssh2-internals.ts';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1']);
/** RFC 4250 §4.3 SSH_OPEN_ADMINISTRATIVELY_PROHIBITED. */
const ADMINISTRATIVELY_PROHIBITED = 1;

/** Whether a direct-tcpip destination is on the allow-list. */
export function forwardAllowed(destIP: string, destPort: number, allowedPorts: readonly number[]): boolean {
  // Host names are case-insensitive, as DNS compares them: LOCALHOST is localhost.
  return LOOPBACK_NAMES.has(destIP.toLowerCase()) && allowedPorts.includes(destPort);
}

/**
 * Answers one direct-tcpip open: relays to the destination, or refuses. Returns whether allowed.
 * `origin` says whose channel it is (its SSH connection as parent, that connection's sandbox): the
 * lab's tap at the destination lists the relayed connection as that connection's child.
 */
export function handleDirectTcpip(
  client: Connection,
  accept: AcceptConnection,
  reject: RejectConnection,
  info: TcpipRequestInfo,
  allowedPorts: readonly number[],
  origin?: LoopbackOrigin,
  /** Where the lab's ports listen: the client names 127.0.0.1, the lab may be bound to a LAN address. */
  dialHost = '127.0.0.1',
): boolean {
  if (!forwardAllowed(info.destIP, info.destPort, allowedPorts)) {
    // OpenSSH prints the reason's name and then this description ("open failed: administratively
    // prohibited: open failed"), so the description must not name the reason again.
    rejectOpenWith(client, reject, ADMINISTRATIVELY_PROHIBITED, 'open failed');
    return false;
  }
  const upstream = net.connect(info.destPort, dialHost);
  if (origin) loopbackOrigins.fileSocket(upstream, info.destPort, origin);
  upstream.once('error', () => reject());
  upstream.once('connect', () => {
    upstream.removeAllListeners('error');
    const channel = accept();
    channel.pipe(upstream).pipe(channel);
    const close = () => {
      upstream.destroy();
      channel.destroy();
    };
    upstream.on('error', close);
    channel.on('error', close);
    channel.on('close', () => upstream.destroy());
  });
  return true;
}
