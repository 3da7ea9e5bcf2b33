/**
 * /api/ssh/* — known_hosts (list, remove a line, `ssh-keygen -R`), host keys and the two faults
 * (rotate host key, restrict algorithms), student key pairs (generate → authorized_keys,
 * download the private key), authorized_keys, and the SFTP file panel (list, upload with
 * progress, download, mkdir, rename, delete).
 */
import { Transform } from 'node:stream';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { generateSshKeyPair } from '../../../lib/auth/ssh-keygen.ts';
import { fingerprintOfBlob } from '../../../lib/protocols/ssh/fingerprint.ts';
import { HttpError, RawResponse, parse, readJson, type ApiRoute } from '../../../lib/http/api-kit.ts';
import { parseAuthorizedKeys } from '../auth.ts';
import type { HostKeyInfo } from './host-keys.ts';
import type { SftpPanel } from './sftp-panel.ts';
import type { SshStore } from './ssh-store.ts';

/** What the routes act on. */
export interface SshRouteDeps {
  sandbox: string;
  store: SshStore;
  panel: SftpPanel;
  hostKeys(): HostKeyInfo[];
  rotateHostKeys(): HostKeyInfo[];
  restricted(): boolean;
  setRestricted(on: boolean): void;
  /** The server's kex offer right now. */
  kexOffer(): string[];
}

const MAX_UPLOAD = 100 * 1024 * 1024;
const Path = z.string().min(1).max(1024);
const PathQuery = z.object({ path: Path.default('/') });
const RenameBody = z.object({ from: Path, to: Path });
const PathBody = z.object({ path: Path });
const Toggle = z.object({ enabled: z.boolean() });
const KeyBody = z.object({ name: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default('id_ed25519') });
const AuthorizedBody = z.object({ line: z.string().min(1).max(16 * 1024) });
const HostBody = z.object({ host: z.string().min(1).max(300) });

