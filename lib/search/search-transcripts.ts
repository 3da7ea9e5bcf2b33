/**
 * Searches a sandbox's stored transcripts with a filter (filter.ts): newest connection first, each
 * connection's messages in wire order, reading pages through the store's own public reads so only
 * the sandbox's connections are ever seen. Work is bounded three ways (connections read, messages
 * read, hits kept), and the answer says which bound stopped it, so "no hits" is never claimed over
 * a transcript that was not read.
 */
import type { ConnectionInfo, LabMessage, Protocol } from '../wire/event.ts';

/** The reads a search needs: TranscriptStore has them (listConnections, getConnection). */
export interface TranscriptSource {
  listConnections(sandbox: string, filter: { protocol?: Protocol; limit: number }): ConnectionInfo[];
  getConnection(sandbox: string, id: string, page: { from?: number; limit?: number }): { connection: ConnectionInfo; messages: LabMessage[]; next: number | null } | null;
}

export interface SearchBounds {
  protocol?: Protocol;
  /** Most hits returned. */
  limit: number;
  /** Most connections read (newest first). */
  maxConnections: number;
  /** Most messages read in all. */
  maxMessages: number;
}

/** Defaults of the search route: enough for a class's morning, small enough to answer at once. */
export const SEARCH_BOUNDS = { limit: 100, maxLimit: 500, maxConnections: 300, maxMessages: 50_000 } as const;

/** One message that matched, with the connection it belongs to. */
export interface SearchHit {
  connection: ConnectionInfo;
  message: LabMessage;
}

export interface SearchResult {
  hits: SearchHit[];
  /** Connections and messages read. */
  scanned: { connections: number; messages: number };
  /** Why the search stopped before reading everything: 'limit' (enough hits), 'connections' or 'messages' (a bound); null = read it all. */
  stoppedBy: 'limit' | 'connections' | 'messages' | null;
}

/** Messages read per store call. */
const PAGE = 500;

/** Runs `test` over the sandbox's stored messages within the bounds. */
export function searchTranscripts(source: TranscriptSource, sandbox: string, test: (m: LabMessage) => boolean, bounds: SearchBounds): SearchResult {
  const hits: SearchHit[] = [];
  // One more than the bound: whether the bound cut anything off.
  const connections = source.listConnections(sandbox, { protocol: bounds.protocol, limit: bounds.maxConnections + 1 });
  let read = 0;
  let scannedConnections = 0;
  for (const listed of connections.slice(0, bounds.maxConnections)) {
    scannedConnections++;
    let from: number | null = 0;
    while (from !== null) {
      if (read >= bounds.maxMessages) return { hits, scanned: { connections: scannedConnections, messages: read }, stoppedBy: 'messages' };
      const page = source.getConnection(sandbox, listed.id, { from, limit: Math.min(PAGE, bounds.maxMessages - read) });
      if (!page) break; // pruned between the list and the read
      for (const message of page.messages) {
        read++;
        if (!test(message)) continue;
        hits.push({ connection: page.connection, message });
        if (hits.length >= bounds.limit) return { hits, scanned: { connections: scannedConnections, messages: read }, stoppedBy: 'limit' };
      }
      from = page.next;
    }
  }
  const stoppedBy = connections.length > bounds.maxConnections ? 'connections' : null;
  return { hits, scanned: { connections: scannedConnections, messages: read }, stoppedBy };
}
