'use client';

import Link from 'next/link';
import { useCallback, useMemo, useState } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import { clockTime, formatMs } from '@/components/lab/format';
import { useLabSocket } from '@/components/lab/lab-socket';
import { Panel } from '@/components/lab/panel';
import { StepControls } from '@/components/lab/step-controls';
import { TabBar } from '@/components/lab/tab-bar';
import { Ladder } from '@/components/ladder/ladder';
import { ViewToggle } from '@/components/lab/view-toggle';
import { LABS } from '@/components/labs';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { encryptionBadges } from '@/components/transcript/badges';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { sessionsApi } from '@/components/sessions/api';
import { ExportMenu } from '@/components/sessions/export-menu';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { BytesView } from './bytes-view';
import { keptNotice } from './kept-notice';
import { PlayerControls } from './player-controls';
import { usePosition } from './use-position';
import { useSession } from './use-session';
import { counted } from '@/lib/text/numbers.ts';

type SideTab = 'transcript' | 'ladder';
const SIDE_TABS = [
  ['transcript', 'Transcript'],
  ['ladder', 'Ladder'],
] as const;

/**
 * The session player for one connection, live or finished: a timeline of its messages (and its
 * linked connections') to step, jump, scrub and play through; terminal, transcript and ladder drawn up to the
 * selected message; the selected message's bytes below. Render it under LabSocketProvider.
 * A class's page passes `read` (the teacher's transcripts) and `at` (the seq the teacher rewound to):
 * then the player fills the space it is given, the URL is left alone, and there are no step controls
 * or bytes, which are the student's own sandbox's.
 */
