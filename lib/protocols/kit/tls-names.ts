/**
 * Names of the code points a TLS hello carries (IANA "TLS Parameters" registries, as RFC 8446 §4.2,
 * §4.2.3, §4.2.7 and Appendix B.4 list them), what each extension is for, and what the bytes view
 * says about each part of a hello. Data only: the bytes view's parser (tls-hello.ts) reads them.
 * Names are spelled as IANA and Wireshark spell them, so what the lab shows matches what a tshark
 * user reads.
 */

/** Cipher suites: the five of TLS 1.3 (RFC 8446 Appendix B.4) and the TLS 1.2 suites OpenSSL and Node offer. */
export const CIPHER_SUITES: Readonly<Record<number, string>> = {
  0x1301: 'TLS_AES_128_GCM_SHA256',
  0x1302: 'TLS_AES_256_GCM_SHA384',
  0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0x1304: 'TLS_AES_128_CCM_SHA256',
  0x1305: 'TLS_AES_128_CCM_8_SHA256',
  0x002f: 'TLS_RSA_WITH_AES_128_CBC_SHA',
  0x0032: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA',
  0x0033: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  0x0035: 'TLS_RSA_WITH_AES_256_CBC_SHA',
  0x0038: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA',
  0x0039: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  0x003c: 'TLS_RSA_WITH_AES_128_CBC_SHA256',
  0x003d: 'TLS_RSA_WITH_AES_256_CBC_SHA256',
  0x0040: 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256',
  0x0067: 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
  0x006a: 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA256',
  0x006b: 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  0x009c: 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  0x009d: 'TLS_RSA_WITH_AES_256_GCM_SHA384',
  0x009e: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  0x009f: 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  0x00a2: 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256',
  0x00a3: 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384',
  0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV',
  0x5600: 'TLS_FALLBACK_SCSV',
  0xc009: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  0xc00a: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  0xc013: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  0xc014: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  0xc023: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  0xc024: 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  0xc027: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  0xc028: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  0xc02b: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  0xc02c: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  0xc02f: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  0xc030: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  0xc050: 'TLS_RSA_WITH_ARIA_128_GCM_SHA256',
  0xc051: 'TLS_RSA_WITH_ARIA_256_GCM_SHA384',
  0xc052: 'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256',
  0xc053: 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384',
  0xc056: 'TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256',
  0xc057: 'TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384',
  0xc05c: 'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256',
  0xc05d: 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384',
  0xc060: 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256',
  0xc061: 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384',
  0xc09c: 'TLS_RSA_WITH_AES_128_CCM',
  0xc09d: 'TLS_RSA_WITH_AES_256_CCM',
  0xc09e: 'TLS_DHE_RSA_WITH_AES_128_CCM',
  0xc09f: 'TLS_DHE_RSA_WITH_AES_256_CCM',
  0xc0a0: 'TLS_RSA_WITH_AES_128_CCM_8',
  0xc0a1: 'TLS_RSA_WITH_AES_256_CCM_8',
  0xc0a2: 'TLS_DHE_RSA_WITH_AES_128_CCM_8',
  0xc0a3: 'TLS_DHE_RSA_WITH_AES_256_CCM_8',
  0xc0ac: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  0xc0ad: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  0xc0ae: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
  0xc0af: 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
  0xcca8: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  0xcca9: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  0xccaa: 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
};

/** Key-exchange groups (RFC 8446 §4.2.7; the hybrid post-quantum ones newer clients offer first). */
export const NAMED_GROUPS: Readonly<Record<number, string>> = {
  0x0017: 'secp256r1',
  0x0018: 'secp384r1',
  0x0019: 'secp521r1',
  0x001d: 'x25519',
  0x001e: 'x448',
  0x0100: 'ffdhe2048',
  0x0101: 'ffdhe3072',
  0x0102: 'ffdhe4096',
  0x0103: 'ffdhe6144',
  0x0104: 'ffdhe8192',
  0x11ec: 'X25519MLKEM768',
  0x6399: 'X25519Kyber768Draft00',
};

