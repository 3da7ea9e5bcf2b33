/** What the main thread and the dissect thread say to each other (lib/wire/dissect-thread.ts). */
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';

/** One request; `n` counts every request the main thread sent, so answers name theirs. */
export type DissectRequest = { n: number; conn: string } & (
  | { op: 'open'; name: ThreadDissectorName }
  | { op: 'push'; dir: StreamDir; chunk: Uint8Array }
  | { op: 'endOf'; dir: StreamDir }
  | { op: 'end' }
  /** Answers once everything before it on this connection has been. */
  | { op: 'after' }
);

/** The answer to request `n`: its messages, or why the connection's dissector failed there. */
export interface DissectAnswer {
  n: number;
  messages?: DissectedMessage[];
  failed?: string;
}
