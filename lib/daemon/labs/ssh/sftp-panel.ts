/**
 * The file panel's SFTP client: ssh2-sftp-client run by the daemon THROUGH THE TAP, so every
 * panel action appears as an annotated SFTP session. One connection is reused and closed after
 * a short idle time. Uploads stream from the HTTP request with progress kept in a small
 * registry the UI polls (GET /api/ssh/transfers).
 */
import { Transform, type Readable } from 'node:stream';
import SftpClient from 'ssh2-sftp-client';
import { randomBytes } from 'node:crypto';
import type { Tap } from '../../../wire/tap.ts';
import { HttpError } from '../../api-kit.ts';

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

  /** Streams `body` to `path`; resolves with the finished transfer. */
  async upload(path: string, body: Readable, total: number | null): Promise<Transfer> {
    const transfer = this.track('upload', path, total);
    // A Transform (not a 'data' listener) so nothing flows before the SFTP write stream is attached.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        transfer.bytes += chunk.length;
        done(null, chunk);
      },
    });
    body.on('error', (err) => counter.destroy(err));
    body.pipe(counter);
    try {
      await this.use((c) => c.put(counter, path));
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
      await client.connect({
        sock: socket,
        username: this.deps.credentials.user,
        password: this.deps.credentials.password,
        hostVerifier: (key: Buffer) => this.deps.isOwnHostKey(key),
        readyTimeout: 10_000,
      });
      client.on('close', () => {
        if (this.client === client) this.client = null;
      });
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}
