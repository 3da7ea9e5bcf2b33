'use client';

import { useMemo, useState } from 'react';
import { ConnectionList } from '@/components/lab/connection-list';
import { useDisplay } from '@/components/lab/display-context';
import { LabSocketProvider, useLabSocket } from '@/components/lab/lab-socket';
import { OwnClient } from '@/components/lab/own-client';
import { Panel } from '@/components/lab/panel';
import { QuickInsert } from '@/components/lab/quick-insert';
import { TabBar } from '@/components/lab/tab-bar';
import { StepControls } from '@/components/lab/step-controls';
import { describeStatus, useConsole } from '@/components/lab/use-console';
import { useConnectionHistory, useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { ViewToggle } from '@/components/lab/view-toggle';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { MailboxPanel } from './mailbox-panel';
import { smtpRecipes } from './recipes';
import { smtpSuggestions } from './suggestions';

/** The SMTP lab page: console, transcript, mailbox, step mode, external clients. */
export function SmtpLab() {
  return (
    <LabSocketProvider>
      <SmtpLabInner />
    </LabSocketProvider>
  );
}

type SideTab = 'mailbox' | 'connections' | 'clients';
const SIDE_TABS = [
  ['mailbox', 'Mailbox'],
  ['connections', 'Connections'],
  ['clients', 'Own client'],
] as const;

function SmtpLabInner() {
  const { connected, lastError } = useLabSocket();
  const { fontSize } = useDisplay();
  const info = useLabInfo();
  const feed = useLabFeed('smtp', { mailbox: true });
  const console_ = useConsole('smtp');
  const [picked, setPicked] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<SideTab>('mailbox');

  const shown = picked ?? console_.conn;
  useConnectionHistory(feed, picked);
  const all = shown ? feed.messagesOf(shown) : [];
  const messages = useMemo(() => all.filter((m) => isVisible(m, mode)), [all, mode]);
  const isOwn = shown !== null && shown === console_.conn;
  const live = isOwn && console_.status.state === 'open';
  const suggestions = live ? smtpSuggestions(all) : [];
  const port = portOf(info, 'smtp', 2525);
  const mails = feed.listMails();

  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[600px] flex-col gap-3 p-3">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
        <h1 className="text-lg font-semibold text-white">
          SMTP lab <span className="text-sm font-normal text-slate-400">— like <code className="text-slate-300">telnet 127.0.0.1 {port}</code></span>
        </h1>
        <button
          className="rounded-md border border-slate-600 px-3 py-1 text-sm hover:border-slate-400"
          onClick={() => {
            setPicked(null);
            console_.reconnect();
          }}
        >
          Reconnect
        </button>
        <ViewToggle mode={mode} onChange={setMode} />
        <StepControls protocol="smtp" />
      </div>
      {lastError && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-sm text-red-200">{lastError}</p>}

      <div className="grid min-h-0 flex-1 grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)]">
        <Panel
          title={isOwn || !shown ? 'Console' : `Connection ${feed.connection(shown)?.label ?? feed.connection(shown)?.client ?? ''} (read only)`}
          actions={
            !isOwn && shown ? (
              <button className="text-xs text-sky-300 hover:text-sky-100" onClick={() => setPicked(null)}>
                back to your console
              </button>
            ) : info ? (
              <span className="text-xs text-slate-400">
                AUTH login <code className="text-slate-200">{info.user}</code> / <code className="text-slate-200" data-testid="lab-password">{info.password}</code>
              </span>
            ) : undefined
          }
        >
          <div className="flex h-full flex-col gap-2 p-2">
            <div className="min-h-0 flex-1">
              <TerminalPanel
                label="SMTP console"
                messages={messages}
                resetKey={`${shown}-${mode}`}
                selectedId={selectedId}
                onSelect={setSelectedId}
                fontSize={fontSize}
                onLine={live ? console_.sendLine : undefined}
                onInterrupt={console_.close}
                status={isOwn || !shown ? describeStatus(console_.status, connected) : undefined}
              />
            </div>
            <QuickInsert suggestions={suggestions} send={console_.sendLine} />
          </div>
        </Panel>

        <div className="grid min-h-0 min-w-0 grid-cols-1 grid-rows-[minmax(0,3fr)_minmax(0,2fr)] gap-3">
          <Panel title="Transcript" actions={<span className="text-xs text-slate-400">{messages.length} messages</span>}>
            <TranscriptPanel
              messages={messages}
              selectedId={selectedId}
              onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
              emptyText="Waiting for the server's 220 greeting…"
            />
          </Panel>
          <Panel
            title={tab === 'mailbox' ? `Mailbox (${mails.length})` : tab === 'connections' ? 'Connections' : 'Use your own client'}
            actions={
              <TabBar tabs={SIDE_TABS} value={tab} onChange={setTab} />
            }
          >
            {tab === 'mailbox' && <MailboxPanel mails={mails} />}
            {tab === 'connections' && (
              <ConnectionList connections={feed.listConnections()} selected={shown} ownConsole={console_.conn} onSelect={(id) => setPicked(id === console_.conn ? null : id)} />
            )}
            {tab === 'clients' && <OwnClient recipes={smtpRecipes(port, info?.password ?? 'LAB_PASSWORD')} />}
          </Panel>
        </div>
      </div>
    </div>
  );
}
