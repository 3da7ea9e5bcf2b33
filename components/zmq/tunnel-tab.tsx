'use client';

import { useCallback, useMemo, useState } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import { Segmented, TabBar } from '@/components/lab/tab-bar';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import type { LabInfo } from '@/components/lab/use-lab-info';
import { TerminalPanel } from '@/components/terminal/terminal-panel';
import type { LabMessage } from '@/lib/wire/event.ts';
import type { ZmqInfo } from './api';
import { ConnectionRow } from './connections';
import { TunnelWhy } from './explain';
import { REQ_SUGGESTIONS } from './pattern-tabs';
import { tunnelLocalPort } from './recipes';
import { consoleConnections, ZmqConsole, type ZmqConsoleHandle } from './zmq-console';

type Route = 'direct' | 'tunnel';
const ROUTES = [
  ['direct', 'Direct'],
  ['tunnel', 'Through the SSH tunnel'],
] as const;


/** Where the tunnel console's traffic is: its ZMTP connection and the SSH connection that carries it. */
export function tunnelConnections(zmq: LabFeed, ssh: LabFeed, conn: string | null): { zmtp: string | null; ssh: string | null } {
  if (!conn) return { zmtp: null, ssh: null };
  // The console may report either end: the ZMTP connection (filed under its SSH connection) or the SSH one.
  const asZmtp = zmq.connection(conn);
  if (asZmtp) return { zmtp: conn, ssh: asZmtp.parent ?? null };
  const child = zmq.listConnections().find((c) => c.parent === conn);
  return { zmtp: child?.id ?? null, ssh: ssh.connection(conn) ? conn : (child?.parent ?? conn) };
}

/**
 * Only what an eavesdropper on the loopback sees, one line per message: the two views side by side
 * compare what is readable, and the explanations are in the consoles below.
 */
const wireOnly = (messages: LabMessage[]) => messages.filter((m) => m.view === 'wire').map((m) => (m.annotation ? { ...m, annotation: undefined } : m));

/** A read-only terminal with one connection's wire view. */
function WireView(props: { title: string; subtitle: string; messages: LabMessage[]; resetKey: string; empty: string; testId: string }) {
  const { fontSize } = useDisplay();
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Panel title={props.title} actions={<span className="truncate text-xs text-slate-400">{props.subtitle}</span>}>
      <div className="h-full p-2" data-testid={props.testId}>
        <TerminalPanel
          label={props.title}
          messages={props.messages}
          resetKey={props.resetKey}
          selectedId={selected}
          onSelect={(id) => setSelected(id === selected ? null : id)}
          fontSize={fontSize}
          status={props.messages.length === 0 ? props.empty : undefined}
        />
      </div>
    </Panel>
  );
}

/**
 * The seed's point: the same REQ/REP, direct and through the SSH lab's server (a direct-tcpip
 * channel to the REP port, like `ssh -L`). Both wire views side by side: direct, an eavesdropper
 * reads Hello and World; tunnelled, only SSH packets. The tunnelled ZMTP connection is listed under
 * the SSH connection that carries it.
 */
