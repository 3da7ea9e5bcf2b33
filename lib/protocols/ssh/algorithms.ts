/**
 * The algorithm names an SSH KEXINIT lists, per category, with their sources. Unknown names are
 * still shown (the wire is the truth); these rows add the reference and a teaching key.
 */

/** The ten name-lists of a KEXINIT, in wire order (RFC 4253 §7.1). */
export const KEXINIT_LISTS = [
  'kex_algorithms',
  'server_host_key_algorithms',
  'encryption_algorithms_client_to_server',
  'encryption_algorithms_server_to_client',
  'mac_algorithms_client_to_server',
  'mac_algorithms_server_to_client',
  'compression_algorithms_client_to_server',
  'compression_algorithms_server_to_client',
  'languages_client_to_server',
  'languages_server_to_client',
] as const;
export type KexinitList = (typeof KEXINIT_LISTS)[number];

/** The negotiated categories, as the lab names them in fields and annotations. */
export const CATEGORIES = ['kex', 'hostkey', 'cipher c→s', 'cipher s→c', 'mac c→s', 'mac s→c', 'compression c→s', 'compression s→c'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One known algorithm name. `pseudo` names only signal a feature and are never "chosen". */
export interface AlgorithmRow {
  name: string;
  kind: 'kex' | 'hostkey' | 'cipher' | 'mac' | 'compression';
  ref: string;
  /** Ciphers with built-in integrity (AEAD): the MAC list is then ignored. */
  aead?: boolean;
  /** The packet length itself is encrypted (chacha20-poly1305): an eavesdropper cannot even frame packets. */
  encryptsLength?: boolean;
  /** MAC tag length in bytes (AEAD: the authentication tag). */
  tagLength?: number;
  /** Encrypt-then-MAC: the length stays in clear. */
  etm?: boolean;
  pseudo?: boolean;
  /** Discouraged today (SHA-1, CBC, 1024-bit groups…). */
  weak?: boolean;
}

const a = (name: string, kind: AlgorithmRow['kind'], ref: string, extra: Partial<AlgorithmRow> = {}): AlgorithmRow => ({
  name,
  kind,
  ref,
  ...extra,
});

/** Algorithm names the lab explains (ssh2 1.17's and OpenSSH 9.2's defaults, plus common legacy ones). */
export const ALGORITHMS: readonly AlgorithmRow[] = [
  a('curve25519-sha256', 'kex', 'RFC 8731 §3'),
  a('curve25519-sha256@libssh.org', 'kex', 'RFC 8731 §3 (pre-standard name)'),
  a('sntrup761x25519-sha512@openssh.com', 'kex', 'OpenSSH PROTOCOL (hybrid post-quantum)'),
  a('ecdh-sha2-nistp256', 'kex', 'RFC 5656 §4, §6.3'),
  a('ecdh-sha2-nistp384', 'kex', 'RFC 5656 §4, §6.3'),
  a('ecdh-sha2-nistp521', 'kex', 'RFC 5656 §4, §6.3'),
  a('diffie-hellman-group-exchange-sha256', 'kex', 'RFC 4419'),
  a('diffie-hellman-group14-sha256', 'kex', 'RFC 8268'),
  a('diffie-hellman-group15-sha512', 'kex', 'RFC 8268'),
  a('diffie-hellman-group16-sha512', 'kex', 'RFC 8268'),
  a('diffie-hellman-group17-sha512', 'kex', 'RFC 8268'),
  a('diffie-hellman-group18-sha512', 'kex', 'RFC 8268'),
  a('diffie-hellman-group14-sha1', 'kex', 'RFC 4253 §8.2', { weak: true }),
  a('diffie-hellman-group1-sha1', 'kex', 'RFC 4253 §8.1', { weak: true }),
  a('ext-info-c', 'kex', 'RFC 8308 §2.1', { pseudo: true }),
  a('ext-info-s', 'kex', 'RFC 8308 §2.1', { pseudo: true }),
  a('kex-strict-c-v00@openssh.com', 'kex', 'OpenSSH PROTOCOL, strict key exchange extension (Terrapin, CVE-2023-48795)', { pseudo: true }),
  a('kex-strict-s-v00@openssh.com', 'kex', 'OpenSSH PROTOCOL, strict key exchange extension (Terrapin, CVE-2023-48795)', { pseudo: true }),
  a('ssh-ed25519', 'hostkey', 'RFC 8709 §4'),
  a('ecdsa-sha2-nistp256', 'hostkey', 'RFC 5656 §3'),
  a('ecdsa-sha2-nistp384', 'hostkey', 'RFC 5656 §3'),
  a('ecdsa-sha2-nistp521', 'hostkey', 'RFC 5656 §3'),
  a('rsa-sha2-512', 'hostkey', 'RFC 8332 §3'),
  a('rsa-sha2-256', 'hostkey', 'RFC 8332 §3'),
  a('ssh-rsa', 'hostkey', 'RFC 4253 §6.6', { weak: true }),
  a('ssh-dss', 'hostkey', 'RFC 4253 §6.6', { weak: true }),
  a('chacha20-poly1305@openssh.com', 'cipher', 'OpenSSH PROTOCOL.chacha20poly1305', { aead: true, encryptsLength: true, tagLength: 16 }),
  a('aes128-gcm@openssh.com', 'cipher', 'RFC 5647 (OpenSSH naming, PROTOCOL §1.6)', { aead: true, tagLength: 16 }),
  a('aes256-gcm@openssh.com', 'cipher', 'RFC 5647 (OpenSSH naming, PROTOCOL §1.6)', { aead: true, tagLength: 16 }),
  a('aes128-ctr', 'cipher', 'RFC 4344 §4'),
  a('aes192-ctr', 'cipher', 'RFC 4344 §4'),
  a('aes256-ctr', 'cipher', 'RFC 4344 §4'),
  a('aes128-cbc', 'cipher', 'RFC 4253 §6.3', { weak: true }),
  a('3des-cbc', 'cipher', 'RFC 4253 §6.3', { weak: true }),
  a('hmac-sha2-256-etm@openssh.com', 'mac', 'OpenSSH PROTOCOL §1.5', { etm: true, tagLength: 32 }),
  a('hmac-sha2-512-etm@openssh.com', 'mac', 'OpenSSH PROTOCOL §1.5', { etm: true, tagLength: 64 }),
  a('hmac-sha1-etm@openssh.com', 'mac', 'OpenSSH PROTOCOL §1.5', { etm: true, tagLength: 20, weak: true }),
  a('umac-64-etm@openssh.com', 'mac', 'OpenSSH PROTOCOL §1.5', { etm: true, tagLength: 8 }),
  a('umac-128-etm@openssh.com', 'mac', 'OpenSSH PROTOCOL §1.5', { etm: true, tagLength: 16 }),
  a('hmac-sha2-256', 'mac', 'RFC 6668 §2', { tagLength: 32 }),
  a('hmac-sha2-512', 'mac', 'RFC 6668 §2', { tagLength: 64 }),
  a('hmac-sha1', 'mac', 'RFC 4253 §6.4', { tagLength: 20, weak: true }),
  a('none', 'compression', 'RFC 4253 §6.2'),
  a('zlib', 'compression', 'RFC 4253 §6.2'),
  a('zlib@openssh.com', 'compression', 'OpenSSH PROTOCOL §1.2 (delayed until after auth)'),
];

/** Algorithm rows by name. */
export const ALGORITHM_BY_NAME: ReadonlyMap<string, AlgorithmRow> = new Map(ALGORITHMS.map((row) => [row.name, row]));

/** Whether a negotiated key exchange method uses the ECDH message pair 30/31 (RFC 5656 §4) or DH 30/31 (RFC 4253 §8). */
export function kexFamily(name: string | undefined): 'ecdh' | 'dh' | 'gex' | 'unknown' {
  if (!name) return 'unknown';
  if (name.startsWith('curve25519') || name.startsWith('ecdh-') || name.startsWith('sntrup')) return 'ecdh';
  if (name.startsWith('diffie-hellman-group-exchange')) return 'gex';
  if (name.startsWith('diffie-hellman-group')) return 'dh';
  return 'unknown';
}

/** How a negotiated cipher and MAC protect one packet, as far as an eavesdropper is concerned. */
export interface PacketProtection {
  /** Annotation key (text.en.ts). */
  key: string;
  ref: string;
  /** packet_length readable in clear (an eavesdropper can frame packets). */
  lengthVisible: boolean;
  /** Bytes after each packet: AEAD tag or MAC. */
  tag: number;
}

/**
 * What the cipher/MAC pair of one direction does to the packet length (RFC 4253 §6): plain
 * ciphers encrypt the whole packet, length included, and MAC the cleartext (encrypt-and-MAC);
 * -etm MACs and AES-GCM leave the length in clear but authenticate it; chacha20-poly1305
 * encrypts the length with a key of its own.
 */
export function packetProtection(cipherName: string | undefined, macName: string | undefined): PacketProtection {
  const cipher = ALGORITHM_BY_NAME.get(cipherName ?? '');
  const mac = ALGORITHM_BY_NAME.get(macName ?? '');
  if (!cipher || cipher.kind !== 'cipher') return { key: 'ssh.encrypted', ref: 'RFC 4253 §6', lengthVisible: false, tag: 0 };
  if (cipher.aead && cipher.encryptsLength) return { key: 'ssh.encrypted.length-hidden', ref: cipher.ref, lengthVisible: false, tag: cipher.tagLength ?? 0 };
  if (cipher.aead) return { key: 'ssh.encrypted.gcm', ref: 'RFC 5647 §7.3; OpenSSH PROTOCOL §1.6', lengthVisible: true, tag: cipher.tagLength ?? 0 };
  if (mac?.etm) return { key: 'ssh.encrypted.etm', ref: mac.ref, lengthVisible: true, tag: mac.tagLength ?? 0 };
  return { key: 'ssh.encrypted.whole', ref: 'RFC 4253 §6, §6.4', lengthVisible: false, tag: mac?.tagLength ?? 0 };
}
