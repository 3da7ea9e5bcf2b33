/**
 * The SSH lab's routes (/api/ssh/…), declared once for the daemon (routes.ts), the page
 * (components/ssh/api.ts) and the tests. Pure zod and types: the browser imports this file.
 */
import { z } from 'zod';
import { raw, route, segment } from '../../../lib/http/contract.ts';
import type { HostKeyInfo } from './host-keys.ts';
import type { PanelEntry, Transfer } from './sftp-panel.ts';
import type { AuthorizedKey, KnownHostLine } from './ssh-store.ts';

const Path = z.string().min(1).max(1024);

export const KnownHostLineSchema: z.ZodType<KnownHostLine> = z.object({
  line: z.number(),
  id: z.number(),
  host: z.string(),
  keyType: z.string(),
  keyBase64: z.string(),
  text: z.string(),
  addedAt: z.number(),
});
export const HostKeySchema: z.ZodType<HostKeyInfo> = z.object({ type: z.string(), fingerprint: z.string(), publicKey: z.string() });
/** A generated key pair as the page sees it: the private half only as a download link. */
export const UserKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  publicKey: z.string(),
  fingerprint: z.string(),
  createdAt: z.number().optional(),
  privateKeyUrl: z.string(),
});
export const AuthorizedKeySchema: z.ZodType<AuthorizedKey> = z.object({ id: z.number(), line: z.string(), addedAt: z.number() });
export const FileEntrySchema: z.ZodType<PanelEntry> = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'link']),
  size: z.number(),
  modifiedAt: z.number(),
});
export const TransferSchema: z.ZodType<Transfer> = z.object({
  id: z.string(),
  direction: z.enum(['upload', 'download']),
  path: z.string(),
  bytes: z.number(),
  total: z.number().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  error: z.string().nullable(),
});
export const FaultsSchema = z.object({ restrictAlgorithms: z.boolean(), kexOffer: z.array(z.string()) });

const KnownHosts = z.object({ path: z.string(), lines: z.array(KnownHostLineSchema) });
const HostKeys = z.object({ keys: z.array(HostKeySchema) });
const AuthorizedKeys = z.object({ keys: z.array(AuthorizedKeySchema) });
const Ok = z.object({ ok: z.literal(true) });
const PathQuery = z.object({ path: Path.default('/') });

export const sshContracts = {
  knownHosts: route({ method: 'GET', path: '/api/ssh/known-hosts', reply: KnownHosts }),
  removeKnownHostLine: route({ method: 'DELETE', path: '/api/ssh/known-hosts/:line', params: { line: segment(/\d{1,6}/, z.coerce.number()) }, reply: KnownHosts }),
  /** `ssh-keygen -R host`: every line for that host. */
  removeKnownHost: route({
    method: 'POST',
    path: '/api/ssh/known-hosts/remove',
    body: z.object({ host: z.string().min(1).max(300) }),
    reply: KnownHosts.extend({ removed: z.array(z.number()) }),
  }),
  hostKeys: route({ method: 'GET', path: '/api/ssh/host-keys', reply: HostKeys }),
  faults: route({ method: 'GET', path: '/api/ssh/faults', reply: FaultsSchema }),
  rotateHostKey: route({ method: 'POST', path: '/api/ssh/faults/rotate-host-key', reply: HostKeys }),
  restrictAlgorithms: route({ method: 'POST', path: '/api/ssh/faults/restrict-algorithms', body: z.object({ enabled: z.boolean() }), reply: FaultsSchema }),
  keys: route({ method: 'GET', path: '/api/ssh/keys', reply: z.object({ keys: z.array(UserKeySchema) }) }),
  generateKey: route({
    method: 'POST',
    path: '/api/ssh/keys',
    body: z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default('id_ed25519') }),
    reply: UserKeySchema,
  }),
  privateKey: route({ method: 'GET', path: '/api/ssh/keys/:id/private', params: { id: segment(/[A-Za-z0-9_-]{1,32}/) }, reply: raw('application/x-pem-file') }),
  authorizedKeys: route({ method: 'GET', path: '/api/ssh/authorized-keys', reply: AuthorizedKeys }),
  addAuthorizedKey: route({ method: 'POST', path: '/api/ssh/authorized-keys', body: z.object({ line: z.string().min(1).max(16 * 1024) }), reply: AuthorizedKeys }),
  removeAuthorizedKey: route({ method: 'DELETE', path: '/api/ssh/authorized-keys/:id', params: { id: segment(/\d{1,9}/, z.coerce.number()) }, reply: AuthorizedKeys }),
  // The SFTP file panel.
  list: route({ method: 'GET', path: '/api/ssh/files', query: PathQuery, reply: z.object({ path: z.string(), entries: z.array(FileEntrySchema) }) }),
  download: route({ method: 'GET', path: '/api/ssh/files/download', query: PathQuery, reply: raw('application/octet-stream') }),
  upload: route({ method: 'POST', path: '/api/ssh/files/upload', query: z.object({ path: Path }), body: 'bytes', reply: z.object({ transfer: TransferSchema }) }),
  mkdir: route({ method: 'POST', path: '/api/ssh/files/mkdir', body: z.object({ path: Path }), reply: Ok }),
  rename: route({ method: 'POST', path: '/api/ssh/files/rename', body: z.object({ from: Path, to: Path }), reply: Ok }),
  remove: route({ method: 'POST', path: '/api/ssh/files/delete', body: z.object({ path: Path }), reply: Ok }),
  transfers: route({ method: 'GET', path: '/api/ssh/transfers', reply: z.object({ transfers: z.array(TransferSchema) }) }),
};
