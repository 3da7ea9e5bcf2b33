'use client';

import { FilePanel, type FileAdapter, type UploadProgress } from '@/components/lab/file-panel';
import { formatBytes, formatMs } from '@/components/lab/format';
import { joinPath, sshApi, type Transfer } from './api';
import { newUploadTo } from './transfers';

const POLL_MS = 150;

const leg = (bytes: number) => [{ label: 'lab → SFTP server', aria: 'Upload progress', bytes }];

/** SFTP for the shared file panel: every action is a real SFTP session of the daemon's client, through the tap. */
const sftpAdapter: FileAdapter = {
  folders: true,
  words: { list: 'OPENDIR/READDIR', download: 'READ over SFTP', mkdir: 'MKDIR', remove: (type) => (type === 'directory' ? 'RMDIR' : 'REMOVE') },
  list: async (dir) => (await sshApi.list(dir)).entries,
  downloadUrl: sshApi.downloadUrl,
  mkdir: sshApi.mkdir,
  rename: sshApi.rename,
  remove: (path) => sshApi.remove(path),
  async upload(dir, file, report, signal) {
    const target = joinPath(dir, file.name);
    const progress = (bytes: number): UploadProgress => ({ name: file.name, total: file.size, stage: 'storing', doing: 'WRITE over SFTP…', legs: leg(bytes) });
    report(progress(0));
    const listedBefore = new Set((await sshApi.transfers().catch(() => ({ transfers: [] as Transfer[] }))).transfers.map((t) => t.id));
    // Progress comes from the daemon's transfer registry (bytes written to SFTP so far); one poll at a time.
    const poll = async () => {
      while (!signal.aborted) {
        const { transfers } = await sshApi.transfers().catch(() => ({ transfers: [] as Transfer[] }));
        const mine = newUploadTo(transfers, target, listedBefore);
        if (mine && !signal.aborted) report(progress(mine.bytes));
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void poll();
    const { transfer } = await sshApi.upload(target, file);
    const ms = transfer.finishedAt ? ` in ${formatMs(transfer.finishedAt - transfer.startedAt)}` : '';
    return { name: file.name, total: file.size, stage: 'done', legs: leg(transfer.bytes), message: `Uploaded ${file.name} (${formatBytes(transfer.bytes)})${ms}.` };
  },
};

/** The SFTP file panel: the daemon's SFTP client browsing the sandbox. */
export function SftpFilePanel() {
  return (
    <FilePanel
      adapter={sftpAdapter}
      testId="file-panel"
      emptyText="This folder is empty. Upload a file, or create one in the terminal (echo hi > notes.txt)."
    />
  );
}
