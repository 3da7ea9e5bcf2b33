/**
 * TCP streams back out of captured packets (the pcapng import): each connection's bytes per
 * direction in sequence order, retransmissions dropped, out-of-order segments put back in place,
 * and consecutive segments of one direction joined up to the one with PSH — so a file the lab
 * exported comes back with its original write boundaries.
 */
import type { ChunkDir } from '../bus/captures.ts';
import { parseFrame, TCP, type Endpoint, type ParsedSegment } from './tcp-packets.ts';

/** One captured frame: its link type (from its interface) and when it was seen. */
export interface Frame {
  linkType: number;
  timestampUs: number;
  data: Uint8Array;
}

/** A chunk of one direction as the sender pushed it. */
export interface StreamChunk {
  dir: ChunkDir;
  timestampUs: number;
  data: Uint8Array;
}

/** One TCP connection found in a capture. */
export interface ReassembledStream {
  client: Endpoint;
  server: Endpoint;
  startUs: number;
  endUs: number;
  chunks: StreamChunk[];
  /** Bytes the capture missed (segments never seen), over both directions. */
  missing: number;
}

interface DirState {
  base: number | null;
  next: number;
  /** Segments ahead of `next`, by offset (a bounded number). */
  ahead: Map<number, { payload: Uint8Array; push: boolean; timestampUs: number }>;
}

interface StreamState {
  stream: ReassembledStream;
  dirs: Record<ChunkDir, DirState>;
  /** The chunk still being joined: its direction and parts. */
  open: { dir: ChunkDir; timestampUs: number; parts: Uint8Array[] } | null;
  finished: boolean;
}

const MAX_AHEAD = 4096;
const FAR_AHEAD = 1 << 30;
const sameEnd = (a: Endpoint, b: Endpoint) => a.ip === b.ip && a.port === b.port;
const keyOf = (a: Endpoint, b: Endpoint) => [`${a.ip}|${a.port}`, `${b.ip}|${b.port}`].sort().join('|');

/**
 * Reassembles every TCP connection in `frames` (in file order). `isServerPort` tells the server side
 * of a connection whose SYN the capture missed. Frames that are not TCP over IP are skipped.
 */
export function reassemble(frames: Iterable<Frame>, isServerPort: (port: number) => boolean, limits: { maxStreams?: number } = {}): ReassembledStream[] {
  const maxStreams = limits.maxStreams ?? 1000;
  const live = new Map<string, StreamState>();
  const done: StreamState[] = [];

  const start = (s: ParsedSegment, timestampUs: number): StreamState => {
    // The side that sends a bare SYN is the client; without one, the side on a server port is the server.
    const fromIsClient = s.flags & TCP.SYN ? !(s.flags & TCP.ACK) : isServerPort(s.to.port) || !isServerPort(s.from.port);
    const [client, server] = fromIsClient ? [s.from, s.to] : [s.to, s.from];
    const dir = (): DirState => ({ base: null, next: 0, ahead: new Map() });
    return { stream: { client, server, startUs: timestampUs, endUs: timestampUs, chunks: [], missing: 0 }, dirs: { client: dir(), server: dir() }, open: null, finished: false };
  };

  for (const frame of frames) {
    const segment = parseFrame(frame.linkType, frame.data);
    if (!segment) continue;
    const key = keyOf(segment.from, segment.to);
    let state = live.get(key);
    // A new SYN on a finished connection's ports is a new connection.
    if (state && state.finished && segment.flags & TCP.SYN && !(segment.flags & TCP.ACK)) {
      done.push(state);
      state = undefined;
    }
    if (!state) {
      if (done.length + live.size >= maxStreams) throw new RangeError(`more than ${maxStreams} TCP connections`);
      state = start(segment, frame.timestampUs);
      live.set(key, state);
    }
    accept(state, segment, frame.timestampUs);
  }
  for (const state of live.values()) done.push(state);
  for (const state of done) flushAll(state);
  return done.map((s) => s.stream).sort((a, b) => a.startUs - b.startUs);
}

function accept(state: StreamState, s: ParsedSegment, timestampUs: number): void {
  const dir: ChunkDir = sameEnd(s.from, state.stream.client) ? 'client' : 'server';
  const d = state.dirs[dir];
  state.stream.endUs = Math.max(state.stream.endUs, timestampUs);
  if (d.base === null) d.base = (s.seq + (s.flags & TCP.SYN ? 1 : 0)) >>> 0;
  if (s.flags & (TCP.FIN | TCP.RST)) state.finished = true;
  if (s.payload.length === 0) return;
  const offset = (s.seq + (s.flags & TCP.SYN ? 1 : 0) - d.base) >>> 0;
  const push = (s.flags & TCP.PSH) !== 0;
  if (offset > d.next) {
    // Far ahead is really behind the start (a sequence number before the first one seen): dropped.
    if (offset - d.next < FAR_AHEAD && d.ahead.size < MAX_AHEAD && !d.ahead.has(offset)) d.ahead.set(offset, { payload: s.payload, push, timestampUs });
    return;
  }
  const fresh = s.payload.subarray(d.next - offset); // a retransmission's repeated bytes dropped
  if (fresh.length === 0) return;
  append(state, dir, fresh, push, timestampUs);
  // What was waiting ahead may fit now.
  for (let found = true; found; ) {
    found = false;
    for (const [at, waiting] of d.ahead) {
      if (at > d.next) continue;
      d.ahead.delete(at);
      const rest = waiting.payload.subarray(Math.min(waiting.payload.length, d.next - at));
      if (rest.length) append(state, dir, rest, waiting.push, waiting.timestampUs);
      found = true;
    }
  }
}

function append(state: StreamState, dir: ChunkDir, bytes: Uint8Array, push: boolean, timestampUs: number): void {
  state.dirs[dir].next += bytes.length;
  if (state.open && state.open.dir !== dir) close(state);
  if (!state.open) state.open = { dir, timestampUs, parts: [] };
  state.open.parts.push(bytes);
  if (push) close(state);
}

function close(state: StreamState): void {
  const open = state.open;
  state.open = null;
  if (!open) return;
  const data = open.parts.length === 1 ? open.parts[0] : Buffer.concat(open.parts);
  state.stream.chunks.push({ dir: open.dir, timestampUs: open.timestampUs, data });
}

/** The end of the capture: segments still waiting behind a hole go in after it, the hole counted as missing. */
function flushAll(state: StreamState): void {
  for (const dir of ['client', 'server'] as const) {
    const d = state.dirs[dir];
    for (const at of [...d.ahead.keys()].sort((a, b) => a - b)) {
      const waiting = d.ahead.get(at)!;
      if (at > d.next) {
        state.stream.missing += at - d.next;
        d.next = at;
      }
      const rest = waiting.payload.subarray(Math.min(waiting.payload.length, d.next - at));
      if (rest.length) append(state, dir, rest, waiting.push, waiting.timestampUs);
    }
    d.ahead.clear();
  }
  close(state);
}