/** Signature schemes (RFC 8446 §4.2.3); TLS 1.2's hash/signature pairs are named by legacyPairName. */
export const SIGNATURE_SCHEMES: Readonly<Record<number, string>> = {
  0x0201: 'rsa_pkcs1_sha1',
  0x0203: 'ecdsa_sha1',
  0x0401: 'rsa_pkcs1_sha256',
  0x0403: 'ecdsa_secp256r1_sha256',
  0x0501: 'rsa_pkcs1_sha384',
  0x0503: 'ecdsa_secp384r1_sha384',
  0x0601: 'rsa_pkcs1_sha512',
  0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256',
  0x0805: 'rsa_pss_rsae_sha384',
  0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519',
  0x0808: 'ed448',
  0x0809: 'rsa_pss_pss_sha256',
  0x080a: 'rsa_pss_pss_sha384',
  0x080b: 'rsa_pss_pss_sha512',
};

const LEGACY_HASHES: Readonly<Record<number, string>> = { 1: 'md5', 2: 'sha1', 3: 'sha224', 4: 'sha256', 5: 'sha384', 6: 'sha512' };
const LEGACY_SIGNATURES: Readonly<Record<number, string>> = { 1: 'rsa', 2: 'dsa', 3: 'ecdsa' };

/**
 * A TLS 1.2 SignatureAndHashAlgorithm pair that TLS 1.3 gave no name of its own (0x0303 is SHA-224
 * with ECDSA, RFC 5246 §7.4.1.4.1): 'sha224 + ecdsa (TLS 1.2 pair)'.
 */
export function legacyPairName(code: number): string | undefined {
  const hash = LEGACY_HASHES[code >> 8];
  const signature = LEGACY_SIGNATURES[code & 0xff];
  return hash && signature ? `${hash} + ${signature} (TLS 1.2 pair)` : undefined;
}

/** One extension type: its IANA name and what it does in a hello, with its source. */
export interface ExtensionRow {
  name: string;
  explain: string;
  ref?: string;
}

/** Extension types (RFC 8446 §4.2) with what each says; the parser decodes the ones marked in tls-hello.ts. */
export const EXTENSIONS: Readonly<Record<number, ExtensionRow>> = {
  0: { name: 'server_name', explain: 'SNI (RFC 6066): the host name the client wants, sent in clear before any key exists, so an eavesdropper reads it.', ref: 'RFC 8446 §9.2' },
  1: { name: 'max_fragment_length', explain: 'Asks for records smaller than 2^14 bytes (RFC 6066).' },
  5: { name: 'status_request', explain: 'Asks the server to staple an OCSP response to its certificate (RFC 6066).' },
  10: { name: 'supported_groups', explain: 'The key-exchange groups the client can use, most preferred first.', ref: 'RFC 8446 §4.2.7' },
  11: { name: 'ec_point_formats', explain: 'TLS 1.2 point-format negotiation (RFC 8422); TLS 1.3 has one format per curve and ignores it.' },
  13: { name: 'signature_algorithms', explain: 'Which signatures the client accepts in CertificateVerify (and certificates), most preferred first.', ref: 'RFC 8446 §4.2.3' },
  16: { name: 'application_layer_protocol_negotiation', explain: 'ALPN (RFC 7301): the application protocols the client can speak inside TLS, so the server can pick one in the same round trip.' },
  18: { name: 'signed_certificate_timestamp', explain: 'Asks for Certificate Transparency proofs (RFC 6962).' },
  21: { name: 'padding', explain: 'Filler that rounds the ClientHello up past sizes some servers choked on (RFC 7685).' },
  22: { name: 'encrypt_then_mac', explain: 'TLS 1.2 CBC suites: MAC over the ciphertext instead of the plaintext (RFC 7366); TLS 1.3 has only AEAD suites.' },
  23: { name: 'extended_master_secret', explain: 'TLS 1.2: binds the master secret to the whole handshake (RFC 7627); TLS 1.3 always does.', ref: 'RFC 8446 Appendix D' },
  27: { name: 'compress_certificate', explain: 'The certificate compression the client accepts (RFC 8879).' },
  28: { name: 'record_size_limit', explain: 'The largest record the client wants to receive (RFC 8449).' },
  35: { name: 'session_ticket', explain: 'TLS 1.2 resumption by ticket (RFC 5077); TLS 1.3 resumes with pre_shared_key instead.' },
  41: { name: 'pre_shared_key', explain: 'Resumption: the PSK identities offered; always the last extension.', ref: 'RFC 8446 §4.2.11' },
  42: { name: 'early_data', explain: '0-RTT: application data follows before the handshake ends.', ref: 'RFC 8446 §4.2.10' },
  43: { name: 'supported_versions', explain: 'The real version negotiation of TLS 1.3: the client lists what it speaks, the server answers the one it picked.', ref: 'RFC 8446 §4.2.1' },
  44: { name: 'cookie', explain: 'Echoed from a HelloRetryRequest.', ref: 'RFC 8446 §4.2.2' },
  45: { name: 'psk_key_exchange_modes', explain: 'How a resumed session may derive keys: psk_ke (PSK only) or psk_dhe_ke (PSK with a fresh key exchange, forward secret).', ref: 'RFC 8446 §4.2.9' },
  47: { name: 'certificate_authorities', explain: 'The CAs whose certificates the sender accepts.', ref: 'RFC 8446 §4.2.4' },
  49: { name: 'post_handshake_auth', explain: 'The client will answer a certificate request after the handshake.', ref: 'RFC 8446 §4.2.6' },
  50: { name: 'signature_algorithms_cert', explain: 'Signatures accepted inside certificates, when they differ from signature_algorithms.', ref: 'RFC 8446 §4.2.3' },
  51: { name: 'key_share', explain: 'Ephemeral (EC)DH public values, one per group the client guesses the server will pick; the server answers with its own in one of them.', ref: 'RFC 8446 §4.2.8' },
  65037: { name: 'encrypted_client_hello', explain: 'ECH: the real ClientHello (with the true SNI) encrypted to the server’s published key.' },
  65281: { name: 'renegotiation_info', explain: 'TLS 1.2 secure renegotiation (RFC 5746).' },
};

