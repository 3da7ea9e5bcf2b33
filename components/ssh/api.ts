/**
 * Shapes of the SSH lab's daemon API (servers/ssh/lab/routes.ts) as the page uses them,
 * and the `ssh` block of GET /api/lab.
 */
import { fetchJson } from '@/components/lab/use-lab-feed';
import { labInfoOf, type LabInfo } from '@/components/lab/use-lab-info';
import type { KnownHostLine } from '@/servers/ssh/lab/ssh-store.ts';
import type { Transfer } from '@/servers/ssh/lab/sftp-panel.ts';
import type { HostKeyInfo } from '@/servers/ssh/lab/host-keys.ts';
import type { SshInfo } from '@/servers/ssh/lab.ts';

export type { KnownHostLine, Transfer };


/** One host key of the lab's server. */
export type HostKey = HostKeyInfo;

/** GET /api/lab → ssh, as the SSH lab's info() declares it. */
export type { SshInfo };

/** The ssh block of /api/lab, if the SSH lab is running. */
export function sshInfoOf(info: LabInfo | null): SshInfo | null {
  return labInfoOf(info, 'ssh');
}

export interface UserKey {
  id: string;
  name: string;
  publicKey: string;
  fingerprint: string;
  createdAt?: number;
  privateKeyUrl: string;
}

export interface AuthorizedKey {
  id: number;
  line: string;
  addedAt: number;
}

export interface Faults {
  restrictAlgorithms: boolean;
  kexOffer: string[];
}

export interface FileEntry {
  name: string;
  type: 'file' | 'directory' | 'link';
  size: number;
  modifiedAt: number;
}


const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The SSH lab's API, one function per route. */
export const sshApi = {
  knownHosts: () => fetchJson<{ path: string; lines: KnownHostLine[] }>('/api/ssh/known-hosts'),
  removeKnownHostLine: (line: number) => fetchJson<{ path: string; lines: KnownHostLine[] }>(`/api/ssh/known-hosts/${line}`, { method: 'DELETE' }),
  removeKnownHost: (host: string) => fetchJson<{ removed: number[]; lines: KnownHostLine[] }>('/api/ssh/known-hosts/remove', json({ host })),
  hostKeys: () => fetchJson<{ keys: HostKey[] }>('/api/ssh/host-keys'),
  faults: () => fetchJson<Faults>('/api/ssh/faults'),
  rotateHostKey: () => fetchJson<{ keys: HostKey[] }>('/api/ssh/faults/rotate-host-key', { method: 'POST' }),
  restrictAlgorithms: (enabled: boolean) => fetchJson<Faults>('/api/ssh/faults/restrict-algorithms', json({ enabled })),
  keys: () => fetchJson<{ keys: UserKey[] }>('/api/ssh/keys'),
  generateKey: () => fetchJson<UserKey>('/api/ssh/keys', json({})),
  authorizedKeys: () => fetchJson<{ keys: AuthorizedKey[] }>('/api/ssh/authorized-keys'),
  addAuthorizedKey: (line: string) => fetchJson<{ keys: AuthorizedKey[] }>('/api/ssh/authorized-keys', json({ line })),
  removeAuthorizedKey: (id: number) => fetchJson<{ keys: AuthorizedKey[] }>(`/api/ssh/authorized-keys/${id}`, { method: 'DELETE' }),
  list: (path: string) => fetchJson<{ path: string; entries: FileEntry[] }>(`/api/ssh/files?path=${encodeURIComponent(path)}`),
  downloadUrl: (path: string) => `/api/ssh/files/download?path=${encodeURIComponent(path)}`,
  upload: (path: string, file: Blob) =>
    fetchJson<{ transfer: Transfer }>(`/api/ssh/files/upload?path=${encodeURIComponent(path)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    }),
  mkdir: (path: string) => fetchJson<{ ok: true }>('/api/ssh/files/mkdir', json({ path })),
  rename: (from: string, to: string) => fetchJson<{ ok: true }>('/api/ssh/files/rename', json({ from, to })),
  remove: (path: string) => fetchJson<{ ok: true }>('/api/ssh/files/delete', json({ path })),
  transfers: () => fetchJson<{ transfers: Transfer[] }>('/api/ssh/transfers'),
};

/** Joins a directory and a name into an absolute SFTP path. */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}

/** "1.2 KB" style sizes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
