/**
 * Contract of the transcript search (issue 14 #5): GET /api/search runs a query in the filter
 * language (lib/search) over the caller's sandbox's stored transcripts, newest connection first.
 */
import { z } from 'zod';
import { MAX_QUERY_LENGTH } from '../search/query.ts';
import { SEARCH_BOUNDS, type SearchResult } from '../search/search-transcripts.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { ConnectionInfoSchema, LabMessageSchema } from './core-contracts.ts';
import { route } from './contract.ts';

const SearchReplySchema = z.object({
  /** The query as read back in words (filter.ts describeQuery): shown under the search box. */
  description: z.string(),
  hits: z.array(z.object({ connection: ConnectionInfoSchema, message: LabMessageSchema })),
  scanned: z.object({ connections: z.number(), messages: z.number() }),
  stoppedBy: z.enum(['limit', 'connections', 'messages']).nullable(),
}) satisfies z.ZodType<SearchResult & { description: string }>;

export const searchContracts = {
  /** `q` in the filter language; a query that cannot be read is a 400 whose error says why, in words. */
  search: route({
    method: 'GET',
    path: '/api/search',
    query: z.object({
      q: z.string().max(MAX_QUERY_LENGTH, `The query is longer than ${MAX_QUERY_LENGTH} characters.`).default(''),
      protocol: z.enum(PROTOCOLS).optional(),
      limit: z.coerce.number().int().min(1).max(SEARCH_BOUNDS.maxLimit).default(SEARCH_BOUNDS.limit),
    }),
    reply: SearchReplySchema,
  }),
};
