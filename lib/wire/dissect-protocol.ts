/** What the main thread and the dissect thread say to each other (lib/wire/dissect-thread.ts). */
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { StreamDir } from '../protocols/types.ts';

/** What the main thread asks about one connection. */
export type DissectAsk = { conn: string } & (
  | { op: 'open'; name: ThreadDissectorName }
  | { op: 'push'; dir: StreamDir; chunk: Uint8Array }
  | { op: 'endOf'; dir: StreamDir }
  | { op: 'end' }
  /** Answers once everything before it on this connection has been. */
  | { op: 'after' }
);

/**
 * One request as posted; `n` counts every request the main thread sent, so answers name theirs. A push
 * names its bytes by where they lie in its batch's `bytes` (`from` to `to`).
 */
export type DissectRequest = { conn: string; n: number } & (
  | Exclude<DissectAsk, { op: 'push' }>
  | { op: 'push'; dir: StreamDir; from: number; to: number }
);

/**
 * What the main thread posts: requests and, in one buffer, the bytes of all their pushes. One buffer
 * per post instead of one per chunk: a structured clone of dozens of small typed arrays allocates and
 * copies each on both threads (bench:soap posts ≈ 60 chunks of ≈ 500 bytes at a time).
 */
export interface RequestBatch {
  bytes: Uint8Array;
  requests: DissectRequest[];
}
