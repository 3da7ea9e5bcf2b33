/**
 * The SFTP v3 subsystem (draft-ietf-secsh-filexfer-02) over the sandbox jail. ssh2 parses the
 * packets; this module answers every operation the lab supports, jails every path (`..`,
 * absolute paths and symlinks out of the root are refused), never names a real path in an
 * error, and reports each request and reply — bulk READ/WRITE summarised per handle.
 */
import { constants, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Attributes, InputAttributes, SFTPWrapper } from 'ssh2';
import type { JailFile } from '../../lib/sandbox/jail-file.ts';
import { JailError, type Jail } from '../../lib/sandbox/jail.ts';
import { QuotaExceeded } from '../../lib/sandbox/quota.ts';
import { describeOpenFlags } from '../../lib/protocols/ssh/sftp.ts';
import type { SftpEventDetail } from '../../lib/protocols/ssh/server-events.ts';
import { longname } from '../../lib/sandbox/longname.ts';
import { describeError } from './shell/context.ts';

const STATUS = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, BAD_MESSAGE: 5, OP_UNSUPPORTED: 8 } as const;
const MAX_HANDLES = 64;
const MAX_READ = 256 * 1024;
const READDIR_BATCH = 100;

/** What the SFTP subsystem needs. */
export interface SftpOptions {
  jail: Jail;
  user: string;
  /** Largest file a WRITE may produce, bytes. */
  maxFileSize: number;
  report(detail: SftpEventDetail): void;
}

interface FileState {
  kind: 'file';
  file: JailFile;
  path: string;
  reads: number;
  writes: number;
  bytes: number;
  started: number;
}
interface DirState {
  kind: 'dir';
  path: string;
  real: string;
  entries: string[] | null;
}

function attrsOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: 1000,
    gid: 1000,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

