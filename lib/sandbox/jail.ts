import fs from 'node:fs/promises';
import path from 'node:path';
import { JailFile, type OpenOptions } from './jail-file.ts';
import { spaceAccount, type SpaceAccount } from './quota.ts';
import { sandboxUsage } from './usage.ts';

/** Why a path was refused, worded for protocol replies (550, SSH_FX_NO_SUCH_FILE, "No such file"). */
export class JailError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'EACCES' | 'EINVAL' | 'EPERM' | 'EFBIG',
    readonly virtualPath: string,
    /** Why, in words a student can act on (shown after the usual text, in parentheses). */
    readonly reason?: string,
  ) {
    const text = code === 'ENOENT' ? 'No such file or directory' : code === 'EINVAL' ? 'Invalid path' : code === 'EFBIG' ? 'File too large' : 'Permission denied';
    super(`${virtualPath}: ${text}${reason ? ` (${reason})` : ''}`);
  }
}

const MAX_PATH = 1024;
/** Like a umask of 022: nothing the lab creates or chmods is group- or world-writable (secrets share the data dir). */
const UMASK = 0o022;
/** Modes for new files and directories when the client asks for none. */
export const FILE_MODE = 0o644;
export const DIR_MODE = 0o755;

/** Options of a jail: the quota is per sandbox, shared by every Jail opened on the same root. */
export interface JailOptions {
  /** Most bytes the sandbox may hold (LAB_SANDBOX_QUOTA). */
  quotaBytes?: number;
}

/**
 * A sandbox's file tree, seen by every file protocol (SFTP, the SSH shell, FTP) as "/".
 * Virtual paths are normalised as POSIX paths under "/" (so `..` can never climb out), and
 * real paths are checked with realpath, so a symlink pointing outside the root is refused.
 * Errors never reveal the real location on disk.
 *
 * Every writer changes the tree through the methods below, so the rules hold for all of them:
 * the root itself is never removed, renamed or chmodded; new files and directories get a
 * umask-like mode; and growth is charged to the sandbox's one quota.
 */
export class Jail {
  readonly space: SpaceAccount;

  private constructor(readonly root: string) {
    this.space = spaceAccount(root);
  }

  /** Opens (creating if needed) the jail at `root`, resolving the root itself once. */
  static async open(root: string, options: JailOptions = {}): Promise<Jail> {
    await fs.mkdir(root, { recursive: true, mode: DIR_MODE });
    const jail = new Jail(await fs.realpath(root));
    if (options.quotaBytes !== undefined) jail.space.limit = options.quotaBytes;
    return jail;
  }

  /** Normalises a client path against a virtual working directory: always absolute, never above "/". */
  normalize(input: string, cwd = '/'): string {
    if (input.length > MAX_PATH || input.includes('\0')) throw new JailError('EINVAL', input.slice(0, 64));
    const joined = input.startsWith('/') ? input : path.posix.join(cwd, input);
    return path.posix.normalize('/' + joined).replace(/(.)\/+$/, '$1');
  }

  /** The real path for a virtual path (which need not exist yet), following symlinks; refuses anything resolving outside. */
  async resolve(input: string, cwd = '/'): Promise<string> {
    const virtual = this.normalize(input, cwd);
    const real = path.join(this.root, virtual);
    // Check the deepest existing ancestor with realpath: it catches symlinks anywhere on the way.
    let probe = real;
    let recreated = false;
    for (;;) {
      try {
        const resolved = await fs.realpath(probe);
        if (!this.contains(resolved)) throw new JailError('EACCES', virtual);
        if (probe === real) return resolved;
        await this.refuseDanglingLinks(resolved, path.relative(probe, real), virtual);
        return path.join(resolved, path.relative(probe, real));
      } catch (err) {
        if (err instanceof JailError) throw err;
        if (probe === this.root && !recreated) {
          // The root vanished (removed by hand): recreate it rather than lock every protocol out.
          recreated = true;
          await fs.mkdir(this.root, { recursive: true, mode: DIR_MODE });
          continue;
        }
        const parent = path.dirname(probe);
        if (parent === probe || !this.contains(parent)) throw new JailError('EACCES', virtual);
        probe = parent;
      }
    }
  }

  /**
   * The real path of the entry itself, for operations that act on a name (unlink, rmdir, rename):
   * the parent is resolved and checked, the last component is not followed — `rm link` removes
   * the link, never what it points to.
   */
  async resolveEntry(input: string, cwd = '/'): Promise<{ virtual: string; real: string }> {
    const virtual = this.normalize(input, cwd);
    if (virtual === '/') return { virtual, real: this.root };
    const parent = await this.resolve(path.posix.dirname(virtual));
    return { virtual, real: path.join(parent, path.posix.basename(virtual)) };
  }

  /** True for the sandbox root (a real path). */
  isRoot(real: string): boolean {
    return real === this.root;
  }

