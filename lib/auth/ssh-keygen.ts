/**
 * SSH key pairs that ssh2 can read back. ssh2 1.17's generateKeyPairSync('ed25519') strips leading zero
 * bytes from the public key, so about 1 key in 256 comes out 31 bytes long and parseKey rejects it
 * ("Malformed OpenSSH public key", mscdex/ssh2#1390, #1513). A host key like that made the SSH lab fail to
 * start; a user key like that could not be added to authorized_keys. Generate again until both halves parse.
 */
import ssh2 from 'ssh2';

type KeyType = 'ed25519' | 'ecdsa';

/** At 1/256 per try, ten failures in a row would take a broken library, not bad luck. */
const MAX_TRIES = 10;

/** Generates an OpenSSH-format key pair whose public and private halves both parse. */
export function generateSshKeyPair(type: KeyType, options: { comment?: string } = {}): { public: string; private: string } {
  for (let i = 0; i < MAX_TRIES; i++) {
    const pair = type === 'ecdsa' ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256, ...options }) : ssh2.utils.generateKeyPairSync('ed25519', options);
    if (parses(pair.public) && parses(pair.private)) return pair;
  }
  throw new Error(`Could not generate a readable ${type} key pair in ${MAX_TRIES} tries.`);
}

function parses(key: string): boolean {
  const parsed = ssh2.utils.parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  return Boolean(first) && !(first instanceof Error);
}
