/** What the main thread and the dissect thread say to each other (lib/wire/dissect-thread.ts). */
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { Annotation } from './event.ts';

/** What the main thread asks about one connection. */
export type DissectAsk = { conn: string } & (
  | { op: 'open'; name: ThreadDissectorName }
  | { op: 'push'; dir: StreamDir; chunk: Uint8Array }
  | { op: 'endOf'; dir: StreamDir }
  | { op: 'end' }
  /** Answers once everything before it on this connection has been. */
  | { op: 'after' }
);

/** One request as sent; `n` counts every request the main thread sent, so answers name theirs. */
export type DissectRequest = DissectAsk & { n: number };

/**
 * A message as it crosses back: its annotation by number. Annotations repeat (they come from the prose
 * tables) and are most of a message's size, so each distinct one crosses once and the main thread keeps
 * one object for it, as when it dissects itself.
 */
export type PackedMessage = Omit<DissectedMessage, 'annotation'> & { annotation?: number };

/** The answer to request `n`: its messages, or why the connection's dissector failed there. */
export interface DissectAnswer<M = PackedMessage> {
  n: number;
  messages?: M[];
  failed?: string;
}

/** What the thread posts per turn: the annotations it numbered since the last batch, then the answers. */
export interface AnswerBatch {
  /** Forget every annotation numbered before this batch (the thread's table reached its cap). */
  forget: boolean;
  annotations: [number, Annotation][];
  answers: DissectAnswer[];
}
