/**
 * Wireshark-style hand-off: a carrier dissector (SMTP DATA, an HTTP body, an SSH direct-tcpip
 * channel) asks the registry "who reads a body of this media type / this payload?" instead of
 * importing the child dissector. Planned children: SOAP in a mail body (today), WS-Policy
 * assertions in a SOAP header, ZMTP inside an SSH direct-tcpip channel.
 */
import type { Annotation } from '../../wire/event.ts';
import type { DissectedMessage } from '../types.ts';

/** What the carrier knows about the payload it wants read. */
export interface HandoffQuery {
  /** The payload's media type, as its carrier labelled it (a Content-Type value). */
  mediaType?: string;
  /** The payload's first bytes, for children recognised by a signature rather than a label. */
  payload?: Uint8Array;
}

/** What a child dissector made of a payload: a one-line description and its annotated lines. */
export interface HandoffResult {
  /** e.g. "a SOAP 1.2 getMonth request": completes "The message body is …". */
  description: string;
  /** Lines to append after the carrier's own messages; each covers 0 raw bytes (the carrier's do). */
  messages: DissectedMessage[];
}

/** One child dissector the registry knows. Pure: `dissect` never throws on garbage. */
export interface Handoff {
  /** Stable id the carrier keeps in its (plain-data) state while the payload streams by. */
  id: string;
  /** The child's name in the hand-off note: "handed to the SOAP dissector". */
  name: string;
  accepts(query: HandoffQuery): boolean;
  dissect(payload: Uint8Array, options: { dir: 'client' | 'server'; maxLines: number }): HandoffResult;
  /** What this hand-off means for a student, shown on the carrier's hand-off note. */
  note: Annotation;
}

/** The children a carrier may hand off to, in the order they are asked. */
export type HandoffRegistry = readonly Handoff[];

/** The first child that reads this payload, if any. */
export function findHandoff(registry: HandoffRegistry, query: HandoffQuery): Handoff | undefined {
  return registry.find((h) => h.accepts(query));
}

/** A registered child by id (the carrier stored the id while it collected the payload). */
export function handoffById(registry: HandoffRegistry, id: string): Handoff | undefined {
  return registry.find((h) => h.id === id);
}
