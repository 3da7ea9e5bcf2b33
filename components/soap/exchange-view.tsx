'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { counted } from '@/lib/text/numbers.ts';

/** One HTTP connection of the service host: the terminal above, its transcript below, selection shared. */
export function ExchangeView(props: {
  feed: LabFeed;
  conn: string | null;
  mode: ViewMode;
  title: string;
  actions?: ReactNode;
  status?: string;
  onLine?: (line: string) => void;
  onInterrupt?: () => void;
  emptyText: string;
  /** The selected message, when the page keeps it (deep links); else this view keeps its own. */
  selectedId?: string | null;
  onSelect?(id: string | null): void;
}) {
  const { fontSize } = useDisplay();
  const [ownSelection, setOwnSelection] = useState<string | null>(null);
  const selectedId = props.onSelect ? (props.selectedId ?? null) : ownSelection;
  const setSelectedId = props.onSelect ?? setOwnSelection;
  const all = props.conn ? props.feed.messagesOf(props.conn) : [];
  const messages = useMemo(() => all.filter((m) => isVisible(m, props.mode)), [all, props.mode]);

  return (
    // On a projector the terminal, which the class reads, gets two thirds (its larger type left it a few lines).
    <div className="grid min-h-0 min-w-0 grid-cols-1 grid-rows-[minmax(0,3fr)_minmax(0,2fr)] gap-3 [.presenter_&]:grid-rows-[minmax(0,2fr)_minmax(0,1fr)]">
      <Panel title={props.title} actions={props.actions}>
        <div className="h-full p-2">
          <TerminalPanel
            label="SOAP exchange"
            messages={messages}
            resetKey={`${props.conn}-${props.mode}`}
            selectedId={selectedId}
            onSelect={setSelectedId}
            fontSize={fontSize}
            onLine={props.onLine}
            onInterrupt={props.onInterrupt}
            status={props.status}
          />
        </div>
      </Panel>
      <Panel title="Transcript" actions={<span className="text-xs text-slate-400">{counted(messages.length, 'message')}</span>}>
        <TranscriptPanel messages={messages} selectedId={selectedId} onSelect={(id) => setSelectedId(id === selectedId ? null : id)} emptyText={props.emptyText} />
      </Panel>
    </div>
  );
}
