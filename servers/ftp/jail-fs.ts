/**
 * Fixes: ftp-srv's own FileSystem follows symlinks out of its root and puts absolute server paths
 * in error replies (`551 ENOENT … '<root>/…'`), with traversal history (CVE-2020-26299). This
 * FileSystem routes every path through the shared sandbox Jail (lib/sandbox/jail.ts: `..` contained,
 * realpath-checked symlinks), refuses paths that try to climb above "/", refuses dangling symlinks
 * on write, caps upload size, and throws errors that name only virtual paths.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { sandboxUsage } from '../../lib/sandbox/usage.ts';
import { Jail, JailError } from '../../lib/sandbox/jail.ts';

/** An error whose message is safe to send to the client (virtual paths only). */
export class SandboxFsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileSystemError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Permission denied',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid path',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
};

/** Rewrites any error into one that names `virtual` only — never where files live on disk. */
export function sanitizeError(err: unknown, virtual: string): SandboxFsError {
  if (err instanceof SandboxFsError) return err;
  const code = err instanceof JailError ? err.code : (err as NodeJS.ErrnoException | null)?.code;
  return new SandboxFsError(`${virtual}: ${REASONS[code ?? ''] ?? 'Operation failed'}`);
}

/** A stat result carrying its entry name, as ftp-srv's LIST formatter expects. */
export type NamedStats = Stats & { name: string };

export interface SandboxFsOptions {
  /** Largest upload per file, bytes; beyond it STOR fails and the partial file is removed. */
  maxFileBytes: number;
  /** Most bytes the whole sandbox may hold; an upload that would cross it fails the same way. */
  maxSandboxBytes?: number;
}

/**
 * Implements the FileSystem contract ftp-srv's handlers call (get, list, chdir, read, write,
 * delete, mkdir, rename, chmod, currentDirectory, getUniqueName) on top of the sandbox Jail.
 */
export class SandboxFileSystem {
  private cwd = '/';

  constructor(
    private readonly jail: Jail,
    private readonly options: SandboxFsOptions,
  ) {}

  /** The jail root, for tests and for scrubbing: never shown to clients. */
  get root(): string {
    return this.jail.root;
  }

  currentDirectory(): string {
    return this.cwd;
  }

  /**
   * The virtual path for a client path. Backslashes count as separators (Windows clients), and a
   * path that climbs above "/" is refused rather than silently clamped — the lesson is the refusal.
   */
  virtual(input: string | null | undefined): string {
    const raw = (input ?? '.').replace(/\\/g, '/');
    const joined = raw.startsWith('/') ? raw : `${this.cwd}/${raw}`;
    const relative = path.posix.normalize(joined.replace(/^\/+/, '') || '.');
    if (relative === '..' || relative.startsWith('../')) throw new SandboxFsError(`${raw}: Permission denied (above the root)`);
    return this.jail.normalize(joined);
  }

  private async real(input: string | null | undefined): Promise<{ virtual: string; real: string }> {
    const virtual = this.virtual(input);
    try {
      return { virtual, real: await this.jail.resolve(virtual) };
    } catch (err) {
      throw sanitizeError(err, virtual);
    }
  }

  async get(fileName: string): Promise<NamedStats> {
    const { virtual, real } = await this.real(fileName);
    const stat = await fs.stat(real).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    return Object.assign(stat, { name: fileName });
  }

  async list(dir = '.'): Promise<NamedStats[]> {
    const { virtual, real } = await this.real(dir);
    const names = await fs.readdir(real).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    const entries = await Promise.all(
      names.map(async (name) => {
        const child = path.posix.join(virtual, name);
        try {
          // Follow links that stay inside; show a link pointing out as the link itself (no target metadata).
          const target = await this.jail.resolve(child).catch(() => null);
          const stat = target ? await fs.stat(target) : await fs.lstat(path.join(real, name));
          return Object.assign(stat, { name });
        } catch {
          return null;
        }
      }),
    );
    return entries.filter((e): e is NamedStats => e !== null);
  }

  async chdir(dir = '.'): Promise<string> {
    const { virtual, real } = await this.real(dir);
    const stat = await fs.stat(real).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    if (!stat.isDirectory()) throw new SandboxFsError(`${virtual}: Not a directory`);
    this.cwd = virtual;
    return virtual;
  }

