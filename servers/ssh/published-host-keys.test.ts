import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateSshKeyPair } from '../../lib/auth/ssh-keygen.ts';
import { fingerprintOfBlob } from '../../lib/protocols/ssh/fingerprint.ts';
import type { LabContext, RunningLab } from '../daemon/lab.ts';
import { labHostKeyVerifier } from './published-host-keys.ts';

const blobOf = (publicKey: string): Buffer => {
  const parsed = ssh2.utils.parseKey(publicKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error('unreadable key');
  return key.getPublicSSH();
};

describe("another lab's SSH client checks the SSH lab's host key", () => {
  const ctx = { config: { sandbox: 'local', host: '127.0.0.1' }, credentials: { user: 'student', password: 'x' } } as unknown as LabContext;
  let published = [fingerprintOfBlob(blobOf(generateSshKeyPair('ed25519').public))];
  // What the SSH lab's info() answers: its host keys as they are now.
  const sshLab = { info: () => ({ hostKeys: published.map((fingerprint) => ({ type: 'ssh-ed25519', fingerprint })) }) } as unknown as RunningLab;

  it('accepts a key the SSH lab publishes, refuses any other, and reports the fingerprint it saw', () => {
    const seen: string[] = [];
    const verify = labHostKeyVerifier(sshLab, ctx, (fingerprint) => seen.push(fingerprint));
    const own = generateSshKeyPair('ed25519').public;
    const stranger = blobOf(generateSshKeyPair('ed25519').public);
    published = [fingerprintOfBlob(blobOf(own))];
    expect(verify(blobOf(own))).toBe(true);
    expect(verify(stranger)).toBe(false);
    expect(seen).toEqual([published[0], fingerprintOfBlob(stranger)]);
  });

  it('reads the keys at each check, so a rotation is followed', () => {
    const verify = labHostKeyVerifier(sshLab, ctx);
    const before = generateSshKeyPair('ed25519').public;
    const after = generateSshKeyPair('ed25519').public;
    published = [fingerprintOfBlob(blobOf(before))];
    expect(verify(blobOf(before))).toBe(true);
    published = [fingerprintOfBlob(blobOf(after))];
    expect([verify(blobOf(before)), verify(blobOf(after))]).toEqual([false, true]);
  });

  it('refuses every key when the SSH lab publishes none', () => {
    published = [];
    expect(labHostKeyVerifier(sshLab, ctx)(blobOf(generateSshKeyPair('ed25519').public))).toBe(false);
  });
});
