'use client';

import { useState } from 'react';
import { hostPort, labHost } from '@/components/lab/address';
import { useConsoleGate } from '@/components/lab/console-gate';
import { LabPage } from '@/components/lab/lab-page';
import { useLabFeed } from '@/components/lab/use-lab-feed';
import { useLabInfo } from '@/components/lab/use-lab-info';
import { useLabTabs } from '@/components/lab/use-lab-tabs';
import type { ViewMode } from '@/components/terminal/render';
import { zmqAbout } from '@/servers/zmq/about.ts';
import { zmqInfoOf, ZMQ_PORT_OFFSETS, ZMQ_SOCKETS, type ZmqInfo } from './api';
import { ZmqOwnClient } from './own-client-tab';
import { CurveTab, PairTab, ReqTab, SubTab } from './pattern-tabs';
import { TunnelTab } from './tunnel-tab';
import { WorkersTab } from './workers-tab';

const TABS = [
  ['req', 'REQ/REP'],
  ['sub', 'PUB/SUB'],
  ['workers', 'PUSH/PULL'],
  ['pair', 'PAIR'],
  ['curve', 'CURVE'],
  ['tunnel', 'SSH tunnel'],
  ['clients', 'Own client'],
] as const;

type Tab = (typeof TABS)[number][0];

/** The sockets a tab talks to, for the header's address line (the tunnel reaches the REP through SSH). */
const TAB_SOCKETS: Record<Tab, readonly (readonly [label: string, socket: keyof ZmqInfo['ports']])[]> = {
  req: [['REP', 'rep']],
  sub: [['PUB', 'pub']],
  workers: [['PUSH', 'push'], ['PULL', 'pull']],
  pair: [['PAIR', 'pair']],
  curve: [['REP (CURVE)', 'curve']],
  tunnel: [['REP', 'rep']],
  clients: [['REP', 'rep']],
};

/** The documented ports until /api/lab answers (ZMQ_BASE_PORT's default plus each socket's offset). */
const DEFAULT_PORTS = Object.fromEntries(ZMQ_SOCKETS.map((name) => [name, zmqAbout.ports[0].default + ZMQ_PORT_OFFSETS[name]])) as ZmqInfo['ports'];

/**
 * The ZeroMQ lab page: a console per socket pattern (REQ/REP, PUB/SUB, PUSH/PULL, PAIR, CURVE),
 * the same REQ/REP through the SSH lab's tunnel with both wire views side by side, and recipes for
 * real clients. A tab's console opens the first time the tab is shown and stays open after.
 */
export function ZmqLab() {
  const info = useLabInfo();
  const zmq = zmqInfoOf(info);
  const feed = useLabFeed('zmq');
  const [mode, setMode] = useState<ViewMode>('endpoint');
  // A tab's body mounts on its first visit (its consoles connect then).
  const tabs = useLabTabs(TABS, { label: 'ZeroMQ lab sections', mountOnVisit: true });

  const ports = zmq?.ports ?? DEFAULT_PORTS;
  const host = labHost(info);
  // A lesson's Start over reconnects every pattern console already open (each clears its own screen then).
  const { startAfresh } = useConsoleGate();

  return (
    <LabPage
      panels={tabs.panels}
      title="ZeroMQ lab"
      hint={TAB_SOCKETS[tabs.tab].map(([label, socket], i) => (
        <span key={socket}>
          {i > 0 && ' · '}
          {/* A second socket names only its port: the longer line pushed the tabs to a row of their own on PUSH/PULL, and the page jumped. */}
          {label} at <code className="text-slate-300">{i === 0 ? `tcp://${hostPort(host, ports[socket])}` : `:${ports[socket]}`}</code>
        </span>
      ))}
      hintClassName="hidden xl:inline"
      view={{ mode, onChange: setMode }}
      controls={tabs.controls}
      step={{ protocol: 'zmq', note: 'Holds ZMTP frames at the lab’s taps: greetings, commands and messages, one at a time.' }}
      dense
      freshStart={{ run: startAfresh }}
    >
      <div className="h-full min-h-0">
        {tabs.section('req', () => <ReqTab feed={feed} mode={mode} info={zmq} port={ports.rep} />)}
        {tabs.section('sub', () => <SubTab feed={feed} mode={mode} info={zmq} port={ports.pub} />)}
        {tabs.section('workers', () => <WorkersTab feed={feed} mode={mode} ports={ports} />)}
        {tabs.section('pair', () => <PairTab feed={feed} mode={mode} port={ports.pair} />)}
        {tabs.section('curve', () => <CurveTab feed={feed} mode={mode} info={zmq} port={ports.curve} />)}
        {tabs.section('tunnel', () => <TunnelTab feed={feed} info={info} zmq={zmq} repPort={ports.rep} />)}
        {tabs.section('clients', () => <ZmqOwnClient info={info} zmq={zmq} ports={ports} host={host} />)}
      </div>
    </LabPage>
  );
}
