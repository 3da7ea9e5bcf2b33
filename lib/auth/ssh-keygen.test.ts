import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateSshKeyPair } from './ssh-keygen.ts';

describe('generateSshKeyPair', () => {
  it('never hands out an ed25519 key that ssh2 cannot read back (ssh2 alone fails about 1 in 256)', () => {
    // 1,500 keys: with the bare library, P(no bad key) = (255/256)^1500 ≈ 0.3 %.
    for (let i = 0; i < 1500; i++) {
      const pair = generateSshKeyPair('ed25519');
      expect(ssh2.utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
    }
  });

  it('makes ecdsa-sha2-nistp256 keys too, with the comment asked for', () => {
    const parsed = ssh2.utils.parseKey(generateSshKeyPair('ecdsa', { comment: 'lab' }).public);
    expect(parsed).not.toBeInstanceOf(Error);
    expect(Array.isArray(parsed) ? parsed[0].type : (parsed as { type: string }).type).toBe('ecdsa-sha2-nistp256');
  });
});
