'use client';

import { useCallback, useEffect, useState } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import { errorText, LISTED, sessionsApi } from './api';
import { applyConnectionEvents } from './connection-tree';
import type { ConnectionInfo } from './types';

/** The connections of this browser's sandbox, newest first, LISTED at a time, kept current by the live events. */
export function useConnections(): { connections: ConnectionInfo[]; error: string | null; loaded: boolean; refresh(): Promise<void>; older: (() => Promise<void>) | null } {
  const { subscribe } = useLabSocket();
  const [connections, setConnections] = useState<ConnectionInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  // A full page may have more behind it (a client retrying in a loop fills a page in a minute).
  const [more, setMore] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const reply = await sessionsApi.connections();
      // Live events that arrived while the list loaded are newer than it: keep them.
      setConnections((live) => applyConnectionEvents(reply.connections, live.map((connection) => ({ type: 'connection.update' as const, connection }))));
      setMore(reply.connections.length === LISTED);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLoaded(true);
    }
  }, []);

  useEffect(() => {
    const unsubscribe = subscribe((message) => {
      if (message.type === 'events') setConnections((list) => applyConnectionEvents(list, message.events));
    });
    void refresh();
    return unsubscribe;
  }, [subscribe, refresh]);

  const older = useCallback(async () => {
    const oldest = Math.min(...connections.map((c) => c.startedAt));
    try {
      const reply = await sessionsApi.connections(oldest);
      setConnections((list) => [...list, ...reply.connections.filter((c) => !list.some((known) => known.id === c.id))]);
      setMore(reply.connections.length === LISTED);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, [connections]);

  return { connections, error, loaded, refresh, older: more && connections.length > 0 ? older : null };
}
