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
import { ByteBatch } from './byte-batch.ts';
import { readAnswers, type AnswerBatch, type DissectAnswer } from './dissect-answers.ts';
import type { DissectAsk, DissectRequest, RequestBatch } from './dissect-protocol.ts';
import type { Annotation } from './event.ts';
import type { ConnectionRecorder } from './recorder.ts';

/**
 * Every postMessage costs both threads far more than what it carries (waking the other thread, a turn
 * of its event loop, the answer waking this one): once the last post was recent and carried several
 * connections' requests (a busy lab), requests gather this long and go as one. bench:soap, CPU per call
 * of all threads: 520 µs gathering 2 ms, 500 at 4 ms, 400 at 10 ms, no less at 20. A busy lab's lines
 * reach the browser up to this much later (under load the hub batches every 25 ms too); the bytes are
 * forwarded at once whatever it is. One connection talking alone (a student's client, line by line) is
 * not gathered: its next request waits for the answer to the last, so there is nothing to gather, and
 * its lines would each be 10 ms late (bench:smtp's wire→browser median, idle: 0.1 → 10.5 ms).
 */
const BUSY_GATHER_MS = 10;
/** Longer than this since the last post, the lab is quiet: a request is posted at the end of this turn. */
const QUIET_AFTER_MS = 2 * BUSY_GATHER_MS;

/**
 * How far behind the thread may fall (bytes handed over, not yet answered) before the taps stop reading
 * from the connections that push more, and how far it must catch up before they read again: without a
 * bound, a client faster than the dissector (a flood of pipelined requests) would fill the daemon's memory.
 */
export interface DissectBacklogLimits {
  behindBytes: number;
  caughtUpBytes: number;
}

const DEFAULT_BACKLOG_LIMITS: DissectBacklogLimits = { behindBytes: 8 * 1024 * 1024, caughtUpBytes: 2 * 1024 * 1024 };

/** An answer still to come: who gets it, and the chunk bytes it holds in the backlog. */
interface Waiting {
  then: (answer: DissectAnswer) => void;
  bytes: number;
}

export class DissectThread {
  private worker: Worker | null;
  private sent = 0;
  /** Answers still to come, by request number (in the order they were sent). */
  private readonly waiting = new Map<number, Waiting>();
  /** Chunk bytes handed over and not answered yet; the most there ever were. */
  private backlog = 0;
  private peak = 0;
  /** Told once the backlog is down to `caughtUpBytes` (taps resuming their sources). */
  private catchingUp: (() => void)[] = [];
  /** The thread's annotations by number (one object each, shared by every message that has it). */
  private readonly annotations = new Map<number, Annotation>();
  private readonly annotationOf = (id: number) => this.annotations.get(id);
  private stopped = false;
  /** Requests not posted yet, posted together (one postMessage costs more than a small chunk's copy), and their pushes' bytes. */
  private outbox: DissectRequest[] = [];
  private readonly outboxBytes = new ByteBatch();
  /** When the last batch was posted (performance.now()), and whether it carried more than one connection's requests. */
  private lastFlush = -Infinity;
  private lastBatchShared = false;
  /** Resolves once the thread has loaded its dissectors (its first batch), or has failed. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => {};

  constructor(private readonly limits: DissectBacklogLimits = DEFAULT_BACKLOG_LIMITS) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.worker = startTsWorker(new URL('./dissect-worker.ts', import.meta.url), null);
    this.worker.on('message', (batch: AnswerBatch) => {
      this.markReady();
      if (batch.forget) this.annotations.clear();
      for (const [id, annotation] of batch.annotations) this.annotations.set(id, annotation);
      readAnswers(batch, this.annotationOf, (answer) => {
        const waiting = this.waiting.get(answer.n);
        this.waiting.delete(answer.n);
        if (!waiting) return;
        this.backlog -= waiting.bytes;
        waiting.then(answer);
      });
      this.maybeCaughtUp();
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

  /** Whether the thread is so far behind that taps should stop reading until it catches up. */
  get behind(): boolean {
    return this.backlog > this.limits.behindBytes;
  }

