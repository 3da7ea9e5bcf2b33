'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes, joinPath, sshApi, type FileEntry, type Transfer } from './api';

/** The SFTP file panel: the daemon's SFTP client browsing the sandbox (every action is a real SFTP session). */
export function FilePanel() {
  const [path, setPath] = useState('/');
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ name: string; size: number; transfer: Transfer | null; done: boolean; error: string | null } | null>(null);
  const [newFolder, setNewFolder] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async (dir: string) => {
    try {
      const r = await sshApi.list(dir);
      setEntries(r.entries);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void refresh(path);
  }, [path, refresh]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
    await refresh(path);
  };

  const startUpload = async (file: File) => {
    const target = joinPath(path, file.name);
    const started = Date.now();
    setUpload({ name: file.name, size: file.size, transfer: null, done: false, error: null });
    // Progress comes from the daemon's transfer registry (bytes written to SFTP so far).
    let finished = false;
    const poll = async () => {
      while (!finished) {
        const { transfers } = await sshApi.transfers().catch(() => ({ transfers: [] as Transfer[] }));
        const mine = transfers.find((t) => t.direction === 'upload' && t.path === target && t.startedAt >= started - 2000);
        if (mine && !finished) setUpload((u) => (u && !u.done ? { ...u, transfer: mine } : u));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    };
    void poll();
    try {
      const { transfer } = await sshApi.upload(target, file);
      setUpload({ name: file.name, size: file.size, transfer, done: true, error: null });
    } catch (err) {
      setUpload((u) => (u ? { ...u, done: true, error: (err as Error).message } : u));
    } finally {
      finished = true;
    }
    await refresh(path);
  };

  const crumbs = path.split('/').filter(Boolean);
  const button = 'rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:border-slate-400 disabled:opacity-40';
  const progress = upload ? (upload.done && !upload.error ? 1 : upload.transfer ? upload.transfer.bytes / Math.max(1, upload.transfer.total ?? upload.size) : 0) : 0;

  return (
    <div className="flex h-full min-h-0 flex-col text-sm" data-testid="file-panel">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5">
        <nav className="flex min-w-0 flex-1 items-center gap-1 font-mono text-xs" aria-label="Path">
          <button className="text-sky-300 hover:text-sky-100" onClick={() => setPath('/')}>
            ~
          </button>
          {crumbs.map((part, i) => (
            <span key={i} className="flex items-center gap-1">
              <span className="text-slate-400">/</span>
              <button className="truncate text-sky-300 hover:text-sky-100" onClick={() => setPath(`/${crumbs.slice(0, i + 1).join('/')}`)}>
                {part}
              </button>
            </span>
          ))}
        </nav>
        <input
          ref={fileInput}
          type="file"
          className="hidden"
          data-testid="upload-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void startUpload(file);
            e.target.value = '';
          }}
        />
        <button className={`${button} border-sky-600 text-sky-200`} onClick={() => fileInput.current?.click()} disabled={!!upload && !upload.done}>
          Upload…
        </button>
        <button className={button} onClick={() => setNewFolder('')}>
          New folder
        </button>
        <button className={button} onClick={() => void refresh(path)} title="List again (OPENDIR/READDIR)">
          ↻
        </button>
      </div>
      {newFolder !== null && (
        <form
          className="flex items-center gap-2 border-b border-slate-800 px-3 py-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            const name = newFolder.trim();
            setNewFolder(null);
            if (name) void act(() => sshApi.mkdir(joinPath(path, name)));
          }}
        >
          <input
            autoFocus
            aria-label="New folder name"
            value={newFolder}
            onChange={(e) => setNewFolder(e.target.value)}
            className="flex-1 rounded border border-slate-700 bg-slate-950 px-2 py-0.5 font-mono text-xs"
            placeholder="folder name"
          />
          <button className={button} type="submit">
            Create (MKDIR)
          </button>
          <button className={button} type="button" onClick={() => setNewFolder(null)}>
            Cancel
          </button>
        </form>
      )}
      {upload && (
        <div className="border-b border-slate-800 px-3 py-1.5" data-testid="upload-progress">
          <div className="flex items-center justify-between text-xs">
            <span className="truncate text-slate-300">
              {upload.error ? `Upload of ${upload.name} failed: ${upload.error}` : upload.done ? `Uploaded ${upload.name} (${formatBytes(upload.transfer?.bytes ?? upload.size)})` : `Uploading ${upload.name}…`}
            </span>
            <span className="tabular-nums text-slate-400">
              {formatBytes(upload.done && !upload.error ? upload.size : (upload.transfer?.bytes ?? 0))} / {formatBytes(upload.size)}
              {upload.done && upload.transfer?.finishedAt ? ` · ${upload.transfer.finishedAt - upload.transfer.startedAt} ms` : ''}
            </span>
          </div>
          <div className="mt-1 h-1.5 overflow-hidden rounded bg-slate-800" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
            <div className={`h-full ${upload.error ? 'bg-red-500' : 'bg-sky-400'} transition-[width]`} style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
        </div>
      )}
      {error && <p className="border-b border-red-900 bg-red-950/50 px-3 py-1 text-xs text-red-200">{error}</p>}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {entries === null ? (
          <p className="p-3 text-slate-400">Listing {path} over SFTP…</p>
        ) : entries.length === 0 ? (
          <p className="p-3 text-slate-400">This folder is empty. Upload a file, or create one in the terminal (echo hi &gt; notes.txt).</p>
        ) : (
          <table className="w-full text-xs" data-testid="file-list">
            <tbody>
              {path !== '/' && (
                <tr className="border-b border-slate-800/70">
                  <td colSpan={4} className="px-3 py-1">
                    <button className="font-mono text-sky-300 hover:text-sky-100" onClick={() => setPath(path.replace(/\/[^/]+\/?$/, '') || '/')}>
                      ..
                    </button>
                  </td>
                </tr>
              )}
              {entries.map((entry) => {
                const full = joinPath(path, entry.name);
                const isRenaming = renaming?.from === full;
                return (
                  <tr key={entry.name} className="group border-b border-slate-800/70 hover:bg-slate-900">
                    <td className="w-full max-w-0 px-3 py-1 font-mono">
                      {isRenaming ? (
                        <form
                          className="flex gap-1"
                          onSubmit={(e) => {
                            e.preventDefault();
                            const to = renaming.to.trim();
                            setRenaming(null);
                            if (to && to !== entry.name) void act(() => sshApi.rename(full, joinPath(path, to)));
                          }}
                        >
                          <input
                            autoFocus
                            aria-label={`New name for ${entry.name}`}
                            value={renaming.to}
                            onChange={(e) => setRenaming({ from: full, to: e.target.value })}
                            className="min-w-0 flex-1 rounded border border-slate-700 bg-slate-950 px-1"
                          />
                          <button className={button} type="submit">
                            Rename
                          </button>
                          <button className={button} type="button" onClick={() => setRenaming(null)}>
                            ✕
                          </button>
                        </form>
                      ) : entry.type === 'directory' ? (
                        <button className="truncate text-sky-300 hover:text-sky-100" onClick={() => setPath(full)}>
                          {entry.name}/
                        </button>
                      ) : (
                        <span className="block truncate text-slate-200">{entry.name}</span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-right tabular-nums text-slate-400">{entry.type === 'directory' ? '' : formatBytes(entry.size)}</td>
                    <td className="whitespace-nowrap px-2 py-1 tabular-nums text-slate-400">{new Date(entry.modifiedAt).toLocaleTimeString()}</td>
                    <td className="whitespace-nowrap px-2 py-1 text-right">
                      {confirmDelete === full ? (
                        <span className="flex gap-1">
                          <button className={`${button} border-red-600 text-red-200`} onClick={() => (setConfirmDelete(null), void act(() => sshApi.remove(full)))}>
                            Delete {entry.type === 'directory' ? '(RMDIR)' : '(REMOVE)'}
                          </button>
                          <button className={button} onClick={() => setConfirmDelete(null)}>
                            Keep
                          </button>
                        </span>
                      ) : (
                        <span className="flex justify-end gap-1 opacity-70 group-hover:opacity-100">
                          {entry.type === 'file' && (
                            <a className={button} href={sshApi.downloadUrl(full)} download={entry.name} title="READ over SFTP">
                              Download
                            </a>
                          )}
                          <button className={button} onClick={() => setRenaming({ from: full, to: entry.name })}>
                            Rename
                          </button>
                          <button className={button} onClick={() => setConfirmDelete(full)}>
                            Delete
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
