/**
 * The dissect thread: runs each connection's dissector on the bytes the main thread forwarded,
 * in the order they crossed the wire, and answers every request in order (batched per turn of
 * its event loop). A dissector that throws is dropped, and its connection told once.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { isThreadDissectorName, THREAD_DISSECTORS } from '../protocols/thread-dissectors.ts';
import { endOfDirection, type DissectedMessage, type Dissector } from '../protocols/types.ts';
import { AnswerWriter, type AnswerBatch, type DissectAnswer } from './dissect-answers.ts';
import type { DissectRequest, RequestBatch } from './dissect-protocol.ts';
import type { Annotation } from './event.ts';

function workerPort(): MessagePort {
  if (!parentPort) throw new Error('dissect-worker.ts runs as a worker thread');
  return parentPort;
}
const port = workerPort();

/** Live connections' dissectors; null once one has thrown (its bytes are no longer decoded). */
const dissectors = new Map<string, Dissector | null>();
let numbered: [number, Annotation][] = [];
let flushing = false;
/**
 * Annotations numbered so far, by content: by their short fields, then by explanation (the long one,
 * usually the very string the prose table holds, whose hash is kept). An annotation with a case of its
 * own is a fresh object per message, so this runs for each of those: keying by JSON.stringify cost more
 * than the dissector.
 * Past the cap both sides forget them (bounded memory).
 */
const annotationIds = new Map<string, Map<string, number>>();
let annotationCount = 0;
let forgetPending = false;
let numberedSoFar = 0;
const MAX_NUMBERED_ANNOTATIONS = 20_000;

/** The same numbers by object: the protocol kit shares one object per plain annotation, so most are found here. */
let numberByObject = new WeakMap<Annotation, number>();

function numberOf(annotation: Annotation): number {
  const known = numberByObject.get(annotation);
  if (known !== undefined) return known;
  const id = numberByContent(annotation);
  numberByObject.set(annotation, id);
  return id;
}

function numberByContent(annotation: Annotation): number {
  const head = `${annotation.key ?? ''}\u0000${annotation.title}\u0000${annotation.ref ?? ''}\u0000${annotation.level ?? ''}`;
  let byExplain = annotationIds.get(head);
  if (!byExplain) annotationIds.set(head, (byExplain = new Map()));
  let id = byExplain.get(annotation.explain);
  if (id === undefined) {
    id = numberedSoFar++;
    byExplain.set(annotation.explain, id);
    annotationCount++;
    numbered.push([id, annotation]);
  }
  return id;
}

/** This turn's answers (numbering their annotations as they are added). */
const outbox = new AnswerWriter(numberOf);

function answer(reply: DissectAnswer): void {
  outbox.add(reply);
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const batch: AnswerBatch = { forget: forgetPending, annotations: numbered, ...outbox.take() };
    numbered = [];
    // Past the cap both sides start over, between two batches (numbers are never reused).
    forgetPending = annotationCount >= MAX_NUMBERED_ANNOTATIONS;
    if (forgetPending) {
      annotationIds.clear();
      numberByObject = new WeakMap();
      annotationCount = 0;
    }
    port.postMessage(batch, [batch.answers.buffer]);
  });
}

function run(request: DissectRequest, step: (d: Dissector) => DissectedMessage[]): void {
  const dissector = dissectors.get(request.conn);
  if (!dissector) return answer({ n: request.n });
  try {
    const messages = step(dissector);
    answer({ n: request.n, messages });
  } catch (err) {
    dissectors.set(request.conn, null);
    answer({ n: request.n, failed: err instanceof Error ? err.message : String(err) });
  }
}

port.on('message', (batch: RequestBatch) => {
  for (const request of batch.requests) handle(request, batch.bytes);
});
// Loaded: an empty batch says so (the daemon waits for it before it opens its ports).
port.postMessage({ forget: false, annotations: [], strings: [], answers: new Float64Array(0) } satisfies AnswerBatch);

function handle(request: DissectRequest, bytes: Uint8Array): void {
  switch (request.op) {
    case 'open':
      dissectors.set(request.conn, isThreadDissectorName(request.name) ? THREAD_DISSECTORS[request.name]() : null);
      return answer({ n: request.n });
    case 'push':
      // A copy of its own: a dissector may keep part of a chunk, and a view would keep the whole batch alive.
      return run(request, (d) => d.push(request.dir, bytes.slice(request.from, request.to)));
    case 'endOf':
      return run(request, (d) => endOfDirection(d, request.dir));
    case 'end':
      run(request, (d) => d.end());
      dissectors.delete(request.conn);
      return;
    case 'after':
      return answer({ n: request.n });
  }
}
