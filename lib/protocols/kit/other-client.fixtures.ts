/**
 * Test fixtures for "another protocol's client on this port": the first bytes real clients sent to the
 * lab's ports (curl 7.88, OpenSSH 9.2, libzmq 4.3, openssl s_client and browsers' ClientHellos from
 * fixtures/tls-hellos.json), and the helpers every dissector's other-client test uses.
 */
import { readFileSync } from 'node:fs';
import type { DissectedMessage } from '../types.ts';

/** A string's bytes as sent (latin1: one byte per character). */
export const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** curl's request to `port` (78 bytes for a four-digit port). */
export const curlRequest = (port: number): Uint8Array => text(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`);

/** OpenSSH's version line, sent as soon as it connects. */
export const OPENSSH_VERSION = text('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n');

/** libzmq's signature: 0xFF, padding ending in 1, 0x7F (ZMTP RFC 37 §3.2). */
export const ZMTP_SIGNATURE = Uint8Array.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f]);

/** The real ClientHellos (whole TLS records), by fixture name. */
export const CLIENT_HELLOS: readonly (readonly [name: string, bytes: Uint8Array])[] = (
  JSON.parse(readFileSync(new URL('./fixtures/tls-hellos.json', import.meta.url), 'utf8')) as { hellos: { name: string; hex: string }[] }
).hellos
  .filter((h) => h.name.endsWith('-client-hello'))
  .map((h) => [h.name, Uint8Array.from(Buffer.from(h.hex, 'hex'))] as const);

/** openssl s_client's ClientHello (325 bytes, four 0x0a bytes inside: a line reader would cut it in five). */
export const OPENSSL_CLIENT_HELLO: Uint8Array = CLIENT_HELLOS.find(([name]) => name === 'openssl-s-client-client-hello')?.[1] ?? new Uint8Array();

/** The bytes the messages cover. */
export const covered = (out: readonly DissectedMessage[]): number => out.reduce((n, m) => n + m.bytes, 0);

/** `all` cut into pieces of the given sizes, repeated (TCP may deliver any split). */
export function split(all: Uint8Array, sizes: number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0, i = 0; at < all.length; at += sizes[i++ % sizes.length]) parts.push(all.subarray(at, at + sizes[i % sizes.length]));
  return parts;
}

/** What a test compares: kind, bytes, annotation key and text of each message. */
export const shape = (out: readonly DissectedMessage[]) => out.map((m) => [m.kind, m.bytes, m.annotation?.key ?? null, m.text]);
