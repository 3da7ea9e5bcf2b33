/**
 * The control connection's reader, in place of ftp-srv's (src/connection.js `_handleData`), which
 * split each read on CRLF as it came and paused the socket for a whole transfer. Fixes:
 * - Lines are framed across reads: "USER stu" + "dent\r\n" is one command (a client that sends
 *   as you type, like Windows telnet, got `502 Command not allowed: DENT`).
 * - Telnet commands are removed: clients send IAC IP and the Synch (IAC DM) before ABOR (RFC 959
 *   §4.1.3), which ftp-srv read as part of the command name.
 * - A line over MAX_COMMAND_LINE bytes is answered 500 ("command line too long", RFC 959 §4.2)
 *   instead of being buffered without bound and echoed back in full.
 * - Commands run one at a time, in order; while a transfer runs, ABOR and STAT go ahead of the
 *   others (RFC 959 §4.1.3: ABOR aborts the transfer in progress, STAT reports on it). With the
 *   socket paused, Python's ftplib `abort()` waited until the whole file had been sent.
 */
import type { Socket } from 'node:net';
import { drainLineReader, newLineReader, readLine, type LineLimits } from '../../lib/wire/line-reader.ts';
import { isAbortWithoutLineFeed, withoutTelnetCommands } from '../../lib/protocols/ftp/telnet.ts';
import type { FtpConnectionLike } from './internals.ts';

/** Longest command line read, CRLF excluded (RFC 959 sets none; a path of 4 KiB fits twice). */
export const MAX_COMMAND_LINE = 8 * 1024;
const LIMITS: LineLimits = { lineBuffer: MAX_COMMAND_LINE + 2, overlongBlock: 64 * 1024, preview: 0 };
/** Commands waiting behind a running one, in bytes; a client that sends more is disconnected (421). */
const QUEUE_LIMIT = 64 * 1024;
/** The commands that open a data connection and hold the control connection until it is done. */
export const TRANSFERS = new Set(['RETR', 'STOR', 'APPE', 'STOU', 'LIST', 'NLST', 'MLSD']);
/** What may go ahead of the queue while a transfer runs. */
export const DURING_TRANSFER = new Set(['ABOR', 'STAT']);

type Queued = { line: string; bytes: number } | { overlong: true; bytes: number };

const verbOf = (line: string) => line.trimStart().split(' ', 1)[0].toUpperCase();

/**
 * Takes over reading `connection`'s control socket (call once, when ftp-srv has just made the
 * connection: its own 'data' listener is the only one). ftp-srv's handlers still pause and resume
 * the command socket around transfers; the pause is ignored, since this reader holds the other
 * commands itself.
 */
export function readControlLines(connection: FtpConnectionLike): void {
  const socket = connection.commandSocket;
  for (const listener of socket.listeners('data')) socket.off('data', listener as (chunk: Buffer) => void);
  const reader = newLineReader();
  const queue: Queued[] = [];
  let queuedBytes = 0;
  let running: string | null = null;
  /** ABOR or STAT running beside a transfer: the queue waits for them too, so replies stay in order. */
  let besideTransfer = 0;
  let readingFrom = connection.commandSocket;
  const unpaused = new WeakSet<Socket>();

  /** ftp-srv pauses `connection.commandSocket` (a TLS socket after AUTH TLS) for each transfer. */
  const ignorePauses = () => {
    const current = connection.commandSocket;
    if (unpaused.has(current)) return;
    unpaused.add(current);
    current.pause = () => current;
  };

  /** A handler that threw or failed still gets its command a reply, and the queue goes on (else it waits for ever). */
  const failed = (err: unknown) => {
    connection.log.error({ err }, 'Command handler failed');
    return connection.reply(451, 'Requested action aborted: local error in processing');
  };

  const run = (item: Queued): PromiseLike<unknown> | unknown => {
    ignorePauses();
    if ('overlong' in item) return connection.reply(500, `Command line too long (over ${MAX_COMMAND_LINE} bytes)`);
    try {
      return Promise.resolve(connection.commands.handle(item.line)).catch(failed);
    } catch (err) {
      return failed(err);
    }
  };

  const take = (index: number): Queued => {
    const [item] = queue.splice(index, 1);
    queuedBytes -= item.bytes;
    return item;
  };

  const next = () => {
    if (running && TRANSFERS.has(running)) {
      // Cuts in: runs beside the transfer, which it may end (ABOR).
      const index = queue.findIndex((item) => 'line' in item && DURING_TRANSFER.has(verbOf(item.line)));
      if (index !== -1) {
        besideTransfer++;
        const after = () => {
          besideTransfer--;
          next();
        };
        Promise.resolve(run(take(index))).then(after, after);
      }
    }
    if (running || besideTransfer > 0 || queue.length === 0) return;
    const item = take(0);
    running = 'line' in item ? verbOf(item.line) : '';
    const done = () => {
      running = null;
      next();
    };
    Promise.resolve(run(item)).then(done, done);
    // A transfer waits for its data connection: what follows it may include ABOR.
    if (running && TRANSFERS.has(running)) next();
  };

  socket.on('data', (chunk: Buffer) => {
    if (connection.commandSocket !== readingFrom) {
      // AUTH TLS: what is left of the cleartext line is not part of the first encrypted one.
      readingFrom = connection.commandSocket;
      drainLineReader(reader);
    }
    for (let at = 0; at < chunk.length; ) {
      const { ev, next: after } = readLine(reader, chunk, at, LIMITS);
      at = after;
      let item: Queued | null = null;
      if (ev?.t === 'line') {
        const line = Buffer.from(withoutTelnetCommands(ev.content).content).toString(connection.encoding ?? 'utf8');
        if (line.trim()) item = { line, bytes: ev.bytes };
      } else if (ev?.t === 'overlong') item = { overlong: true, bytes: ev.bytes };
      if (item) {
        queue.push(item);
        queuedBytes += item.bytes;
      }
    }
    if (isAbortWithoutLineFeed(reader.buf)) {
      const { partial } = drainLineReader(reader);
      queue.push({ line: 'ABOR', bytes: partial.length });
      queuedBytes += partial.length;
    }
    if (queuedBytes > QUEUE_LIMIT) {
      queue.length = 0;
      void connection.close(421, 'Too many commands sent ahead of the replies: closing the control connection');
      return;
    }
    next();
  });
}
