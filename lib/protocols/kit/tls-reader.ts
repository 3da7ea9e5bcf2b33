/** Reading TLS structures off bytes without throwing: the big-endian reader and the hex helpers tls-hello and tls-extensions share. */
import { VERSIONS, nameOf } from './tls-names.ts';

/** Reads big-endian numbers off a byte array, stopping (instead of throwing) at the end. */
export class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    /** Where this structure ends (its length field's promise, clamped to the bytes). */
    public limit: number,
  ) {
    this.pos = start;
  }
  has(n: number): boolean {
    return this.pos + n <= Math.min(this.limit, this.bytes.length);
  }
  num(n: number): number | null {
    if (!this.has(n)) return null;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + this.bytes[this.pos + i];
    this.pos += n;
    return v;
  }
}

export const hexOf = (bytes: Uint8Array, start: number, end: number) => Array.from(bytes.subarray(start, end), (b) => b.toString(16).padStart(2, '0')).join('');
export const short = (hex: string) => (hex.length > 16 ? `${hex.slice(0, 16)}…` : hex);
export const versionName = (v: number) => nameOf(VERSIONS, v);
