/**
 * The SSH server's host keys (ed25519 and ecdsa-sha2-nistp256), generated once with ssh2's
 * generateSshKeyPair and kept in the SecretStore so students' known_hosts stay valid across
 * restarts. Rotation (the MITM lesson) replaces both and stores the new ones.
 */
import ssh2 from 'ssh2';
import { generateSshKeyPair } from '../../../lib/auth/ssh-keygen.ts';
import { fingerprintOfBlob } from '../../../lib/protocols/ssh/fingerprint.ts';
import type { SecretStore } from '../../../lib/store/secrets.ts';

/** One host key as the lab shows it. */
export interface HostKeyInfo {
  type: string;
  fingerprint: string;
  /** `ssh-ed25519 AAAA…` (authorized_keys / known_hosts format). */
  publicKey: string;
}

interface StoredPair {
  private: string;
  public: string;
}

const SECRET = 'ssh.hostkeys';

function generate(): StoredPair[] {
  return [generateSshKeyPair('ed25519'), generateSshKeyPair('ecdsa')].map((pair) => ({
    private: pair.private,
    public: pair.public,
  }));
}

function describe(pair: StoredPair): HostKeyInfo {
  const parsed = ssh2.utils.parseKey(pair.public);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error('Stored SSH host key is unreadable');
  const blob = key.getPublicSSH();
  return { type: key.type, fingerprint: fingerprintOfBlob(blob), publicKey: `${key.type} ${blob.toString('base64')}` };
}

/** Loads (or creates) the host keys; `rotate()` makes new ones. */
export class HostKeys {
  private pairs: StoredPair[] = [];
  private described: HostKeyInfo[] = [];

  private constructor(private readonly secrets: SecretStore) {}

  static async load(secrets: SecretStore): Promise<HostKeys> {
    const keys = new HostKeys(secrets);
    keys.pairs = JSON.parse(await secrets.getOrCreate(SECRET, () => JSON.stringify(generate()))) as StoredPair[];
    keys.described = keys.pairs.map(describe);
    return keys;
  }

  get privateKeys(): string[] {
    return this.pairs.map((p) => p.private);
  }

  info(): HostKeyInfo[] {
    return this.described;
  }

  /** Fingerprint of the key of `type` (as negotiated: 'ssh-ed25519', 'ecdsa-sha2-nistp256'). */
  fingerprint(type: string): string | undefined {
    return this.info().find((k) => k.type === type)?.fingerprint;
  }

  rotate(): HostKeyInfo[] {
    this.pairs = generate();
    this.described = this.pairs.map(describe);
    this.secrets.set(SECRET, JSON.stringify(this.pairs));
    return this.info();
  }
}
