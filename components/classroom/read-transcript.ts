import { MAX_MESSAGES_PER_CONNECTION } from '@/components/lab/lab-feed';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import { mergeTimeline } from '@/components/player/timeline';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';

/** Messages asked for per request (the class routes allow up to 1000). */
const PAGE_SIZE = 1000;

/**
 * A whole stored transcript (up to what a page keeps), read page by page through `read`. With
 * `withChildren`, its children of the same protocol (an FTP session's data connections) are read
 * too and merged in wire order, as the session player shows them.
 */
export async function readTranscript(read: TranscriptReader, conn: string, signal?: AbortSignal, options: { withChildren?: boolean } = {}): Promise<{ connection: ConnectionInfo; messages: LabMessage[] }> {
  let from: number | null = 0;
  let connection: ConnectionInfo | null = null;
  let children: ConnectionInfo[] = [];
  const messages: LabMessage[] = [];
  while (from !== null && messages.length < MAX_MESSAGES_PER_CONNECTION) {
    const page = await read(conn, { from, limit: PAGE_SIZE }, signal);
    connection = page.connection;
    if (from === 0) children = page.children ?? [];
    messages.push(...page.messages);
    from = page.next ?? null;
  }
  if (!connection) throw new Error(`No transcript for ${conn}.`);
  const protocol = connection.protocol;
  const kids = options.withChildren ? children.filter((c) => c.protocol === protocol) : [];
  if (kids.length === 0) return { connection, messages };
  const childTranscripts = await Promise.all(kids.map((c) => readTranscript(read, c.id, signal)));
  const byId = new Map<string, LabMessage[]>([[conn, messages], ...childTranscripts.map((t) => [t.connection.id, t.messages] as [string, LabMessage[]])]);
  return { connection, messages: mergeTimeline([connection, ...childTranscripts.map((t) => t.connection)], (id) => byId.get(id) ?? []) };
}
