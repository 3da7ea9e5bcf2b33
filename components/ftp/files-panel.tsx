'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchJson } from '@/components/lab/use-lab-feed';
import type { ClientReply, TransferState, UploadResult } from './api';
import { formatBytes, formatMs } from './lanes';

interface Entry {
  name: string;
  size: number;
  isDirectory: boolean;
}

interface Progress {
  name: string;
  total: number;
  /** Browser → lab (measured by XHR). */
  sent: number;
  /** Lab → FTP server: what the STOR data connection has moved (polled from the transfer record). */
  stored: number;
  /** 'sending' to the lab, then 'storing' over FTP (STOR through the tap), then done/failed. */
  stage: 'sending' | 'storing' | 'done' | 'failed';
  message?: string;
  conn?: string | null;
}

const POLL_MS = 250;

/**
 * A transfer id the lab accepts (/^[A-Za-z0-9_-]{6,32}$/). getRandomValues rather than randomUUID:
 * the latter is missing outside secure contexts (the lab opened over a LAN address with http).
 */
function newTransferId(): string {
  return `up-${Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Uploads through XHR so the browser → lab leg reports real progress. */
function upload(url: string, file: File, onProgress: (sent: number) => void): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    // The lab takes uploads only as application/octet-stream (a type other sites cannot send unasked).
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as UploadResult & { error?: string };
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new Error(body.error ?? `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => reject(new Error('Upload failed: the lab did not answer.'));
    xhr.send(file);
  });
}

/** One leg of an upload: its label, a bar and bytes/total. */
function Leg(props: { label: string; aria: string; percent: number; bytes: number; total: number; stage: Progress['stage']; thin?: boolean }) {
  const colour = props.stage === 'failed' ? 'bg-red-500' : props.percent >= 100 ? 'bg-emerald-500' : 'bg-sky-500';
  return (
    <>
      <span>{props.label}</span>
      <div
        role="progressbar"
        aria-label={props.aria}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={props.percent}
        className={`overflow-hidden rounded bg-slate-800 ${props.thin ? 'h-1.5' : 'h-2.5'}`}
      >
        <div className={`h-full transition-[width] ${colour}`} style={{ width: `${props.percent}%` }} />
      </div>
      <span className="tabular-nums">
        {formatBytes(props.bytes)} / {formatBytes(props.total)}
      </span>
    </>
  );
}

