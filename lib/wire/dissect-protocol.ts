/** What the main thread and the dissect thread say to each other (lib/wire/dissect-thread.ts). */
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { Annotation, Dir, Field } from './event.ts';

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

/**
 * A message as it crosses back: a tuple (a structured clone writes every object's keys out again: a
 * message as an object cost twice its tuple to post, measured), its fields flattened to
 * name, value, note, and its annotation by number. Annotations repeat (they come from the prose tables)
 * and are most of a message's size, so each distinct one crosses once and the main thread keeps one
 * object for it, as when it dissects itself. Dissectors set no `at`, `edited` or `injected` (the gate does).
 */
export type PackedMessage = [dir: Dir, kind: string, text: string, bytes: number, annotation: number, phase: string | null, fields: (string | null)[] | null];

/** `message` as it crosses, its annotation numbered by `numberOf`. */
export function packMessage(message: DissectedMessage, numberOf: (annotation: Annotation) => number): PackedMessage {
  let fields: (string | null)[] | null = null;
  if (message.fields) {
    fields = [];
    for (const field of message.fields) fields.push(field.name, field.value, field.note ?? null);
  }
  return [message.dir, message.kind, message.text, message.bytes, message.annotation ? numberOf(message.annotation) : -1, message.phase ?? null, fields];
}

/** The message again, its annotation the one `annotationOf` keeps for its number. */
export function unpackMessage(packed: PackedMessage, annotationOf: (id: number) => Annotation | undefined): DissectedMessage {
  const [dir, kind, text, bytes, annotationId, phase, flat] = packed;
  const message: DissectedMessage = { dir, kind, text, bytes };
  if (flat) {
    const fields: Field[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const note = flat[i + 2];
      fields.push(note === null ? { name: flat[i] ?? '', value: flat[i + 1] ?? '' } : { name: flat[i] ?? '', value: flat[i + 1] ?? '', note });
    }
    message.fields = fields;
  }
  const annotation = annotationId < 0 ? undefined : annotationOf(annotationId);
  if (annotation) message.annotation = annotation;
  if (phase !== null) message.phase = phase;
  return message;
}

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
