'use client';

import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import type { LabFeed } from '@/components/lab/lab-feed';
import { useLabSocket } from '@/components/lab/lab-socket';
import { Panel } from '@/components/lab/panel';
import { QuickInsert, type Suggestion } from '@/components/lab/quick-insert';
import { describeStatus, useConsole } from '@/components/lab/use-console';
import type { ViewMode } from '@/components/terminal/render';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import type { ZmqConsoleKind } from './api';
import { ConsoleTimeline, shownOnScreen } from './console-timeline';

/** What a pattern console gives its tab: the connection it opened and a way to type into it. */
export interface ZmqConsoleHandle {
  conn: string | null;
  sendLine(line: string): void;
}

/** The console's connections: the one it reports and any the lab files under it (workers, a tunnel's ZMTP). */
export function consoleConnections(feed: LabFeed, conn: string | null): string[] {
  if (!conn) return [];
  return [conn, ...feed.listConnections().filter((c) => c.parent === conn).map((c) => c.id)];
}

/**
 * One socket pattern's browser console: a line console the daemon runs (console.open with `kind`),
 * shown in xterm as what its program prints with every ZMTP frame of its connections annotated
 * under it, in the order they reached the page. Enter sends a line (`help` lists the commands).
 */
export function ZmqConsole(props: {
  kind: ZmqConsoleKind;
  title: string;
  feed: LabFeed;
  mode: ViewMode;
  /** Buttons under the terminal: each sends its lines to the console. */
  suggestions?: Suggestion[];
  actions?: ReactNode;
  /** Called with the console's handle whenever its connection changes. */
  onHandle?(handle: ZmqConsoleHandle): void;
  className?: string;
}) {
  const { feed, kind, mode } = props;
  const { connected } = useLabSocket();
  const { fontSize } = useDisplay();
  const timeline = useRef(new ConsoleTimeline(`zmq-${kind}`));
  const [, setVersion] = useState(0);
  const console_ = useConsole('zmq', { kind, afresh: true, onOutput: (data) => timeline.current.addOutput(data) && setVersion((v) => v + 1) });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [run, setRun] = useState(0);

  // A reconnect starts a new run on a clean screen.
  useEffect(() => {
    if (console_.status.state === 'connecting') {
      timeline.current.clear();
      setRun((r) => r + 1);
    }
  }, [console_.status]);

  // Frames of this console's connections join the screen as they reach the feed.
  const conns = consoleConnections(feed, console_.conn);
  // Idempotent (known ids are skipped), so a repeated render adds nothing; the feed's version re-renders us.
  timeline.current.addFrames(conns.flatMap((id) => feed.messagesOf(id)));
  // list() is a new array whenever the timeline changed (output lines re-render through `version`).
  const all = timeline.current.list();
  const shown = useMemo(() => shownOnScreen(all, mode), [all, mode]);

  const { onHandle } = props;
  const { conn, sendLine } = console_;
  useEffect(() => onHandle?.({ conn, sendLine }), [onHandle, conn, sendLine]);

  const live = console_.status.state === 'open';
  // Lines typed while the console is still connecting (page load, Reconnect, a lesson's start) wait here and go
  // out in order once it is open: the terminal used to take no keys until then, and `help` typed early was lost.
  const early = useRef<string[]>([]);
  useEffect(() => {
    if (live) for (const line of early.current.splice(0)) sendLine(line);
  }, [live, sendLine]);
  // A line typed while earlier ones still wait joins them, so they all go out in the order typed.
  const typeLine = useCallback((line: string) => (live && early.current.length === 0 ? sendLine(line) : void early.current.push(line)), [live, sendLine]);
  return (
    <Panel title={props.title} actions={props.actions} className={props.className}>
      <div className="flex h-full flex-col gap-2 p-2" data-testid={`zmq-console-${kind}`}>
        <div className="min-h-0 flex-1">
          <TerminalPanel
            label={`${props.title} console`}
            messages={shown}
            resetKey={`${kind}-${run}-${mode}`}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
            fontSize={fontSize}
            onLine={console_.status.state === 'closed' ? undefined : typeLine}
            onInterrupt={console_.close}
            status={describeStatus(console_.status, connected)}
          />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <QuickInsert suggestions={live ? (props.suggestions ?? []) : []} send={console_.sendLine} />
          {!live && (
            <button className="rounded border border-slate-600 px-2 py-0.5 text-xs hover:border-slate-400" onClick={console_.reconnect}>
              Reconnect
            </button>
          )}
        </div>
      </div>
    </Panel>
  );
}
