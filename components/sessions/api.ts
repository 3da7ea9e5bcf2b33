/**
 * The sessions page's calls: connections (core), search (lib/http/search-contracts.ts), exports and
 * imports (lib/http/capture-contracts.ts). Downloads are plain links (linkUrl), so the browser saves
 * the file itself.
 */
import { captureContracts } from '@/lib/http/capture-contracts.ts';
import { ApiError, BODY_TYPES, browserHeaders, callRoute, linkUrl, parseReply, type ReplyOf } from '@/lib/http/contract.ts';
import { coreContracts } from '@/lib/http/core-contracts.ts';
import { searchContracts } from '@/lib/http/search-contracts.ts';

export type ExportFormat = 'json' | 'text' | 'pcapng' | 'keylog';

/** The export formats, as the menus offer them. */
export const EXPORT_FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'json', label: 'JSON', hint: 'Everything the lab recorded; import it back here' },
  { format: 'text', label: 'Text', hint: 'The transcript as plain text, for handouts' },
  { format: 'pcapng', label: 'pcapng', hint: 'For Wireshark and tshark: each connection as a TCP stream, annotations as packet comments' },
  { format: 'keylog', label: 'Key log', hint: 'TLS secrets (NSS key log) for the sessions the lab holds a side of, so Wireshark decrypts them' },
];

export type SearchReply = ReplyOf<typeof searchContracts.search>;
export type ImportReply = ReplyOf<typeof captureContracts.import>;

/** How many connections the page lists at a time (Show older fetches as many more). */
export const LISTED = 300;

export const sessionsApi = {
  /** The newest LISTED connections, or the LISTED before `before` (a start time) for the next page back. */
  connections: (before?: number) => callRoute(coreContracts.connections, { query: { limit: LISTED, ...(before === undefined ? {} : { before }) } }),
  search: (q: string, signal?: AbortSignal) => callRoute(searchContracts.search, { query: { q, limit: 200 }, signal }),
  exportUrl: (id: string, format: ExportFormat) => linkUrl(captureContracts.exportConnection, { params: { id }, query: { format } }),
  exportSelectionUrl: (ids: string[], format: ExportFormat) => linkUrl(captureContracts.exportSelection, { query: { conns: ids.join(','), format } }),
  /** Sends a JSON export (as JSON) or a pcapng file (as bytes) to POST /api/import. */
  async importFile(file: File): Promise<ImportReply> {
    const json = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
    const send = (type: string) => fetch(captureContracts.import.path, { method: 'POST', headers: { ...browserHeaders(), 'content-type': type }, body: file, cache: 'no-store' });
    let res = await send(json ? BODY_TYPES.json : BODY_TYPES.bytes);
    // The route reads bytes either way; a router that insists on one type says so with 415.
    if (res.status === 415 && json) res = await send(BODY_TYPES.bytes);
    return parseReply(captureContracts.import, res.status, res.statusText, await res.text());
  },
};


/** An API error's own words, or a generic line. */
export const errorText = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : 'Something went wrong.');