  /** The most chunk bytes the thread was ever behind by (the tests check the bound with it). */
  get peakBacklogBytes(): number {
    return this.peak;
  }

  /** Calls `then` once the thread has caught up (at once if it is not behind). */
  whenCaughtUp(then: () => void): void {
    if (this.backlog <= this.limits.caughtUpBytes) return then();
    this.catchingUp.push(then);
  }

  /** Resolves once every request sent so far has been answered (a benchmark round is over only then). */
  settled(): Promise<void> {
    if (this.waiting.size === 0) return Promise.resolve();
    // The thread answers in order: the answer to one more request comes after all of them.
    return new Promise((resolve) => this.send({ op: 'after', conn: '' }, () => resolve()));
  }

  private maybeCaughtUp(): void {
    if (this.backlog > this.limits.caughtUpBytes || this.catchingUp.length === 0) return;
    const waiting = this.catchingUp;
    this.catchingUp = [];
    for (const then of waiting) then();
  }

  /** A connection's dissection on the thread, or null (dissect on the main thread) once the thread has gone. */
  open(name: ThreadDissectorName, recorder: ConnectionRecorder): ThreadDissection | null {
    if (!this.worker) return null;
    const dissection = new ThreadDissection(this, recorder);
    this.send({ op: 'open', conn: recorder.info.id, name }, () => {});
    return dissection;
  }

  /** Sends one request; `then` gets its answer (at once when the thread has gone: empty after close, a failure after a crash). */
  send(request: DissectAsk, then: (answer: DissectAnswer) => void): void {
    const n = ++this.sent;
    if (!this.worker) return then(this.stopped ? { n } : { n, failed: 'the dissect thread stopped' });
    const bytes = request.op === 'push' ? request.chunk.byteLength : 0;
    this.waiting.set(n, { then, bytes });
    this.backlog += bytes;
    if (this.backlog > this.peak) this.peak = this.backlog;
    if (request.op === 'push') {
      // The chunk's bytes are copied into the batch now: the caller keeps forwarding the original.
      const at = this.outboxBytes.add(request.chunk);
      this.outbox.push({ op: 'push', conn: request.conn, dir: request.dir, n, from: at.from, to: at.to });
    } else this.outbox.push({ ...request, n });
    if (this.outbox.length !== 1) return;
    // A quiet lab posts at the end of this turn; a busy one lets requests gather for a moment (answers come later, not the bytes).
    if (this.lastBatchShared && performance.now() - this.lastFlush <= QUIET_AFTER_MS) setTimeout(() => this.flush(), BUSY_GATHER_MS);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.lastFlush = performance.now();
    const first = this.outbox[0]?.conn;
    this.lastBatchShared = this.outbox.some((request) => request.conn !== first);
    const bytes = this.outboxBytes.take();
    const batch: RequestBatch = { bytes, requests: this.outbox };
    this.outbox = [];
    // One buffer of the batch's own, transferred (not copied again).
    this.worker?.postMessage(batch, [bytes.buffer]);
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
    this.backlog = 0;
    for (const [n, { then }] of waiting) then(failed ? { n, failed } : { n });
    this.maybeCaughtUp();
  }
}

/** One connection's dissector on the thread: every answer comes back in its place in the transcript. */
export class ThreadDissection {
  private failed = false;

  constructor(
    private readonly thread: DissectThread,
    private readonly recorder: ConnectionRecorder,
  ) {}

  /** A chunk that crossed the wire (copied into the next post: the original is still being forwarded). */
  push(dir: StreamDir, chunk: Uint8Array, then: (messages: DissectedMessage[]) => void): void {
    this.ask({ op: 'push', conn: this.recorder.info.id, dir, chunk }, then);
  }

  /** Whether the thread is far behind: the tap reads no more from this connection until `whenCaughtUp`. */
  get behind(): boolean {
    return this.thread.behind;
  }

  whenCaughtUp(then: () => void): void {
    this.thread.whenCaughtUp(then);
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
