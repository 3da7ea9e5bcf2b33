'use client';

import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { LabFeed } from '@/components/lab/lab-feed';
import { Panel } from '@/components/lab/panel';
import type { Suggestion } from '@/components/lab/quick-insert';
import { TabBar } from '@/components/lab/tab-bar';
import { useConnectionHistory } from '@/components/lab/connection-history';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { zmqApi, type ZmqInfo } from './api';
import { ZmqConnections } from './connections';
import { Explain, SlowJoiner } from './explain';
import { consoleConnections, ZmqConsole, type ZmqConsoleHandle } from './zmq-console';

/** The line commands each console understands (its `help` lists them). */
const HELP: Suggestion = { label: 'help', lines: ['help'], hint: 'What this console understands' };
export const REQ_SUGGESTIONS: Suggestion[] = [
  { label: 'hello 1', lines: ['hello 1'], hint: 'One Hello; the reply comes after the think time' },
  { label: 'hello', lines: ['hello'], hint: 'The seed’s loop: ten Hellos, each reply printed' },
  HELP,
];
const CURVE_SUGGESTIONS: Suggestion[] = [
  ...REQ_SUGGESTIONS.slice(0, 2),
  { label: 'wrongkey', lines: ['wrongkey'], hint: 'A second client with the wrong server public key: the handshake fails' },
  HELP,
];
const PAIR_SUGGESTIONS: Suggestion[] = [
  { label: 'Hello, pair', lines: ['Hello, pair'], hint: 'Any other line is sent as a message; the lab’s PAIR answers each' },
  { label: 'second', lines: ['second'], hint: 'Connect a second PAIR peer and see what it gets' },
  { label: 'disconnect', lines: ['disconnect'], hint: 'Leave the PAIR, so your own PAIR client can be its one peer (connect: back)' },
  HELP,
];

/**
 * Two columns, the pattern's console and what goes with it, where there is room for them at the page's type size
 * (56rem: Presenter mode's larger type beside a lesson cut every frame row to "READY Socket-Type="R…"); else one
 * above the other, each row the whole width.
 */
function TwoColumns({ children }: { children: ReactNode }) {
  return (
    <div className="@container h-full min-h-0">
      <div className="grid h-full min-h-0 grid-cols-1 grid-rows-[minmax(0,3fr)_minmax(0,2fr)] gap-3 @4xl:grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)] @4xl:grid-rows-1" data-testid="zmq-columns">
        {children}
      </div>
    </div>
  );
}

/** Remembers a console's connection for the panel beside it. */
function useConsoleHandle() {
  const [handle, setHandle] = useState<ZmqConsoleHandle | null>(null);
  const onHandle = useCallback((h: ZmqConsoleHandle) => setHandle(h), []);
  return { handle, onHandle };
}

type SideTab = 'transcript' | 'connections' | 'about';

/**
 * The panel beside a console: the frames of its connection (or of one picked from the list) as a
 * transcript, every ZMTP connection of the lab, and the pattern explained.
 */
function SidePanel(props: { feed: LabFeed; mode: ViewMode; conn: string | null; about: ReactNode; aboutLabel: string; top?: ReactNode }) {
  const { feed, mode } = props;
  const [tab, setTab] = useState<SideTab>('transcript');
  const [picked, setPicked] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const shown = picked ?? props.conn;
  useConnectionHistory(feed, picked);
  const ids = picked ? [picked] : consoleConnections(feed, props.conn);
  const all = ids.flatMap((id) => feed.messagesOf(id));
  const messages = useMemo(() => all.filter((m) => isVisible(m, mode)), [all, mode]); // eslint-disable-line react-hooks/exhaustive-deps
  const tabs: readonly [SideTab, string][] = [
    ['transcript', 'Frames'],
    ['connections', 'Connections'],
    ['about', props.aboutLabel],
  ];
  const label = picked ? (feed.connection(picked)?.label ?? feed.connection(picked)?.client ?? picked) : 'your console';
  return (
    <Panel title={tab === 'transcript' ? label : tab === 'connections' ? 'ZMTP' : props.aboutLabel} actions={<TabBar tabs={tabs} value={tab} onChange={setTab} />}>
      <div className="flex h-full min-h-0 flex-col">
        {props.top}
        <div className="min-h-0 flex-1">
          {tab === 'transcript' && (
            <div className="flex h-full min-h-0 flex-col">
              {picked && (
                <button className="px-3 py-1 text-left text-xs text-sky-300 hover:text-sky-100" onClick={() => setPicked(null)}>
                  back to your console
                </button>
              )}
              <div className="min-h-0 flex-1">
                <TranscriptPanel
                  messages={messages}
                  selectedId={selected}
                  onSelect={(id) => setSelected(id === selected ? null : id)}
                  emptyText={shown ? 'No frames yet.' : 'Waiting for the console to connect…'}
                />
              </div>
            </div>
          )}
          {tab === 'connections' && (
            <ZmqConnections
              feed={feed}
              selected={shown}
              own={props.conn}
              onSelect={(id) => {
                setPicked(id === props.conn ? null : id);
                setTab('transcript');
              }}
            />
          )}
          {tab === 'about' && <div className="h-full space-y-3 overflow-y-auto p-3">{props.about}</div>}
        </div>
      </div>
    </Panel>
  );
}

