/**
 * /api/ssh/* — known_hosts (list, remove a line, `ssh-keygen -R`), host keys and the two faults
 * (rotate host key, restrict algorithms), student key pairs (generate → authorized_keys,
 * download the private key), authorized_keys, and the SFTP file panel (list, upload with
 * progress, download, mkdir, rename, delete). Keys, known_hosts, authorized_keys and transfers are
 * the requesting browser's sandbox's; host keys and the faults are the server's, shared.
 */
import type { IncomingMessage } from 'node:http';
import ssh2 from 'ssh2';
import { generateSshKeyPair } from '../../../lib/auth/ssh-keygen.ts';
import { fingerprintOfBlob } from '../../../lib/protocols/ssh/fingerprint.ts';
import { HttpError, RawResponse, defineRoute, streamBody, type ApiRoute } from '../../../lib/http/api-kit.ts';
import { ownerOfRequest, requireOwnerSandbox, type SandboxPolicy } from '../../daemon/sandboxes.ts';
import { parseAuthorizedKeys } from '../auth.ts';
import type { HostKeyInfo } from './host-keys.ts';
import type { SftpPanel } from './sftp-panel.ts';
import type { SshStore } from './ssh-store.ts';
import { sshContracts as c } from './contracts.ts';

/** What the routes act on. */
export interface SshRouteDeps {
  /** Whose keys, known_hosts and transfers a request sees, and whose file-panel connection it opens. */
  sandboxes: SandboxPolicy;
  store: SshStore;
  panel: SftpPanel;
  hostKeys(): HostKeyInfo[];
  rotateHostKeys(): HostKeyInfo[];
  restricted(): boolean;
  setRestricted(on: boolean): void;
  /** The server's kex offer right now. */
  kexOffer(): string[];
  /** The machine owner's sandbox: the one server's host key and algorithms are every sandbox's, so only it changes them. */
  ownerSandbox: string;
}

const MAX_UPLOAD = 100 * 1024 * 1024;

