/**
 * The daemon's own routes for the pages (lib/http/core-contracts.ts): connections and their
 * transcripts, the mailbox. Replies are parsed by the contracts' schemas.
 */
import { ApiError, callRoute } from '@/lib/http/contract.ts';
import { coreContracts as c } from '@/lib/http/core-contracts.ts';
import type { Protocol } from '@/lib/wire/event.ts';

export const coreApi = {
  connections: (protocol: Protocol, limit: number) => callRoute(c.connections, { query: { protocol, limit } }),
  /** One page of a stored transcript: messages with seq ≥ from. */
  transcript: (id: string, page: { from?: number; limit?: number } = {}, signal?: AbortSignal) => callRoute(c.connection, { params: { id }, query: page, signal }),
  mailbox: () => callRoute(c.mailbox),
  mail: (id: string) => callRoute(c.mail, { params: { id } }),
  /** The RFC 5322 source as stored. */
  mailSource: async (id: string) => {
    const res = await callRoute(c.mailRaw, { params: { id } });
    return res.text();
  },
};

export { ApiError };