function statusFor(err: unknown): number {
  // SFTP v3 has no "no space" status (SSH_FX_NO_SPACE_ON_FILESYSTEM arrived in later drafts): FAILURE with words.
  if (err instanceof QuotaExceeded) return STATUS.FAILURE;
  const code = err instanceof JailError ? err.code : (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return STATUS.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM') return STATUS.PERMISSION_DENIED;
  return STATUS.FAILURE;
}

function openFlags(pflags: number): number {
  const read = (pflags & 0x01) !== 0;
  const write = (pflags & 0x02) !== 0;
  let flags = read && write ? constants.O_RDWR : write ? constants.O_WRONLY : constants.O_RDONLY;
  if (pflags & 0x04) flags |= constants.O_APPEND;
  if (pflags & 0x08) flags |= constants.O_CREAT;
  if (pflags & 0x10) flags |= constants.O_TRUNC;
  if (pflags & 0x20) flags |= constants.O_EXCL;
  return flags;
}

/** Serves one SFTP session on `sftp` until the channel closes. */
export function serveSftp(sftp: SFTPWrapper, options: SftpOptions): void {
  const { jail, report } = options;
  const handles = new Map<number, FileState | DirState>();
  let nextHandle = 1;

  const request = (name: string, id: number, summary: string, fields?: SftpEventDetail['fields']) =>
    report({ dir: 'client', name, id, summary: `${name} ${summary}`.trim(), fields });
  const status = (id: number, code: number, message?: string) => {
    const name = Object.entries(STATUS).find(([, v]) => v === code)?.[0] ?? String(code);
    const text = message ?? (code === STATUS.OK ? 'Success' : code === STATUS.EOF ? 'End of file' : name);
    sftp.status(id, code, text);
    report({ dir: 'server', name: 'STATUS', id, status: code, summary: `STATUS ${code} ${name}${message ? ` "${message}"` : ''}` });
  };
  // The jail's own errors already say why (quota exceeded, the sandbox root, the size limit) and name no real path.
  const fail = (id: number, err: unknown) =>
    status(id, statusFor(err), err instanceof QuotaExceeded || (err instanceof JailError && err.reason) ? err.message : describeError(err));
  const handleBuffer = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const lookup = (handle: Buffer) => (handle.length === 4 ? handles.get(handle.readUInt32BE(0)) : undefined);
  const newHandle = (id: number, state: FileState | DirState) => {
    const n = nextHandle++;
    handles.set(n, state);
    sftp.handle(id, handleBuffer(n));
    report({ dir: 'server', name: 'HANDLE', id, summary: `HANDLE ${n} (${state.path})` });
  };
  // One request at a time, in the order they came (draft-02 §6.1: requests on one file MUST be
  // processed in order; replies may come in any order, but OpenSSH 9.2's scp writes in place and
  // truncates the file at the highest offset acknowledged in order: a 30 MB upload ended at 700 KB).
  // Reads and writes still start at once (each names its own offset, so the disk sees the same bytes in
  // any order) and only their answers wait their turn: one at a time, SFTP moved a third of the MB/s.
  let queue = Promise.resolve();
  const run = (id: number, work: () => Promise<void>) => {
    queue = queue.then(work).catch((err: unknown) => fail(id, err));
  };
  /** Starts `io` now; its failure is answered in turn, when the queue awaits it (not an unhandled rejection now). */
  const started = <T>(io: Promise<T>): Promise<T> => {
    io.catch(() => {});
    return io;
  };

  sftp.on('ready', () => {
    report({ dir: 'client', name: 'INIT', summary: 'INIT version 3' });
    report({ dir: 'server', name: 'VERSION', summary: 'VERSION 3' });
  });

  sftp.on('REALPATH', (id, p) => {
    request('REALPATH', id, p);
    run(id, async () => {
      const virtual = jail.normalize(p === '' ? '.' : p, '/');
      sftp.name(id, [{ filename: virtual, longname: virtual, attrs: {} as Attributes }]);
      report({ dir: 'server', name: 'NAME', id, summary: `NAME ${virtual}` });
    });
  });

  const stat = (name: 'STAT' | 'LSTAT') => (id: number, p: string) => {
    request(name, id, p);
    run(id, async () => {
      const real = await jail.resolve(p, '/');
      const stats = name === 'STAT' ? await fs.stat(real) : await fs.lstat(real);
      sftp.attrs(id, attrsOf(stats));
      report({ dir: 'server', name: 'ATTRS', id, summary: `ATTRS ${stats.isDirectory() ? 'directory' : `${stats.size} bytes`}` });
    });
  };
  sftp.on('STAT', stat('STAT'));
  sftp.on('LSTAT', stat('LSTAT'));

  sftp.on('FSTAT', (id, handle) => {
    const state = lookup(handle);
    request('FSTAT', id, state?.path ?? '(bad handle)');
    if (state?.kind !== 'file') return status(id, STATUS.FAILURE, 'Invalid handle');
    run(id, async () => {
      const stats = await state.file.handle.stat();
      sftp.attrs(id, attrsOf(stats));
      report({ dir: 'server', name: 'ATTRS', id, summary: `ATTRS ${stats.size} bytes` });
    });
  });

  sftp.on('OPEN', (id, filename, pflags, attrs) => {
    request('OPEN', id, `${filename} ${describeOpenFlags(pflags)}`, [{ name: 'pflags', value: `0x${pflags.toString(16)} ${describeOpenFlags(pflags)}` }]);
    if (handles.size >= MAX_HANDLES) return status(id, STATUS.FAILURE, 'Too many open handles');
    run(id, async () => {
      // The jail applies the umask to attrs.mode, the per-file limit and the sandbox quota.
      const file = await jail.openFile(filename, '/', { flags: openFlags(pflags), mode: attrs.mode, maxBytes: options.maxFileSize });
      newHandle(id, { kind: 'file', file, path: file.virtual, reads: 0, writes: 0, bytes: 0, started: performance.now() });
    });
  });

  sftp.on('READ', (id, handle, offset, length) => {
    const state = lookup(handle);
    if (state?.kind !== 'file') {
      request('READ', id, '(bad handle)');
      return status(id, STATUS.FAILURE, 'Invalid handle');
    }
    if (state.reads++ === 0) request('READ', id, `${state.path} offset ${offset} len ${length} (further READs summarised at CLOSE)`);
    const buffer = Buffer.alloc(Math.min(length, MAX_READ));
    // A handle that has been written to reads in turn, after the writes before it; a read-only one at once.
    const read = () => state.file.handle.read(buffer, 0, buffer.length, offset);
    const reading = state.writes === 0 ? started(read()) : null;
    run(id, async () => {
      const { bytesRead } = await (reading ?? read());
      if (bytesRead === 0) {
        sftp.status(id, STATUS.EOF, 'End of file');
        return;
      }
      state.bytes += bytesRead;
      sftp.data(id, buffer.subarray(0, bytesRead));
      if (state.reads === 1) report({ dir: 'server', name: 'DATA', id, summary: `DATA ${bytesRead} bytes` });
    });
  });

  sftp.on('WRITE', (id, handle, offset, data) => {
    const state = lookup(handle);
    if (state?.kind !== 'file') {
      request('WRITE', id, '(bad handle)');
      return status(id, STATUS.FAILURE, 'Invalid handle');
    }
    const first = state.writes++ === 0;
    if (first) request('WRITE', id, `${state.path} offset ${offset} ${data.length} bytes (further WRITEs summarised at CLOSE)`);
    // An appending handle writes in turn: its bytes land where the file ends when each write runs.
    const writing = state.file.append ? null : started(state.file.write(data, offset));
    run(id, async () => {
      await (writing ?? state.file.write(data, offset));
      state.bytes += data.length;
      if (first) status(id, STATUS.OK);
      else sftp.status(id, STATUS.OK);
    });
  });

  sftp.on('CLOSE', (id, handle) => {
    const state = lookup(handle);
    if (!state) {
      request('CLOSE', id, '(bad handle)');
      return status(id, STATUS.FAILURE, 'Invalid handle');
    }
    handles.delete(handle.readUInt32BE(0));
    if (state.kind === 'dir') {
      request('CLOSE', id, state.path);
      return status(id, STATUS.OK);
    }
    const ms = Math.round(performance.now() - state.started);
    const moved = state.reads > 0 ? `${state.bytes} bytes read in ${state.reads} READs` : state.writes > 0 ? `${state.bytes} bytes written in ${state.writes} WRITEs` : 'no data';
    request('CLOSE', id, `${state.path} — ${moved}, ${ms} ms`, [
      { name: 'transfer', value: moved },
      { name: 'duration', value: `${ms} ms` },
    ]);
    run(id, async () => {
      await state.file.close();
      status(id, STATUS.OK);
    });
  });

  sftp.on('OPENDIR', (id, p) => {
    request('OPENDIR', id, p);
    if (handles.size >= MAX_HANDLES) return status(id, STATUS.FAILURE, 'Too many open handles');
    run(id, async () => {
      const real = await jail.resolve(p, '/');
      if (!(await fs.stat(real)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
      newHandle(id, { kind: 'dir', path: jail.toVirtual(real), real, entries: null });
    });
  });

  sftp.on('READDIR', (id, handle) => {
    const state = lookup(handle);
    request('READDIR', id, state?.path ?? '(bad handle)');
    if (state?.kind !== 'dir') return status(id, STATUS.FAILURE, 'Invalid handle');
    run(id, async () => {
      state.entries ??= ['.', '..', ...(await fs.readdir(state.real)).sort()];
      const batch = state.entries.splice(0, READDIR_BATCH);
      if (batch.length === 0) return status(id, STATUS.EOF);
      const names = await Promise.all(
        batch.map(async (filename) => {
          const stats = await fs.lstat(path.join(state.real, filename));
          return { filename, longname: longname(filename, stats, options.user), attrs: attrsOf(stats) };
        }),
      );
      sftp.name(id, names);
      report({ dir: 'server', name: 'NAME', id, summary: `NAME ${names.length} entries: ${batch.slice(0, 6).join(', ')}${batch.length > 6 ? ', …' : ''}` });
    });
  });

  // The jail refuses to remove, rename or chmod the sandbox root, whoever asks.
  const pathOp = (name: string, work: (p: string) => Promise<unknown>) => (id: number, p: string) => {
    request(name, id, p);
    run(id, async () => {
      await work(p);
      status(id, STATUS.OK);
    });
  };
  sftp.on('REMOVE', pathOp('REMOVE', (p) => jail.unlink(p)));
  sftp.on('RMDIR', pathOp('RMDIR', (p) => jail.rmdir(p)));
  sftp.on('MKDIR', (id, p, attrs) => pathOp('MKDIR', (q) => jail.mkdir(q, '/', { mode: attrs.mode }))(id, p));

  sftp.on('RENAME', (id, from, to) => {
    request('RENAME', id, `${from} → ${to}`);
    run(id, async () => {
      // SFTP v3: RENAME must fail if the target exists (draft-02 §6.5).
      await jail.rename(from, to, '/', { noReplace: true });
      status(id, STATUS.OK);
    });
  });

  sftp.on('SETSTAT', (id, p, attrs) => {
    request('SETSTAT', id, p);
    run(id, async () => {
      if (attrs.mode !== undefined) await jail.chmod(p, Number(attrs.mode));
      if (attrs.size !== undefined) await jail.truncate(p, attrs.size, '/', { maxBytes: options.maxFileSize });
      if (attrs.atime !== undefined && attrs.mtime !== undefined) await fs.utimes(await jail.resolve(p, '/'), attrs.atime, attrs.mtime);
      status(id, STATUS.OK);
    });
  });
  sftp.on('FSETSTAT', (id, handle, attrs) => {
    const state = lookup(handle);
    request('FSETSTAT', id, state?.path ?? '(bad handle)');
    if (state?.kind !== 'file') return status(id, STATUS.FAILURE, 'Invalid handle');
    run(id, async () => {
      await setHandleAttrs(state.file, attrs);
      status(id, STATUS.OK);
    });
  });

  // Links could point out of the sandbox: not offered.
  sftp.on('READLINK', (id, p) => {
    request('READLINK', id, p);
    status(id, STATUS.OP_UNSUPPORTED, 'Operation unsupported');
  });
  sftp.on('SYMLINK', (id, target, link) => {
    request('SYMLINK', id, `${link} → ${target}`);
    status(id, STATUS.OP_UNSUPPORTED, 'Operation unsupported');
  });
  sftp.on('EXTENDED', (id, name) => {
    request('EXTENDED', id, name);
    status(id, STATUS.OP_UNSUPPORTED, 'Operation unsupported');
  });

  sftp.on('close', () => {
    for (const state of handles.values()) if (state.kind === 'file') void state.file.close().catch(() => {});
    handles.clear();
  });
}

/** FSETSTAT: mode (never the root's), size (charged to the quota) and times on an open handle. */
async function setHandleAttrs(file: JailFile, attrs: InputAttributes): Promise<void> {
  if (attrs.mode !== undefined) await file.chmod(Number(attrs.mode));
  if (attrs.size !== undefined) await file.truncate(attrs.size);
  if (attrs.atime !== undefined && attrs.mtime !== undefined) await file.handle.utimes(attrs.atime, attrs.mtime);
}