/** Builds the SSH lab's API routes. */
export function sshRoutes(deps: SshRouteDeps): ApiRoute[] {
  const { store, sandbox, panel } = deps;
  const knownHosts = () => ({ path: '~/.ssh/known_hosts', lines: store.knownHosts(sandbox) });
  const faults = () => ({ restrictAlgorithms: deps.restricted(), kexOffer: deps.kexOffer() });
  const publicKeys = () => ({
    keys: store.userKeys(sandbox).map(({ privateKey: _private, ...key }) => ({ ...key, privateKeyUrl: `/api/ssh/keys/${key.id}/private` })),
  });

  return [
    { method: 'GET', pattern: /^\/api\/ssh\/known-hosts$/, handler: knownHosts },
    {
      method: 'DELETE',
      pattern: /^\/api\/ssh\/known-hosts\/(\d{1,6})$/,
      handler: (m) => {
        if (!store.removeKnownHostLine(sandbox, Number(m[1]))) throw new HttpError(404, `No line ${m[1]} in known_hosts.`);
        return knownHosts();
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/known-hosts\/remove$/,
      handler: async (_m, _u, req) => {
        const { host } = parse(HostBody, await readJson(req));
        return { removed: store.removeKnownHost(sandbox, host), ...knownHosts() };
      },
    },
    { method: 'GET', pattern: /^\/api\/ssh\/host-keys$/, handler: () => ({ keys: deps.hostKeys() }) },
    { method: 'GET', pattern: /^\/api\/ssh\/faults$/, handler: faults },
    { method: 'POST', pattern: /^\/api\/ssh\/faults\/rotate-host-key$/, handler: () => ({ keys: deps.rotateHostKeys() }) },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/faults\/restrict-algorithms$/,
      handler: async (_m, _u, req) => {
        deps.setRestricted(parse(Toggle, await readJson(req)).enabled);
        return faults();
      },
    },
    { method: 'GET', pattern: /^\/api\/ssh\/keys$/, handler: publicKeys },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/keys$/,
      handler: async (_m, _u, req) => {
        const { name } = parse(KeyBody, await readJson(req));
        const pair = generateSshKeyPair('ed25519', { comment: `student@protocol-lab` });
        const parsed = ssh2.utils.parseKey(pair.public);
        const key = Array.isArray(parsed) ? parsed[0] : parsed;
        if (!key || key instanceof Error) throw new HttpError(500, 'Key generation failed.');
        const stored = store.addUserKey(sandbox, { name, publicKey: pair.public.trim(), privateKey: pair.private, fingerprint: fingerprintOfBlob(key.getPublicSSH()) });
        store.addAuthorizedKey(sandbox, pair.public.trim());
        return { id: stored.id, name, publicKey: stored.publicKey, fingerprint: stored.fingerprint, privateKeyUrl: `/api/ssh/keys/${stored.id}/private` };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/ssh\/keys\/([A-Za-z0-9_-]{1,32})\/private$/,
      handler: (m) => {
        const key = store.userKeys(sandbox).find((k) => k.id === m[1]);
        if (!key) throw new HttpError(404, `No key ${m[1]}.`);
        return new RawResponse(key.privateKey, 'application/x-pem-file', { 'content-disposition': `attachment; filename="${key.name}"` });
      },
    },
    { method: 'GET', pattern: /^\/api\/ssh\/authorized-keys$/, handler: () => ({ keys: store.authorizedKeys(sandbox) }) },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/authorized-keys$/,
      handler: async (_m, _u, req) => {
        const { line } = parse(AuthorizedBody, await readJson(req));
        if (parseAuthorizedKeys([line]).length !== 1) throw new HttpError(400, 'Not a public key in authorized_keys format.');
        store.addAuthorizedKey(sandbox, line);
        return { keys: store.authorizedKeys(sandbox) };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/ssh\/authorized-keys\/(\d{1,9})$/,
      handler: (m) => {
        if (!store.removeAuthorizedKey(sandbox, Number(m[1]))) throw new HttpError(404, `No authorized key ${m[1]}.`);
        return { keys: store.authorizedKeys(sandbox) };
      },
    },
    // SFTP file panel
    {
      method: 'GET',
      pattern: /^\/api\/ssh\/files$/,
      handler: async (_m, url) => {
        const { path } = parse(PathQuery, Object.fromEntries(url.searchParams));
        return { path, entries: await panel.list(path) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/ssh\/files\/download$/,
      handler: async (_m, url) => {
        const { path } = parse(PathQuery, Object.fromEntries(url.searchParams));
        const name = (path.split('/').pop() || 'download').replace(/[^\w.-]/g, '_');
        return new RawResponse(await panel.download(path), 'application/octet-stream', { 'content-disposition': `attachment; filename="${name}"` });
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/files\/upload$/,
      body: 'bytes',
      handler: async (_m, url, req) => {
        const { path } = parse(PathQuery.extend({ path: Path }), Object.fromEntries(url.searchParams));
        const declared = Number(req.headers['content-length']);
        if (declared > MAX_UPLOAD) throw new HttpError(413, `Uploads are limited to ${MAX_UPLOAD / 1024 / 1024} MB.`);
        let seen = 0;
        const limiter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            seen += chunk.length;
            done(seen > MAX_UPLOAD ? new HttpError(413, 'Upload too large.') : null, chunk);
          },
        });
        req.pipe(limiter);
        const transfer = await panel.upload(path, limiter, Number.isFinite(declared) ? declared : null);
        return { transfer };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/files\/mkdir$/,
      handler: async (_m, _u, req) => {
        const { path } = parse(PathBody, await readJson(req));
        await panel.mkdir(path);
        return { ok: true };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/files\/rename$/,
      handler: async (_m, _u, req) => {
        const { from, to } = parse(RenameBody, await readJson(req));
        await panel.rename(from, to);
        return { ok: true };
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/ssh\/files\/delete$/,
      handler: async (_m, _u, req) => {
        const { path } = parse(PathBody, await readJson(req));
        await panel.remove(path);
        return { ok: true };
      },
    },
    { method: 'GET', pattern: /^\/api\/ssh\/transfers$/, handler: () => ({ transfers: panel.recentTransfers() }) },
  ];
}
