'use client';

import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { formatBytes } from './format';
import { clockTime } from '@/components/lab/format';

/** One row of a listing, whatever protocol listed it. */
export interface FileRow {
  name: string;
  type: 'file' | 'directory' | 'link';
  size: number;
  modifiedAt?: number;
  /** When the protocol gives the time only as text (FTP's LIST: "Dec 07 00:51"), that text. */
  modifiedText?: string;
}

/** One leg of an upload's journey (browser → lab, lab → server), with its own bar. */
export interface UploadLeg {
  label: string;
  /** The bar's accessible name (tests and screen readers find it by this). */
  aria: string;
  bytes: number;
}

/** An upload as the panel shows it; the adapter reports it as it goes. */
export interface UploadProgress {
  name: string;
  total: number;
  stage: 'sending' | 'storing' | 'done' | 'failed';
  /** What happens now, e.g. 'STOR over the data connection…'. */
  doing?: string;
  legs: UploadLeg[];
  message?: string;
  /** The connection that carried it, for a 'show' link. */
  conn?: string | null;
}

/**
 * What one protocol does for the file panel; the optional operations appear as buttons only
 * where the protocol (or the lab's route for it) supports them. Paths are absolute ('/a/b').
 */
export interface FileAdapter {
  list(dir: string): Promise<FileRow[]>;
  /** Uploads into `dir`, calling `report` as it goes; stops reporting when `signal` aborts. */
  upload(dir: string, file: File, report: (progress: UploadProgress) => void, signal: AbortSignal): Promise<UploadProgress>;
  downloadUrl(path: string): string;
  mkdir?(path: string): Promise<unknown>;
  rename?(from: string, to: string): Promise<unknown>;
  remove?(path: string, type: FileRow['type']): Promise<unknown>;
  /** Folders can be opened (a listing per directory). */
  folders: boolean;
  /** What each action is on the wire, shown as a tooltip or in the button: {list: 'OPENDIR/READDIR', …}. */
  words: { list: string; download: string; mkdir?: string; remove?(type: FileRow['type']): string };
  /** Called when the panel goes away (close the protocol session it opened). */
  close?(): void;
}

/** Folders first, then by name: the same order whichever protocol listed them (FTP lists in the server's order). */
export const folderFirst = (rows: FileRow[]): FileRow[] =>
  [...rows].sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));

/** Joins a directory and a name into an absolute path. */
export const joinPath = (dir: string, name: string) => `${dir.replace(/\/+$/, '')}/${name}`;

const button = 'rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:border-slate-400 disabled:opacity-40';

/**
 * The file panel of the SFTP and FTP labs: browse the sandbox, upload with progress, download,
 * and (where the protocol allows) make folders, rename and delete. Every action is a real
 * session through the tap, so it shows in the lab's transcript.
 */
