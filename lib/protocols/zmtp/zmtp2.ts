/**
 * ZMTP 2.0 (ZMTP RFC 15): a 12-octet greeting — signature, revision 0x01, one socket-type octet — then an
 * identity frame and frames whose flags carry only MORE and LONG. A ZMTP 3 peer that reads revision 1 or 2
 * answers in kind (ZMTP RFC 37 §6.1): its major version 3, then its own socket-type octet instead of the rest
 * of a 3.x greeting. Pure helpers for the dissector.
 */
import type { Annotation, Field } from '../../wire/event.ts';
import { annotate } from './annotate.ts';
import { legalPair, legalPairsOf } from './tables.ts';

/** The socket-type octet's values, ZMTP RFC 15 §5.1 (PAIR = %x00 … PUSH = %x08). */
export const ZMTP2_SOCKET_TYPES = ['PAIR', 'PUB', 'SUB', 'REQ', 'REP', 'DEALER', 'ROUTER', 'PULL', 'PUSH'] as const;

/** The greeting's major version or revision octet (octet 10): below 3 it is ZMTP 2.0's revision. */
export const isZmtp2Revision = (octet: number): boolean => octet < 3;

/** Flags a ZMTP 2.0 frame may have: MORE and LONG; bits 2–7 are reserved and MUST be zero (ZMTP RFC 15 §5.2). */
export const ZMTP2_RESERVED_FLAGS = 0xfc;

export interface GreetingPiece {
  text: string;
  annotation: Annotation;
  fields?: Field[];
}

/** Octet 10 of a ZMTP 2.0 greeting: the revision (1 is ZMTP 2.0; libzmq and RFC 37 §6.1 take 0 and 2 alike). */
export function revisionPiece(revision: number): GreetingPiece {
  const extra = revision === 1 ? undefined : `This peer says revision ${revision}; RFC 15's grammar has 0x01, and libzmq reads any revision below 3 as ZMTP 2.0.`;
  return {
    text: `revision ${revision} (ZMTP 2.0)`,
    annotation: annotate('zmtp.v2.revision', extra ? { extra, level: 'warn' } : {}),
    fields: [{ name: 'revision', value: String(revision), note: 'ZMTP 2.0', start: 0, end: 1 }],
  };
}

/**
 * Octet 11: the socket type, by name. `downgraded`: the sender speaks ZMTP 3 and sends it because the peer's
 * revision was below 3. `peerType`: the other side's socket type, when known (an illegal pair is an error).
 */
export function socketTypePiece(octet: number, downgraded: boolean, peerType: string | undefined): GreetingPiece & { socketType?: string } {
  const socketType = ZMTP2_SOCKET_TYPES[octet] as string | undefined;
  const name = socketType ?? 'unknown';
  const fields: Field[] = [{ name: 'socket-type', value: name, note: `octet 0x${octet.toString(16).padStart(2, '0')}`, start: 0, end: 1 }];
  const key = downgraded ? 'zmtp.v2.downgrade' : 'zmtp.v2.socket-type';
  const text = `socket type ${octet} (${name})`;
  if (!socketType) return { text, fields, annotation: annotate(key, { level: 'warn', extra: `RFC 15 names the octets 0 to 8 only; ${octet} is none of them.` }) };
  if (peerType && legalPair(socketType, peerType) === false) {
    const extra = `This side is ${socketType}, its peer ${peerType}: not a legal pair (${legalPairsOf(socketType)}), so the receiving side disconnects silently.`;
    return { text, fields, socketType, annotation: annotate(key, { level: 'error', extra }) };
  }
  return { text, fields, socketType, annotation: annotate(key) };
}
