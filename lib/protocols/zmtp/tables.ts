/**
 * ZMTP facts as data: every annotation key with the section it cites and how alarming it is, the
 * socket types and their legal peers (ZMTP RFC 37 §3.9.1), and the command names by mechanism.
 * Section numbers of the ZeroMQ RFCs count their markdown headings (see docs/reference/README.md).
 */
import { OTHER_PROTOCOL_REFS, type OtherProtocol } from '../kit/other-client.ts';
import type { Fact } from '../kit/prose.ts';

const fact = (key: string, ref: string, level?: Fact['level']): Fact => ({ key, ref, ...(level ? { level } : {}) });
/** Another protocol's client on a ZeroMQ port: where its opening is defined, then the signature it is not. */
const other = (protocol: Exclude<OtherProtocol, 'zmtp'>): Fact => fact(`zmtp.other.${protocol}`, `${OTHER_PROTOCOL_REFS[protocol]}; ZMTP RFC 37 §3.2`, 'error');

/** Every annotation key the dissector uses, with its citation. */
export const FACTS: readonly Fact[] = [
  fact('zmtp.greeting.signature', 'ZMTP RFC 37 §3.2, §6.2'),
  fact('zmtp.greeting.major', 'ZMTP RFC 37 §3.3, §6.2'),
  fact('zmtp.greeting.rest', 'ZMTP RFC 37 §3.2, §3.5, §3.8'),
  fact('zmtp.greeting.v30', 'ZMTP RFC 37 §3.3; ZMTP RFC 23 §3.2'),
  fact('zmtp.greeting.mismatch', 'ZMTP RFC 37 §3.5', 'error'),
  fact('zmtp.greeting.old', 'ZMTP RFC 37 §6.2', 'warn'),
  fact('zmtp.v2.revision', 'ZMTP RFC 15 §5.1, §5.5; ZMTP RFC 37 §6.1'),
  fact('zmtp.v2.socket-type', 'ZMTP RFC 15 §5.1, §5.3'),
  fact('zmtp.v2.downgrade', 'ZMTP RFC 37 §6.1, §6.2; ZMTP RFC 15 §5.1'),
  fact('zmtp.v2.identity', 'ZMTP RFC 15 §5.1'),
  fact('zmtp.greeting.bad', 'ZMTP RFC 37 §3.2', 'error'),
  other('http'),
  other('ssh'),
  other('tls'),
  other('smtp'),
  other('ftp'),
  other('smtp-or-ftp'),
  fact('zmtp.cmd.READY', 'ZMTP RFC 37 §3.8, §3.9'),
  fact('zmtp.cmd.READY.incompatible', 'ZMTP RFC 37 §3.9.1', 'error'),
  fact('zmtp.handshake.closed', 'ZMTP RFC 37 §3.8, §3.9.1, §3.6', 'warn'),
  fact('zmtp.cmd.ERROR', 'ZMTP RFC 37 §3.6, §3.8', 'error'),
  fact('zmtp.cmd.SUBSCRIBE', 'ZMTP RFC 37 §4.2'),
  fact('zmtp.cmd.CANCEL', 'ZMTP RFC 37 §4.2'),
  fact('zmtp.cmd.PING', 'ZMTP RFC 37 §5'),
  fact('zmtp.cmd.PONG', 'ZMTP RFC 37 §5'),
  fact('zmtp.heartbeat.missed', 'ZMTP RFC 37 §5; libzmq zmq_setsockopt ZMQ_HEARTBEAT_TIMEOUT', 'warn'),
  fact('zmtp.cmd.unknown', 'ZMTP RFC 37 §3.7.1'),
  fact('zmtp.plain.HELLO', 'ZMTP RFC 24 §3', 'warn'),
  fact('zmtp.plain.WELCOME', 'ZMTP RFC 24 §3'),
  fact('zmtp.plain.INITIATE', 'ZMTP RFC 24 §3'),
  fact('zmtp.plain.READY', 'ZMTP RFC 24 §3'),
  fact('zmtp.curve.HELLO', 'ZeroMQ RFC 26 §2.6, §2.7.1; ZMTP RFC 25 §3'),
  fact('zmtp.curve.WELCOME', 'ZeroMQ RFC 26 §2.7.2'),
  fact('zmtp.curve.INITIATE', 'ZeroMQ RFC 26 §2.7.3'),
  fact('zmtp.curve.READY', 'ZeroMQ RFC 26 §2.7.4'),
  fact('zmtp.curve.MESSAGE', 'ZeroMQ RFC 26 §2.7.5; ZMTP RFC 37 §5'),
  fact('zmtp.curve.malformed', 'ZeroMQ RFC 26 §2.6', 'warn'),
  fact('zmtp.frame.part', 'ZMTP RFC 37 §3.7, §3.7.2'),
  fact('zmtp.frame.message', 'ZMTP RFC 37 §3.7, §3.7.2'),
  fact('zmtp.frame.delimiter', 'ZeroMQ RFC 28 §4, §5, §7; ZMTP RFC 37 §4.1'),
  fact('zmtp.frame.no-delimiter', 'ZeroMQ RFC 28 §4, §5', 'warn'),
  fact('zmtp.frame.subscribe-30', 'ZMTP RFC 23 §5.2; ZMTP RFC 37 §4.2'),
  fact('zmtp.frame.cancel-30', 'ZMTP RFC 23 §5.2; ZMTP RFC 37 §4.2'),
  fact('zmtp.frame.bad-flags', 'ZMTP RFC 37 §3.7', 'error'),
  fact('zmtp.frame.too-long', 'ZMTP RFC 37 §3.7', 'error'),
  fact('zmtp.undecoded', 'ZMTP RFC 37 §3.7', 'warn'),
  fact('zmtp.truncated', 'ZMTP RFC 37 §3.7', 'warn'),
  fact('zmtp.frame.over-limit', 'libzmq zmq_setsockopt ZMQ_MAXMSGSIZE; ZMTP RFC 37 §3.7', 'error'),
];

