/**
 * The captured bytes of one wire message (lib/http/capture-contracts.ts `messageBytes`): where
 * they start in their direction's stream, how many there were, and the bytes themselves
 * (`truncated` when the capture keeps fewer than the message had).
 */
import { callRoute } from '@/lib/http/contract.ts';
import { captureContracts } from '@/lib/http/capture-contracts.ts';

export interface MessageBytes {
  /** Offset of the first byte in its direction's forwarded stream. */
  at: number;
  /** The message's size on the wire. */
  total: number;
  bytes: Uint8Array;
  truncated: boolean;
}

/** Fetches a message's bytes; throws the API's error in words (no capture for it, unknown message…). */
export async function fetchMessageBytes(conn: string, seq: number, signal?: AbortSignal): Promise<MessageBytes> {
  const reply = await callRoute(captureContracts.messageBytes, { params: { id: conn, seq }, signal });
  const binary = atob(reply.data);
  return { at: reply.at, total: reply.bytes, truncated: reply.truncated, bytes: Uint8Array.from(binary, (c) => c.charCodeAt(0)) };
}