const THINK_CHOICES = [0, 250, 1000, 3000];

/** The REP's think time, as the seed's time.sleep(1); 0 answers at once. */
function ThinkTime({ info }: { info: ZmqInfo | null }) {
  const [ms, setMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = ms ?? info?.thinkMs ?? 1000;
  const choices = THINK_CHOICES.includes(value) ? THINK_CHOICES : [...THINK_CHOICES, value].sort((a, b) => a - b);
  return (
    <label className="flex items-center gap-2 border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
      REP think time
      <select
        className="rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 text-slate-200"
        value={value}
        onChange={(e) => {
          const next = Number(e.target.value);
          setError(null);
          void zmqApi
            .setThink(next)
            .then((r) => setMs(r.thinkMs))
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
        }}
      >
        {choices.map((c) => (
          <option key={c} value={c}>
            {c === 0 ? '0 (answer at once)' : `${c} ms`}
          </option>
        ))}
      </select>
      {error && <span className="text-red-300">{error}</span>}
    </label>
  );
}

/** REQ/REP: the seed's System B against the lab's REP. */
export function ReqTab(props: { feed: LabFeed; mode: ViewMode; info: ZmqInfo | null; port: number }) {
  const { handle, onHandle } = useConsoleHandle();
  return (
    <TwoColumns>
      <ZmqConsole kind="req" title={`REQ → tcp://127.0.0.1:${props.port}`} feed={props.feed} mode={props.mode} suggestions={REQ_SUGGESTIONS} onHandle={onHandle} />
      <SidePanel
        feed={props.feed}
        mode={props.mode}
        conn={handle?.conn ?? null}
        top={<ThinkTime info={props.info} />}
        aboutLabel="Envelope"
        about={
          <Explain title="The REQ envelope" refs="ZeroMQ RFC 28 §4, §5; ZMTP RFC 37 §3.7.2">
            <p>
              A REQ socket puts an empty frame (the delimiter) in front of every request, with the MORE flag set: on the
              wire, <code>Hello</code> is the second frame of a two-part message. The REP strips the envelope, hands{' '}
              <code>Hello</code> to its program, and puts the same envelope in front of <code>World</code>.
            </p>
            <p>
              REQ is strictly send, receive, send, receive: a second request before the reply is an error in the
              program, and nothing goes on the wire.
            </p>
          </Explain>
        }
      />
    </TwoColumns>
  );
}

/** PUB/SUB: subscribe and cancel topics live; the slow joiner. */
export function SubTab(props: { feed: LabFeed; mode: ViewMode; info: ZmqInfo | null; port: number }) {
  const { handle, onHandle } = useConsoleHandle();
  const [topic, setTopic] = useState('weather.');
  const topics = props.info?.topics ?? ['weather.seoul', 'weather.tehran', 'clock'];
  const send = (line: string) => handle?.sendLine(line);
  const controls = (
    <form
      className="flex flex-wrap items-center gap-2 border-b border-slate-800 px-3 py-1.5 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        send(`subscribe ${topic}`);
      }}
    >
      <label className="flex items-center gap-1.5 text-slate-400">
        Topic prefix
        <input
          className="w-36 rounded border border-slate-700 bg-slate-900 px-1.5 py-0.5 font-mono text-slate-100"
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          aria-label="Topic prefix"
        />
      </label>
      <button type="submit" className="rounded border border-sky-600 px-2 py-0.5 text-sky-200 hover:bg-sky-500/10" disabled={!handle?.conn}>
        Subscribe
      </button>
      <button type="button" className="rounded border border-slate-600 px-2 py-0.5 text-slate-200 hover:border-slate-400" disabled={!handle?.conn} onClick={() => send(`unsubscribe ${topic}`)}>
        Cancel
      </button>
      <span className="text-slate-400">published: {topics.map((t) => <code key={t} className="mr-1.5 text-slate-300">{t}</code>)}</span>
    </form>
  );
  return (
    <TwoColumns>
      <ZmqConsole kind="sub" title={`SUB → tcp://127.0.0.1:${props.port}`} feed={props.feed} mode={props.mode} onHandle={onHandle} suggestions={[{ label: 'list', lines: ['list'], hint: 'Your subscriptions' }, HELP]} />
      <SidePanel feed={props.feed} mode={props.mode} conn={handle?.conn ?? null} top={controls} aboutLabel="Slow joiner" about={<SlowJoiner />} />
    </TwoColumns>
  );
}

