/**
 * Line framing for text protocols (SMTP, FTP control, HTTP start/header/chunk-size lines, the SSH
 * version line): reads LF-terminated lines
 * from a byte stream across any split, with a bounded buffer. A line longer than the bound is
 * reported as 'overlong' (with a preview) and its remainder as 'more' blocks, so memory stays
 * flat whatever a peer sends and every byte is still accounted for.
 */

/** Per-direction reader state: plain data, copied with the dissector's state. */
export interface LineReader {
  buf: Uint8Array;
  /** Set while discarding the rest of an overlong line. */
  skip: { total: number; pending: number; lastCr: boolean } | null;
}

/** The bounds a protocol chooses. */
export interface LineLimits {
  /** Longest line buffered, terminator included; beyond it the line is overlong. */
  lineBuffer: number;
  /** Overlong remainders are reported in blocks of this size. */
  overlongBlock: number;
  /** Bytes of an overlong line kept for display. */
  preview: number;
}

/** One framed unit: a whole line, the start of an overlong one, or a block of its remainder. */
export type LineEvent =
  | { t: 'line'; content: Uint8Array; crlf: boolean; bytes: number }
  | { t: 'overlong'; preview: Uint8Array; bytes: number }
  | { t: 'more'; bytes: number; total: number; ended: boolean; crlf: boolean };

export const EMPTY_BYTES = new Uint8Array(0);

export function newLineReader(): LineReader {
  return { buf: EMPTY_BYTES, skip: null };
}

/** The bytes as latin1 text, read in place (no copy of the line). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** a then b in a new array. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** True between lines: nothing of the next line has been read yet (where FTP looks for a TLS record). */
export function atLineStart(r: LineReader): boolean {
  return r.buf.length === 0 && r.skip === null;
}

/**
 * Empties the reader when the stream stops being lines (connection end, a switch to TLS): the
 * partial line it holds, and the bytes of an overlong remainder not yet reported as a 'more' event.
 */
export function drainLineReader(r: LineReader): { partial: Uint8Array; more: Extract<LineEvent, { t: 'more' }> | null } {
  const partial = r.buf;
  const more = r.skip && r.skip.pending > 0 ? { t: 'more' as const, bytes: r.skip.pending, total: r.skip.total, ended: false, crlf: false } : null;
  r.buf = EMPTY_BYTES;
  r.skip = null;
  return { partial, more };
}

/** Reads at most one event from chunk[start…]; decisions depend on byte positions only, never on chunking. */
export function readLine(r: LineReader, chunk: Uint8Array, start: number, limits: LineLimits): { ev: LineEvent | null; next: number } {
  const { lineBuffer, overlongBlock, preview } = limits;
  const lf = chunk.indexOf(0x0a, start);
  if (r.skip) {
    const sk = r.skip;
    const room = overlongBlock - sk.pending;
    if (lf !== -1 && lf - start < room) {
      const n = lf + 1 - start;
      const crlf = n >= 2 ? chunk[lf - 1] === 0x0d : sk.lastCr;
      r.skip = null;
      return { ev: { t: 'more', bytes: sk.pending + n, total: sk.total + n, ended: true, crlf }, next: lf + 1 };
    }
    const n = Math.min(room, chunk.length - start);
    sk.pending += n;
    sk.total += n;
    sk.lastCr = chunk[start + n - 1] === 0x0d;
    if (sk.pending < overlongBlock) return { ev: null, next: start + n };
    sk.pending = 0;
    return { ev: { t: 'more', bytes: overlongBlock, total: sk.total, ended: false, crlf: false }, next: start + n };
  }
  if (lf !== -1 && r.buf.length + (lf - start) < lineBuffer) {
    // A line that lies whole in this chunk is a view of it (no copy): dissectors read lines, never change them.
    const raw = r.buf.length === 0 ? chunk.subarray(start, lf + 1) : concat(r.buf, chunk.subarray(start, lf + 1));
    r.buf = EMPTY_BYTES;
    const crlf = raw.length >= 2 && raw[raw.length - 2] === 0x0d;
    return { ev: { t: 'line', content: raw.subarray(0, raw.length - (crlf ? 2 : 1)), crlf, bytes: raw.length }, next: lf + 1 };
  }
  const take = Math.min(chunk.length - start, lineBuffer - r.buf.length);
  const buf = concat(r.buf, chunk.subarray(start, start + take));
  if (buf.length < lineBuffer) {
    r.buf = buf;
    return { ev: null, next: start + take };
  }
  r.buf = EMPTY_BYTES;
  r.skip = { total: buf.length, pending: 0, lastCr: buf[buf.length - 1] === 0x0d };
  return { ev: { t: 'overlong', preview: buf.subarray(0, preview), bytes: buf.length }, next: start + take };
}
