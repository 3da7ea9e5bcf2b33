/**
 * GET /api/search: the filter language (lib/search) over the caller's sandbox's stored transcripts.
 * Reads only through the store's sandbox-scoped reads, within SEARCH_BOUNDS.
 */
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { searchContracts as c } from '../../lib/http/search-contracts.ts';
import { compileFilter } from '../../lib/search/filter.ts';
import { SEARCH_BOUNDS, searchTranscripts, type TranscriptSource } from '../../lib/search/search-transcripts.ts';
import type { IncomingMessage } from 'node:http';

/** The routes of the transcript search. */
export function searchRoutes(ctx: { sandboxOf(req: IncomingMessage): string; transcripts: TranscriptSource }): ApiRoute[] {
  return [
    defineRoute(c.search, ({ query, req }) => {
      const filter = compileFilter(query.q);
      if (!filter.ok) throw new HttpError(400, `Cannot read the search: ${filter.error}`);
      const result = searchTranscripts(ctx.transcripts, ctx.sandboxOf(req), filter.test, {
        protocol: query.protocol,
        limit: query.limit,
        maxConnections: SEARCH_BOUNDS.maxConnections,
        maxMessages: SEARCH_BOUNDS.maxMessages,
      });
      return { description: filter.description, ...result };
    }),
  ];
}