/** Protocol versions as written in hellos and records (RFC 8446 §4.2.1; 0x0301 is TLS 1.0). */
export const VERSIONS: Readonly<Record<number, string>> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a … 0xfafa, sent to keep peers tolerant of unknown code points. */
export function isGrease(code: number): boolean {
  return (code & 0x0f0f) === 0x0a0a && code >> 8 === (code & 0xff);
}

/** '0x1302' */
export function hex16(code: number): string {
  return `0x${code.toString(16).padStart(4, '0')}`;
}

/** A code point's name from `table`, 'GREASE' or 'unknown', with its number: 'x25519 (0x001d)'. */
export function nameOf(table: Readonly<Record<number, string>>, code: number): string {
  const name = Object.hasOwn(table, code) ? table[code] : isGrease(code) ? 'GREASE' : 'unknown';
  return `${name} (${hex16(code)})`;
}

/** What the bytes view says about each part of a hello, with its source. */
export const HELLO_NOTES = {
  recordVersion0301:
    'The record layer still names TLS 1.0 here: an initial ClientHello may say 0x0301 so that old servers, which rejected records with versions they did not know, read it. The field is deprecated and MUST be ignored; every later record says 0x0303 (RFC 8446 §5.1, Appendix D; RFC 5246 Appendix E.1).',
  recordVersion:
    'Deprecated: TLS 1.3 records say 0x0303 (TLS 1.2) whatever was negotiated, and receivers ignore it (RFC 8446 §5.1, Appendix D).',
  legacyVersion:
    'Frozen at 0x0303 (TLS 1.2): servers that rejected a higher number ("version intolerance") broke TLS 1.3 in the field, so the real versions travel in the supported_versions extension (RFC 8446 §4.1.2, Appendix D).',
  serverLegacyVersion: 'Always 0x0303 in TLS 1.3; the version used is in supported_versions (RFC 8446 §4.1.3).',
  random: '32 bytes from a secure random generator; they make every handshake’s keys unique (RFC 8446 §4.1.2).',
  sessionId:
    'Middlebox compatibility mode: a TLS 1.3 client sends a fresh 32-byte value so the handshake looks like TLS 1.2 resumption to middleboxes; the server echoes it (RFC 8446 Appendix D.4).',
  compression: 'Always just 0 (null): compression is gone in TLS 1.3 (RFC 8446 §4.1.2).',
  suites: 'Record protection (AEAD) and hash, most preferred first; TLS 1.3 suites start 0x13 (RFC 8446 §4.1.2, Appendix B.4).',
  chosenSuite: 'The one suite the server picked from the client’s list (RFC 8446 §4.1.3).',
  keyShare: 'An ephemeral public value: client and server each send one in the same group, each computes the same secret, and that secret never crosses the wire (RFC 8446 §4.2.8).',
} as const;
