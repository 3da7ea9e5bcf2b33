/**
 * SSH message numbers, disconnect reasons and channel-open failure codes as data
 * (RFC 4250 §4.1–4.3, plus EXT_INFO from RFC 8308). Each row carries its annotation key;
 * the teaching prose is in text.en.ts under that key.
 */

/** One SSH message type: number, wire name, layer and source. */
export interface MessageRow {
  num: number;
  name: string;
  key: string;
  /** Which protocol layer defines it (transport, userauth, connection). */
  layer: 'transport' | 'kex' | 'userauth' | 'connection';
  ref: string;
}

const m = (num: number, name: string, layer: MessageRow['layer'], ref: string): MessageRow => ({
  num,
  name,
  key: `ssh.msg.${name}`,
  layer,
  ref,
});

/** Every message number the lab names, RFC 4250 §4.1.2 order. */
export const MESSAGES: readonly MessageRow[] = [
  m(1, 'DISCONNECT', 'transport', 'RFC 4253 §11.1'),
  m(2, 'IGNORE', 'transport', 'RFC 4253 §11.2'),
  m(3, 'UNIMPLEMENTED', 'transport', 'RFC 4253 §11.4'),
  m(4, 'DEBUG', 'transport', 'RFC 4253 §11.3'),
  m(5, 'SERVICE_REQUEST', 'transport', 'RFC 4253 §10'),
  m(6, 'SERVICE_ACCEPT', 'transport', 'RFC 4253 §10'),
  m(7, 'EXT_INFO', 'transport', 'RFC 8308 §2.3'),
  m(20, 'KEXINIT', 'kex', 'RFC 4253 §7.1'),
  m(21, 'NEWKEYS', 'kex', 'RFC 4253 §7.3'),
  // 30–49 are reused by each key exchange method; these are the ECDH meanings (plain DH: PLAIN_DH_MESSAGES).
  m(30, 'KEX_ECDH_INIT', 'kex', 'RFC 5656 §4, §7.1; RFC 8731 §3'),
  m(31, 'KEX_ECDH_REPLY', 'kex', 'RFC 5656 §4, §7.1; RFC 8731 §3'),
  m(50, 'USERAUTH_REQUEST', 'userauth', 'RFC 4252 §5'),
  m(51, 'USERAUTH_FAILURE', 'userauth', 'RFC 4252 §5.1'),
  m(52, 'USERAUTH_SUCCESS', 'userauth', 'RFC 4252 §5.1'),
  m(53, 'USERAUTH_BANNER', 'userauth', 'RFC 4252 §5.4'),
  // 60 means PK_OK after a publickey query, PASSWD_CHANGEREQ after a password request.
  m(60, 'USERAUTH_PK_OK', 'userauth', 'RFC 4252 §7'),
  m(61, 'USERAUTH_INFO_RESPONSE', 'userauth', 'RFC 4256 §3.4'),
  m(80, 'GLOBAL_REQUEST', 'connection', 'RFC 4254 §4'),
  m(81, 'REQUEST_SUCCESS', 'connection', 'RFC 4254 §4'),
  m(82, 'REQUEST_FAILURE', 'connection', 'RFC 4254 §4'),
  m(90, 'CHANNEL_OPEN', 'connection', 'RFC 4254 §5.1'),
  m(91, 'CHANNEL_OPEN_CONFIRMATION', 'connection', 'RFC 4254 §5.1'),
  m(92, 'CHANNEL_OPEN_FAILURE', 'connection', 'RFC 4254 §5.1'),
  m(93, 'CHANNEL_WINDOW_ADJUST', 'connection', 'RFC 4254 §5.2'),
  m(94, 'CHANNEL_DATA', 'connection', 'RFC 4254 §5.2'),
  m(95, 'CHANNEL_EXTENDED_DATA', 'connection', 'RFC 4254 §5.2'),
  m(96, 'CHANNEL_EOF', 'connection', 'RFC 4254 §5.3'),
  m(97, 'CHANNEL_CLOSE', 'connection', 'RFC 4254 §5.3'),
  m(98, 'CHANNEL_REQUEST', 'connection', 'RFC 4254 §5.4'),
  m(99, 'CHANNEL_SUCCESS', 'connection', 'RFC 4254 §5.4'),
  m(100, 'CHANNEL_FAILURE', 'connection', 'RFC 4254 §5.4'),
];