export function TunnelTab(props: { feed: LabFeed; info: LabInfo | null; zmq: ZmqInfo | null; repPort: number }) {
  const { feed } = props;
  const sshFeed = useLabFeed('ssh');
  const [route, setRoute] = useState<Route>('direct');
  const [side, setSide] = useState<'tree' | 'why'>('tree');
  const [direct, setDirect] = useState<ZmqConsoleHandle | null>(null);
  const [tunnel, setTunnel] = useState<ZmqConsoleHandle | null>(null);
  const onDirect = useCallback((h: ZmqConsoleHandle) => setDirect(h), []);
  const onTunnel = useCallback((h: ZmqConsoleHandle) => setTunnel(h), []);

  const sshPort = props.zmq?.ssh?.port ?? props.info?.servers.find((s) => s.protocol === 'ssh')?.port ?? 2222;
  const local = tunnelLocalPort(props.zmq?.ports ?? {}, sshPort);
  const ends = tunnelConnections(feed, sshFeed, tunnel?.conn ?? null);
  const directIds = consoleConnections(feed, direct?.conn ?? null);
  const directMessages = directIds.flatMap((id) => feed.messagesOf(id));
  const directWire = useMemo(() => wireOnly(directMessages), [directMessages.length, directMessages.at(-1)]); // eslint-disable-line react-hooks/exhaustive-deps
  const sshMessages = ends.ssh ? sshFeed.messagesOf(ends.ssh) : [];
  const sshWire = useMemo(() => wireOnly(sshMessages), [sshMessages]);
  const channelOpen = sshMessages.find((m) => m.view === 'endpoint' && /direct-tcpip/.test(m.text));
  const sshInfo = ends.ssh ? sshFeed.connection(ends.ssh) : undefined;
  const zmtpInfo = ends.zmtp ? feed.connection(ends.zmtp) : undefined;

  return (
    <div className="flex h-full min-h-0 flex-col gap-2">
      <div className="flex items-center gap-3 text-sm">
        <div className="shrink-0">
          <Segmented label="Route" value={route} options={ROUTES} onChange={setRoute} />
        </div>
        <span className="min-w-0 flex-1 truncate text-xs text-slate-400">
          {route === 'direct' ? (
            <>REQ → tcp://127.0.0.1:{props.repPort}, nothing in between</>
          ) : (
            <>
              REQ → SSH 127.0.0.1:{sshPort} → <code>direct-tcpip</code> → 127.0.0.1:{props.repPort}, like{' '}
              <code>ssh -N -L 127.0.0.1:{local}:127.0.0.1:{props.repPort}</code>
            </>
          )}
        </span>
      </div>
      <div className="grid min-h-0 flex-1 grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-2">
        <div className="grid min-h-0 grid-cols-2 gap-2">
          <WireView
            title="Direct: on the wire"
            subtitle={`port ${props.repPort}`}
            messages={directWire}
            resetKey={`direct-${direct?.conn ?? ''}`}
            empty="Send Hello on the direct route: an eavesdropper reads it here."
            testId="wire-direct"
          />
          <WireView
            title="Tunnelled: on the wire"
            subtitle={`port ${sshPort}`}
            messages={sshWire}
            resetKey={`ssh-${ends.ssh ?? ''}`}
            empty="Send Hello through the tunnel: here an eavesdropper sees only SSH packets."
            testId="wire-tunnel"
          />
        </div>
        <div className="grid min-h-0 grid-cols-2 gap-2">
          <div className={route === 'direct' ? 'min-h-0' : 'hidden'}>
            <ZmqConsole kind="req" title="REQ, direct" feed={feed} mode="endpoint" suggestions={REQ_SUGGESTIONS} onHandle={onDirect} className="h-full" />
          </div>
          <div className={route === 'tunnel' ? 'min-h-0' : 'hidden'}>
            <ZmqConsole kind="tunnel" title="REQ, through SSH" feed={feed} mode="endpoint" suggestions={REQ_SUGGESTIONS} onHandle={onTunnel} className="h-full" />
          </div>
          <Panel
            title={side === 'tree' ? 'Tunnel' : 'Why'}
            actions={
              <TabBar
                tabs={[
                  ['tree', 'Connections'],
                  ['why', 'Why a tunnel'],
                ]}
                value={side}
                onChange={setSide}
              />
            }
          >
            {side === 'tree' ? (
              <div className="h-full overflow-y-auto">
                {sshInfo || zmtpInfo ? (
                  <ul data-testid="tunnel-tree">
                    {sshInfo && <ConnectionRow c={sshInfo} depth={0} tag="SSH" name={`${sshInfo.label ?? sshInfo.client} · ${sshInfo.id}`} active={false} />}
                    {zmtpInfo && <ConnectionRow c={zmtpInfo} depth={sshInfo ? 1 : 0} tag="ZMTP" name={`${zmtpInfo.label ?? zmtpInfo.client} · ${zmtpInfo.id}`} active={false} />}
                  </ul>
                ) : (
                  <p className="p-3 text-sm text-slate-400">Choose “Through the SSH tunnel” and send Hello: the SSH connection appears here with its ZMTP connection inside.</p>
                )}
                {channelOpen && (
                  <p className="px-3 py-2 font-mono text-xs text-slate-300" data-testid="channel-open">
                    {channelOpen.text}
                  </p>
                )}
                <p className="px-3 py-2 text-xs text-slate-400">
                  The SSH lab’s page shows the SSH connection’s own transcript, with <code>CHANNEL_OPEN direct-tcpip</code> and its target.
                </p>
              </div>
            ) : (
              <div className="h-full overflow-y-auto p-3">
                <TunnelWhy repPort={props.repPort} />
              </div>
            )}
          </Panel>
        </div>
      </div>
    </div>
  );
}
