/**
 * The legacy SCP protocol, for `scp -O` and every scp before OpenSSH 9.0 (Windows 10's among them):
 * the client execs `scp -t <target>` (an upload: this side is the sink) or `scp -f <path>` (a
 * download: this side is the source), and both speak SCP's line protocol over the exec channel.
 * No real scp runs here: this answers that protocol over the sandbox jail, a file at a time. No
 * RFC defines SCP; OpenSSH's scp.c does. Recursive copies are refused with a message naming sftp.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Jail } from '../../lib/sandbox/jail.ts';
import { describeError } from './shell/context.ts';
import { tokenize, wordText } from './shell/parse.ts';

/** The exec channel as SCP needs it. */
export interface ScpChannel {
  /** False when the channel's window is full: wait for 'drain'. */
  write(data: Buffer | string): boolean;
  on(event: 'data', listener: (data: Buffer) => void): void;
  on(event: 'end', listener: () => void): void;
  once(event: 'drain', listener: () => void): void;
}

export interface ScpRequest {
  mode: 'sink' | 'source';
  recursive: boolean;
  /** -p: modification and access times travel with each file ("T<mtime> 0 <atime> 0" before its "C" line). */
  preserve: boolean;
  /** The sink's one target; the source's files (a remote shell splits an unquoted name with spaces). */
  paths: string[];
}

const OK = Buffer.from([0]);
const MAX_CONTROL_LINE = 4096;
const CHUNK = 64 * 1024;

/** `scp [-v] [-r] [-p] [-d] -t|-f [--] path…` as the client's scp runs it; null for anything else. */
export function parseScpCommand(command: string): ScpRequest | null {
  const tokens = tokenize(command);
  if ('error' in tokens || tokens.some((t) => !('word' in t))) return null;
  const words = tokens.map((t) => ('word' in t ? wordText(t.word) : ''));
  if (words[0] !== 'scp') return null;
  let mode: ScpRequest['mode'] | null = null;
  let recursive = false;
  let preserve = false;
  let i = 1;
  for (; i < words.length && words[i].startsWith('-') && words[i] !== '--'; i++) {
    for (const flag of words[i].slice(1)) {
      if (flag === 't') mode = 'sink';
      else if (flag === 'f') mode = 'source';
      else if (flag === 'r') recursive = true;
      else if (flag === 'p') preserve = true;
      else if (!'vdq'.includes(flag)) return null;
    }
  }
  if (words[i] === '--') i++;
  const paths = words.slice(i);
  if (!mode || paths.length === 0 || (mode === 'sink' && paths.length > 1)) return null;
  return { mode, recursive, preserve, paths };
}

/** Bytes from the client, taken as lines or counted blocks as the protocol needs them. */
class Incoming {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private wake: (() => void) | null = null;