  async read(fileName: string, { start }: { start?: number } = {}): Promise<{ stream: NodeJS.ReadableStream; clientPath: string }> {
    const { virtual, real } = await this.real(fileName);
    const handle = await fs.open(real, 'r').catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw new SandboxFsError(`${virtual}: Is a directory`);
    }
    // createReadStream on a handle: no `path` property, so ftp-srv's events never carry the real path.
    const stream = handle.createReadStream({ start, autoClose: true });
    return { stream, clientPath: virtual };
  }

  async write(fileName: string, { append = false, start }: { append?: boolean; start?: number } = {}): Promise<{ stream: Writable; clientPath: string }> {
    const { virtual, real } = await this.real(fileName);
    const link = await fs.lstat(real).catch(() => null);
    // Jail.resolve accepts a dangling symlink (its parent is inside); opening it would create the target outside.
    if (link?.isSymbolicLink() && !(await fs.stat(real).catch(() => null))) throw new SandboxFsError(`${virtual}: Permission denied`);
    if (link?.isDirectory()) throw new SandboxFsError(`${virtual}: Is a directory`);
    const flags = append ? 'a' : start ? 'r+' : 'w';
    const handle = await fs.open(real, flags).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    const limit = await this.uploadLimit(virtual, real, Boolean(append || start));
    const stream = new LimitedFileWriter(handle, virtual, limit, start ?? 0, () => fs.unlink(real).catch(() => {}));
    // ftp-srv's STOR emits 'close' on the destination when the data socket ends; it expects that to end it.
    stream.once('close', () => stream.end());
    return { stream, clientPath: virtual };
  }

  /** The tighter of the per-file limit and what is left of the sandbox quota (the replaced file's size is freed). */
  private async uploadLimit(virtual: string, real: string, keepsOld: boolean): Promise<{ bytes: number; why: string }> {
    const perFile = { bytes: this.options.maxFileBytes, why: `the lab accepts up to ${this.options.maxFileBytes.toLocaleString('en')} bytes per file` };
    const quota = this.options.maxSandboxBytes;
    if (quota === undefined) return perFile;
    const replaced = keepsOld ? 0 : ((await fs.stat(real).catch(() => null))?.size ?? 0);
    const left = Math.max(0, quota - ((await sandboxUsage(this.jail.root)) - replaced));
    if (left >= perFile.bytes) return perFile;
    return { bytes: left, why: `this sandbox holds at most ${quota.toLocaleString('en')} bytes and ${left.toLocaleString('en')} are left` };
  }

  async delete(target: string): Promise<void> {
    const { virtual, real } = await this.real(target);
    try {
      const stat = await fs.lstat(real);
      if (stat.isDirectory()) await fs.rmdir(real);
      else await fs.unlink(real);
    } catch (err) {
      throw sanitizeError(err, virtual);
    }
  }

  async mkdir(dir: string): Promise<string> {
    const { virtual, real } = await this.real(dir);
    await fs.mkdir(real, { recursive: true }).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    return virtual;
  }

  async rename(from: string, to: string): Promise<void> {
    const source = await this.real(from);
    const target = await this.real(to);
    await fs.rename(source.real, target.real).catch((err: unknown) => {
      throw sanitizeError(err, target.virtual);
    });
  }

  async chmod(target: string): Promise<void> {
    throw new SandboxFsError(`${this.virtual(target)}: Permission denied (SITE CHMOD is disabled in the lab)`);
  }

  getUniqueName(): string {
    return randomUUID().replace(/-/g, '');
  }
}

/** Writes an upload to an open file, refusing bytes beyond the per-file limit. */
class LimitedFileWriter extends Writable {
  private written = 0;
  private position: number;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly virtual: string,
    private readonly limit: { bytes: number; why: string },
    start: number,
    private readonly discard: () => Promise<void>,
  ) {
    super();
    this.position = start;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.written += chunk.length;
    if (this.written > this.limit.bytes) {
      callback(new SandboxFsError(`${this.virtual}: File too large (${this.limit.why})`));
      return;
    }
    this.handle.write(chunk, 0, chunk.length, this.position).then(
      () => {
        this.position += chunk.length;
        callback();
      },
      (err: unknown) => callback(sanitizeError(err, this.virtual)),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.handle.close().then(() => callback(), (err: unknown) => callback(sanitizeError(err, this.virtual)));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    void this.handle.close().catch(() => {}).then(async () => {
      if (error) await this.discard();
      callback(error);
    });
  }
}