/** Builds the SSH lab's API routes (contracts.ts declares each one). */
export function sshRoutes(deps: SshRouteDeps): ApiRoute[] {
  const { store, panel } = deps;
  const owner = (req: IncomingMessage) => ownerOfRequest(deps.sandboxes, req);
  const sandboxOf = (req: IncomingMessage) => deps.sandboxes.ofRequest(req);
  const knownHosts = (sandbox: string) => ({ path: '~/.ssh/known_hosts', lines: store.knownHosts(sandbox) });
  const faults = () => ({ restrictAlgorithms: deps.restricted(), kexOffer: deps.kexOffer() });
  const ownerOnly = (req: IncomingMessage) => requireOwnerSandbox(deps.sandboxes, req, deps.ownerSandbox, "The SSH server (its host key and algorithms) is");
  const privateKeyUrl = (id: string) => `/api/ssh/keys/${id}/private`;
  const publicKeys = (sandbox: string) => ({
    keys: store.userKeys(sandbox).map(({ privateKey: _private, ...key }) => ({ ...key, privateKeyUrl: privateKeyUrl(key.id) })),
  });

  return [
    defineRoute(c.knownHosts, ({ req }) => knownHosts(sandboxOf(req))),
    defineRoute(c.removeKnownHostLine, ({ params, req }) => {
      const sandbox = sandboxOf(req);
      if (!store.removeKnownHostLine(sandbox, params.line)) throw new HttpError(404, `No line ${params.line} in known_hosts.`);
      return knownHosts(sandbox);
    }),
    defineRoute(c.removeKnownHost, ({ body, req }) => {
      const sandbox = sandboxOf(req);
      return { removed: store.removeKnownHost(sandbox, body.host), ...knownHosts(sandbox) };
    }),
    defineRoute(c.hostKeys, () => ({ keys: deps.hostKeys() })),
    defineRoute(c.faults, faults),
    defineRoute(c.rotateHostKey, ({ req }) => {
      ownerOnly(req);
      return { keys: deps.rotateHostKeys() };
    }),
    defineRoute(c.restrictAlgorithms, ({ body, req }) => {
      ownerOnly(req);
      deps.setRestricted(body.enabled);
      return faults();
    }),
    defineRoute(c.keys, ({ req }) => publicKeys(sandboxOf(req))),
    defineRoute(c.generateKey, ({ body: { name }, req }) => {
      const sandbox = sandboxOf(req);
      const pair = generateSshKeyPair('ed25519', { comment: `student@protocol-lab` });
      const parsed = ssh2.utils.parseKey(pair.public);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (!key || key instanceof Error) throw new HttpError(500, 'Key generation failed.');
      const stored = store.addUserKey(sandbox, { name, publicKey: pair.public.trim(), privateKey: pair.private, fingerprint: fingerprintOfBlob(key.getPublicSSH()) });
      store.addAuthorizedKey(sandbox, pair.public.trim());
      return { id: stored.id, name, publicKey: stored.publicKey, fingerprint: stored.fingerprint, privateKeyUrl: privateKeyUrl(stored.id) };
    }),
    defineRoute(c.privateKey, ({ params, req }) => {
      const key = store.userKeys(sandboxOf(req)).find((k) => k.id === params.id);
      if (!key) throw new HttpError(404, `No key ${params.id}.`);
      return new RawResponse(key.privateKey, 'application/x-pem-file', { 'content-disposition': `attachment; filename="${key.name}"` });
    }),
    defineRoute(c.authorizedKeys, ({ req }) => ({ keys: store.authorizedKeys(sandboxOf(req)) })),
    defineRoute(c.addAuthorizedKey, ({ body: { line }, req }) => {
      const sandbox = sandboxOf(req);
      if (parseAuthorizedKeys([line]).length !== 1) throw new HttpError(400, 'Not a public key in authorized_keys format.');
      store.addAuthorizedKey(sandbox, line);
      return { keys: store.authorizedKeys(sandbox) };
    }),
    defineRoute(c.removeAuthorizedKey, ({ params, req }) => {
      const sandbox = sandboxOf(req);
      if (!store.removeAuthorizedKey(sandbox, params.id)) throw new HttpError(404, `No authorized key ${params.id}.`);
      return { keys: store.authorizedKeys(sandbox) };
    }),
    // SFTP file panel
    defineRoute(c.list, async ({ query: { path }, req }) => ({ path, entries: await panel.list(owner(req), path) })),
    defineRoute(c.download, async ({ query: { path }, req }) => {
      const name = (path.split('/').pop() || 'download').replace(/[^\w.-]/g, '_');
      return new RawResponse(await panel.download(owner(req), path), 'application/octet-stream', { 'content-disposition': `attachment; filename="${name}"` });
    }),
    defineRoute(c.upload, async ({ query: { path }, req }) => {
      const by = owner(req);
      const declared = Number(req.headers['content-length']);
      const tooLarge = `Uploads are limited to ${MAX_UPLOAD / 1024 / 1024} MB.`;
      if (declared > MAX_UPLOAD) throw new HttpError(413, tooLarge);
      // Ends early, and says why, when the browser stops sending (a plain pipe left the upload waiting for good).
      const body = streamBody(req, MAX_UPLOAD, tooLarge);
      try {
        const transfer = await panel.upload(by, path, body.source, Number.isFinite(declared) ? declared : null, body.cut);
        return { transfer };
      } finally {
        body.drop();
      }
    }),
    defineRoute(c.mkdir, async ({ body, req }) => {
      await panel.mkdir(owner(req), body.path);
      return { ok: true as const };
    }),
    defineRoute(c.rename, async ({ body, req }) => {
      await panel.rename(owner(req), body.from, body.to);
      return { ok: true as const };
    }),
    defineRoute(c.remove, async ({ body, req }) => {
      await panel.remove(owner(req), body.path);
      return { ok: true as const };
    }),
    defineRoute(c.transfers, ({ req }) => ({ transfers: panel.recentTransfers(sandboxOf(req)) })),
  ];
}
