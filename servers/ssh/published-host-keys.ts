/**
 * The SSH lab's host keys as another lab's own SSH client checks them (the FTPS-vs-SFTP comparison,
 * the ZeroMQ tunnel console). Labs reach each other only through RunningLab, so this reads the
 * fingerprints the SSH lab publishes in its info() — at the moment of the check, as a rotation (the
 * host-key lesson) changes them. PITFALLS.md: an ssh2 client always verifies the host key.
 */
import { fingerprintOfBlob } from '../../lib/protocols/ssh/fingerprint.ts';
import type { LabContext, RunningLab } from '../daemon/lab.ts';

/** The fingerprints (`SHA256:…`) of the host keys the SSH lab publishes now; [] if it publishes none. */
export function publishedHostKeyFingerprints(sshLab: RunningLab, ctx: LabContext): string[] {
  const info: unknown = sshLab.info?.({ sandbox: ctx.config.sandbox, login: ctx.credentials, mailDomain: 'lab.test', host: ctx.config.host });
  const hostKeys: unknown = info && typeof info === 'object' && 'hostKeys' in info ? info.hostKeys : undefined;
  return Array.isArray(hostKeys)
    ? hostKeys.flatMap((k: unknown) => (typeof k === 'object' && k && 'fingerprint' in k && typeof k.fingerprint === 'string' ? [k.fingerprint] : []))
    : [];
}

/**
 * An ssh2 `hostVerifier` that accepts only a key the SSH lab publishes, and tells `seen` the
 * fingerprint of the key presented (for the caller's report).
 */
export function labHostKeyVerifier(sshLab: RunningLab, ctx: LabContext, seen: (fingerprint: string) => void = () => {}): (key: Buffer) => boolean {
  return (key) => {
    const fingerprint = fingerprintOfBlob(key);
    seen(fingerprint);
    return publishedHostKeyFingerprints(sshLab, ctx).includes(fingerprint);
  };
}
