'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { Ladder } from '@/components/ladder/ladder';
import { coreApi } from '@/components/lab/api';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { ViewToggle } from '@/components/lab/view-toggle';
import { errorText } from './api';
import { playerHref } from '@/components/player/timeline';
import type { ConnectionInfo, LabMessage } from './types';

/** Most messages read per connection for the ladder (the API's largest page). */
const PER_CONNECTION = 2000;

/** The selected connections and everything filed under them (FTP data connections, tunnels). */
export function withChildren(all: ConnectionInfo[], ids: string[]): ConnectionInfo[] {
  const wanted = new Set(ids);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of all) {
      if (c.parent && wanted.has(c.parent) && !wanted.has(c.id)) {
        wanted.add(c.id);
        grew = true;
      }
    }
  }
  return all.filter((c) => wanted.has(c.id));
}

/** The ladder of the selected connections (issue 14 #4: across protocols); a row opens the player at its message. */
export function SelectionLadder({ connections }: { connections: ConnectionInfo[] }) {
  const router = useRouter();
  const [messages, setMessages] = useState<LabMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<ViewMode>('endpoint');
  const key = connections.map((c) => `${c.id}:${c.messageCount}`).join(',');

  useEffect(() => {
    const controller = new AbortController();
    Promise.all(connections.map((c) => coreApi.transcript(c.id, { limit: PER_CONNECTION }, controller.signal)))
      .then((pages) => {
        setMessages(pages.flatMap((p) => p.messages));
        setError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(errorText(err));
      });
    return () => controller.abort();
    // The key names what to load: the connections and how far each has come.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const shown = useMemo(() => messages.filter((m) => isVisible(m, view)), [messages, view]);
  if (connections.length === 0) return <p className="p-3 text-sm text-slate-400">Select connections in the list to draw them as one ladder.</p>;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex items-center gap-2 border-b border-slate-800 px-2 py-1">
        <ViewToggle mode={view} onChange={setView} />
        <span className="text-xs text-slate-400">click a row to open it in the player</span>
      </div>
      {error && <p className="m-2 text-sm text-red-300">{error}</p>}
      <div className="min-h-0 flex-1">
        <Ladder
          connections={connections}
          messages={shown}
          onSelect={(id) => {
            const m = messages.find((x) => x.id === id);
            if (m) router.push(playerHref(m.conn, m));
          }}
        />
      </div>
    </div>
  );
}
