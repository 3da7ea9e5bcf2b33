import { MAX_MESSAGES_PER_CONNECTION } from '@/components/lab/lab-feed';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';

/** Messages asked for per request (the class routes allow up to 1000). */
const PAGE_SIZE = 1000;

/** A whole stored transcript (up to what a page keeps), read page by page through `read`. */
export async function readTranscript(read: TranscriptReader, conn: string, signal?: AbortSignal): Promise<{ connection: ConnectionInfo; messages: LabMessage[] }> {
  let from: number | null = 0;
  let connection: ConnectionInfo | null = null;
  const messages: LabMessage[] = [];
  while (from !== null && messages.length < MAX_MESSAGES_PER_CONNECTION) {
    const page = await read(conn, { from, limit: PAGE_SIZE }, signal);
    connection = page.connection;
    messages.push(...page.messages);
    from = page.next ?? null;
  }
  if (!connection) throw new Error(`No transcript for ${conn}.`);
  return { connection, messages };
}
