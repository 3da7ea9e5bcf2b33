/**
 * For an endpoint view: an application-level multipart message (what a socket sent or received, after any
 * CURVE decryption) described frame by frame exactly as the wire dissector describes clear frames — the
 * same texts, fields and annotations (delimiter, MORE, ZMTP 3.0 subscription) — with `bytes: 0`, since
 * these messages stand for no octets on the wire.
 */
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createZmtpDissector } from './dissector.ts';
import { nullGreeting } from './greeting.ts';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** ZMTP 3.1 frames (flags, size, body) for `parts`, MORE on all but the last. */
export function encodeFrames(parts: readonly Uint8Array[]): Uint8Array {
  const pieces = parts.flatMap((part, i) => {
    const more = i < parts.length - 1 ? 1 : 0;
    const size = part.length <= 255 ? [part.length] : Array.from({ length: 8 }, (_, k) => Math.floor(part.length / 2 ** (8 * (7 - k))) & 0xff);
    return [Uint8Array.from([part.length <= 255 ? more : more | 2, ...size]), part];
  });
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The frames of one message as DissectedMessages; `socketType` (REQ, SUB…) of the sending socket refines them. */
export function multipartToMessages(dir: StreamDir, parts: readonly Uint8Array[], socketType?: string): DissectedMessage[] {
  const type = (socketType ?? '').slice(0, 32);
  const props = type ? [11, ...ascii('Socket-Type'), 0, 0, 0, type.length, ...ascii(type)] : [];
  const ready = [5, ...ascii('READY'), ...props];
  const d = createZmtpDissector();
  d.push(dir, nullGreeting());
  d.push(dir, Uint8Array.from([4, ready.length, ...ready]));
  return d.push(dir, encodeFrames(parts)).map((m) => ({ ...m, bytes: 0 }));
}