  constructor(channel: ScpChannel) {
    channel.on('data', (data) => {
      this.chunks.push(data);
      this.size += data.length;
      this.wake?.();
    });
    channel.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  private async wait(): Promise<boolean> {
    if (this.ended) return false;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    return true;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Up to `max` bytes (at least one), or null at the end of the stream. */
  async take(max: number): Promise<Buffer | null> {
    while (this.size === 0) if (!(await this.wait())) return null;
    const all = this.joined();
    const taken = all.subarray(0, Math.min(max, all.length));
    this.chunks = taken.length < all.length ? [all.subarray(taken.length)] : [];
    this.size -= taken.length;
    return taken;
  }

  /** One line without its LF, or null at the end of the stream; a line past the bound is an error. */
  async line(): Promise<string | null> {
    for (;;) {
      const all = this.joined();
      const lf = all.indexOf(0x0a);
      if (lf !== -1) {
        this.chunks = lf + 1 < all.length ? [all.subarray(lf + 1)] : [];
        this.size -= lf + 1;
        return all.subarray(0, lf).toString('utf8');
      }
      if (all.length > MAX_CONTROL_LINE) throw new ScpFailure('protocol line too long');
      if (!(await this.wait())) return null;
    }
  }
}

class ScpFailure extends Error {}

/** A file error in coreutils' words with the path as the client named it: never a real path. */
const wording = (named: string, err: unknown) => `${named}: ${describeError(err)}`;
const LOST = 'the client did not confirm';

/** The client's go (a zero byte) before each step of a download. */
async function confirmed(incoming: Incoming): Promise<void> {
  const byte = await incoming.take(1);
  if (byte === null || byte[0] !== 0) throw new ScpFailure(LOST);
}

/** Runs one SCP exchange on `channel`; resolves with the exit status. */
export async function runScp(request: ScpRequest, channel: ScpChannel, jail: Jail, maxFileSize: number): Promise<number> {
  const incoming = new Incoming(channel);
  const fail = (message: string) => {
    // \x02: a fatal error, printed by the client, which stops.
    channel.write(`\x02scp: ${message}\n`);
    return 1;
  };
  if (request.recursive) return fail('recursive copies (-r) are not supported by the lab: use sftp for directories');
  try {
    if (request.mode === 'sink') return await sink(request.paths[0], channel, incoming, jail, maxFileSize);
    await confirmed(incoming);
    let failed = 0;
    for (const from of request.paths) {
      const problem = await source(from, channel, incoming, jail, request.preserve).then(
        () => null,
        (err: unknown) => (err instanceof ScpFailure ? err.message : wording(from, err)),
      );
      if (problem === null) continue;
      if (problem === LOST) return 1;
      // \x01: an error the client prints before it goes on with the next file.
      channel.write(`\x01scp: ${problem}\n`);
      failed++;
    }
    return failed ? 1 : 0;
  } catch (err) {
    return fail(err instanceof ScpFailure ? err.message : wording(request.paths[0], err));
  }
}

/** A "T<mtime> 0 <atime> 0" line (scp -p; OpenSSH's scp.c): the times in seconds, or null if malformed. */
function parseTimes(line: string): { mtime: number; atime: number } | null {
  const times = /^T(\d{1,12}) (\d{1,6}) (\d{1,12}) (\d{1,6})$/.exec(line);
  return times ? { mtime: Number(times[1]), atime: Number(times[3]) } : null;
}

/** Upload: "C<mode> <size> <name>" then the bytes, for each file; a "T…" line before it (-p) gives the file's times. */
async function sink(target: string, channel: ScpChannel, incoming: Incoming, jail: Jail, maxFileSize: number): Promise<number> {
  const into = await jail.resolveEntry(target).catch(() => null);
  const targetIsDirectory = into !== null && (await fs.stat(into.real).catch(() => null))?.isDirectory() === true;
  channel.write(OK);
  let times: { mtime: number; atime: number } | null = null;
  for (;;) {
    const line = await incoming.line();
    if (line === null) return 0;
    const kind = line[0];
    if (kind === 'T') {
      times = parseTimes(line);
      if (!times) throw new ScpFailure(`unexpected line from the client: ${JSON.stringify(line.slice(0, 60))}`);
      channel.write(OK);
      continue;
    }
    if (kind === 'D' || kind === 'E') throw new ScpFailure('recursive copies are not supported by the lab: use sftp for directories');
    const header = /^C([0-7]{4}) (\d+) (.+)$/.exec(line);
    if (!header) throw new ScpFailure(`unexpected line from the client: ${JSON.stringify(line.slice(0, 60))}`);
    const size = Number(header[2]);
    const name = header[3];
    if (name === '.' || name === '..' || name.includes('/')) throw new ScpFailure(`${name}: invalid file name`);
    const destination = targetIsDirectory ? path.posix.join(target, name) : target;
    const file = await jail.openFile(destination, '/', { flags: 'w', mode: parseInt(header[1], 8), maxBytes: maxFileSize });
    try {
      channel.write(OK);
      for (let written = 0; written < size; ) {
        const data = await incoming.take(Math.min(CHUNK, size - written));
        if (data === null) throw new ScpFailure(`${name}: the client stopped after ${written} of ${size} bytes`);
        await file.write(data, written);
        written += data.length;
      }
      if (times) await file.handle.utimes(times.atime, times.mtime);
      times = null;
    } catch (err) {
      await file.discard().catch(() => {});
      throw err;
    }
    await file.close();
    // The client's status byte after the data, then ours.
    const status = await incoming.take(1);
    if (status === null || status[0] !== 0) return 1;
    channel.write(OK);
  }
}

/**
 * Download of one file (the client has said go): with -p its times first ("T…", its go), then
 * "C<mode> <size> <name>", its go, the bytes, a status byte, its go. libssh2 (curl's scp://) always
 * asks for -p and gives up on a "C" line where it waits for the "T".
 */
async function source(from: string, channel: ScpChannel, incoming: Incoming, jail: Jail, preserve: boolean): Promise<void> {
  const entry = await jail.resolveEntry(from);
  const stat = await fs.stat(entry.real);
  if (!stat.isFile()) throw new ScpFailure(`${entry.virtual}: not a regular file (use sftp for directories)`);
  const file = await jail.openFile(entry.virtual, '/', { flags: 'r' });
  try {
    if (preserve) {
      channel.write(`T${Math.floor(stat.mtimeMs / 1000)} 0 ${Math.floor(stat.atimeMs / 1000)} 0\n`);
      await confirmed(incoming);
    }
    channel.write(`C${(stat.mode & 0o777).toString(8).padStart(4, '0')} ${stat.size} ${path.posix.basename(entry.virtual)}\n`);
    await confirmed(incoming);
    const buffer = Buffer.alloc(CHUNK);
    for (let sent = 0; sent < stat.size; ) {
      const { bytesRead } = await file.handle.read(buffer, 0, Math.min(CHUNK, stat.size - sent), sent);
      if (bytesRead === 0) throw new ScpFailure(`${entry.virtual}: changed while it was being read`);
      if (!channel.write(Buffer.from(buffer.subarray(0, bytesRead)))) await new Promise<void>((resolve) => channel.once('drain', resolve));
      sent += bytesRead;
    }
  } finally {
    await file.close();
  }
  channel.write(OK);
  await confirmed(incoming);
}
