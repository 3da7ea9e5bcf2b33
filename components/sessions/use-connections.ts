'use client';

import { useCallback, useEffect, useState } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import { errorText, sessionsApi } from './api';
import { applyConnectionEvents } from './connection-tree';
import type { ConnectionInfo } from './types';

/** Every connection of this browser's sandbox (newest LISTED), kept current by the live events. */
export function useConnections(): { connections: ConnectionInfo[]; error: string | null; loaded: boolean; refresh(): Promise<void> } {
  const { subscribe } = useLabSocket();
  const [connections, setConnections] = useState<ConnectionInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const reply = await sessionsApi.connections();
      // Live events that arrived while the list loaded are newer than it: keep them.
      setConnections((live) => applyConnectionEvents(reply.connections, live.map((connection) => ({ type: 'connection.update' as const, connection }))));
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

  return { connections, error, loaded, refresh };
}
