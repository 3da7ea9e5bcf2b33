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
import { TabBar } from '@/components/lab/tab-bar';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { RawTerminal } from '@/components/terminal/raw-terminal';
import type { ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { sshInfoOf } from './api';
import { FaultsPanel } from './faults-panel';
import { SftpFilePanel } from './file-panel';
import { deriveHandshake } from './handshake';
import { HandshakeTimeline } from './handshake-timeline';
import { KeysPanel, KnownHostsList, ServerHostKeys } from './keys-panel';
import { sshRecipes } from './recipes';
import { useHostKeys } from './use-host-keys';
import { useSshConsole, type SshConsolePhase } from './use-ssh-console';
import { pagePanels } from '@/components/lab/page-panels';


type Tab = 'handshake' | 'files' | 'keys' | 'faults' | 'connections' | 'clients';
const TABS: readonly [Tab, string][] = [
  ['handshake', 'Handshake'],
  ['files', 'Files (SFTP)'],
  ['keys', 'Keys & known_hosts'],
  // Not "Faults": that is the header's scripted-faults menu; this tab walks through failures by hand.
  ['faults', 'Failures'],
  ['connections', 'Connections'],
  ['clients', 'Own client'],
];

const PANEL_LABEL = 'sftp file panel';

function statusLine(phase: SshConsolePhase, connected: boolean, hint: string | undefined): string {
  if (!connected) return 'Lost contact with the lab daemon — reconnecting…';
  if (phase === 'starting') return 'Starting the terminal…';
  if (phase === 'connecting') return 'Connecting through the tap…';
  if (phase === 'open') {
    if (hint === 'asking') return 'Type yes (or no) in the terminal and press Enter.';
    return 'Connected. Type in the terminal; exit ends the session.';
  }
  return 'Press Connect (or Enter in the terminal) to run ssh; a wrong password is just a typo away.';
}

/** The SSH & SFTP lab page: a real SSH client in the browser terminal, the handshake in ten steps, faults, keys, SFTP. */
export function SshLab() {
  const { connected } = useLabSocket();
  const { fontSize } = useDisplay();
  const info = useLabInfo();
  const ssh = sshInfoOf(info);
  const feed = useLabFeed('ssh');
  const term = useSshConsole();
  const [picked, setPicked] = useState<string | null>(null);
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<Tab>('handshake');
  const [refreshKey, setRefreshKey] = useState(0);
  const [sftpSelected, setSftpSelected] = useState<string | null>(null);
  const [selectedMsg, setSelectedMsg] = useState<string | null>(null);

  const port = ssh?.port ?? portOf(info, 'ssh', 2222);
  const host = labHost(info);
  // The caller's sandbox login (GET /api/lab): what puts an external client in this browser's sandbox.
  const user = info?.user ?? 'student';
  const password = info?.password ?? 'LAB_PASSWORD';
  const shown = picked ?? term.conn;
  const historyError = useConnectionHistory(feed, picked, selectedMsg);
  const connections = feed.listConnections();
  const panelConn = connections.find((c) => c.label?.startsWith(PANEL_LABEL)) ?? null;
  useConnectionHistory(feed, panelConn?.id ?? null);

  const messages = shown ? feed.messagesOf(shown) : [];
  const info_ = shown ? feed.connection(shown) : undefined;
  const isOwn = shown !== null && shown === term.conn;
  const ended = Boolean(info_?.endedAt) || (isOwn && term.phase === 'prompt');
  const steps = useMemo(
    () => deriveHandshake(messages, { ended, client: info_?.client, hostKey: isOwn ? term.hint : undefined, view: mode }),
    // messages is a new array only when the feed changes
    [messages, ended, info_?.client, isOwn, term.hint, mode],
  );

  const panelMessages = panelConn ? feed.messagesOf(panelConn.id) : [];
  const sftpMessages = useMemo(
    () => panelMessages.filter((m) => (mode === 'wire' ? m.view === 'wire' : m.view === 'endpoint' && (m.phase === 'sftp' || m.kind === 'sftp'))),
    [panelMessages, mode],
  );

  // known_hosts, keys and faults reload after each connect and after each fault, and when the terminal's
  // connection records that a host key was added: the answer "yes" comes while the login still waits.
  const [lastPhase, setLastPhase] = useState(term.phase);
  if (lastPhase !== term.phase) {
    setLastPhase(term.phase);
    setRefreshKey((k) => k + 1);
  }
  const keyAddedOn = term.conn && feed.messagesOf(term.conn).some((m) => m.annotation?.key === 'ssh.hostkey.accepted') ? term.conn : null;
  const [lastKeyAddedOn, setLastKeyAddedOn] = useState(keyAddedOn);
  if (lastKeyAddedOn !== keyAddedOn) {
    setLastKeyAddedOn(keyAddedOn);
    if (keyAddedOn) setRefreshKey((k) => k + 1);
  }

  // Read again after each refresh, each new connection (the hostkey-change fault rotates as one opens)
  // and each tab change: every tab that shows the server's fingerprints shows the current ones.
  const hostKeys = useHostKeys(`${refreshKey}:${connections[0]?.id ?? ''}:${tab}`);

  const connectionName = (id: string) => {
    const c = feed.connection(id);
    if (id === term.conn) return 'your terminal';
    return c?.label ?? c?.client ?? id;
  };
  const canConnect = term.phase === 'prompt';

  // A shared link (?conn=…&msg=…) opens that connection's handshake at the step of the message.
  useDeepLink(({ conn, msg }) => {
    setPicked(conn);
    setTab('handshake');
    setSelectedMsg(msg);
  });
  const pick = (id: string | null) => {
    setPicked(id);
    setSelectedMsg(null);
    shareSelection(id, null);
  };
  const selectMessage = (id: string | null) => {
    setSelectedMsg(id);
    shareSelection(shown, id);
  };
  const connect = () => {
    pick(null);
    setTab('handshake');
    term.connect();
  };

  return (
    <LabPage
      errors={[historyError]}
      panels={pagePanels(TABS, setTab)}
      title="SSH & SFTP lab"
      hint={
        <>
          like <code className="text-slate-300">ssh -p {port} {user}@{bareHost(host)}</code>
        </>
      }
      action={{ label: 'Connect', onClick: connect, disabled: !canConnect, primary: true }}
      view={{ mode, onChange: setMode }}
      step={{ protocol: 'ssh' }}
      freshStart={{ run: term.startOver, says: 'Started over with a fresh terminal at its $ prompt: connect again (Enter, or Send the ssh line). Only what happens from now on counts.' }}
    >
      {/* Beside a lesson in Presenter mode the terminal had 26 columns: where the lab is narrow it sits above the tabs at
          the whole width (65 at 1280×720), with the rows to show ssh's host-key question whole. The tabs below then get
          the column's whole height (they had about 200px, two rows of the handshake): the column scrolls down to them,
          and at the top their tab bar and first lines still show under the terminal. 160% of the scroller and one gap
          (gap-3), in rows of 3 : 5, leave the terminal 60% of it, as before. */}
      <div className="h-full min-h-0 lab-narrow:overflow-y-auto lab-narrow:[scrollbar-width:thin]" data-testid="ssh-columns">
        <div className="grid h-full min-h-0 grid-cols-[minmax(0,0.9fr)_minmax(0,1.1fr)] gap-3 lab-narrow:h-[calc(160%+0.75rem)] lab-narrow:grid-cols-1 lab-narrow:grid-rows-[minmax(0,3fr)_minmax(0,5fr)]">
          <Panel
            title="SSH terminal"
            actions={<Credentials user={user} password={password} />}
          >
            <div className="flex h-full flex-col gap-1.5 p-2">
              <div className="min-h-0 flex-1" onClick={() => term.termRef.current?.focus()}>
                <RawTerminal
                  ref={term.termRef}
                  label="SSH terminal"
                  fontSize={fontSize}
                  onData={term.sendInput}
                  onResize={term.resize}
                  onReady={term.onReady}
                />
              </div>
              {/* Two lines kept for it, so a longer status never resizes the terminal (on a projector one cut it: "a wrong…"). */}
              <p className="line-clamp-2 min-h-[2lh] text-xs text-slate-400" data-testid="ssh-status" aria-live="polite">
                {statusLine(term.phase, connected, term.hint)}
              </p>
            </div>
          </Panel>

          <Panel
            title={TABS.find(([t]) => t === tab)![1]}
            tabbed
            actions={
              <TabBar tabs={TABS} value={tab} onChange={setTab} />
            }
          >
            {tab === 'handshake' &&
              (shown ? (
                <HandshakeTimeline
                  key={shown}
                  steps={steps}
                  messages={messages}
                  mode={mode}
                  selectedId={selectedMsg}
                  onSelect={selectMessage}
                  heading={
                    <span className="flex items-center gap-2">
                      <span>
                        Connection <span className="text-slate-200">{connectionName(shown)}</span> <span className="font-mono">{shown}</span>
                        {info_?.endedAt ? ' · closed' : ' · open'} · {mode === 'wire' ? 'what an eavesdropper sees' : 'endpoint view (what the server saw)'}
                      </span>
                      <span className="ml-auto">
                        {picked && term.conn && picked !== term.conn ? (
                          <button className="text-sky-300 hover:text-sky-100" onClick={() => pick(null)}>
                            back to your terminal
                          </button>
                        ) : (
                          <button className="text-sky-300 hover:text-sky-100" onClick={() => setTab('connections')}>
                            other connections…
                          </button>
                        )}
                      </span>
                    </span>
                  }
                />
              ) : (
                <HandshakeTimeline
                  steps={steps}
                  messages={[]}
                  mode={mode}
                  heading={
                    <span>
                      No connection yet — press <strong className="text-slate-200">Connect</strong> and watch each step light up, or pick a real client’s connection in{' '}
                      <button className="text-sky-300 underline" onClick={() => setTab('connections')}>
                        Connections
                      </button>
                      .
                    </span>
                  }
                />
              ))}
            {tab === 'files' && (
              <div className="grid h-full min-h-0 min-w-0 grid-cols-1 grid-rows-[minmax(0,1.1fr)_minmax(0,1fr)]">
                <SftpFilePanel />
                <div className="flex min-h-0 flex-col border-t border-slate-700">
                  <p className="border-b border-slate-800 px-3 py-1 text-xs text-slate-400">
                    SFTP transcript of connection <span className="text-slate-200">“{PANEL_LABEL}”</span>{' '}
                    {panelConn && <span className="font-mono">{panelConn.id}</span>} ·{' '}
                    {mode === 'wire' ? 'what an eavesdropper sees: only encrypted packets' : 'every SSH_FXP request and reply, decrypted'}
                  </p>
                  <div className="min-h-0 flex-1" data-testid="sftp-transcript">
                    <TranscriptPanel
                      messages={sftpMessages}
                      selectedId={sftpSelected}
                      onSelect={(id) => setSftpSelected(id === sftpSelected ? null : id)}
                      emptyText="The file panel opens its SFTP session on the first action; its SSH_FXP packets appear here."
                    />
                  </div>
                </div>
              </div>
            )}
            {tab === 'keys' && (
              <div className="h-full space-y-4 overflow-y-auto p-3">
                <ServerHostKeys keys={hostKeys.keys} error={hostKeys.error} knownHostsName={ssh?.knownHostsName ?? `[127.0.0.1]:${port}`} />
                <KnownHostsList refreshKey={refreshKey} hostKeys={hostKeys.keys} onChange={() => setRefreshKey((k) => k + 1)} />
                <KeysPanel
                  refreshKey={refreshKey}
                  onUseKey={
                    canConnect
                      ? (name) => {
                          pick(null);
                          setTab('handshake');
                          // Ctrl-U clears anything half-typed at the prompt first.
                          term.sendInput(`\x15ssh -i ${name} ${user}@127.0.0.1 -p ${port}\r`);
                          term.termRef.current?.focus();
                        }
                      : undefined
                  }
                />
              </div>
            )}
            {tab === 'faults' && (
              <div className="h-full overflow-y-auto p-3">
                <FaultsPanel
                  knownHostsName={ssh?.knownHostsName ?? `[127.0.0.1]:${port}`}
                  hostKeys={hostKeys.keys ?? []}
                  refreshKey={refreshKey}
                  onChanged={() => setRefreshKey((k) => k + 1)}
                  canConnect={canConnect}
                  onConnect={connect}
                />
              </div>
            )}
            {tab === 'connections' && (
              <div className="flex h-full flex-col">
                <p className="px-3 py-2 text-xs text-slate-400">
                  Every SSH connection through the tap: your terminal, the file panel, and real clients (OpenSSH, PuTTY, FileZilla…). Pick one to see its handshake.
                </p>
                <ConnectionList
                  connections={connections}
                  selected={shown}
                  ownConsole={term.conn}
                  onSelect={(id) => {
                    pick(id === term.conn ? null : id);
                    setTab('handshake');
                  }}
                />
              </div>
            )}
            {tab === 'clients' && <OwnClient recipes={sshRecipes(ssh && { ...ssh, hostKeys: hostKeys.keys ?? ssh.hostKeys }, port, password, portOf(info, 'smtp', 2525), user, host)} />}
          </Panel>
        </div>
      </div>
    </LabPage>
  );
}
