/**
 * The SSH lab's API client, one function per route of servers/ssh/lab/contracts.ts (shapes taken
 * from the contracts, replies parsed by their schemas), and the `ssh` block of GET /api/lab.
 */
import type { z } from 'zod';
import { callRoute, linkUrl } from '@/lib/http/contract.ts';
import { sshContracts as c, type FaultsSchema, type UserKeySchema } from '@/servers/ssh/lab/contracts.ts';
import { labInfoOf, type LabInfo } from '@/components/lab/use-lab-info';
import type { AuthorizedKey, KnownHostLine } from '@/servers/ssh/lab/ssh-store.ts';
import type { PanelEntry as FileEntry, Transfer } from '@/servers/ssh/lab/sftp-panel.ts';
import type { HostKeyInfo } from '@/servers/ssh/lab/host-keys.ts';
import type { SshInfo } from '@/servers/ssh/lab.ts';

export type { AuthorizedKey, FileEntry, KnownHostLine, Transfer };

/** One host key of the lab's server. */
export type HostKey = HostKeyInfo;

/** GET /api/lab → ssh, as the SSH lab's info() declares it. */
export type { SshInfo };

/** The ssh block of /api/lab, if the SSH lab is running. */
export function sshInfoOf(info: LabInfo | null): SshInfo | null {
  return labInfoOf(info, 'ssh');
}

/** A generated key pair as GET /api/ssh/keys lists it (the private half only as a link). */
export type UserKey = z.infer<typeof UserKeySchema>;
export type Faults = z.infer<typeof FaultsSchema>;

/** The SSH lab's API, one function per route. */
export const sshApi = {
  knownHosts: () => callRoute(c.knownHosts),
  removeKnownHostLine: (line: number) => callRoute(c.removeKnownHostLine, { params: { line } }),
  removeKnownHost: (host: string) => callRoute(c.removeKnownHost, { body: { host } }),
  hostKeys: () => callRoute(c.hostKeys),
  faults: () => callRoute(c.faults),
  rotateHostKey: () => callRoute(c.rotateHostKey),
  restrictAlgorithms: (enabled: boolean) => callRoute(c.restrictAlgorithms, { body: { enabled } }),
  keys: () => callRoute(c.keys),
  generateKey: () => callRoute(c.generateKey, { body: {} }),
  authorizedKeys: () => callRoute(c.authorizedKeys),
  addAuthorizedKey: (line: string) => callRoute(c.addAuthorizedKey, { body: { line } }),
  removeAuthorizedKey: (id: number) => callRoute(c.removeAuthorizedKey, { params: { id } }),
  list: (path: string) => callRoute(c.list, { query: { path } }),
  downloadUrl: (path: string) => linkUrl(c.download, { query: { path } }),
  upload: (path: string, file: Blob) => callRoute(c.upload, { query: { path }, body: file }),
  mkdir: (path: string) => callRoute(c.mkdir, { body: { path } }),
  rename: (from: string, to: string) => callRoute(c.rename, { body: { from, to } }),
  remove: (path: string) => callRoute(c.remove, { body: { path } }),
  transfers: () => callRoute(c.transfers),
};

/** Joins a directory and a name into an absolute SFTP path. */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