/** 30 and 31 under classic finite-field Diffie-Hellman (diffie-hellman-group14-sha1…): RFC 4253's own names. */
export const PLAIN_DH_MESSAGES: readonly MessageRow[] = [m(30, 'KEXDH_INIT', 'kex', 'RFC 4253 §8'), m(31, 'KEXDH_REPLY', 'kex', 'RFC 4253 §8')];

/** Message rows by number (30 and 31 with their ECDH names: the dissector names them by the chosen method). */
export const MESSAGE_BY_NUM: ReadonlyMap<number, MessageRow> = new Map(MESSAGES.map((row) => [row.num, row]));
/** Message rows by wire name (reverse map, as ssh2's constants do). */
export const MESSAGE_BY_NAME: ReadonlyMap<string, MessageRow> = new Map([...MESSAGES, ...PLAIN_DH_MESSAGES].map((row) => [row.name, row]));

/** What 30 and 31 are called under a key exchange of this family, and the public values they carry. */
export interface KexMessages {
  init: string;
  reply: string;
  /** The client's public value (Q_C, or plain DH's e) and the server's (Q_S, or f). */
  clientValue: string;
  serverValue: string;
  /** What the client's value is, in words. */
  clientValueIs: string;
}

const KEX_MESSAGES: Readonly<Record<'ecdh' | 'dh', KexMessages>> = {
  ecdh: { init: 'KEX_ECDH_INIT', reply: 'KEX_ECDH_REPLY', clientValue: 'Q_C', serverValue: 'Q_S', clientValueIs: 'client ephemeral public key' },
  dh: { init: PLAIN_DH_MESSAGES[0].name, reply: PLAIN_DH_MESSAGES[1].name, clientValue: 'e', serverValue: 'f', clientValueIs: 'client Diffie-Hellman value' },
};

export const kexMessages = (family: 'ecdh' | 'dh'): KexMessages => KEX_MESSAGES[family];

/** Names ssh2's debug output uses that differ from the RFC names. */
export const DEBUG_NAME_ALIASES: Readonly<Record<string, string>> = {
  KEXECDH_INIT: 'KEX_ECDH_INIT',
  KEXECDH_REPLY: 'KEX_ECDH_REPLY',
};

/** One reason code (disconnect or channel-open failure). */
export interface ReasonRow {
  code: number;
  name: string;
  key: string;
  ref: string;
}

/** SSH_MSG_DISCONNECT reason codes (RFC 4250 §4.2.2). */
export const DISCONNECT_REASONS: readonly ReasonRow[] = [
  'HOST_NOT_ALLOWED_TO_CONNECT',
  'PROTOCOL_ERROR',
  'KEY_EXCHANGE_FAILED',
  'RESERVED',
  'MAC_ERROR',
  'COMPRESSION_ERROR',
  'SERVICE_NOT_AVAILABLE',
  'PROTOCOL_VERSION_NOT_SUPPORTED',
  'HOST_KEY_NOT_VERIFIABLE',
  'CONNECTION_LOST',
  'BY_APPLICATION',
  'TOO_MANY_CONNECTIONS',
  'AUTH_CANCELLED_BY_USER',
  'NO_MORE_AUTH_METHODS_AVAILABLE',
  'ILLEGAL_USER_NAME',
].map((name, i) => ({ code: i + 1, name, key: `ssh.disconnect.${name}`, ref: 'RFC 4250 §4.2.2; RFC 4253 §11.1' }));

/** SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4250 §4.3). */
export const CHANNEL_OPEN_FAILURES: readonly ReasonRow[] = [
  'ADMINISTRATIVELY_PROHIBITED',
  'CONNECT_FAILED',
  'UNKNOWN_CHANNEL_TYPE',
  'RESOURCE_SHORTAGE',
].map((name, i) => ({ code: i + 1, name, key: `ssh.open-failure.${name}`, ref: 'RFC 4250 §4.3; RFC 4254 §5.1' }));

/** Looks up a reason row by code. */
export function reasonByCode(rows: readonly ReasonRow[], code: number): ReasonRow | undefined {
  return rows.find((row) => row.code === code);
}
