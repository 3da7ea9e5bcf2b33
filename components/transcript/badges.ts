/**
 * Whether a message of the endpoint view had been encrypted on the wire, for the badge beside it,
 * the line under it and the bytes panel's words. The endpoint view holds what a server saw after
 * decrypting TLS or SSH, but not only that: SSH's version lines, KEXINITs, ECDH and NEWKEYS are the
 * server's own record of packets that crossed in clear (RFC 4253 §7.3: encryption starts after each
 * side's NEWKEYS), a ZeroMQ application's messages crossed in clear unless the connection is CURVE
 * (ZMTP's NULL and PLAIN mechanisms encrypt nothing, RFC 37 §3.6), and lab notes never crossed the wire at all.
 */
import type { LabMessage } from '@/lib/wire/event.ts';

export type EncryptionBadge = 'decrypted' | 'sent in clear';

const isNewkeys = (m: LabMessage) => m.annotation?.key === 'ssh.msg.NEWKEYS' || m.text === 'NEWKEYS' || m.text.startsWith('NEWKEYS ');

/**
 * The badge of each message in `messages` (one connection's, or a player's timeline that merges a
 * connection with its children): null for wire messages and notes; for every protocol but SSH and
 * ZeroMQ, "decrypted" (the lab adds their endpoint messages only where the wire is encrypted). For
 * ZeroMQ, "decrypted" on a connection whose client's greeting named CURVE, else "sent in clear". For SSH, "decrypted"
 * once its sender's NEWKEYS is behind it on its connection, else "sent in clear". A list that holds
 * part of a connection (the SFTP packets only) is judged by what it holds: no version line of the
 * sender means the list starts after the handshake. A caller showing part of the handshake passes
 * the whole connection here.
 */
export function encryptionBadges(messages: readonly LabMessage[]): (m: LabMessage) => EncryptionBadge | null {
  // Per connection and sender: where its version line and its first NEWKEYS are, the endpoint
  // view's own NEWKEYS if it has one (the wire copy may be framed before the server logged it).
  const senders = new Map<string, { version: boolean; newkeys: Record<LabMessage['view'], number> }>();
  /** ZeroMQ connections whose greeting named CURVE. */
  const curve = new Set<string>();
  for (const m of messages) {
    if (m.protocol === 'zmq' && m.view === 'wire' && m.fields?.some((f) => f.name === 'mechanism' && f.value === 'CURVE')) curve.add(m.conn);
    if (m.protocol !== 'ssh' || m.dir === 'note') continue;
    const key = `${m.conn} ${m.dir}`;
    const sender = senders.get(key) ?? { version: false, newkeys: { endpoint: Infinity, wire: Infinity } };
    if (m.kind === 'version') sender.version = true;
    if (isNewkeys(m)) sender.newkeys[m.view] = Math.min(sender.newkeys[m.view], m.seq);
    senders.set(key, sender);
  }
  const encryptedAfter = (m: LabMessage): number => {
    const sender = senders.get(`${m.conn} ${m.dir}`);
    if (!sender) return -Infinity;
    const newkeys = sender.newkeys.endpoint !== Infinity ? sender.newkeys.endpoint : sender.newkeys.wire;
    return newkeys !== Infinity || sender.version ? newkeys : -Infinity;
  };
  return (m) => {
    if (m.view !== 'endpoint' || m.dir === 'note') return null;
    if (m.protocol === 'zmq') return curve.has(m.conn) ? 'decrypted' : 'sent in clear';
    if (m.protocol !== 'ssh') return 'decrypted';
    return m.seq > encryptedAfter(m) ? 'decrypted' : 'sent in clear';
  };
}

/** The line under a selected message: where the lab saw it. */
export function seenWhere(m: LabMessage, badge: EncryptionBadge | null): string {
  if (m.dir === 'note') return 'a lab note, not on the wire';
  if (m.view === 'wire') return 'seen on the wire';
  return badge === 'sent in clear' ? 'seen by the server; it crossed the wire in clear' : 'seen by the server after decryption';
}
