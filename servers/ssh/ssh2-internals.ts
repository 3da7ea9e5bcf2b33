/**
 * The only place the lab reaches into ssh2 internals (ssh2 1.17). ssh2's public server API
 * cannot (a) send DISCONNECT with a chosen reason code and description, nor (b) choose the reason of a rejected
 * channel open: `reject()` always answers CONNECT_FAILED (2) once a channel number is reserved
 * (lib/server.js, CHANNEL_OPEN handler). The lab needs ADMINISTRATIVELY_PROHIBITED (1) for
 * forwarding outside the allow-list, as OpenSSH answers. Nor does it say what its EXT_INFO
 * contained (c). Each helper checks the private shape
 * and falls back to the public behaviour if a future ssh2 changes it.
 */
import type { Connection } from 'ssh2';

interface ProtocolLike {
  disconnect(reason: number): void;
  channelOpenFail(remote: number, reason: number, desc?: string): void;
}

function protocolOf(client: Connection): ProtocolLike | undefined {
  const proto = (client as unknown as { _protocol?: Partial<ProtocolLike> })._protocol;
  return proto && typeof proto.disconnect === 'function' && typeof proto.channelOpenFail === 'function'
    ? (proto as ProtocolLike)
    : undefined;
}

interface PacketSenderLike {
  _packetRW: { write: { allocStartKEX: number; alloc(length: number, force: boolean): Uint8Array; finalize(packet: Uint8Array, force: boolean): Uint8Array } };
  _cipher: { encrypt(packet: Uint8Array): void };
  _debug?: (line: string) => void;
}

function packetSenderOf(proto: ProtocolLike): PacketSenderLike | undefined {
  const candidate = proto as unknown as Partial<PacketSenderLike>;
  const write = candidate._packetRW?.write;
  return write && typeof write.allocStartKEX === 'number' && typeof write.alloc === 'function' && typeof write.finalize === 'function' && typeof candidate._cipher?.encrypt === 'function'
    ? (candidate as PacketSenderLike)
    : undefined;
}

/**
 * Writes DISCONNECT with a description, as ssh2's own disconnect() does but with the text filled
 * in (it always sends an empty one; OpenSSH then prints "Received disconnect …:2: " and nothing).
 * Wire layout (RFC 4253 §11.1): byte SSH_MSG_DISCONNECT / uint32 reason code / string description /
 * string language tag.
 */
function sendDisconnect(sender: PacketSenderLike, reason: number, description: string): void {
  const text = Buffer.from(description, 'utf8');
  const length = 1 + 4 + 4 + text.length + 4;
  const start = sender._packetRW.write.allocStartKEX;
  // Allocated with force, like ssh2's: a DISCONNECT may be sent in the middle of a key exchange.
  const packet = sender._packetRW.write.alloc(length, true);
  const view = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  view[start] = 1;
  view.writeUInt32BE(reason, start + 1);
  view.writeUInt32BE(text.length, start + 5);
  text.copy(view, start + 9);
  view.writeUInt32BE(0, start + 9 + text.length);
  // The line ssh2 logs for its own DISCONNECT: the handshake timeline reads it.
  sender._debug?.(`Outbound: Sending DISCONNECT (${reason})`);
  sender._cipher.encrypt(sender._packetRW.write.finalize(packet, true));
}

/**
 * Sends DISCONNECT with `reason` (RFC 4250 §4.2.2) and `description` and closes; without the
 * expected internals, ssh2's DISCONNECT without a description, or BY_APPLICATION.
 */
export function disconnectWithReason(client: Connection, reason: number, description = ''): void {
  const proto = protocolOf(client);
  const socket = (client as unknown as { _sock?: { end(): void; destroyed?: boolean } })._sock;
  if (proto && socket && !socket.destroyed) {
    try {
      const sender = description ? packetSenderOf(proto) : undefined;
      if (sender) sendDisconnect(sender, reason, description);
      else proto.disconnect(reason);
      socket.end();
      return;
    } catch {
      // fall through to the public API
    }
  }
  client.end();
}

/**
 * Rejects a channel open with `reason` instead of CONNECT_FAILED: while `reject()` runs, the
 * connection's channelOpenFail is wrapped to substitute the reason and description.
 */
export function rejectOpenWith(client: Connection, reject: () => void, reason: number, description: string): void {
  const proto = protocolOf(client);
  if (!proto) return reject();
  const original = proto.channelOpenFail;
  const hadOwn = Object.hasOwn(proto, 'channelOpenFail');
  proto.channelOpenFail = (remote: number) => original.call(proto, remote, reason, description);
  try {
    reject();
  } finally {
    if (hadOwn) proto.channelOpenFail = original;
    else delete (proto as Partial<ProtocolLike>).channelOpenFail;
  }
}

/**
 * Marks the connection as allowing no more session channels; ssh2 then answers further session
 * opens ADMINISTRATIVELY_PROHIBITED itself (the flag is what `no-more-sessions@openssh.com` sets).
 */
export function setNoMoreSessions(client: Connection, value: boolean): void {
  (client as unknown as { noMoreSessions: boolean }).noMoreSessions = value;
}

interface PacketWriterLike {
  allocStart: number;
  finalize(packet: Uint8Array, force?: boolean): Uint8Array;
}

/**
 * Hands `onPayload` a copy of the payload of the next packet of message `type` the connection
 * sends within the current synchronous run. ssh2 1.17 sends EXT_INFO in the same call that logs
 * "Handshake completed" (Protocol.js `_onHandshakeComplete` → `sendExtInfo`), writing the payload
 * at the packet writer's `allocStart` before `finalize`; outside that run nothing is wrapped.
 */
export function peekOutboundPayload(client: Connection, type: number, onPayload: (payload: Uint8Array) => void): void {
  const proto = (client as unknown as { _protocol?: { _packetRW?: { write?: Partial<PacketWriterLike> } } })._protocol;
  const writer = proto?._packetRW?.write;
  if (!writer || typeof writer.finalize !== 'function' || typeof writer.allocStart !== 'number') return;
  const original = writer.finalize;
  const start = writer.allocStart;
  const hadOwn = Object.hasOwn(writer, 'finalize');
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (hadOwn) writer.finalize = original;
    else delete writer.finalize;
  };
  writer.finalize = function (this: unknown, packet: Uint8Array, force?: boolean) {
    if (packet[start] === type) {
      restore();
      onPayload(Uint8Array.from(packet.subarray(start)));
    }
    return original.call(this, packet, force);
  };
  process.nextTick(restore);
}

/**
 * Sends exit-status on an SFTP subsystem channel (RFC 4254 §6.10), as sshd does when sftp-server
 * exits: OpenSSH's scp (SFTP mode since 9.0) counts a channel closed without one as a failure
 * ("Exit status -1"). ssh2's server-side SFTP object has no public exit(); this sends what
 * Channel.exit() sends, or nothing if a future ssh2 changes the shape.
 */
export function sendSftpExitStatus(sftp: object, status: number): void {
  const inner = sftp as { _protocol?: { exitStatus?: unknown }; outgoing?: { id?: unknown; state?: unknown } };
  const protocol = inner._protocol;
  const outgoing = inner.outgoing;
  if (typeof protocol?.exitStatus !== 'function' || typeof outgoing?.id !== 'number') return;
  if (outgoing.state !== 'open' && outgoing.state !== 'eof') return;
  (protocol.exitStatus as (channel: number, status: number) => void).call(protocol, outgoing.id, status);
}
