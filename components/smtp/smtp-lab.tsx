'use client';

import { useMemo, useState } from 'react';
import { bareHost, labHost } from '@/components/lab/address';
import { ConnectionList } from '@/components/lab/connection-list';
import { shareSelection, useDeepLink } from '@/components/lab/deep-link';
import { useDisplay } from '@/components/lab/display-context';
import { Credentials, LabPage } from '@/components/lab/lab-page';
import { useLabSocket } from '@/components/lab/lab-socket';
import { OwnClient } from '@/components/lab/own-client';
import { Panel } from '@/components/lab/panel';
import { QuickInsert } from '@/components/lab/quick-insert';
import { TabBar } from '@/components/lab/tab-bar';
import { describeStatus, useConsole } from '@/components/lab/use-console';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { MailboxPanel } from './mailbox-panel';
import { smtpRecipes } from './recipes';
import { smtpSuggestions } from './suggestions';
import { pagePanels } from '@/components/lab/page-panels';
import { counted } from '@/lib/text/numbers.ts';


type SideTab = 'mailbox' | 'connections' | 'clients';
const SIDE_TABS = [
  ['mailbox', 'Mailbox'],
  ['connections', 'Connections'],
  ['clients', 'Own client'],
] as const;

/** The SMTP lab page: console, transcript, mailbox, step mode, external clients. */
export function SmtpLab() {
  const { connected } = useLabSocket();
  const { fontSize } = useDisplay();
  const info = useLabInfo();
  const feed = useLabFeed('smtp', { mailbox: true });
  const console_ = useConsole('smtp');
  const [picked, setPicked] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<SideTab>('mailbox');

  const shown = picked ?? console_.conn;
  const historyError = useConnectionHistory(feed, picked, selectedId);
  const all = shown ? feed.messagesOf(shown) : [];
  const messages = useMemo(() => all.filter((m) => isVisible(m, mode)), [all, mode]);
  const isOwn = shown !== null && shown === console_.conn;
  const live = isOwn && console_.status.state === 'open';
  const suggestions = live ? smtpSuggestions(all) : [];
  const port = portOf(info, 'smtp', 2525);
  const host = labHost(info);
  const mails = feed.listMails();

  // A shared link (?conn=…&msg=…) opens that connection read-only with the message selected.
  useDeepLink(({ conn, msg }) => {
    setPicked(conn);
    setSelectedId(msg);
  });
  const select = (id: string | null) => {
    setSelectedId(id);
    shareSelection(shown, id);
  };
  const pick = (id: string | null) => {
    setPicked(id);
    setSelectedId(null);
    shareSelection(id, null);
  };

  const reconnect = () => {
    pick(null);
    console_.reconnect();
  };

  return (
    <LabPage
      errors={[historyError]}
      panels={pagePanels(SIDE_TABS, setTab, [['console', 'Console']])}
      title="SMTP lab"
      hint={
        <>
          like <code className="text-slate-300">telnet {bareHost(host)} {port}</code>
        </>
      }
      action={{ label: 'Reconnect', onClick: reconnect }}
      freshStart={{ run: reconnect }}
      view={{ mode, onChange: setMode }}
      step={{ protocol: 'smtp' }}
    >
      <div className="grid h-full min-h-0 grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)]">
        <Panel
          title={isOwn || !shown ? 'Console' : `Connection ${feed.connection(shown)?.label ?? feed.connection(shown)?.client ?? ''} (read only)`}
          actions={
            !isOwn && shown ? (
              <button className="text-xs text-sky-300 hover:text-sky-100" onClick={() => pick(null)}>
                back to your console
              </button>
            ) : info ? (
              <Credentials label="AUTH login" user={info.user} password={info.password} />
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
                onSelect={select}
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
          <Panel title="Transcript" actions={<span className="text-xs text-slate-400">{counted(messages.length, 'message')}</span>}>
            <TranscriptPanel
              messages={messages}
              selectedId={selectedId}
              onSelect={(id) => select(id === selectedId ? null : id)}
              emptyText={historyError ? 'Nothing to show (see above).' : "Waiting for the server's 220 greeting…"}
            />
          </Panel>
          <Panel
            title={tab === 'mailbox' ? `Mailbox (${mails.length})` : tab === 'connections' ? 'Connections' : 'Use your own client'}
            actions={
              <TabBar tabs={SIDE_TABS} value={tab} onChange={setTab} />
            }
          >
            {tab === 'mailbox' && <MailboxPanel mails={mails} mailDomain={info?.mailDomain} />}
            {tab === 'connections' && (
              <ConnectionList connections={feed.listConnections()} selected={shown} ownConsole={console_.conn} onSelect={(id) => pick(id === console_.conn ? null : id)} />
            )}
            {tab === 'clients' && <OwnClient recipes={smtpRecipes(port, info?.password ?? 'LAB_PASSWORD', info?.user, info?.mailDomain, host, info?.tls.fingerprint)} />}
          </Panel>
        </div>
      </div>
    </LabPage>
  );
}
