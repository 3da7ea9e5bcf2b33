/**
 * A bounds-checked reader for SSH wire types (RFC 4251 §5): byte, boolean, uint32, string,
 * name-list. Every read returns undefined instead of throwing when the data runs out, so
 * dissecting garbage can never crash.
 */
export class WireReader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  /** Where the next read starts (a field's span in its payload). */
  get at(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  byte(): number | undefined {
    if (this.remaining < 1) return undefined;
    return this.data[this.offset++];
  }

  boolean(): boolean | undefined {
    const b = this.byte();
    return b === undefined ? undefined : b !== 0;
  }

  uint32(): number | undefined {
    if (this.remaining < 4) return undefined;
    const d = this.data;
    const o = this.offset;
    this.offset += 4;
    return ((d[o] << 24) >>> 0) + (d[o + 1] << 16) + (d[o + 2] << 8) + d[o + 3];
  }

  bytes(count: number): Uint8Array | undefined {
    if (count < 0 || this.remaining < count) return undefined;
    const out = this.data.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** `string` (RFC 4251 §5): uint32 length + bytes. Also reads `mpint`. */
  string(): Uint8Array | undefined {
    const length = this.uint32();
    return length === undefined ? undefined : this.bytes(length);
  }

  /** `name-list` (RFC 4251 §5): comma-separated US-ASCII names in a string. */
  nameList(): string[] | undefined {
    const raw = this.string();
    if (raw === undefined) return undefined;
    const text = Buffer.from(raw).toString('latin1');
    return text.length === 0 ? [] : text.split(',');
  }

  text(): string | undefined {
    const raw = this.string();
    return raw === undefined ? undefined : Buffer.from(raw).toString('utf8');
  }
}

/** Reads a big-endian uint32 at `offset` of a small array (the caller checks the length). */
export function readUint32(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset] << 24) >>> 0) + (bytes[offset + 1] << 16) + (bytes[offset + 2] << 8) + bytes[offset + 3];
}
