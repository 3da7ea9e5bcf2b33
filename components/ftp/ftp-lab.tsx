'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { bareHost, labHost } from '@/components/lab/address';
import { shareSelection, useDeepLink } from '@/components/lab/deep-link';
import { useDisplay } from '@/components/lab/display-context';
import { Credentials, LabPage } from '@/components/lab/lab-page';
import { useLabSocket } from '@/components/lab/lab-socket';
import { OwnClient } from '@/components/lab/own-client';
import { Panel } from '@/components/lab/panel';
import { QuickInsert } from '@/components/lab/quick-insert';
import { Segmented, TabBar } from '@/components/lab/tab-bar';
import { describeStatus, useConsole } from '@/components/lab/use-console';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { labInfoOf, portOf, useLabInfo } from '@/components/lab/use-lab-info';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { ftpApi } from './api';
import { ChannelsView } from './channels-view';
import { ComparePanel } from './compare-panel';
import { ConsoleLog, decorate, parseConsoleOutput, type ConsoleMode } from './console-log';
import { FilesPanel } from './files-panel';
import { buildChannelPicture } from './lanes';
import { ftpRecipes } from './recipes';
import { clientSuggestions, rawSuggestions, type ClientSettings } from './suggestions';
import { clockTime } from '@/components/lab/format';
import { pagePanels } from '@/components/lab/page-panels';
import { counted } from '@/lib/text/numbers.ts';


const CONSOLE_MODES = [
  ['raw', 'Raw commands'],
  ['client', 'Client mode'],
] as const;

type SideTab = 'channels' | 'transcript' | 'compare' | 'files' | 'clients';
const TABS: [SideTab, string][] = [
  ['channels', 'Channels'],
  ['transcript', 'Transcript'],
  ['compare', 'FTPS vs SFTP'],
  ['files', 'Files'],
  ['clients', 'Own client'],
];