/** Upload a file (with progress) and download files, each through a real FTP session recorded by the tap. */
export function FilesPanel(props: { maxBytes: number | null; onShowConnection(id: string): void }) {
  const [secure, setSecure] = useState(false);
  const [passive, setPassive] = useState(true);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [session] = useState(() => `files-${Math.random().toString(36).slice(2, 10)}`);
  // Stops the current upload's polling; also run on unmount (switching tabs unmounts this panel).
  const stopPolling = useRef<() => void>(() => {});
  useEffect(() => () => stopPolling.current(), []);

  const refresh = useCallback(async () => {
    const call = (action: string) =>
      fetchJson<ClientReply<Entry[]>>('/api/ftp/client', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, action, passive: true, secure: false }) });
    let reply = await call('ls');
    if (!reply.ok) {
      await call('open');
      reply = await call('ls');
    }
    if (reply.ok) {
      setEntries(reply.result ?? []);
      setListError(null);
    } else setListError(reply.error ?? 'Could not list the files.');
  }, [session]);

  useEffect(() => {
    void refresh().catch((err: Error) => setListError(err.message));
    return () => {
      void fetch('/api/ftp/client', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, action: 'close' }), keepalive: true }).catch(() => {});
    };
  }, [refresh, session]);

  const start = async (file: File) => {
    if (props.maxBytes !== null && file.size > props.maxBytes) {
      setProgress({ name: file.name, total: file.size, sent: 0, stored: 0, stage: 'failed', message: `Larger than the lab's limit of ${formatBytes(props.maxBytes)}.` });
      return;
    }
    stopPolling.current();
    setProgress({ name: file.name, total: file.size, sent: 0, stored: 0, stage: 'sending' });
    // We pick the transfer id, so its record can be polled while the request is still running.
    const id = newTransferId();
    const query = new URLSearchParams({ name: file.name, secure: secure ? '1' : '0', passive: passive ? '1' : '0', transfer: id });
    let polling = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Local, so an earlier upload finishing late never stops a newer upload's polling.
    const stop = () => {
      polling = false;
      clearTimeout(timer);
    };
    stopPolling.current = stop;
    // One poll at a time (setTimeout after each answer), so a slow lab never piles requests up.
    const poll = async () => {
      const state = await fetchJson<TransferState>(`/api/ftp/transfers/${id}`).catch(() => null);
      if (!polling) return;
      if (state && !state.error) setProgress((p) => p && p.stage !== 'done' && p.stage !== 'failed' ? { ...p, stored: state.bytes } : p);
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    try {
      const result = await upload(`/api/ftp/upload?${query}`, file, (sent) =>
        setProgress((p) => p && { ...p, sent, stage: sent >= file.size ? 'storing' : 'sending' }),
      );
      stop();
      // The final record holds what the FTP leg (STOR through the tap) moved.
      const state = await fetchJson<TransferState>(`/api/ftp/transfers/${result.transfer}`).catch(() => null);
      setProgress({
        name: file.name,
        total: file.size,
        sent: file.size,
        stored: state?.bytes ?? result.bytes,
        stage: 'done',
        conn: result.conn,
        message: `Stored ${formatBytes(state?.bytes ?? result.bytes)} with ${secure ? 'FTPS' : 'plain FTP'} (${passive ? 'passive' : 'active'}) in ${formatMs(result.ms)}.`,
      });
      void refresh();
    } catch (err) {
      stop();
      setProgress((p) => ({ name: file.name, total: file.size, sent: p?.sent ?? 0, stored: p?.stored ?? 0, stage: 'failed', message: (err as Error).message }));
    }
  };

  const pct = (n: number) => (progress ? Math.min(100, Math.round((n / Math.max(1, progress.total)) * 100)) : 0);
  const sentPercent = progress?.stage === 'done' ? 100 : pct(progress?.sent ?? 0);
  // The main bar is the FTP leg: the upload is only stored once the lab → FTP server bytes have moved.
  const storedPercent = progress?.stage === 'done' ? 100 : pct(progress?.stored ?? 0);
  const downloadHref = (name: string) => `/api/ftp/download?${new URLSearchParams({ name, secure: secure ? '1' : '0', passive: passive ? '1' : '0' })}`;

  return (
    <div className="flex h-full flex-col gap-3 overflow-y-auto p-3 text-sm" data-testid="files">
      <div className="flex flex-wrap items-center gap-3">
        <input
          ref={input}
          type="file"
          aria-label="File to upload"
          className="hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void start(file);
            e.target.value = '';
          }}
        />
        <button onClick={() => input.current?.click()} className="rounded-md bg-sky-600 px-3 py-1 font-medium text-white hover:bg-sky-500">
          Upload a file…
        </button>
        <label className="flex items-center gap-1.5 text-slate-300">
          <input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} /> FTPS (AUTH TLS, PROT P)
        </label>
        <label className="flex items-center gap-1.5 text-slate-300">
          <input type="checkbox" checked={passive} onChange={(e) => setPassive(e.target.checked)} /> passive
        </label>
      </div>
      {progress && (
        <div className="rounded-md border border-slate-700 bg-slate-900 p-2" data-testid="upload-progress">
          <div className="flex items-center gap-2 text-xs">
            <span className="truncate font-mono text-slate-100">{progress.name}</span>
            <span className="ml-auto shrink-0 text-slate-400">
              {progress.stage === 'sending' && 'sending to the lab…'}
              {progress.stage === 'storing' && 'STOR over the data connection…'}
              {progress.stage === 'done' && 'done'}
              {progress.stage === 'failed' && 'failed'}
            </span>
          </div>
          <div className="mt-1.5 grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-2 gap-y-1 text-xs text-slate-400">
            <Leg label="browser → lab" aria="Browser to lab" percent={sentPercent} bytes={progress.stage === 'done' ? progress.total : progress.sent} total={progress.total} stage={progress.stage} thin />
            <Leg label="lab → FTP server" aria="Upload progress" percent={storedPercent} bytes={progress.stored} total={progress.total} stage={progress.stage} />
          </div>
          {progress.message && (
            <p className={`mt-1.5 text-xs ${progress.stage === 'failed' ? 'text-red-300' : 'text-slate-300'}`}>
              {progress.message}{' '}
              {progress.conn && (
                <button className="text-sky-300 hover:text-sky-100" onClick={() => props.onShowConnection(progress.conn!)}>
                  show its channels
                </button>
              )}
            </p>
          )}
        </div>
      )}
      <div>
        <div className="mb-1 flex items-center">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-400">Files in your sandbox (shared with the SFTP lab)</h3>
          <button className="ml-auto text-xs text-sky-300 hover:text-sky-100" onClick={() => void refresh().catch((err: Error) => setListError(err.message))}>
            refresh
          </button>
        </div>
        {listError && <p className="text-red-300">{listError}</p>}
        {entries && entries.length === 0 && <p className="text-slate-400">No files yet.</p>}
        <ul className="divide-y divide-slate-800" data-testid="file-list">
          {entries?.map((e) => (
            <li key={e.name} className="flex items-center gap-2 py-1">
              <span className="truncate font-mono text-slate-200">
                {e.name}
                {e.isDirectory ? '/' : ''}
              </span>
              <span className="ml-auto shrink-0 tabular-nums text-xs text-slate-400">{e.isDirectory ? '' : formatBytes(e.size)}</span>
              {!e.isDirectory && (
                <a href={downloadHref(e.name)} download={e.name} className="shrink-0 rounded border border-slate-700 px-2 py-0.5 text-xs text-sky-300 hover:border-sky-500">
                  download
                </a>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
