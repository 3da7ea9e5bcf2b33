'use client';

import { useMemo, useState } from 'react';
import { Panel } from '@/components/lab/panel';
import { TabBar } from '@/components/lab/tab-bar';
import { ViewToggle } from '@/components/lab/view-toggle';
import { Ladder } from '@/components/ladder/ladder';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { laterThanFrozen, MAX_LANES_PER_SESSION, upToFrozen, type FollowFeed, type Frozen } from './follow-feed';
import { noticeBox } from './styles';

type Tab = 'transcript' | 'ladder';
const TABS = [
  ['transcript', 'Transcript'],
  ['ladder', 'Ladder'],
] as const;

/**
 * The teacher's sessions on a student's page, read-only, in wire order: transcript or ladder. While
 * the class is frozen it stops after that message; what came later is kept and shows on unfreeze.
 */
export function FollowView({ feed, version, frozen }: { feed: FollowFeed; version: number; frozen: Frozen | null }) {
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<Tab>('transcript');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // The feed changes in place; its version says when to look again.
  const timeline = useMemo(() => feed.timeline(), [feed, version]);
  const connections = useMemo(() => feed.connections(), [feed, version]);
  const cut = useMemo(() => (frozen ? upToFrozen(timeline, frozen) : timeline), [timeline, frozen]);
  const shown = useMemo(() => (cut ?? []).filter((m) => isVisible(m, mode)), [cut, mode]);
  const later = frozen && cut ? laterThanFrozen(timeline, frozen) : 0;
  const live = connections.filter((c) => c.endedAt === null);
  // The teacher may have several sessions at once (a console and a tunnel): each run of rows says whose it is.
  const names = useMemo(() => new Map(connections.map((c) => [c.id, `${c.protocol.toUpperCase()} · ${c.label ?? 'client'}`])), [connections]);
  // The page keeps each session's newest lanes only (its memory bound): say so rather than let them vanish silently.
  const dropped = useMemo(() => [...feed.droppedLanes()].map(([root, n]) => `${n} of ${names.get(root) ?? root}`), [feed, names, version]);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      {frozen && (
        <p className={`${noticeBox} text-lg`} role="status" data-testid="frozen-banner">
          <strong>Frozen by the teacher</strong> on this message{cut ? '' : ' (reading it…)'}.
          {later > 0 && <span className="text-amber-200/80"> {later} later {later === 1 ? 'message waits' : 'messages wait'} until the teacher unfreezes.</span>}
        </p>
      )}
      {dropped.length > 0 && (
        <p className="text-sm text-slate-400" role="note" data-testid="follow-dropped-lanes">
          This page keeps each session&apos;s newest {MAX_LANES_PER_SESSION} data connections and tunnels; earlier ones not shown: {dropped.join(', ')}.
        </p>
      )}
      <Panel
        title={tab === 'transcript' ? "The teacher's session" : "The teacher's session — ladder"}
        className="min-h-0 flex-1"
        actions={
          <>
            <span className="hidden text-xs text-slate-400 xl:inline">
              {live.length > 0 ? `live: ${live.map((c) => `${c.protocol.toUpperCase()} ${c.label ?? 'client'}`).join(', ')}` : connections.length > 0 ? 'no session live' : ''}
            </span>
            <ViewToggle mode={mode} onChange={setMode} />
            <TabBar tabs={TABS} value={tab} onChange={setTab} label="Transcript or ladder" />
          </>
        }
      >
        <div className="h-full" data-testid="follow-view">
          {tab === 'transcript' ? (
            <TranscriptPanel
              messages={shown}
              selectedId={selectedId}
              onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
              emptyText="Following: the teacher's session shows here as it happens, read-only. Your own sandbox is untouched."
              playerLink={false}
              connectionOf={(m) => names.get(m.conn) ?? m.conn}
            />
          ) : (
            <Ladder connections={connections} messages={shown} selectedId={selectedId} onSelect={setSelectedId} />
          )}
        </div>
      </Panel>
    </div>
  );
}