/** The FTP & FTPS lab page: control console, two-channel view, firewall, FTPS, FTPS vs SFTP, files, own clients. */
export function FtpLab() {
  const { connected, lost, daemonNow } = useLabSocket();
  const { fontSize } = useDisplay();
  const info = useLabInfo();
  const ftpInfo = labInfoOf(info, 'ftp');
  const feed = useLabFeed('ftp');

  // The console's terminal: the console's control connections in seq order (the lab's notes are
  // in them), plus the console's lines about itself where they arrived.
  const [log, setLog] = useState(() => new ConsoleLog());
  const [session, setSession] = useState(0);
  const [, setLines] = useState(0);
  const logRef = useRef(log);
  logRef.current = log;
  const [owned, setOwned] = useState<string[]>([]);
  const ownedRef = useRef(owned);
  ownedRef.current = owned;
  const onOutput = useCallback(
    (data: string) => {
      const lines = parseConsoleOutput(data);
      if (!lines) return;
      for (const line of lines) logRef.current.addLine(line, ownedRef.current.map((id) => feed.messagesOf(id)));
      setLines((n) => n + 1);
    },
    [feed],
  );
  const console_ = useConsole('ftp', { onOutput });
  useEffect(() => {
    if (console_.conn) setOwned((list) => (list.includes(console_.conn!) ? list : [...list, console_.conn!]));
  }, [console_.conn]);

  const [consoleMode, setConsoleMode] = useState<ConsoleMode>('raw');
  const [settings, setSettings] = useState<ClientSettings>({ passive: true, secure: false });
  const [mode, setMode] = useState<ViewMode>('endpoint');
  const [tab, setTab] = useState<SideTab>('channels');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [controlPick, setControlPick] = useState<string | null>(null);
  const [lanePick, setLanePick] = useState<string | null>(null);
  const [firewall, setFirewall] = useState<boolean | null>(null);
  const [firewallError, setFirewallError] = useState<string | null>(null);
  // An open data lane's length counts on the daemon's clock, which stamped its start.
  const [now, setNow] = useState(() => daemonNow());

  useEffect(() => {
    void ftpApi
      .status()
      .then((s) => setFirewall(s.firewall))
      .catch(() => {});
  }, []);

  const send = useCallback(
    (line: string) => {
      const trimmed = line.trim();
      const lower = trimmed.toLowerCase();
      if (lower === ':client') setConsoleMode('client');
      if (lower === ':raw') setConsoleMode('raw');
      if (consoleMode === 'client') {
        const toggle = /^(passive|secure)(?:\s+(on|off))?$/.exec(lower);
        if (toggle) setSettings((s) => ({ ...s, [toggle[1]]: toggle[2] !== 'off' }));
      }
      // A selected line pins the terminal's scroll position (TerminalPanel scrolls back to it): let go when typing.
      setSelectedId(null);
      console_.sendLine(line);
    },
    [console_, consoleMode],
  );

  const switchMode = (next: ConsoleMode) => {
    if (next !== consoleMode) send(next === 'client' ? ':client' : ':raw');
  };

  const reconnect = () => {
    setLog(new ConsoleLog());
    setSession((n) => n + 1);
    setOwned([]);
    setConsoleMode('raw');
    setSelectedId(null);
    console_.reconnect();
  };

  const toggleFirewall = async () => {
    setFirewallError(null);
    try {
      const r = await ftpApi.firewall(!firewall);
      setFirewall(r.firewall);
    } catch (err) {
      setFirewallError((err as Error).message);
    }
  };

  // Terminal content.
  log.sync(owned.map((id) => feed.messagesOf(id)));
  const terminalMessages = log.messages((m) => isVisible(m, mode)).map(decorate);
  const currentControl = console_.conn ? feed.messagesOf(console_.conn) : [];
  const live = connected && console_.status.state !== 'connecting';
  const suggestions = !live
    ? []
    : consoleMode === 'client'
      ? clientSuggestions(settings)
      : console_.status.state === 'open'
        ? rawSuggestions(currentControl, info?.user ?? 'student', info?.password ?? '')
        : [];

  // Channels: the picked control connection, or the console's current one.
  const connections = feed.listConnections();
  const controls = connections.filter((c) => !c.parent);
  const controlId = controlPick ?? console_.conn ?? controls[0]?.id ?? null;
  const controlError = useConnectionHistory(feed, controlPick, selectedId);
  const control = controlId ? feed.connection(controlId) : undefined;
  const anyOpen = connections.some((c) => !c.endedAt && (c.id === controlId || c.parent === controlId));
  useEffect(() => {
    if (!anyOpen) return;
    const timer = setInterval(() => setNow(daemonNow()), 500);
    return () => clearInterval(timer);
  }, [anyOpen, daemonNow]);
  const picture = control ? buildChannelPicture(control, connections, (id) => feed.messagesOf(id), now) : null;

  // Transcript: a picked lane (data or control), else the channels' control connection.
  const transcriptId = lanePick ?? controlId;
  const laneError = useConnectionHistory(feed, lanePick, selectedId);
  const transcriptAll = transcriptId ? feed.messagesOf(transcriptId) : [];
  const transcript = transcriptAll.filter((m) => isVisible(m, mode));
  const transcriptConn = transcriptId ? feed.connection(transcriptId) : undefined;
  const transcriptTitle = !transcriptConn
    ? 'Transcript'
    : transcriptConn.parent
      ? `Transcript — ${transcriptConn.label ?? 'data connection'}`
      : `Transcript — control connection${transcriptConn.id === console_.conn ? ' (your console)' : ''}`;

  const showConnection = (id: string) => {
    const c = feed.connection(id);
    setControlPick(c?.parent ?? id);
    setLanePick(null);
    setTab('channels');
  };

  const port = portOf(info, 'ftp', 2121);
  const host = labHost(info);

  // A shared link (?conn=…&msg=…) opens that connection's transcript with the message selected;
  // a data connection's session shows in Channels once its record (and parent) is known.
  useDeepLink(({ conn, msg }) => {
    setControlPick(conn);
    setLanePick(conn);
    setSelectedId(msg);
    setTab('transcript');
  });
  const pickedParent = controlPick ? feed.connection(controlPick)?.parent : undefined;
  useEffect(() => {
    if (pickedParent) setControlPick(pickedParent);
  }, [pickedParent]);
  const select = (conn: string | null, id: string | null) => {
    setSelectedId(id);
    shareSelection(conn, id);
  };

  return (
    <LabPage
      panels={pagePanels(TABS, setTab, [['console', 'Control connection']])}
      title="FTP lab"
      // One row at 1280 px: the telnet hint only shows on wide screens (the Own client tab has it too).
      hint={
        <>
          like <code className="text-slate-300">telnet {bareHost(host)} {port}</code>
        </>
      }
      hintClassName="hidden 2xl:inline"
      action={{ label: 'Reconnect', onClick: reconnect }}
      freshStart={{ run: reconnect }}
      view={{ mode, onChange: setMode }}
      controls={
        <button
          role="switch"
          aria-checked={firewall ?? false}
          onClick={() => void toggleFirewall()}
          disabled={firewall === null}
          title="Simulates a firewall or NAT in front of the client: connections from the server to the client (active mode) are dropped."
          className={`flex items-center gap-2 rounded-md border px-3 py-1 text-sm ${firewall ? 'border-red-700 bg-red-950/40 text-red-200' : 'border-slate-600 text-slate-300 hover:border-slate-400'}`}
        >
          <span className={`relative h-4 w-7 rounded-full ${firewall ? 'bg-red-500' : 'bg-slate-600'}`} aria-hidden>
            <span className={`absolute top-0.5 h-3 w-3 rounded-full bg-white transition-all ${firewall ? 'left-3.5' : 'left-0.5'}`} />
          </span>
          <span className="whitespace-nowrap">
            <span className="sr-only">Client </span>Firewall/NAT: {firewall ? 'on' : 'off'}
          </span>
        </button>
      }
      step={{
        protocol: 'ftp',
        note: 'Step mode holds the control connection\'s commands and replies at the tap. Data connections (LIST, RETR, STOR) go through separate relays and are not held.',
      }}
      errors={[firewallError, controlError, laneError]}
      toolbarTestId="ftp-toolbar"
      dense
    >
      <div className="grid h-full min-h-0 grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1.05fr)_minmax(0,1fr)]">
        <Panel
          title="Control connection"
          actions={
            <>
              {info && <Credentials user={info.user} password={info.password} className="hidden xl:inline" />}
              <Segmented label="Console mode" value={consoleMode} options={CONSOLE_MODES} onChange={switchMode} />
            </>
          }
        >
          <div className="flex h-full flex-col gap-2 p-2">
            {mode === 'wire' && (
              <p className="rounded border border-amber-700/60 bg-amber-950/30 px-2 py-1 text-xs text-amber-200" data-testid="wire-hint">
                What an eavesdropper sees: in plain FTP, USER, PASS and file contents cross readable. After AUTH TLS the control connection is TLS records only; with PROT C the data connection stays clear.
              </p>
            )}
            <div className="min-h-0 flex-1">
              <TerminalPanel
                label="FTP console"
                messages={terminalMessages}
                resetKey={`${session}-${mode}`}
                selectedId={selectedId}
                onSelect={(id) => {
                  const m = terminalMessages.find((x) => x.id === id);
                  select(m && m.conn !== 'console' ? m.conn : null, id);
                  // A note about a data connection opens that connection's transcript.
                  const data = m?.fields?.find((f) => f.name === 'data connection')?.value;
                  if (m && m.conn !== 'console') setLanePick(data ?? m.conn);
                }}
                fontSize={fontSize}
                onLine={connected ? send : undefined}
                onInterrupt={console_.close}
                status={describeStatus(console_.status, connected || !lost) /* before the first socket opens: connecting, not lost */}
              />
            </div>
            <QuickInsert suggestions={suggestions} send={send} />
          </div>
        </Panel>

        <Panel
          title={TABS.find(([t]) => t === tab)?.[1] ?? ''}
          tabbed
          actions={
            <TabBar tabs={TABS} value={tab} onChange={setTab} />
          }
        >
          {tab === 'channels' && (
            <div className="flex h-full flex-col">
              <div className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
                <label className="flex items-center gap-1.5">
                  Session
                  <select
                    value={controlId ?? ''}
                    onChange={(e) => {
                      setControlPick(e.target.value || null);
                      setLanePick(null);
                    }}
                    className="max-w-56 rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-slate-200"
                    aria-label="Control connection"
                  >
                    {controls.map((c) => (
                      <option key={c.id} value={c.id}>
                        {owned.includes(c.id) ? 'your console' : (c.label ?? c.client)} · {clockTime(c.startedAt)}
                      </option>
                    ))}
                  </select>
                </label>
                <span>
                  <span className="text-client">passive</span>: client → server · <span className="text-server">active</span>: server → client
                </span>
                <span className="ml-auto">click a lane for its transcript</span>
              </div>
              {firewall && (
                <p className="mx-3 mt-2 rounded border border-red-800/70 bg-red-950/30 px-2 py-1.5 text-xs text-red-200" data-testid="firewall-note">
                  <strong>Client firewall / NAT is on.</strong> In active mode (PORT/EPRT) the server must open the data connection back to the client; the firewall drops it, so the server answers <code>425</code>. Passive mode (PASV/EPSV) still works: the client opens every connection itself.
                </p>
              )}
              <div className="min-h-0 flex-1">
                <ChannelsView
                  picture={picture}
                  selected={lanePick}
                  port={port}
                  ownConsole={console_.conn}
                  onSelect={(id) => {
                    setLanePick(id);
                    setSelectedId(null);
                    setTab('transcript');
                  }}
                />
              </div>
            </div>
          )}
          {tab === 'transcript' && (
            <div className="flex h-full flex-col">
              {/* Folds rather than cuts: in Presenter mode's narrower column the connection's name would lose its end. */}
              <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
                <span className="min-w-0 text-slate-200 [overflow-wrap:anywhere]" data-testid="transcript-title">{transcriptTitle}</span>
                <span className="shrink-0">· {counted(transcript.length, 'message')}</span>
                {lanePick && lanePick !== controlId && (
                  <button className="ml-auto shrink-0 text-sky-300 hover:text-sky-100" onClick={() => setLanePick(null)}>
                    back to the control connection
                  </button>
                )}
              </div>
              <div className="min-h-0 flex-1">
                <TranscriptPanel
                  messages={transcript}
                  selectedId={selectedId}
                  onSelect={(id) => select(transcriptId, id === selectedId ? null : id)}
                  emptyText={controlError || laneError ? 'Nothing to show (see above).' : mode === 'wire' ? 'Nothing on the wire for this connection yet.' : "Waiting for the server's 220 greeting…"}
                />
              </div>
            </div>
          )}
          {tab === 'compare' && <ComparePanel onShowConnection={showConnection} />}
          {tab === 'files' && <FilesPanel maxBytes={ftpInfo?.maxFileBytes ?? null} onShowConnection={showConnection} />}
          {tab === 'clients' && <OwnClient recipes={ftpRecipes(port, info?.user ?? 'student', info?.password ?? 'LAB_PASSWORD', ftpInfo?.passiveRange ?? null, host, info?.tls.fingerprint)} />}
        </Panel>
      </div>
    </LabPage>
  );
}
