/**
 * The store's writer thread (transcripts, and the mailbox's inserts): opens its own connection to the lab database (WAL, so the main
 * thread's reads never wait for it), takes batches from the store and writes them. After each
 * request it publishes its ticket and the stored size in shared memory, where a read on the main
 * thread waits for everything it published to be written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { MailRowWriter } from './mail-rows.ts';
import { TranscriptWriter } from './transcript-writer.ts';
import { isWriterRequest, sharedViews, type MailsWritten, type WriterData } from './transcript-sink.ts';
import { unpackBatch } from './write-batch.ts';

const data = workerData as WriterData;
const port = parentPort;
if (!port) throw new Error('transcript-worker runs only as a worker thread');

const db = new Database(data.file);
db.pragma('synchronous = NORMAL');
const writer = new TranscriptWriter(db, data.limits);
const mails = new MailRowWriter(db);
const views = sharedViews(data.shared);

port.on('message', (request: unknown) => {
  if (!isWriterRequest(request)) return void console.error('[transcripts] writer: unexpected request', request);
  try {
    if (request.kind === 'write') writer.write(unpackBatch(request.batch));
    else if (request.kind === 'mails') port.postMessage({ ticket: request.ticket, errors: mails.write(request.rows) } satisfies MailsWritten);
    else if (request.kind === 'prune') views.pruned[0] = writer.prune(request.now);
    else db.close();
  } catch (err) {
    // A failed batch is lost, as it was when the main thread wrote it; the store keeps running.
    console.error(`[transcripts] ${request.kind} failed:`, err);
  }
  views.storedBytes[0] = writer.storedBytes;
  Atomics.store(views.done, 0, request.ticket);
  Atomics.notify(views.done, 0);
  if (request.kind === 'close') port.close();
});
