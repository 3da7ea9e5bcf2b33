import fs from 'node:fs/promises';
import path from 'node:path';

/** Why a path was refused, worded for protocol replies (550, SSH_FX_NO_SUCH_FILE, "No such file"). */
export class JailError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'EACCES' | 'EINVAL',
    readonly virtualPath: string,
  ) {
    super(code === 'ENOENT' ? `${virtualPath}: No such file or directory` : code === 'EACCES' ? `${virtualPath}: Permission denied` : `${virtualPath}: Invalid path`);
  }
}

const MAX_PATH = 1024;

/**
 * A sandbox's file tree, seen by every file protocol (SFTP, the SSH shell, FTP) as "/".
 * Virtual paths are normalised as POSIX paths under "/" (so `..` can never climb out), and
 * real paths are checked with realpath, so a symlink pointing outside the root is refused.
 * Errors never reveal the real location on disk.
 */
export class Jail {
  private constructor(readonly root: string) {}

  /** Opens (creating if needed) the jail at `root`, resolving the root itself once. */
  static async open(root: string): Promise<Jail> {
    await fs.mkdir(root, { recursive: true });
    return new Jail(await fs.realpath(root));
  }

  /** Normalises a client path against a virtual working directory: always absolute, never above "/". */
  normalize(input: string, cwd = '/'): string {
    if (input.length > MAX_PATH || input.includes('\0')) throw new JailError('EINVAL', input.slice(0, 64));
    const joined = input.startsWith('/') ? input : path.posix.join(cwd, input);
    return path.posix.normalize('/' + joined).replace(/(.)\/+$/, '$1');
  }

  /** The real path for a virtual path (which need not exist yet); refuses anything resolving outside. */
  async resolve(input: string, cwd = '/'): Promise<string> {
    const virtual = this.normalize(input, cwd);
    const real = path.join(this.root, virtual);
    // Check the deepest existing ancestor with realpath: it catches symlinks anywhere on the way.
    let probe = real;
    for (;;) {
      try {
        const resolved = await fs.realpath(probe);
        if (!this.contains(resolved)) throw new JailError('EACCES', virtual);
        if (probe === real) return resolved;
        await this.refuseDanglingLinks(resolved, path.relative(probe, real), virtual);
        return path.join(resolved, path.relative(probe, real));
      } catch (err) {
        if (err instanceof JailError) throw err;
        const parent = path.dirname(probe);
        if (parent === probe || !this.contains(parent)) throw new JailError('EACCES', virtual);
        probe = parent;
      }
    }
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
