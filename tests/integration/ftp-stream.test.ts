/**
 * The FTP file panel's upload and download stream (servers/ftp/lab/routes.ts): the request body goes
 * into the STOR as it arrives and RETR goes into the response as it arrives, so neither is held whole in
 * the daemon's memory. Real lab on loopback, real HTTP clients; the limit is enforced while streaming, a
 * cut transfer leaves no file behind and no FTP session open.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransferState } from '../../components/ftp/api.ts';
import type { LabMessage } from '../../lib/wire/event.ts';
import { ftpLab } from '../../servers/ftp/lab.ts';
import { startTestLab, testLabSettings, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';
import { transcript } from './ftp-helpers.ts';

const MiB = 1024 * 1024;

/** A test daemon with only the FTP lab, its upload limit (and the sandbox quota above it) set. */
function startLab(maxFileBytes: number): Promise<TestLab> {
  const ftp = testLabSettings([ftpLab]).ftp;
  return startTestLab({ labs: [ftpLab], config: { ftp: { ...ftp, maxFileBytes }, sandboxQuotaBytes: 4 * maxFileBytes } });
}

/** The default sandbox's FTP root on disk. */
const filesOf = (lab: TestLab) => path.join(lab.dataDir, 'sandboxes', 'local', 'files');

/** `count` chunks of `chunk`, yielded one at a time (the test never holds the whole body either). */
async function* repeat(chunk: Buffer, count: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield chunk;
}

/** POSTs a streamed body (chunked: no Content-Length, so only the streaming limit can stop it). */
async function streamUpload(lab: TestLab, query: Record<string, string>, body: AsyncIterable<Buffer>, headers: Record<string, string> = {}): Promise<{ status: number; json: { error?: string; bytes?: number; transfer?: string } }> {
  const res = await fetch(`${lab.baseUrl}/api/ftp/upload?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    // undici sends an async iterable as it yields, chunked.
    body: body as unknown as BodyInit,
    duplex: 'half',
  } as RequestInit);
  return { status: res.status, json: (await res.json()) as { error?: string; bytes?: number; transfer?: string } };
}

/** The SHA-256 of a stream of bytes, in hex. */
async function sha256(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

/** Polls a transfer record until `done` accepts it. */
async function untilTransfer(lab: TestLab, id: string, done: (t: TransferState) => boolean): Promise<TransferState> {
  for (;;) {
    const t = await lab.api<TransferState>(`/api/ftp/transfers/${id}`).catch(() => null);
    if (t && done(t)) return t;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a streamed upload over the limit', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startLab(1 * MiB);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('gets 413 with the limit in its message and leaves no file in the FTP root (passive, active, FTPS)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 3);
    for (const [id, options] of [
      ['itest-toobig', {}],
      ['itest-toobig-active', { passive: '0' }],
      ['itest-toobig-tls', { secure: '1' }],
    ] as const) {
      // 3 MiB in 64 KiB chunks, sent chunked: the limit is found while streaming, not from a header.
      const res = await streamUpload(lab, { name: `${id}.bin`, transfer: id, ...options }, repeat(chunk, 48));
      expect(res.status, id).toBe(413);
      expect(res.json.error).toBe("Upload larger than the lab's limit of 1,048,576 bytes.");
      expect(fs.existsSync(path.join(filesOf(lab), `${id}.bin`)), id).toBe(false);
      const t = await lab.api<TransferState>(`/api/ftp/transfers/${id}`);
      expect(t).toMatchObject({ done: true, error: res.json.error });
      expect(t.bytes).toBeLessThanOrEqual(1 * MiB);
      // The STOR went through the tap, then its DELE: the transcript shows what happened to the file.
      const commands = (await transcript(lab, t.conn!)).messages.filter((m) => m.kind === 'command').map((m) => m.text);
      expect(commands, id).toEqual(expect.arrayContaining([`STOR ${id}.bin`, `DELE ${id}.bin`]));
    }
  });

  it('downloads in active mode and over FTPS as in passive mode', async () => {
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    fs.writeFileSync(path.join(filesOf(lab), 'modes.bin'), data);
    for (const options of [{ passive: '0' }, { secure: '1' }, { passive: '0', secure: '1' }] as Record<string, string>[]) {
      const res = await fetch(`${lab.baseUrl}/api/ftp/download?${new URLSearchParams({ name: 'modes.bin', ...options })}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(data.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(data), JSON.stringify(options)).toBe(true);
    }
  });

  it('refuses a Content-Length over the limit with 413 before any FTP session, and takes one at the limit', async () => {
    const over = await fetch(`${lab.baseUrl}/api/ftp/upload?name=declared.bin&transfer=itest-declared`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(MiB + 1) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: string }).error).toContain('limit of 1,048,576 bytes');
    expect(await lab.api<TransferState>('/api/ftp/transfers/itest-declared')).toMatchObject({ done: true, conn: null });
    expect(fs.existsSync(path.join(filesOf(lab), 'declared.bin'))).toBe(false);

    const exact = await fetch(`${lab.baseUrl}/api/ftp/upload?name=exact.bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(MiB).fill(1) });
    expect(exact.status).toBe(200);
    expect(fs.statSync(path.join(filesOf(lab), 'exact.bin')).size).toBe(MiB);
  });

  it('survives a client that stops mid-body: the transfer is marked failed, no file is left, the daemon still serves', async () => {
    const id = 'itest-cut-upload';
    const req = http.request(`${lab.baseUrl}/api/ftp/upload?name=cut.bin&transfer=${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(900 * 1024) },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(300 * 1024, 7));
    // The STOR is under way (bytes reach the FTP server while the body still streams), with the declared total.
    const running = await untilTransfer(lab, id, (t) => t.bytes > 0);
    expect(running).toMatchObject({ total: 900 * 1024, done: false });
    req.destroy();

    const failed = await untilTransfer(lab, id, (t) => t.done);
    expect(failed.error).toMatch(/stopped sending/);
    expect(fs.existsSync(path.join(filesOf(lab), 'cut.bin'))).toBe(false);

    const next = await streamUpload(lab, { name: 'after-cut.txt' }, repeat(Buffer.from('still here\n'), 1));
    expect(next.status).toBe(200);
    expect(fs.readFileSync(path.join(filesOf(lab), 'after-cut.txt'), 'utf8')).toBe('still here\n');
  });
});

