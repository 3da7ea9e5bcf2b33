/**
 * Where the transcript store sends its writes: a writer thread (the default for a database on disk)
 * or, for a database only this connection can see, a writer in process. Both give the same
 * guarantee to the store's reads: after sync() every batch handed over so far is committed.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../threads/ts-worker.ts';
import type { Db } from './db.ts';
import { MailRowWriter, type MailSink, type NewMailRow } from './mail-rows.ts';
import type { TranscriptLimits } from './retention.ts';
import { TranscriptWriter, type WriteOp } from './transcript-writer.ts';
import { packBatch, type PackedOp } from './write-batch.ts';

export interface TranscriptSink extends MailSink {
  /** Where writes happen now ('inline' also after a writer thread failed). */
  readonly mode: 'thread' | 'inline';
  /** Queues one batch (written in one transaction). */
  write(batch: WriteOp[]): void;
  /** Returns once every batch queued so far is committed. */
  sync(): void;
  /** Applies the age and size rules at `now`, after everything queued; returns how many were deleted. */
  prune(now: number): number;
  /** The same, without waiting for it. */
  pruneSoon(now: number): void;
  /** Transcript text stored, as of the last batch written. */
  readonly storedBytes: number;
  /** Writes what is queued and closes; the sink is unusable afterwards. */
  close(): void;
}

/** Requests to the writer thread; `ticket` orders them, the thread publishes the last one done. */
export type WriterRequest = { ticket: number } & (
  | { kind: 'write'; batch: PackedOp[] }
  | { kind: 'mails'; rows: NewMailRow[] }
  | { kind: 'prune'; now: number }
  | { kind: 'close' }
);

/** The writer thread's answer to a 'mails' request (the other requests are answered in shared memory). */
export interface MailsWritten {
  ticket: number;
  errors: (string | null)[];
}

/** What the writer thread starts with. */
export interface WriterData {
  file: string;
  limits: TranscriptLimits;
  shared: SharedArrayBuffer;
}

export function isWriterRequest(value: unknown): value is WriterRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<'kind' | 'ticket' | 'batch' | 'now', unknown>>;
  if (typeof r.ticket !== 'number') return false;
  return (r.kind === 'write' && Array.isArray(r.batch)) || (r.kind === 'mails' && Array.isArray((value as { rows?: unknown }).rows)) || (r.kind === 'prune' && typeof r.now === 'number') || r.kind === 'close';
}

/** The shared memory both threads see: last ticket done, last prune's count, stored bytes. */
export function sharedViews(shared: SharedArrayBuffer): { done: Int32Array; pruned: Int32Array; storedBytes: Float64Array } {
  return { done: new Int32Array(shared, 0, 1), pruned: new Int32Array(shared, 4, 1), storedBytes: new Float64Array(shared, 8, 1) };
}

/** Writes on the calling thread (an in-memory database, or after the writer thread failed). */
export class InlineSink implements TranscriptSink {
  readonly mode = 'inline';
  private readonly writer: TranscriptWriter;
  private readonly mails: MailRowWriter;

  constructor(db: Db, limits: TranscriptLimits) {
    this.writer = new TranscriptWriter(db, limits);
    this.mails = new MailRowWriter(db);
  }

  async writeMails(rows: NewMailRow[]): Promise<(string | null)[]> {
    return this.mails.write(rows);
  }

  get storedBytes(): number {
    return this.writer.storedBytes;
  }

  write(batch: WriteOp[]): void {
    this.writer.write(batch);
  }

  sync(): void {}

  prune(now: number): number {
    return this.writer.prune(now);
  }

  pruneSoon(now: number): void {
    this.writer.prune(now);
  }

