'use client';

import { useMemo } from 'react';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import { readTranscript } from './read-transcript';
import { usePoll, type Polled } from './use-poll';

/** How often a live connection's transcript is read again. */
export const LIVE_REFRESH_MS = 2000;

/**
 * A connection's stored transcript, read again every 2 s while the connection is live. Keep `read`
 * stable. `withChildren` merges in its data connections (the projector; not the teacher's own list,
 * whose selection names a message of `conn` itself).
 */
export function useLiveTranscript(read: TranscriptReader | null, conn: string | null, withChildren = false): Polled<Awaited<ReturnType<typeof readTranscript>>> {
  const load = useMemo(() => (read && conn ? (signal: AbortSignal) => readTranscript(read, conn, signal, { withChildren }) : null), [read, conn, withChildren]);
  return usePoll(load, LIVE_REFRESH_MS, (t) => t.connection.endedAt === null);
}
