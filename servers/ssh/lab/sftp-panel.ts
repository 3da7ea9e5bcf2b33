/**
 * The file panel's SFTP client: ssh2-sftp-client run by the daemon THROUGH THE TAP, so every
 * panel action appears as an annotated SFTP session. One connection is reused and closed after
 * a short idle time. Uploads stream from the HTTP request with progress kept in a small
 * registry the UI polls (GET /api/ssh/transfers).
 */
import type { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { randomBytes } from 'node:crypto';
import type { Tap } from '../../../lib/wire/tap.ts';
import { HttpError } from '../../../lib/http/api-kit.ts';

/** One transfer as the UI shows its progress bar. */
export interface Transfer {
  id: string;
  direction: 'upload' | 'download';
  path: string;
  bytes: number;
  total: number | null;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

/** One directory entry. */
export interface PanelEntry {
  name: string;
  type: 'file' | 'directory' | 'link';
  size: number;
  /** Milliseconds since the epoch (ssh2-sftp-client already converts SFTP's seconds). */
  modifiedAt: number;
}

const IDLE_MS = 30_000;
const KEEP_TRANSFERS = 20;

/** What the panel needs from the lab. */
export interface SftpPanelDeps {
  tap: Tap;
  credentials: { user: string; password: string };
  /** True when `key` is one of the server's current host keys (the panel trusts only its own server). */
  isOwnHostKey(key: Buffer): boolean;
}

/** Turns an ssh2-sftp-client error into an HTTP error without leaking internals. */
function httpError(err: unknown): HttpError {
  const e = err as { code?: unknown; message?: string };
  const text = (e.message ?? 'SFTP error').replace(/^[\w>-]+: /, '').replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  // SFTP v3 reports a full sandbox as FAILURE with words; HTTP has a code for it (RFC 4918 §11.5).
  const status = /quota exceeded/.test(text) ? 507 : e.code === 2 ? 404 : e.code === 3 ? 403 : e.code === 4 ? 409 : 400;
  return new HttpError(status, text);
}

/** The SFTP file panel of one sandbox. */
export class SftpPanel {
  private client: SftpClient | null = null;
  /** The client's SFTP channel, for uploads (see upload()). */
  private raw: SFTPWrapper | null = null;
  private connecting: Promise<SftpClient> | null = null;
  private idle: NodeJS.Timeout | null = null;
  private readonly transfers: Transfer[] = [];

  constructor(private readonly deps: SftpPanelDeps) {}

  recentTransfers(): Transfer[] {
    return [...this.transfers];
  }

  async list(path: string): Promise<PanelEntry[]> {
    const entries = await this.use((c) => c.list(path));
    return entries
      .map((e) => ({ name: e.name, type: e.type === 'd' ? 'directory' : e.type === 'l' ? 'link' : 'file', size: e.size, modifiedAt: e.modifyTime }) as PanelEntry)
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
  }

  /**
   * Streams `body` to `path` with one WRITE per chunk, each acknowledged before the next; resolves
   * with the finished transfer. Not ssh2-sftp-client's put(): its write stream (ssh2's, autoClose)
   * destroys itself before reporting a failed WRITE, so a refused upload (quota) looked successful.
   */
  async upload(path: string, body: Readable, total: number | null): Promise<Transfer> {
    const transfer = this.track('upload', path, total);
    try {
      await this.use(() => this.writeAll(path, body, transfer));
      return transfer;
    } catch (err) {
      transfer.error = httpError(err).message;
      throw httpError(err);
    } finally {
      transfer.finishedAt = Date.now();
    }
  }

  async download(path: string): Promise<Buffer> {
    const transfer = this.track('download', path, null);
    try {
      const data = (await this.use((c) => c.get(path))) as Buffer;
      transfer.bytes = transfer.total = data.length;
      return data;
    } catch (err) {
      transfer.error = httpError(err).message;
      throw httpError(err);
    } finally {
      transfer.finishedAt = Date.now();
    }
  }

  async mkdir(path: string): Promise<void> {
    await this.use((c) => c.mkdir(path, false));
  }

  async rename(from: string, to: string): Promise<void> {
    await this.use((c) => c.rename(from, to));
  }

  /** Deletes a file, or an empty directory. */
  async remove(path: string): Promise<void> {
    await this.use(async (c) => {
      const kind = await c.exists(path);
      if (kind === false) throw Object.assign(new Error(`No such file: ${path}`), { code: 2 });
      if (kind === 'd') await c.rmdir(path, false);
      else await c.delete(path);
    });
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async writeAll(path: string, body: Readable, transfer: Transfer): Promise<void> {
    const sftp = this.raw;
    if (!sftp) throw new HttpError(502, "The lab's SFTP session closed.");
    const call = <T>(start: (done: (err: Error | null | undefined, value: T) => void) => void) =>
      new Promise<T>((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
    const handle = await call<Buffer>((done) => sftp.open(path, 'w', done));
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        await call<number>((done) => sftp.write(handle, chunk, 0, chunk.length, transfer.bytes, (err) => done(err, 0)));
        transfer.bytes += chunk.length;
      }
    } catch (err) {
      body.destroy();
      throw err;
    } finally {
      await call<void>((done) => sftp.close(handle, (err) => done(err, undefined))).catch(() => {});
    }
  }

  private track(direction: Transfer['direction'], path: string, total: number | null): Transfer {
    const transfer: Transfer = { id: randomBytes(6).toString('base64url'), direction, path, bytes: 0, total, startedAt: Date.now(), finishedAt: null, error: null };
    this.transfers.unshift(transfer);
    this.transfers.length = Math.min(this.transfers.length, KEEP_TRANSFERS);
    return transfer;
  }

  private async use<T>(work: (client: SftpClient) => Promise<T>): Promise<T> {
    const client = await this.connect().catch((err: unknown) => {
      throw new HttpError(502, `Cannot reach the lab's SFTP server: ${(err as Error).message}`);
    });
    if (this.idle) clearTimeout(this.idle);
    try {
      return await work(client);
    } catch (err) {
      throw err instanceof HttpError ? err : httpError(err);
    } finally {
      this.idle = setTimeout(() => void this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private connect(): Promise<SftpClient> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      // Errors surface through the promises; the library's default listeners would only log them.
      const quiet = () => {};
      const client = new SftpClient('sftp-panel', { error: quiet, end: quiet, close: quiet });
      const { socket } = this.deps.tap.connectOwnClient('sftp file panel');
      this.raw = await client.connect({
        sock: socket,
        username: this.deps.credentials.user,
        password: this.deps.credentials.password,
        hostVerifier: (key: Buffer) => this.deps.isOwnHostKey(key),
        readyTimeout: 10_000,
      });
      const raw = this.raw;
      client.on('close', () => {
        if (this.client === client) this.client = null;
        if (this.raw === raw) this.raw = null;
      });
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}
