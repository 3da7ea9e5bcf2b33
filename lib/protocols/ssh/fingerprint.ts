import { createHash } from 'node:crypto';

/**
 * A host or user key's fingerprint as OpenSSH prints it (`ssh-keygen -lf`): "SHA256:" + unpadded
 * base64 of SHA-256 over the public key blob (the wire encoding, RFC 4253 §6.6).
 */
export function fingerprintOfBlob(blob: Uint8Array): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key type named at the start of a public key blob ('ssh-ed25519'), or undefined. */
export function keyTypeOfBlob(blob: Uint8Array): string | undefined {
  if (blob.length < 4) return undefined;
  const length = ((blob[0] << 24) >>> 0) + (blob[1] << 16) + (blob[2] << 8) + blob[3];
  if (length > 64 || 4 + length > blob.length) return undefined;
  return Buffer.from(blob.subarray(4, 4 + length)).toString('latin1');
}

export { keyTypeLabel } from './key-type.ts';