  close(): void {}
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** How long a read waits for the writer thread before it gives up (and says so) rather than hang. */
const WAIT_LIMIT_MS = 30_000;

/**
 * Hands batches to a worker thread by postMessage (structured clone), so serialising and
 * committing happen beside the forwarding path. A read first waits, with Atomics.wait on shared
 * memory, until the thread has done the last request sent, so it sees every message published
 * before it. If the thread dies, writes continue in process on the main connection.
 */
export class ThreadSink implements TranscriptSink {
  private ticket = 0;
  private readonly worker: Worker;
  private readonly views: ReturnType<typeof sharedViews>;
  private fallback: InlineSink | null = null;
  private closed = false;
  /** Mail batches sent and not yet answered, by ticket. */
  private readonly mailWaiters = new Map<number, (errors: (string | null)[]) => void>();

  constructor(
    private readonly db: Db,
    private readonly limits: TranscriptLimits,
  ) {
    const shared = new SharedArrayBuffer(16);
    this.views = sharedViews(shared);
    const data: WriterData = { file: db.name, limits, shared };
    // Never what keeps the process alive: close() flushes explicitly.
    this.worker = startTsWorker(new URL('./transcript-worker.ts', import.meta.url), data);
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('message', (answer: MailsWritten) => {
      this.mailWaiters.get(answer.ticket)?.(answer.errors);
      this.mailWaiters.delete(answer.ticket);
    });
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the transcript writer thread exited (${code})`));
    });
  }

  get mode(): 'thread' | 'inline' {
    return this.fallback ? 'inline' : 'thread';
  }

  get storedBytes(): number {
    if (this.fallback) return this.fallback.storedBytes;
    this.sync();
    return this.views.storedBytes[0];
  }

  write(batch: WriteOp[]): void {
    if (this.fallback) return this.fallback.write(batch);
    // Structured clone of tuples (write-batch.ts): cheaper than of the objects, and than JSON.stringify plus
    // posting the string (prose makes it a two-byte string: 72 vs 116 µs per SSH handshake's 36 messages).
    const packed = packBatch(batch);
    try {
      this.post({ kind: 'write', batch: packed });
    } catch (err) {
      // Something not cloneable (a function in a message): store what JSON keeps of it, as before.
      console.error('[transcripts] a batch could not be cloned, sending its JSON form:', err);
      this.post({ kind: 'write', batch: JSON.parse(JSON.stringify(packed)) as PackedOp[] });
    }
  }

  sync(): void {
    if (!this.fallback) this.waitFor(this.ticket);
  }

  writeMails(rows: NewMailRow[]): Promise<(string | null)[]> {
    if (this.fallback || this.closed) return (this.fallback ?? new InlineSink(this.db, this.limits)).writeMails(rows);
    return new Promise((resolve) => this.mailWaiters.set(this.post({ kind: 'mails', rows }), resolve));
  }

  prune(now: number): number {
    if (this.fallback) return this.fallback.prune(now);
    this.waitFor(this.post({ kind: 'prune', now }));
    return this.views.pruned[0];
  }

  pruneSoon(now: number): void {
    if (this.fallback) return this.fallback.pruneSoon(now);
    this.post({ kind: 'prune', now });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fallback) return;
    this.waitFor(this.post({ kind: 'close' }));
  }

  private post(request: DistributiveOmit<WriterRequest, 'ticket'>): number {
    const ticket = this.ticket + 1;
    this.worker.postMessage({ ...request, ticket } satisfies WriterRequest);
    // Counted only once sent: a read must never wait for a ticket the thread will not see.
    this.ticket = ticket;
    return ticket;
  }

  private waitFor(ticket: number): void {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const done = Atomics.load(this.views.done, 0);
      if (done >= ticket) return;
      const left = deadline - Date.now();
      if (left <= 0) return void console.error(`[transcripts] the writer thread did not answer within ${WAIT_LIMIT_MS} ms; reading what is stored`);
      Atomics.wait(this.views.done, 0, done, left);
    }
  }

  /** The thread failed: batches it had not written are lost (and reported); later ones are written here. */
  private fail(err: Error): void {
    if (this.fallback || this.closed) return;
    console.error('[transcripts] writer thread failed, writing on the main thread from now on:', err);
    this.fallback = new InlineSink(this.db, this.limits);
    for (const answer of this.mailWaiters.values()) answer(['the store\'s writer thread failed']);
    this.mailWaiters.clear();
  }
}