export function FilePanel(props: {
  adapter: FileAdapter;
  /** Protocol options above the list (FTPS, passive). */
  options?: ReactNode;
  /** Shown in place of the path when folders cannot be opened. */
  title?: string;
  emptyText: string;
  onShowConnection?(id: string): void;
  showLabel?: string;
  testId?: string;
}) {
  const { adapter } = props;
  const [path, setPath] = useState('/');
  const [entries, setEntries] = useState<FileRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [newFolder, setNewFolder] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // Stops the running upload's progress reports; also on unmount (switching tabs unmounts the panel).
  const running = useRef<AbortController | null>(null);

  const refresh = useCallback(
    async (dir: string) => {
      try {
        setEntries(folderFirst(await adapter.list(dir)));
        setError(null);
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [adapter],
  );

  useEffect(() => {
    void refresh(path);
  }, [path, refresh]);
  useEffect(
    () => () => {
      running.current?.abort();
      adapter.close?.();
    },
    [adapter],
  );

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
    running.current?.abort();
    const abort = new AbortController();
    running.current = abort;
    const report = (p: UploadProgress) => {
      if (!abort.signal.aborted) setUpload(p);
    };
    report({ name: file.name, total: file.size, stage: 'sending', legs: [] });
    try {
      report(await adapter.upload(path, file, report, abort.signal));
    } catch (err) {
      setUpload((u) => ({ name: file.name, total: file.size, legs: u?.legs ?? [], stage: 'failed', message: (err as Error).message }));
    } finally {
      abort.abort();
    }
    await refresh(path);
  };

  const crumbs = path.split('/').filter(Boolean);
  const busy = upload !== null && upload.stage !== 'done' && upload.stage !== 'failed';

  return (
    <div className="flex h-full min-h-0 flex-col text-sm" data-testid={props.testId}>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5">
        {adapter.folders ? (
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
        ) : (
          <h3 className="min-w-0 flex-1 truncate text-xs font-semibold uppercase tracking-wide text-slate-400">{props.title}</h3>
        )}
        <input
          ref={fileInput}
          type="file"
          className="hidden"
          aria-label="File to upload"
          data-testid="upload-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void startUpload(file);
            e.target.value = '';
          }}
        />
        <button className={`${button} border-sky-600 text-sky-200`} onClick={() => fileInput.current?.click()} disabled={busy}>
          Upload…
        </button>
        {adapter.mkdir && (
          <button className={button} onClick={() => setNewFolder('')}>
            New folder
          </button>
        )}
        <button className={button} onClick={() => void refresh(path)} title={`List again (${adapter.words.list})`} aria-label="List again">
          ↻
        </button>
      </div>
      {props.options && <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-300">{props.options}</div>}
      {newFolder !== null && adapter.mkdir && (
        <form
          className="flex items-center gap-2 border-b border-slate-800 px-3 py-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            const name = newFolder.trim();
            setNewFolder(null);
            if (name) void act(() => adapter.mkdir!(joinPath(path, name)));
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
            Create ({adapter.words.mkdir})
          </button>
          <button className={button} type="button" onClick={() => setNewFolder(null)}>
            Cancel
          </button>
        </form>
      )}
      {upload && <UploadBox upload={upload} onShowConnection={props.onShowConnection} showLabel={props.showLabel} />}
      {error && <p className="border-b border-red-900 bg-red-950/50 px-3 py-1 text-xs text-red-200">{error}</p>}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {entries === null ? (
          <p className="p-3 text-slate-400">Listing {path}…</p>
        ) : entries.length === 0 ? (
          <p className="p-3 text-slate-400">{props.emptyText}</p>
        ) : (
          <table className="w-full text-xs" data-testid="file-list">
            <tbody>
              {adapter.folders && path !== '/' && (
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
                const isDir = entry.type === 'directory';
                return (
                  <tr key={entry.name} className="group border-b border-slate-800/70 hover:bg-slate-900">
                    <td className="w-full max-w-0 px-3 py-1 font-mono">
                      {renaming?.from === full && adapter.rename ? (
                        <form
                          className="flex gap-1"
                          onSubmit={(e) => {
                            e.preventDefault();
                            const to = renaming.to.trim();
                            setRenaming(null);
                            if (to && to !== entry.name) void act(() => adapter.rename!(full, joinPath(path, to)));
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
                      ) : isDir && adapter.folders ? (
                        <button className="truncate text-sky-300 hover:text-sky-100" onClick={() => setPath(full)}>
                          {entry.name}/
                        </button>
                      ) : (
                        <span className="block truncate text-slate-200">
                          {entry.name}
                          {isDir ? '/' : ''}
                        </span>
                      )}
                    </td>
                    <td className="whitespace-nowrap px-2 py-1 text-right tabular-nums text-slate-400">{isDir ? '' : formatBytes(entry.size)}</td>
                    <td className="whitespace-nowrap px-2 py-1 tabular-nums text-slate-400">{entry.modifiedAt ? clockTime(entry.modifiedAt) : (entry.modifiedText ?? '')}</td>
                    <td className="whitespace-nowrap px-2 py-1 text-right">
                      {confirmDelete === full && adapter.remove ? (
                        <span className="flex gap-1">
                          <button className={`${button} border-red-600 text-red-200`} onClick={() => (setConfirmDelete(null), void act(() => adapter.remove!(full, entry.type)))}>
                            Delete ({adapter.words.remove?.(entry.type)})
                          </button>
                          <button className={button} onClick={() => setConfirmDelete(null)}>
                            Keep
                          </button>
                        </span>
                      ) : (
                        <span className="flex justify-end gap-1 opacity-70 group-hover:opacity-100">
                          {entry.type === 'file' && (
                            <a className={button} href={adapter.downloadUrl(full)} download={entry.name} title={adapter.words.download} aria-label={`Download ${entry.name}`}>
                              Download
                            </a>
                          )}
                          {/* Each row's buttons name their file: a screen reader's list of buttons is not twenty "Rename"s. */}
                          {adapter.rename && (
                            <button className={button} onClick={() => setRenaming({ from: full, to: entry.name })} aria-label={`Rename ${entry.name}`}>
                              Rename
                            </button>
                          )}
                          {adapter.remove && (
                            <button className={button} onClick={() => setConfirmDelete(full)} aria-label={`Delete ${entry.name}`}>
                              Delete
                            </button>
                          )}
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

/** The running or last upload: what happens now, a bar per leg, and how it ended. */
function UploadBox({ upload, onShowConnection, showLabel }: { upload: UploadProgress; onShowConnection?(id: string): void; showLabel?: string }) {
  const done = upload.stage === 'done';
  const status = upload.stage === 'failed' ? 'failed' : done ? 'done' : (upload.doing ?? 'sending to the lab…');
  return (
    <div className="border-b border-slate-800 px-3 py-1.5" data-testid="upload-progress">
      <div className="flex items-center gap-2 text-xs">
        <span className="truncate font-mono text-slate-100">{upload.name}</span>
        <span className="ml-auto shrink-0 text-slate-400">{status}</span>
      </div>
      {upload.legs.length > 0 && (
        <div className="mt-1 grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-2 gap-y-1 text-xs text-slate-400">
          {upload.legs.map((leg, i) => {
            const bytes = done ? upload.total : leg.bytes;
            const percent = done ? 100 : Math.min(100, Math.round((bytes / Math.max(1, upload.total)) * 100));
            const colour = upload.stage === 'failed' ? 'bg-red-500' : percent >= 100 ? 'bg-emerald-500' : 'bg-sky-500';
            return (
              <div key={leg.label} className="contents">
                <span>{leg.label}</span>
                <div
                  role="progressbar"
                  aria-label={leg.aria}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={percent}
                  className={`overflow-hidden rounded bg-slate-800 ${i === upload.legs.length - 1 ? 'h-2' : 'h-1.5'}`}
                >
                  <div className={`h-full transition-[width] ${colour}`} style={{ width: `${percent}%` }} />
                </div>
                <span className="tabular-nums">
                  {formatBytes(bytes)} / {formatBytes(upload.total)}
                </span>
              </div>
            );
          })}
        </div>
      )}
      {upload.message && (
        <p className={`mt-1 text-xs ${upload.stage === 'failed' ? 'text-red-300' : 'text-slate-300'}`}>
          {upload.message}{' '}
          {upload.conn && onShowConnection && (
            <button className="text-sky-300 hover:text-sky-100" onClick={() => onShowConnection(upload.conn!)}>
              {showLabel ?? 'show its connection'}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
