/**
 * The file panel's SFTP client: ssh2-sftp-client run by the daemon THROUGH THE TAP, so every
 * panel action appears as an annotated SFTP session. One connection per browser (sandbox and page,
 * so step mode holds a page's panel for that page only) is reused and closed after a short idle time. Uploads stream from the HTTP request with progress kept in a small
 * registry the UI polls (GET /api/ssh/transfers).
 */
import type { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { randomBytes } from 'node:crypto';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
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
/** Browsers with a panel connection at once; beyond it the least recently used one is closed. */
const MAX_SESSIONS = 16;

/** What the panel needs from the lab. */
export interface SftpPanelDeps {
  tap: Tap;
  /** The login a sandbox's panel uses: that sandbox's own (LabContext.clientLogin). */
  loginOf(sandbox: string): { user: string; password: string };
  /** True when `key` is one of the server's current host keys (the panel trusts only its own server). */
  isOwnHostKey(key: Buffer): boolean;
}

/** Turns an ssh2-sftp-client error into an HTTP error without leaking internals; an HttpError stays as it is. */
function httpError(err: unknown): HttpError {
  // Converted once only: a second pass found no SFTP code on an HttpError and made every download failure a 400.
  if (err instanceof HttpError) return err;
  const e = err as { code?: unknown; message?: string };
  let text = (e.message ?? 'SFTP error').replace(/^[\w>-]+: /, '').replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  // ssh2-sftp-client appends the path to the server's words, which already start with it: "/: … removed) /".
  const echoed = /^(\S+): ([\s\S]*) (\S+)$/.exec(text);
  if (echoed && echoed[1] === echoed[3]) text = `${echoed[1]}: ${echoed[2]}`;
  // SFTP v3 reports a full sandbox as FAILURE with words; HTTP has a code for it (RFC 4918 §11.5).
  const status = /quota exceeded/.test(text) ? 507 : e.code === 2 ? 404 : e.code === 3 ? 403 : e.code === 4 ? 409 : 400;
  return new HttpError(status, text);
}

/** The SFTP file panel: one reused connection per browser that uses it, each in its browser's sandbox. */
export class SftpPanel {
  private readonly sessions = new Map<string, PanelSession>();
  /** Newest first, each with the sandbox whose panel made it (a browser sees only its own). */
  private readonly transfers: { sandbox: string; transfer: Transfer }[] = [];

  constructor(private readonly deps: SftpPanelDeps) {}

  /** The sandbox's recent transfers, newest first. */
  recentTransfers(sandbox: string): Transfer[] {
    return this.transfers.filter((t) => t.sandbox === sandbox).map((t) => t.transfer);
  }

  async list(owner: ConnectionOwner, path: string): Promise<PanelEntry[]> {
    const entries = await this.use(owner, (c) => c.list(path));
    return entries
      .map((e) => ({ name: e.name, type: e.type === 'd' ? 'directory' : e.type === 'l' ? 'link' : 'file', size: e.size, modifiedAt: e.modifyTime }) as PanelEntry)
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
  }

  /**
   * Streams `body` to `path` with one WRITE per chunk, each acknowledged before the next; resolves
   * with the finished transfer. Not ssh2-sftp-client's put(): its write stream (ssh2's, autoClose)
   * destroys itself before reporting a failed WRITE, so a refused upload (quota) looked successful.
   */
  async upload(owner: ConnectionOwner, path: string, body: Readable, total: number | null, cut: () => HttpError | null): Promise<Transfer> {
    const transfer = this.track(owner, 'upload', path, total);
    try {
      await this.use(owner, (_client, raw) => writeAll(raw, path, body, transfer, cut));
      return transfer;
    } catch (err) {
      const failure = httpError(err);
      transfer.error = failure.message;
      throw failure;
    } finally {
      transfer.finishedAt = Date.now();
    }
  }

  async download(owner: ConnectionOwner, path: string): Promise<Buffer> {
    const transfer = this.track(owner, 'download', path, null);
    try {
      const data = (await this.use(owner, (c) => c.get(path))) as Buffer;
      transfer.bytes = transfer.total = data.length;
      return data;
    } catch (err) {
      const failure = httpError(err);
      transfer.error = failure.message;
      throw failure;
    } finally {
      transfer.finishedAt = Date.now();
    }
  }

  async mkdir(owner: ConnectionOwner, path: string): Promise<void> {
    await this.use(owner, async (c) => {
      // ssh2-sftp-client answers "already exists" as a success, without a MKDIR: the panel said nothing and nothing changed.
      if (await c.exists(path)) throw new HttpError(409, `${path.replace(/[\x00-\x1f\x7f-\x9f]/g, '?')} already exists`);
      await c.mkdir(path, false);
    });
  }

  async rename(owner: ConnectionOwner, from: string, to: string): Promise<void> {
    await this.use(owner, (c) => c.rename(from, to));
  }

  /** Deletes a file, or an empty directory. */
  async remove(owner: ConnectionOwner, path: string): Promise<void> {
    await this.use(owner, async (c) => {
      const kind = await c.exists(path);
      if (kind === false) throw Object.assign(new Error(`No such file: ${path}`), { code: 2 });
      if (kind === 'd') await c.rmdir(path, false);
      else await c.delete(path);
    });
  }

  /** Closes every browser's connection (host keys or algorithms changed, or the lab stops). */
  async close(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((session) => session.close()));
  }

  /** Drops the recent transfers of a sandbox that expired (its panel connection closed itself when idle). */
  forget(sandbox: string): void {
    for (let i = this.transfers.length - 1; i >= 0; i--) if (this.transfers[i].sandbox === sandbox) this.transfers.splice(i, 1);
  }

  private track(owner: ConnectionOwner, direction: Transfer['direction'], path: string, total: number | null): Transfer {
    const transfer: Transfer = { id: randomBytes(6).toString('base64url'), direction, path, bytes: 0, total, startedAt: Date.now(), finishedAt: null, error: null };
    this.transfers.unshift({ sandbox: owner.sandbox, transfer });
    // The sandbox's own oldest goes, so one busy sandbox never empties another's list.
    const own = this.transfers.filter((t) => t.sandbox === owner.sandbox);
    if (own.length > KEEP_TRANSFERS) this.transfers.splice(this.transfers.lastIndexOf(own[own.length - 1]), 1);
    return transfer;
  }

  /** The owner's session, most recently used last (the map's order is the eviction order). */
  private sessionOf(owner: ConnectionOwner): PanelSession {
    const key = `${owner.sandbox}\n${owner.browser ?? ''}`;
    let session = this.sessions.get(key);
    if (session) this.sessions.delete(key);
    else {
      session = new PanelSession(this.deps, owner, () => {
        if (this.sessions.get(key) === session) this.sessions.delete(key);
      });
      if (this.sessions.size >= MAX_SESSIONS) {
        const [oldestKey, oldest] = this.sessions.entries().next().value as [string, PanelSession];
        this.sessions.delete(oldestKey);
        void oldest.close();
      }
    }
    this.sessions.set(key, session);
    return session;
  }

  private async use<T>(owner: ConnectionOwner, work: (client: SftpClient, raw: SFTPWrapper) => Promise<T>): Promise<T> {
    const session = this.sessionOf(owner);
    const { client, raw } = await session.connect().catch((err: unknown) => {
      throw new HttpError(502, `Cannot reach the lab's SFTP server: ${(err as Error).message}`);
    });
    session.busy();
    try {
      return await work(client, raw);
    } catch (err) {
      throw httpError(err);
    } finally {
      session.idleFromNow();
    }
  }
}