describe('large transfers', () => {
  const SIZE = 64 * MiB;
  /**
   * Streaming holds the lab's bounded buffers: stream and socket buffers on each leg, the dissect thread's
   * backlog (up to 8 MiB before the tap pauses), the capture's first MiB. 0.5 MiB measured on an idle machine,
   * up to 22 MiB on a loaded one (the dissect thread falls behind). Holding the file whole held all of it on
   * top of those (64.6 MiB measured, 84 with chunks and Buffer.concat in flight). Half the file leaves room for
   * the bounded buffers and still fails the old way.
   */
  const BOUND = SIZE / 2;
  const chunk = Buffer.alloc(256 * 1024, 0x5a);

  /**
   * How far this process's live ArrayBuffers (Buffers) grow while `run` runs, sampled every 100 ms. A reading
   * counts garbage too until V8 collects it, so one over BOUND is taken again after a full collection: only
   * live buffers can fail the test, and collections (slow with a big heap) stay rare.
   */
  async function liveBufferGrowth(run: () => Promise<void>): Promise<number> {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const live = () => {
      // V8 frees dead ArrayBuffers' memory on a sweeper thread after a collection, so one gc() can still
      // count megabytes of garbage (33.6 MiB once, on a loaded machine). The next collection waits for that
      // sweep first.
      gc();
      gc();
      return process.memoryUsage().arrayBuffers;
    };
    const before = live();
    let peak = before;
    const sample = () => {
      const now = process.memoryUsage().arrayBuffers;
      peak = Math.max(peak, now - before < BOUND ? now : live());
    };
    const sampler = setInterval(sample, 100);
    try {
      await run();
      sample();
    } finally {
      clearInterval(sampler);
    }
    return peak - before;
  }

  /**
   * Runs curl in its own process (an in-process fetch's own buffers would count in this process's memory
   * too), feeding its stdin from `input` with backpressure; resolves with its exit code and stdout's hash.
   */
  function curlStream(args: string[], input?: AsyncIterable<Buffer>): Promise<{ code: number | null; stdoutBytes: number; stdoutHash: string; stderr: string }> {
    const child = spawn(tool('curl'), ['-sS', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let stdoutBytes = 0;
    const hash = sha256(
      (async function* () {
        for await (const c of child.stdout as AsyncIterable<Buffer>) {
          stdoutBytes += c.length;
          yield c;
        }
      })(),
    );
    if (input) void pipeline(Readable.from(input), child.stdin).catch(() => {});
    else child.stdin.end();
    return new Promise((resolve) => child.on('close', (code) => void hash.then((stdoutHash) => resolve({ code, stdoutBytes, stdoutHash, stderr }))));
  }

  let lab: TestLab;
  beforeAll(async () => {
    lab = await startLab(100 * MiB);
    // The downloads' file, put in place directly (each chunk its own byte, so a misplaced chunk changes the hash).
    fs.mkdirSync(filesOf(lab), { recursive: true });
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < SIZE / chunk.length; i++) yield Buffer.alloc(chunk.length, i);
      })()),
      fs.createWriteStream(path.join(filesOf(lab), 'download.bin')),
    );
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it(`uploads ${SIZE / MiB} MiB without holding it: the daemon's live buffers grow far less than the file`, async () => {
    const reply = path.join(lab.dataDir, 'upload-reply.json');
    let code: number | null = null;
    const growth = await liveBufferGrowth(async () => {
      // -T - sends stdin as it comes, chunked: no Content-Length, the body is counted as it streams.
      ({ code } = await curlStream(['-X', 'POST', '-H', 'content-type: application/octet-stream', '-T', '-', '-o', reply, `${lab.baseUrl}/api/ftp/upload?name=big.bin&transfer=itest-big`], repeat(chunk, SIZE / chunk.length)));
    });
    expect(growth).toBeLessThan(BOUND);
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(reply, 'utf8'))).toMatchObject({ transfer: 'itest-big', bytes: SIZE });
    expect(fs.statSync(path.join(filesOf(lab), 'big.bin')).size).toBe(SIZE);
    expect(await lab.api<TransferState>('/api/ftp/transfers/itest-big')).toMatchObject({ bytes: SIZE, total: SIZE, done: true, error: null });
  });

  it('downloads the file byte for byte as it arrives, with Content-Length from SIZE, without holding it', async () => {
    const file = await sha256(fs.createReadStream(path.join(filesOf(lab), 'download.bin')));
    const headerFile = path.join(lab.dataDir, 'download-headers.txt');
    let got = { code: null as number | null, stdoutBytes: 0, stdoutHash: '', stderr: '' };
    const growth = await liveBufferGrowth(async () => {
      got = await curlStream(['-D', headerFile, `${lab.baseUrl}/api/ftp/download?name=download.bin`]);
    });
    expect(got.code).toBe(0);
    const headers = fs.readFileSync(headerFile, 'utf8');
    expect(headers).toMatch(/^HTTP\/1\.1 200/);
    expect(headers).toMatch(new RegExp(`^content-length: ${SIZE}\\r$`, 'im'));
    expect(headers).toMatch(/^content-disposition: attachment; filename="download.bin"\r$/im);
    expect(headers).toMatch(/^x-ftp-conn: \S+\r$/im);
    expect(got.stdoutBytes).toBe(SIZE);
    expect(got.stdoutHash).toBe(file);
    expect(growth).toBeLessThan(BOUND);
  });

  it('answers a missing file with a 502 problem before any byte', async () => {
    const res = await fetch(`${lab.baseUrl}/api/ftp/download?name=no-such-file.bin`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('problem+json');
    expect(((await res.json()) as { error: string }).error).toMatch(/^FTP download failed: 55\d /);
  });

  it('a download the browser cuts off ends the FTP session before the RETR completes', async () => {
    const { conn, received } = await new Promise<{ conn: string; received: number }>((resolve, reject) => {
      const req = http.get(`${lab.baseUrl}/api/ftp/download?name=download.bin`, (res) => {
        res.once('data', (chunk: Buffer) => {
          // Headers and the first bytes are here: the file is on its way, not read whole first.
          resolve({ conn: String(res.headers['x-ftp-conn']), received: chunk.length });
          req.destroy();
        });
      });
      req.on('error', () => {});
      req.on('response', (res) => res.on('error', reject));
    });
    expect(received).toBeGreaterThan(0);
    let messages: LabMessage[] = [];
    for (;;) {
      const found = await transcript(lab, conn);
      messages = found.messages;
      if (found.connection.endedAt !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const retr = messages.findIndex((m) => m.kind === 'command' && m.text.startsWith('RETR download.bin'));
    expect(retr).toBeGreaterThan(-1);
    // The session ended with the download: no 226 for a file the browser never took whole.
    expect(messages.slice(retr).some((m) => m.kind === 'reply' && m.text.startsWith('226'))).toBe(false);
  });
});
