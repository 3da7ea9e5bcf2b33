import { groupDigits } from '../text/numbers.ts';
import fs, { type FileHandle } from 'node:fs/promises';
import type { Jail } from './jail.ts';
import { JailError } from './jail.ts';
import { QuotaExceeded, type SpaceLease } from './quota.ts';

/** How a writer opens a file through the jail. */
export interface OpenOptions {
  /** fs.open flags ('r', 'w', 'a', 'r+' or O_* numbers). */
  flags: string | number;
  /** The mode the client asked for (SFTP attrs); the jail's umask applies. */
  mode?: number;
  /** Largest size this writer may give the file (per-file limit of the protocol). */
  maxBytes?: number;
}

function isAppend(flags: string | number): boolean {
  return typeof flags === 'number' ? (flags & fs.constants.O_APPEND) !== 0 : flags.startsWith('a');
}

/**
 * An open file in a sandbox. Every byte that makes it larger — a write past its end, a truncate
 * up (sparse or not) — is first checked against the writer's per-file limit and charged to the
 * sandbox quota; a write that does not fit is refused before anything reaches the disk.
 */
export class JailFile {
  private lease: Promise<SpaceLease> | null = null;

  private constructor(
    private readonly jail: Jail,
    readonly virtual: string,
    readonly real: string,
    readonly handle: FileHandle,
    private size: number,
    readonly append: boolean,
    private readonly maxBytes: number,
  ) {}

  /** Opens `real` (already resolved by the jail); refuses directories for writing. */
  static async open(jail: Jail, virtual: string, real: string, options: OpenOptions): Promise<JailFile> {
    const link = await fs.lstat(real).catch(() => null);
    const writing = options.flags !== 'r' && options.flags !== fs.constants.O_RDONLY;
    if (link?.isDirectory() && writing) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    // Writing through a dangling symlink creates its target, wherever further links lead: refused outright.
    if (link?.isSymbolicLink() && writing && !(await fs.stat(real).catch(() => null))) throw new JailError('EACCES', virtual);
    const handle = await fs.open(real, options.flags, jail.modeFor(options.mode, 'file'));
    try {
      const stat = await handle.stat();
      const file = new JailFile(jail, virtual, real, handle, stat.size, isAppend(options.flags), options.maxBytes ?? Number.MAX_SAFE_INTEGER);
      // Opening with truncation freed the old bytes.
      if (link?.isFile() && link.size > stat.size) jail.space.free(link.size - stat.size);
      return file;
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
  }

  /** Current size as this writer knows it. */
  get bytes(): number {
    return this.size;
  }

  /** Writes `data` at `position` (ignored in append mode). */
  async write(data: Uint8Array, position?: number): Promise<void> {
    const start = this.append || position === undefined ? this.size : position;
    await this.grow(start + data.length);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.append ? null : start + done);
      done += bytesWritten;
    }
  }

  /** Sets the size; growing is charged like a write (a sparse 200 MB file counts as 200 MB). */
  async truncate(size: number): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0) throw new JailError('EINVAL', this.virtual, 'bad size');
    if (size > this.size) await this.grow(size);
    else {
      const lease = await this.leased();
      lease.resize(this.virtual, this.real, this.size, size);
      this.size = size;
    }
    await this.handle.truncate(size);
  }

  async chmod(mode: number): Promise<void> {
    this.jail.refuseRoot(this.real, this.virtual, 'given another mode');
    await this.handle.chmod(this.jail.modeFor(mode, 'file'));
  }

  async close(): Promise<void> {
    try {
      await this.handle.close();
    } finally {
      void this.lease?.then((l) => l.end());
    }
  }

  /** Closes and removes the file (a refused or aborted upload leaves nothing behind). */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    if (await fs.unlink(this.real).then(() => true, () => false)) this.jail.space.free(this.size);
    void this.lease?.then((l) => l.end());
  }

  private leased(): Promise<SpaceLease> {
    this.lease ??= this.jail.space.begin();
    return this.lease;
  }

  private async grow(end: number): Promise<void> {
    if (end > this.maxBytes) throw new JailError('EFBIG', this.virtual, `the lab accepts up to ${groupDigits(this.maxBytes)} bytes per file`);
    const lease = await this.leased();
    // Re-read after the await: concurrent writes on this handle are charged once each, in order.
    if (end <= this.size) return;
    try {
      lease.resize(this.virtual, this.real, this.size, end);
    } catch (err) {
      if (!(err instanceof QuotaExceeded)) throw err;
      // Refuse only on a fresh count of the tree, then charge synchronously as before.
      await this.jail.space.rescan();
      if (end <= this.size) return;
      lease.resize(this.virtual, this.real, this.size, end);
    }
    this.size = end;
  }
}