/** One browser's panel connection: opened on first use, closed after IDLE_MS without use. */
class PanelSession {
  private client: SftpClient | null = null;
  /** The client's SFTP channel, for uploads (see SftpPanel.upload()). */
  private raw: SFTPWrapper | null = null;
  private connecting: Promise<{ client: SftpClient; raw: SFTPWrapper }> | null = null;
  private idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: SftpPanelDeps,
    private readonly owner: ConnectionOwner,
    private readonly onClosed: () => void,
  ) {}

  busy(): void {
    if (this.idle) clearTimeout(this.idle);
  }

  idleFromNow(): void {
    this.busy();
    this.idle = setTimeout(() => void this.close(), IDLE_MS);
    this.idle.unref();
  }

  async close(): Promise<void> {
    this.busy();
    const client = this.client;
    this.client = null;
    this.raw = null;
    this.onClosed();
    await client?.end().catch(() => {});
  }

  connect(): Promise<{ client: SftpClient; raw: SFTPWrapper }> {
    if (this.client && this.raw) return Promise.resolve({ client: this.client, raw: this.raw });
    this.connecting ??= (async () => {
      // Errors surface through the promises; the library's default listeners would only log them.
      const quiet = () => {};
      const client = new SftpClient('sftp-panel', { error: quiet, end: quiet, close: quiet });
      const { socket } = this.deps.tap.connectOwnClient('sftp file panel', this.owner);
      const login = this.deps.loginOf(this.owner.sandbox);
      const raw = await client.connect({
        sock: socket,
        username: login.user,
        password: login.password,
        hostVerifier: (key: Buffer) => this.deps.isOwnHostKey(key),
        readyTimeout: 10_000,
      });
      client.on('close', () => {
        if (this.client === client) {
          this.client = null;
          this.raw = null;
        }
      });
      this.client = client;
      this.raw = raw;
      return { client, raw };
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }
}

/**
 * Writes `body` to `path` over `sftp`, one acknowledged WRITE per chunk, counting into `transfer`.
 * `cut` says why the body ended early (its client stopped sending, or passed the limit); a file not
 * written whole is removed, as the FTP panel does, rather than left short looking like the whole one.
 */
async function writeAll(sftp: SFTPWrapper, path: string, body: Readable, transfer: Transfer, cut: () => HttpError | null): Promise<void> {
  const call = <T>(start: (done: (err: Error | null | undefined, value: T) => void) => void) =>
    new Promise<T>((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
  const handle = await call<Buffer>((done) => sftp.open(path, 'w', done));
  let failure: unknown = null;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      await call<number>((done) => sftp.write(handle, chunk, 0, chunk.length, transfer.bytes, (err) => done(err, 0)));
      transfer.bytes += chunk.length;
    }
  } catch (err) {
    body.destroy();
    failure = err;
  }
  await call<void>((done) => sftp.close(handle, (err) => done(err, undefined))).catch(() => {});
  // The body's cut is the cause when both happened (a WRITE that failed because its client left).
  failure = cut() ?? failure;
  if (failure === null) return;
  await call<void>((done) => sftp.unlink(path, (err) => done(err, undefined))).catch(() => {});
  throw failure;
}
