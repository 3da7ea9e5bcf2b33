// Apart from fingerprint.ts (node:crypto), so the browser can name key types as OpenSSH does.

/** OpenSSH's display name of a key type in prompts ("ED25519 key fingerprint is …"). */
export function keyTypeLabel(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type.startsWith('ecdsa-')) return 'ECDSA';
  if (type.startsWith('rsa-') || type === 'ssh-rsa') return 'RSA';
  return type.toUpperCase();
}