  /** Opens a file for a writer or reader; see JailFile for the quota, size limit and mode it applies. */
  async openFile(input: string, cwd: string, options: OpenOptions): Promise<JailFile> {
    const virtual = this.normalize(input, cwd);
    return JailFile.open(this, virtual, await this.resolve(virtual), options);
  }

  /** The mode a new file or directory gets, or a chmod sets: the request (or the default) under the umask. */
  modeFor(requested: number | undefined, kind: 'file' | 'dir'): number {
    return (requested ?? (kind === 'file' ? 0o666 : 0o777)) & 0o777 & ~UMASK;
  }

  async mkdir(input: string, cwd = '/', options: { recursive?: boolean; mode?: number } = {}): Promise<string> {
    const virtual = this.normalize(input, cwd);
    await fs.mkdir(await this.resolve(virtual), { recursive: options.recursive, mode: this.modeFor(options.mode, 'dir') });
    return virtual;
  }

  /** Removes a file or link (not a directory). */
  async unlink(input: string, cwd = '/'): Promise<void> {
    const { virtual, real } = await this.resolveEntry(input, cwd);
    this.refuseRoot(real, virtual, 'removed');
    const stat = await fs.lstat(real);
    if (stat.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    await fs.unlink(real);
    if (stat.isFile()) this.space.free(stat.size);
  }

  /** Removes an empty directory. */
  async rmdir(input: string, cwd = '/'): Promise<void> {
    const { virtual, real } = await this.resolveEntry(input, cwd);
    this.refuseRoot(real, virtual, 'removed');
    await fs.rmdir(real);
  }

  /** Removes a file, link or whole directory tree (`rm -r`). */
  async removeTree(input: string, cwd = '/'): Promise<void> {
    const { virtual, real } = await this.resolveEntry(input, cwd);
    this.refuseRoot(real, virtual, 'removed');
    const stat = await fs.lstat(real);
    const bytes = stat.isDirectory() ? await sandboxUsage(real) : stat.isFile() ? stat.size : 0;
    await fs.rm(real, { recursive: true });
    this.space.free(bytes);
  }

  /** Renames an entry; `noReplace` refuses an existing target (SFTP v3 RENAME). */
  async rename(from: string, to: string, cwd = '/', options: { noReplace?: boolean } = {}): Promise<void> {
    const source = await this.resolveEntry(from, cwd);
    const target = await this.resolveEntry(to, cwd);
    this.refuseRoot(source.real, source.virtual, 'renamed');
    this.refuseRoot(target.real, target.virtual, 'replaced');
    await fs.lstat(source.real);
    const existing = await fs.lstat(target.real).catch(() => null);
    if (existing && options.noReplace) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await fs.rename(source.real, target.real);
    if (existing?.isFile()) this.space.free(existing.size);
  }

  /** Changes a mode (under the umask); never the root's. */
  async chmod(input: string, mode: number, cwd = '/'): Promise<void> {
    const virtual = this.normalize(input, cwd);
    const real = await this.resolve(virtual);
    this.refuseRoot(real, virtual, 'given another mode');
    await fs.chmod(real, this.modeFor(mode, 'file'));
  }

  /** Sets a file's size (truncate down or sparse up), charged to the quota. */
  async truncate(input: string, size: number, cwd = '/', options: { maxBytes?: number } = {}): Promise<void> {
    const file = await this.openFile(input, cwd, { flags: 'r+', maxBytes: options.maxBytes });
    try {
      await file.truncate(size);
    } finally {
      await file.close();
    }
  }

  /** Throws EPERM for the sandbox root: every protocol depends on it existing, as it is. */
  refuseRoot(real: string, virtual: string, what: string): void {
    if (this.isRoot(real)) throw new JailError('EPERM', virtual, `the sandbox root cannot be ${what}`);
  }

  /**
   * realpath fails on a dangling symlink, so the loop above treats it as "not yet created";
   * writing through it would create its target — possibly outside. Refuse links that point out.
   */
  private async refuseDanglingLinks(existing: string, rest: string, virtual: string): Promise<void> {
    const next = path.join(existing, rest.split(path.sep)[0]);
    const stat = await fs.lstat(next).catch(() => null);
    if (!stat?.isSymbolicLink()) return;
    const target = path.resolve(existing, await fs.readlink(next));
    if (!this.contains(target)) throw new JailError('EACCES', virtual);
  }

  /** The virtual path of a real path inside the jail. */
  toVirtual(real: string): string {
    const relative = path.relative(this.root, real);
    return '/' + relative.split(path.sep).filter(Boolean).join('/');
  }

  private contains(real: string): boolean {
    return real === this.root || real.startsWith(this.root + path.sep);
  }
}

/** Where a sandbox's files live under the data dir. */
export function sandboxRoot(dataDir: string, sandbox: string): string {
  return path.join(dataDir, 'sandboxes', sandbox, 'files');
}
