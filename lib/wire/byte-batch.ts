/**
 * Bytes gathered for one post to a worker thread: each `add` copies a chunk in and says where it
 * lies; `take` hands over what was gathered (exactly those bytes, in a buffer of its own, so it can be
 * transferred) and starts again. The copy is made when the chunk is added: the caller's buffer may
 * be reused or changed by the time the post goes.
 */
export class ByteBatch {
  private buffer: Uint8Array;
  private used = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buffer = new Uint8Array(initialBytes);
  }

  /** Bytes it holds memory for now (what it gathered, and room to spare). */
  get capacity(): number {
    return this.buffer.byteLength;
  }

  get length(): number {
    return this.used;
  }

  /** Copies `chunk` in; returns where it lies in the batch. */
  add(chunk: Uint8Array): { from: number; to: number } {
    const from = this.used;
    const to = from + chunk.byteLength;
    if (to > this.buffer.byteLength) {
      const grown = new Uint8Array(Math.max(to, this.buffer.byteLength * 2));
      grown.set(this.buffer.subarray(0, from));
      this.buffer = grown;
    }
    this.buffer.set(chunk, from);
    this.used = to;
    return { from, to };
  }

  /** The bytes gathered so far, in a buffer of their own; the batch is empty again. */
  take(): Uint8Array<ArrayBuffer> {
    const taken = this.buffer.slice(0, this.used);
    this.used = 0;
    // A burst (a flood of pipelined requests) grew it: give that memory back rather than keep it for good.
    if (this.buffer.byteLength > 16 * this.initialBytes) this.buffer = new Uint8Array(this.initialBytes);
    return taken;
  }
}
