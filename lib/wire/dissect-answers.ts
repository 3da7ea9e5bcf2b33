/**
 * How the dissect thread's answers cross back to the main thread. A structured clone writes every
 * object, array and string out again and the receiving thread builds each anew, on the main thread,
 * for every message of every answer. So an answer batch crosses as numbers in one Float64Array
 * (transferred, not copied) and a table of the strings its messages use, each distinct string once
 * (the same header lines and XML lines recur call after call). Annotations repeat too (they come
 * from the prose tables) and are most of a message's size: each distinct one crosses once, by
 * number, and the main thread keeps one object for it, as when it dissects itself. Taking a batch of
 * bench:soap's answers back: ≈ 19 µs per call as tuples, ≈ 6 µs in this form (measured on its batches).
 *
 * Each answer is `n`, then 0 (no messages), 1 and its messages, or 2 and the failure's string. Each
 * message is dir, kind, text, bytes, annotation (-1: none), phase (-1: none), its secret's start and end
 * (-1: none), then its fields' count
 * (-1: no fields) and, per field, name, value, note, start, end (-1: none). Strings are indexes into `strings`.
 * Dissectors set no `at`, `edited` or `injected` (the gate does), so none cross.
 */
import type { DissectedMessage } from '../protocols/types.ts';
import type { Annotation, Dir, Field } from './event.ts';

/** The answer to request `n`: its messages, or why the connection's dissector failed there. */
export interface DissectAnswer {
  n: number;
  messages?: DissectedMessage[];
  failed?: string;
}

/** What the thread posts per turn: the annotations it numbered since the last batch, then the answers. */
export interface AnswerBatch {
  /** Forget every annotation numbered before this batch (the thread's table reached its cap). */
  forget: boolean;
  annotations: [number, Annotation][];
  strings: string[];
  answers: Float64Array<ArrayBuffer>;
}

const NO_MESSAGES = 0;
const MESSAGES = 1;
const FAILED = 2;
const NONE = -1;

/** The thread's side: gathers one turn's answers, then hands them over as one batch's strings and numbers. */
export class AnswerWriter {
  private numbers: number[] = [];
  private strings: string[] = [];
  private indexOf = new Map<string, number>();

  constructor(private readonly numberOf: (annotation: Annotation) => number) {}

  add(answer: DissectAnswer): void {
    const out = this.numbers;
    out.push(answer.n);
    if (answer.failed !== undefined) {
      out.push(FAILED, this.string(answer.failed));
      return;
    }
    const messages = answer.messages ?? [];
    if (messages.length === 0) {
      out.push(NO_MESSAGES);
      return;
    }
    out.push(MESSAGES, messages.length);
    for (const m of messages) {
      out.push(this.string(m.dir), this.string(m.kind), this.string(m.text), m.bytes);
      out.push(m.annotation ? this.numberOf(m.annotation) : NONE, m.phase === undefined ? NONE : this.string(m.phase));
      out.push(m.secret?.start ?? NONE, m.secret?.end ?? NONE);
      if (!m.fields) {
        out.push(NONE);
        continue;
      }
      out.push(m.fields.length);
      for (const field of m.fields) {
        out.push(this.string(field.name), this.string(field.value), field.note === undefined ? NONE : this.string(field.note), field.start ?? NONE, field.end ?? NONE);
      }
    }
  }

  /** The answers gathered so far, and a fresh start. */
  take(): { strings: string[]; answers: Float64Array<ArrayBuffer> } {
    const taken = { strings: this.strings, answers: Float64Array.from(this.numbers) };
    this.numbers = [];
    this.strings = [];
    this.indexOf = new Map();
    return taken;
  }

  private string(text: string): number {
    let index = this.indexOf.get(text);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(text);
      this.indexOf.set(text, index);
    }
    return index;
  }
}

/** The main thread's side: each answer of `batch` in order, its annotations the ones `annotationOf` keeps. */
export function readAnswers(batch: Pick<AnswerBatch, 'strings' | 'answers'>, annotationOf: (id: number) => Annotation | undefined, each: (answer: DissectAnswer) => void): void {
  const { strings, answers: a } = batch;
  let i = 0;
  while (i < a.length) {
    const n = a[i++];
    const what = a[i++];
    if (what === FAILED) {
      each({ n, failed: strings[a[i++]] });
      continue;
    }
    if (what !== MESSAGES) {
      each({ n });
      continue;
    }
    const messages: DissectedMessage[] = [];
    for (let count = a[i++]; count > 0; count--) {
      const message: DissectedMessage = { dir: strings[a[i]] as Dir, kind: strings[a[i + 1]], text: strings[a[i + 2]], bytes: a[i + 3] };
      const annotationId = a[i + 4];
      const phase = a[i + 5];
      const [secretStart, secretEnd] = [a[i + 6], a[i + 7]];
      let fieldCount = a[i + 8];
      i += 9;
      if (fieldCount !== NONE) {
        const fields: Field[] = [];
        for (; fieldCount > 0; fieldCount--, i += 5) {
          const [note, start, end] = [a[i + 2], a[i + 3], a[i + 4]];
          const field: Field = note === NONE ? { name: strings[a[i]], value: strings[a[i + 1]] } : { name: strings[a[i]], value: strings[a[i + 1]], note: strings[note] };
          if (start !== NONE && end !== NONE) {
            field.start = start;
            field.end = end;
          }
          fields.push(field);
        }
        message.fields = fields;
      }
      const annotation = annotationId === NONE ? undefined : annotationOf(annotationId);
      if (annotation) message.annotation = annotation;
      if (phase !== NONE) message.phase = strings[phase];
      if (secretStart !== NONE && secretEnd !== NONE) message.secret = { start: secretStart, end: secretEnd };
      messages.push(message);
    }
    each({ n, messages });
  }
}
