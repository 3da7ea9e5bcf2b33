/**
 * Fix: ftp-srv's AUTH handler sends 234 through its promise chain and wraps the socket in TLS a few
 * ticks later, so a fast client's ClientHello is read as an FTP command (`502 … <binary>`): curl
 * failed 13/20 and basic-ftp 8/20 (PITFALLS.md). Here 234 is written and the socket wrapped in the
 * same tick, before any further input can be read (RFC 4217 §4). The event forwarding mirrors
 * ftp-srv's, so its listeners on the original socket keep working.
 */
import tls from 'node:tls';
import type { FtpConnectionLike } from './internals.ts';

const FORWARDED = ['data', 'timeout', 'end', 'close', 'drain', 'error'] as const;

/**
 * Handles `AUTH <arg>`; calls `onSecure` when the control connection's handshake completes, and
 * `onKeylog` with each NSS key log line of the session (the lab holds the server side: the pcapng
 * export embeds them so Wireshark decrypts the control channel).
 */
export function handleAuth(
  connection: FtpConnectionLike,
  arg: string,
  context: tls.SecureContext | null,
  onSecure: (info: { protocol: string | null; cipher: string }) => void,
  onKeylog?: (line: Buffer) => void,
): PromiseLike<unknown> | void {
  const method = arg.trim().toUpperCase();
  if (!context) return connection.reply(502, 'TLS is not configured');
  if (method !== 'TLS' && method !== 'TLS-C' && method !== 'SSL') return connection.reply(504, 'Only AUTH TLS is supported');
  if (connection.secure) return connection.reply(503, 'Already using TLS');

  const raw = connection.commandSocket;
  const line = '234 AUTH TLS OK, start the TLS handshake';
  connection.log.trace({ port: raw.address() && (raw.address() as { port?: number }).port, message: line }, 'Reply');
  raw.write(`${line}\r\n`);
  const secureSocket = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
  // Before the handshake: Node emits 'keylog' only to listeners present when the secrets are made.
  if (onKeylog) secureSocket.on('keylog', onKeylog);
  for (const event of FORWARDED) secureSocket.on(event, (...args: unknown[]) => raw.emit(event, ...args));
  secureSocket.once('secure', () => onSecure({ protocol: secureSocket.getProtocol(), cipher: secureSocket.getCipher()?.name ?? '' }));
  connection.commandSocket = secureSocket;
  connection.secure = true;
}
