'use client';

import { useMemo, useRef, useState } from 'react';
import { FilePanel, joinPath, type FileAdapter, type UploadLeg, type UploadProgress } from '@/components/lab/file-panel';
import { formatBytes, formatMs } from '@/components/lab/format';
import { ftpApi, type ClientAction } from './api';

const POLL_MS = 250;

/**
 * A transfer id the lab accepts (/^[A-Za-z0-9_-]{6,32}$/). getRandomValues rather than randomUUID:
 * the latter is missing outside secure contexts (the lab opened over a LAN address with http).
 */
function newTransferId(): string {
  return `up-${Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The two legs of an FTP upload; the last (the STOR through the tap) is the one that counts. */
const legs = (sent: number, stored: number): UploadLeg[] => [
  { label: 'browser → lab', aria: 'Browser to lab', bytes: sent },
  { label: 'lab → FTP server', aria: 'Upload progress', bytes: stored },
];

/**
 * FTP for the shared file panel: listing (LIST per folder), upload (with progress), download, MKD, RNFR/RNTO, DELE
 * and RMD, each a real FTP session through the tap.
 */
function ftpAdapter(options: { current: { secure: boolean; passive: boolean; maxBytes: number | null } }): FileAdapter {
  const session = `files-${Math.random().toString(36).slice(2, 10)}`;
  const call = (action: ClientAction, path?: string, to?: string) => ftpApi.client({ session, action, passive: true, secure: false, path, to });
  // One FTP control connection answers one command at a time: the panel's actions queue, so an action
  // pressed while the first listing is still logging in waits for it instead of finding no session.
  let queue: Promise<unknown> = Promise.resolve();
  const client = (action: ClientAction, path?: string, to?: string) => {
    const run = async () => {
      let reply = await call(action, path, to);
      // Not connected (yet, or the server closed an idle session): log in, then try once more.
      if (!reply.ok && reply.conn === null) {
        await call('open');
        reply = await call(action, path, to);
      }
      return reply;
    };
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };
  /** An action that must succeed: its error (the server's reply, in words) otherwise. */
  const must = async (action: ClientAction, path: string, to?: string) => {
    const reply = await client(action, path, to);
    if (!reply.ok) throw new Error(reply.error ?? `${action} failed.`);
  };
  const flags = () => ({ secure: options.current.secure ? '1' : '0', passive: options.current.passive ? '1' : '0' }) as const;
  return {
    folders: true,
    words: { list: 'LIST', download: 'RETR over a data connection', mkdir: 'MKD', remove: (type) => (type === 'directory' ? 'RMD' : 'DELE') },
    async list(dir) {
      const reply = await client('ls', dir);
      if (!reply.ok) throw new Error(reply.error ?? 'Could not list the files.');
      return (Array.isArray(reply.result) ? reply.result : []).map((e) => ({ name: e.name, size: e.size, type: e.isDirectory ? 'directory' : 'file', modifiedText: e.modified }));
    },
    mkdir: (path) => must('mkdir', path),
    rename: (from, to) => must('rename', from, to),
    remove: (path, type) => must(type === 'directory' ? 'rmdir' : 'delete', path),
    downloadUrl: (path) => ftpApi.downloadUrl({ name: path.replace(/^\//, ''), ...flags() }),
    close() {
      void ftpApi.closeClient(session).catch(() => {});
    },
    async upload(dir, file, report, signal) {
      const base = { name: file.name, total: file.size };
      const { maxBytes } = options.current;
      if (maxBytes !== null && file.size > maxBytes) throw new Error(`Larger than the lab's limit of ${formatBytes(maxBytes)}.`);
      const { secure, passive } = options.current;
      // We pick the transfer id, so its record can be polled while the request is still running.
      const id = newTransferId();
      let sent = 0;
      let stored = 0;
      // The lab passes the bytes on to the STOR as they arrive: both bars move together.
      const show = () =>
        report({
          ...base,
          stage: sent >= file.size ? 'storing' : 'sending',
          doing: sent >= file.size ? 'STOR over the data connection…' : stored > 0 ? 'sending to the lab, STOR as the bytes arrive…' : 'sending to the lab…',
          legs: legs(sent, stored),
        });
      show();
      // One poll at a time (setTimeout after each answer), so a slow lab never piles requests up.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const poll = async () => {
        const state = await ftpApi.transfer(id).catch(() => null);
        if (signal.aborted) return;
        if (state && !state.error) {
          stored = state.bytes;
          show();
        }
        timer = setTimeout(() => void poll(), POLL_MS);
      };
      timer = setTimeout(() => void poll(), POLL_MS);
      signal.addEventListener('abort', () => clearTimeout(timer));
      try {
        const result = await ftpApi.upload({ name: joinPath(dir, file.name).replace(/^\//, ''), ...flags(), transfer: id }, file, (n) => {
          sent = n;
          show();
        });
        clearTimeout(timer);
        // The final record holds what the FTP leg (STOR through the tap) moved.
        const state = await ftpApi.transfer(result.transfer).catch(() => null);
        const bytes = state?.bytes ?? result.bytes;
        const done: UploadProgress = {
          ...base,
          stage: 'done',
          legs: legs(file.size, bytes),
          conn: result.conn,
          message: `Stored ${formatBytes(bytes)} with ${secure ? 'FTPS' : 'plain FTP'} (${passive ? 'passive' : 'active'}) in ${formatMs(result.ms)}.`,
        };
        return done;
      } catch (err) {
        clearTimeout(timer);
        throw err;
      }
    },
  };
}

/** The FTP lab's files: browse folders, upload (with progress), download, make folders, rename and delete, each through a real FTP session recorded by the tap. */
export function FilesPanel(props: { maxBytes: number | null; onShowConnection(id: string): void }) {
  const [secure, setSecure] = useState(false);
  const [passive, setPassive] = useState(true);
  const options = useRef({ secure, passive, maxBytes: props.maxBytes });
  options.current = { secure, passive, maxBytes: props.maxBytes };
  // One adapter (one FTP session for listings) per mounted panel; the options are read when used.
  const adapter = useMemo(() => ftpAdapter(options), []);
  return (
    <FilePanel
      adapter={adapter}
      testId="files"
      title="Files in your sandbox (shared with the SFTP lab)"
      emptyText="No files yet."
      onShowConnection={props.onShowConnection}
      showLabel="show its channels"
      options={
        <>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} /> FTPS (AUTH TLS, PROT P)
          </label>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={passive} onChange={(e) => setPassive(e.target.checked)} /> passive
          </label>
        </>
      }
    />
  );
}