const BY_KEY = new Map(FACTS.map((f) => [f.key, f]));
/** The fact row for `key` (for the annotator's bare keys). */
export const factOf = (key: string): Fact | undefined => BY_KEY.get(key);

/** Legal peer socket types, ZMTP RFC 37 §3.9.1. */
export const LEGAL_PEERS: Readonly<Record<string, readonly string[]>> = {
  REQ: ['REP', 'ROUTER'],
  REP: ['REQ', 'DEALER'],
  DEALER: ['REP', 'DEALER', 'ROUTER'],
  ROUTER: ['REQ', 'DEALER', 'ROUTER'],
  PUB: ['SUB', 'XSUB'],
  XPUB: ['SUB', 'XSUB'],
  SUB: ['PUB', 'XPUB'],
  XSUB: ['PUB', 'XPUB'],
  PUSH: ['PULL'],
  PULL: ['PUSH'],
  PAIR: ['PAIR'],
  CLIENT: ['SERVER'],
  SERVER: ['CLIENT'],
  RADIO: ['DISH'],
  DISH: ['RADIO'],
  SCATTER: ['GATHER'],
  GATHER: ['SCATTER'],
  PEER: ['PEER'],
  CHANNEL: ['CHANNEL'],
};

/** True when `a` may talk to `b` (both known socket types); undefined when either is unknown. */
export function legalPair(a: string, b: string): boolean | undefined {
  const peers = LEGAL_PEERS[a.toUpperCase()];
  if (!peers || !LEGAL_PEERS[b.toUpperCase()]) return undefined;
  return peers.includes(b.toUpperCase());
}

/** "REQ↔REP/ROUTER" for the socket type, for annotations. */
export const legalPairsOf = (type: string): string => `${type.toUpperCase()}↔${(LEGAL_PEERS[type.toUpperCase()] ?? []).join('/')}`;

/** The security mechanisms ZMTP 3 names in the greeting (ZMTP RFC 37 §3.5). */
export const MECHANISMS = ['NULL', 'PLAIN', 'CURVE'] as const;

/** CurveZMQ nonce prefixes (ZeroMQ RFC 26 §2.6, §2.7): the wire carries only the 8- or 16-octet tail. */
export const CURVE_NONCE = {
  HELLO: 'CurveZMQHELLO---',
  WELCOME: 'WELCOME-',
  COOKIE: 'COOKIE--',
  INITIATE: 'CurveZMQINITIATE',
  VOUCH: 'VOUCH---',
  READY: 'CurveZMQREADY---',
  MESSAGE_CLIENT: 'CurveZMQMESSAGEC',
  MESSAGE_SERVER: 'CurveZMQMESSAGES',
} as const;

/** Fixed CurveZMQ command sizes (ZeroMQ RFC 26 §2.6): HELLO's padding is 72 octets in the ABNF (the prose says 70). */
export const CURVE_SIZES = { HELLO: 200, HELLO_PADDING: 72, WELCOME: 168, INITIATE_MIN: 257, READY_MIN: 30, MESSAGE_MIN: 33 } as const;
