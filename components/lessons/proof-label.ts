/** How a step's proof names its messages. */
import { messageIdParts } from '@/lib/wire/event.ts';

/** The connection of a message id. */
export const connOf = (id: string): string => messageIdParts(id)?.conn ?? id;

/** "message 19", or where a step's proof spans connections, "message 19 of connection 2" (numbered as they first appear). */
export function proofLabel(proof: readonly string[], id: string): string {
  const seq = messageIdParts(id)?.seq ?? id;
  const conns = [...new Set(proof.map(connOf))];
  return conns.length > 1 ? `message ${seq} of connection ${conns.indexOf(connOf(id)) + 1}` : `message ${seq}`;
}