/** PAIR: one peer only. */
export function PairTab(props: { feed: LabFeed; mode: ViewMode; port: number }) {
  const { handle, onHandle } = useConsoleHandle();
  return (
    <TwoColumns>
      <ZmqConsole kind="pair" title={`PAIR → tcp://127.0.0.1:${props.port}`} feed={props.feed} mode={props.mode} onHandle={onHandle} suggestions={PAIR_SUGGESTIONS} />
      <SidePanel
        feed={props.feed}
        mode={props.mode}
        conn={handle?.conn ?? null}
        aboutLabel="PAIR"
        about={
          <Explain title="One peer, and only one" refs="ZMTP RFC 37 §4.4, §3.9.1; ZeroMQ RFC 31 §4">
            <p>
              A PAIR socket talks to exactly one PAIR peer, in both directions, with no envelope and no routing. Both ends
              announce <code>Socket-Type: PAIR</code> in <code>READY</code>.
            </p>
            <p>
              While one peer is connected, the lab’s PAIR has no room for another: a second peer completes TCP and the
              ZMTP handshake, but the PAIR never delivers what it sends and never closes it. It stays ignored even after
              the first peer leaves; only a new connection becomes the peer. Try it with the PAIR recipe in “Own
              client” while this console is connected: the console says when another peer is ignored.
            </p>
            <p>
              This console is that one peer while it is connected. To talk to the PAIR from your own client, type{' '}
              <code>disconnect</code> here first (<code>connect</code> takes the place back).
            </p>
          </Explain>
        }
      />
    </TwoColumns>
  );
}

/** CURVE: the same REQ/REP, encrypted inside ZMTP with the server's public key. */
export function CurveTab(props: { feed: LabFeed; mode: ViewMode; info: ZmqInfo | null; port: number }) {
  const { handle, onHandle } = useConsoleHandle();
  const key = props.info?.curveServerKey;
  const top = (
    <div className="border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">
      Server public key (Z85){' '}
      <code className="break-all font-mono text-sm text-amber-200" data-testid="curve-server-key">
        {key ?? '…'}
      </code>
    </div>
  );
  return (
    <TwoColumns>
      <ZmqConsole kind="curve" title={`CURVE REQ → tcp://127.0.0.1:${props.port}`} feed={props.feed} mode={props.mode} onHandle={onHandle} suggestions={CURVE_SUGGESTIONS} />
      <SidePanel
        feed={props.feed}
        mode={props.mode}
        conn={handle?.conn ?? null}
        top={top}
        aboutLabel="CURVE"
        about={
          <Explain title="The boxes, opened" refs="ZeroMQ RFC 26 §2.7; ZMTP RFC 25 §3">
            <p>
              On the wire (eavesdropper view) CURVE shows only command names, sizes and nonces: <code>HELLO</code> (200
              octets), <code>WELCOME</code> (168), <code>INITIATE</code>, <code>READY</code>, then <code>MESSAGE</code>{' '}
              for every frame.
            </p>
            <p>
              The lab owns both key pairs, so the endpoint view opens the boxes: the client’s short-term key C′, the
              server’s S′, the cookie, the vouch, and the plaintext <code>Hello</code>. The client needs the server’s
              public key above before it connects; with a wrong one, the server cannot open <code>HELLO</code> and the
              handshake stops there.
            </p>
          </Explain>
        }
      />
    </TwoColumns>
  );
}