export function SessionPlayer({ conn, read, at }: { conn: string; read?: TranscriptReader; at?: number }) {
  const { fontSize, presenter } = useDisplay();
  const { lastError } = useLabSocket();
  const session = useSession(conn, read, at);
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<SideTab>('transcript');
  const { info, children } = session;

  const timeline = useMemo(() => session.messages.filter((m) => isVisible(m, mode)), [session.messages, mode]);
  const startedAt = useCallback((id: string) => (id === info?.id ? info.startedAt : (children.find((c) => c.id === id)?.startedAt ?? info?.startedAt ?? 0)), [info, children]);
  const position = usePosition(conn, timeline, { loaded: session.loaded, startedAt, at });
  const upTo = useMemo(() => timeline.slice(0, position.index + 1), [timeline, position.index]);
  const badgeOf = useMemo(() => encryptionBadges(timeline), [timeline]);
  const connections = useMemo(() => (info ? [info, ...children] : []), [info, children]);
  const selectedId = position.selected?.id ?? null;
  const kept = useMemo(() => keptNotice(connections, session.messages, session.around ?? undefined), [connections, session.messages, session.around]);
  const live = info !== null && info.endedAt === null;
  const lab = info ? LABS.find((l) => l.slug === info.protocol) : undefined;
  const n = position.index + 1;
  const hasBytes = position.selected !== undefined && position.selected.view === 'wire' && position.selected.dir !== 'note';

  if (session.error) {
    return (
      <div className="mx-auto max-w-3xl px-6 py-10" data-testid="player-error">
        <h1 className="text-xl font-semibold text-white">Session player</h1>
        <p className="mt-3 text-slate-300">{session.error}</p>
      </div>
    );
  }

  return (
    <div className={`flex flex-col gap-2 p-3 ${read ? 'h-full min-h-[28rem]' : 'h-[calc(100vh-3rem)] min-h-[600px]'}`} data-testid="session-player">
      {/* One row where it can be (Presenter mode at 1280 px too): the title gives way, cut, whole in its tooltip. */}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="min-w-0 flex-[1_1_24rem] truncate text-lg font-semibold text-white" title={info ? `Session player — ${describe(info, children)}` : undefined} data-testid="player-title">
          Session player
          {info && <span className="text-sm font-normal text-slate-400"> — {describe(info, children)}</span>}
        </h1>
        {info && <LiveBadge info={info} />}
        <ViewToggle mode={mode} onChange={setMode} />
        {/* The sandbox's own session: its exports here too, not only on the list (a class's rewind reads another's). */}
        {info && !read && <ExportMenu name={describe(info, children)} href={(format) => sessionsApi.exportUrl(info.id, format)} />}
        {lab && (
          <Link href={`/${lab.slug}`} className="ml-auto text-sm text-sky-300 hover:text-sky-100">
            {lab.name} lab
          </Link>
        )}
      </div>
      {live && info && !read && (
        <div
          className="flex items-center gap-3 rounded-md border border-slate-800 px-2 py-1"
          title="Step mode holds messages at the tap: Back browses what is already released while the rest waits. From this page it holds your sandbox's own clients (swaks, curl…); what a lab page opened (its console, its file panel) is held from that page."
        >
          <span className="whitespace-nowrap text-sm text-slate-400">At the tap, live:</span>
          <StepControls protocol={info.protocol} />
          {info.openedByPage && (
            // What the tooltip says, on screen where it matters: this step mode passes by what a lab page opened.
            <span className="shrink-0 text-xs text-amber-200" data-testid="player-step-console-note">
              opened by a lab page: hold it from that page
            </span>
          )}
        </div>
      )}
      <PlayerControls position={position} messages={timeline} live={live} />
      {(lastError || position.notice) && <p className="rounded border border-amber-800 bg-amber-950/40 px-3 py-1 text-sm text-amber-100">{lastError ?? position.notice}</p>}
      {kept && (
        <p className="rounded border border-amber-800 bg-amber-950/40 px-3 py-1 text-sm text-amber-100" data-testid="player-kept">
          {kept}
        </p>
      )}
      {/*
        The bytes panel is as tall as the selected message's bytes need, up to a share of the page: on a projector
        (larger type) up to 55 %, so a hello's fields stay in view, while a short reply leaves the terminal and the
        transcript the room. A message without wire bytes (a note, the endpoint view) needs one line there.
      */}
      <div className={`grid min-h-0 flex-1 grid-cols-1 gap-2 lg:grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)] ${read ? 'grid-rows-[minmax(0,1fr)]' : !hasBytes ? 'grid-rows-[minmax(0,1fr)_auto]' : presenter ? 'grid-rows-[minmax(0,1fr)_fit-content(55%)]' : 'grid-rows-[minmax(0,1fr)_fit-content(48%)]'}`}>
        <Panel title={n > 0 ? `Terminal, up to message ${n}` : 'Terminal'}>
          <div className="h-full p-2">
            {/* The font size is in the reset key: annotations are wrapped to the width they were written at. */}
            <TerminalPanel label="Session terminal" messages={upTo} resetKey={`${conn}-${mode}-${fontSize}`} selectedId={selectedId} onSelect={position.select} fontSize={fontSize} />
          </div>
        </Panel>
        <Panel title={tab === 'transcript' ? `Transcript (${n} of ${timeline.length})` : 'Ladder'} actions={<TabBar tabs={SIDE_TABS} value={tab} onChange={setTab} />}>
          {tab === 'transcript' ? (
            <TranscriptPanel playerLink={false} messages={upTo} badgeOf={badgeOf} selectedId={selectedId} onSelect={position.select} emptyText={session.loaded ? 'No messages in this view.' : 'Loading the transcript…'} />
          ) : (
            <Ladder connections={connections} messages={upTo} selectedId={selectedId} onSelect={position.select} />
          )}
        </Panel>
        {!read && (
          <Panel className="lg:col-span-2" title={position.selected ? `Bytes of message ${n}` : 'Bytes'}>
            <BytesView message={position.selected} badge={position.selected ? badgeOf(position.selected) : null} />
          </Panel>
        )}
      </div>
    </div>
  );
}

/** 'FTP · browser console · 127.0.0.1:53412 → 127.0.0.1:2121 · 10:31:02 · 14 s · + 2 linked connections' */
function describe(info: ConnectionInfo, children: ConnectionInfo[]): string {
  const parts = [info.protocol.toUpperCase(), info.label ?? 'client', info.server ? `${info.client} → ${info.server}` : info.client, clockTime(info.startedAt)];
  if (info.endedAt) parts.push(formatMs(info.endedAt - info.startedAt));
  if (children.length) parts.push(`+ ${counted(children.length, 'linked connection')}`);
  return parts.join(' · ');
}

function LiveBadge({ info }: { info: ConnectionInfo }) {
  const live = info.endedAt === null;
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs ${live ? 'bg-emerald-500/15 text-emerald-300' : 'bg-slate-700/50 text-slate-300'}`} data-testid="session-state">
      {live ? 'live' : 'ended'}
    </span>
  );
}
