/**
 * Dissection beside the forwarding path. The pipeline forwards each chunk at once and hands a copy
 * to one worker thread, which runs the connection's dissector (named from
 * lib/protocols/thread-dissectors.ts) and answers in order; the recorder keeps each chunk's place
 * (`expect`/`settle`), so the transcript reads in wire order even with the server's own notes
 * recorded meanwhile. Step mode still holds framed messages: the gate holds the bytes until the
 * thread has framed them. If the thread dies, its connections say so once and new connections are
 * dissected on the main thread again.
 */
import type { Worker } from 'node:worker_threads';
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import { startTsWorker } from '../threads/ts-worker.ts';
import { noteDecoderFailure } from './decode-guard.ts';
import { unpackMessage, type AnswerBatch, type DissectAnswer, type DissectAsk, type DissectRequest } from './dissect-protocol.ts';
import type { Annotation } from './event.ts';
import type { ConnectionRecorder } from './recorder.ts';

/**
 * Every postMessage costs both threads something beyond what it carries: once the last post was recent (a
 * busy lab), requests gather this long and go as one (bench:soap: 40 % fewer posts, less main-thread time).
 */
const BUSY_GATHER_MS = 2;
/** Longer than this since the last post, the lab is quiet: a request is posted at the end of this turn. */
const QUIET_AFTER_MS = 10;

export class DissectThread {
  private worker: Worker | null;
  private sent = 0;
  /** Answers still to come, by request number (in the order they were sent). */
  private readonly waiting = new Map<number, (answer: DissectAnswer<DissectedMessage>) => void>();
  /** The thread's annotations by number (one object each, shared by every message that has it). */
  private readonly annotations = new Map<number, Annotation>();
  private readonly annotationOf = (id: number) => this.annotations.get(id);
  private stopped = false;
  /** Requests not posted yet, posted together (one postMessage costs more than a small chunk's copy). */
  private outbox: DissectRequest[] = [];
  /** When the last batch was posted (performance.now()). */
  private lastFlush = -Infinity;
  /** Resolves once the thread has loaded its dissectors (its first batch), or has failed. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor() {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.worker = startTsWorker(new URL('./dissect-worker.ts', import.meta.url), null);
    this.worker.on('message', (batch: AnswerBatch) => {
      this.markReady();
      if (batch.forget) this.annotations.clear();
      for (const [id, annotation] of batch.annotations) this.annotations.set(id, annotation);
      for (const answer of batch.answers) {
        const then = this.waiting.get(answer.n);
        this.waiting.delete(answer.n);
        then?.(answer.messages ? { ...answer, messages: answer.messages.map((m) => unpackMessage(m, this.annotationOf)) } : { n: answer.n, failed: answer.failed });
      }
    });
    this.worker.on('error', (err) => this.fail(err.message));
    this.worker.on('exit', (code) => {
      if (!this.stopped) this.fail(`it exited with code ${code}`);
    });
  }

  /** Waits until the thread has loaded its dissectors, at most `limitMs`. */
  async whenReady(limitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  }

  /** A connection's dissection on the thread, or null (dissect on the main thread) once the thread has gone. */
  open(name: ThreadDissectorName, recorder: ConnectionRecorder): ThreadDissection | null {
    if (!this.worker) return null;
    const dissection = new ThreadDissection(this, recorder);
    this.send({ op: 'open', conn: recorder.info.id, name }, () => {});
    return dissection;
  }

  /** Sends one request; `then` gets its answer (at once when the thread has gone: empty after close, a failure after a crash). */
  send(request: DissectAsk, then: (answer: DissectAnswer<DissectedMessage>) => void): void {
    const n = ++this.sent;
    if (!this.worker) return then(this.stopped ? { n } : { n, failed: 'the dissect thread stopped' });
    this.waiting.set(n, then);
    this.outbox.push({ ...request, n });
    if (this.outbox.length !== 1) return;
    // A quiet lab posts at once; a busy one lets requests gather for a moment (answers come later, not the bytes).
    if (performance.now() - this.lastFlush > QUIET_AFTER_MS) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), BUSY_GATHER_MS);
  }

  private flush(): void {
    this.lastFlush = performance.now();
    const batch = this.outbox;
    this.outbox = [];
    // Copied, not transferred: detaching lots of small buffers cost more than copying them.
    this.worker?.postMessage(batch);
  }

  /** Stops the thread (the daemon's last step, after every connection has closed). */
  async close(): Promise<void> {
    this.stopped = true;
    this.markReady();
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
    // Shutting down: what was still being read is not a failure to report.
    this.answerAll();
  }

  private fail(reason: string): void {
    if (!this.worker) return;
    console.error(`[dissect] the dissect thread failed (${reason}); new connections are dissected on the main thread`);
    this.worker = null;
    this.markReady();
    this.answerAll(`the dissect thread failed: ${reason}`);
  }

  private answerAll(failed?: string): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const [n, then] of waiting) then(failed ? { n, failed } : { n });
  }
}

/** One connection's dissector on the thread: every answer comes back in its place in the transcript. */
export class ThreadDissection {
  private failed = false;

  constructor(
    private readonly thread: DissectThread,
    private readonly recorder: ConnectionRecorder,
  ) {}

  /** A chunk that crossed the wire (copied: the original is still being forwarded). */
  push(dir: StreamDir, chunk: Uint8Array, then: (messages: DissectedMessage[]) => void): void {
    // Exactly these bytes: a clone of the chunk itself would copy the whole pooled buffer it may be a view of.
    this.ask({ op: 'push', conn: this.recorder.info.id, dir, chunk: new Uint8Array(chunk) }, then);
  }

  /** `dir`'s sender half-closed. */
  endOf(dir: StreamDir, then: (messages: DissectedMessage[]) => void): void {
    this.ask({ op: 'endOf', conn: this.recorder.info.id, dir }, then);
  }

  /** The connection closed: its last messages, then the thread forgets it. */
  end(then: (messages: DissectedMessage[]) => void): void {
    this.ask({ op: 'end', conn: this.recorder.info.id }, then);
  }

  /** Runs `then` once everything asked before it has been answered. */
  after(then: () => void): void {
    this.ask({ op: 'after', conn: this.recorder.info.id }, () => then());
  }

  private ask(request: DissectAsk, then: (messages: DissectedMessage[]) => void): void {
    const slot = this.recorder.expect();
    this.thread.send(
      request,
      (answer) =>
        this.recorder.settle(slot, () => {
          if (answer.failed && !this.failed) {
            this.failed = true;
            noteDecoderFailure(this.recorder, answer.failed);
          }
          then(answer.messages ?? []);
        }),
    );
  }
}
