/**
 * Fixes: ftp-srv's own FileSystem follows symlinks out of its root and puts absolute server paths
 * in error replies (`551 ENOENT … '<root>/…'`), with traversal history (CVE-2020-26299). This
 * FileSystem routes every path through the shared sandbox Jail (lib/sandbox/jail.ts: `..` contained,
 * realpath-checked symlinks, the sandbox root never removed or renamed, one quota and file mode for
 * every writer), refuses paths that try to climb above "/", caps upload size, and throws errors
 * that name only virtual paths.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { JailFile } from '../../lib/sandbox/jail-file.ts';
import { Jail, JailError } from '../../lib/sandbox/jail.ts';
import { QuotaExceeded } from '../../lib/sandbox/quota.ts';
import { longname } from '../../lib/sandbox/longname.ts';

/** An error whose message is safe to send to the client (virtual paths only). */
/** Bytes per read of a download (fs streams read 64 KiB by default). */
const RETR_CHUNK_BYTES = 512 * 1024;

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
  // The jail's own errors name only virtual paths and say why (quota, sandbox root, size limit).
  if (err instanceof JailError || err instanceof QuotaExceeded) return new SandboxFsError(err.message);
  const code = err instanceof JailError ? err.code : (err as NodeJS.ErrnoException | null)?.code;
  return new SandboxFsError(`${virtual}: ${REASONS[code ?? ''] ?? 'Operation failed'}`);
}

/** A stat result carrying its entry name, as ftp-srv's LIST formatter expects, and who owns it in the listing. */
export type NamedStats = Stats & { name: string; owner: string };

/** One LIST (or STAT) line: `ls -l` as SFTP and the SSH shell write it, with the login as owner. */
export function listLine(stat: NamedStats): string {
  return longname(stat.name, stat, stat.owner);
}

export interface SandboxFsOptions {
  /** Largest upload per file, bytes; beyond it STOR fails and the partial file is removed. */
  maxFileBytes: number;
  /** The owner LIST shows: the login (the sandbox has one owner, as in SFTP and the shell). */
  owner: string;
}

/**
 * Implements the FileSystem contract ftp-srv's handlers call (get, list, chdir, read, write,
 * delete, mkdir, rename, currentDirectory, getUniqueName) on top of the sandbox Jail, and chmod for
 * the lab's own SITE CHMOD (commands.ts).
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
    return Object.assign(stat, { name: fileName, owner: this.options.owner });
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
          return Object.assign(stat, { name, owner: this.options.owner });
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
    // ftp-srv's RETR writes one chunk and waits for it to be written before reading the next: large
    // chunks keep that stop-and-go from setting the pace of a download.
    const stream = handle.createReadStream({ start, autoClose: true, highWaterMark: RETR_CHUNK_BYTES });
    return { stream, clientPath: virtual };
  }

  async write(fileName: string, { append = false, start }: { append?: boolean; start?: number } = {}): Promise<{ stream: Writable; clientPath: string }> {
    const virtual = this.virtual(fileName);
    const flags = append ? 'a' : start ? 'r+' : 'w';
    // The jail applies the per-file limit, the sandbox quota (shared with SFTP and the shell) and the file mode.
    const file = await this.jail.openFile(virtual, '/', { flags, maxBytes: this.options.maxFileBytes }).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    const stream = new JailFileWriter(file, start ?? 0);
    // ftp-srv's STOR emits 'close' on the destination when the data socket ends; it expects that to end it.
    stream.once('close', () => stream.end());
    return { stream, clientPath: virtual };
  }

  async delete(target: string): Promise<void> {
    const virtual = this.virtual(target);
    try {
      const { real } = await this.jail.resolveEntry(virtual);
      // DELE and RMD both land here; the jail refuses the sandbox root either way.
      if ((await fs.lstat(real)).isDirectory()) await this.jail.rmdir(virtual);
      else await this.jail.unlink(virtual);
    } catch (err) {
      throw sanitizeError(err, virtual);
    }
  }

  async mkdir(dir: string): Promise<string> {
    const virtual = this.virtual(dir);
    // Not recursive: MKD of a directory that exists is EEXIST (550), not a second "257 created".
    await this.jail.mkdir(virtual, '/').catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
    return virtual;
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.virtual(from);
    const target = this.virtual(to);
    await this.jail.rename(source, target).catch((err: unknown) => {
      throw sanitizeError(err, err instanceof JailError ? err.virtualPath : target);
    });
  }

  /** SITE CHMOD: the jail applies the sandbox's rules (umask 022, the root keeps its mode), as for SFTP. */
  async chmod(target: string, mode: number): Promise<void> {
    const virtual = this.virtual(target);
    await this.jail.chmod(virtual, mode).catch((err: unknown) => {
      throw sanitizeError(err, virtual);
    });
  }

  getUniqueName(): string {
    return randomUUID().replace(/-/g, '');
  }
}

/** Streams an upload into a JailFile; a refused or failed upload leaves no partial file. */
class JailFileWriter extends Writable {
  private position: number;

  constructor(
    private readonly file: JailFile,
    start: number,
  ) {
    super();
    this.position = start;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.file.write(chunk, this.position).then(
      () => {
        this.position += chunk.length;
        callback();
      },
      (err: unknown) => callback(sanitizeError(err, this.file.virtual)),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.file.close().then(() => callback(), (err: unknown) => callback(sanitizeError(err, this.file.virtual)));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    void (error ? this.file.discard() : this.file.close().catch(() => {})).then(() => callback(error));
  }
}
