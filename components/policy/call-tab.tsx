'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { LabFeed } from '@/components/lab/lab-feed';
import { LabColumns } from '@/components/lab/lab-columns';
import { Panel } from '@/components/lab/panel';
import { loadTranscript } from '@/components/lab/use-lab-feed';
import { isVisible, type ViewMode } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { ORDER_OPERATIONS, POLICY_CLIENT_LABEL, policyApi, type OrderOperation } from './api';
import { ProviderAdmin } from './controls';
import { Ladder } from './ladder';
import type { PolicyModel } from './use-policy';
import { counted } from '@/lib/text/numbers.ts';

/** Each operation's arguments as the WSDL declares them, with what the client sends when a field is left empty. */
const FIELDS: Record<OrderOperation, [string, string][]> = {
  placeOrder: [
    ['item', 'widget'],
    ['quantity', '1'],
  ],
  getOrder: [['orderId', 'the last order placed']],
  cancelOrder: [['orderId', 'the last order placed']],
};

const input = 'w-full rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-sm text-slate-100';

/** The call form: an operation and its arguments, sent with the cached effective policy. */
function CallForm({ model }: { model: PolicyModel }) {
  const [operation, setOperation] = useState<OrderOperation>('placeOrder');
  const [args, setArgs] = useState<Record<string, string>>({});
  const [retry, setRetry] = useState(true);
  const chosen = model.state?.computation?.operations.find((o) => o.operation === operation)?.chosen;
  const send = () => {
    const filled = Object.fromEntries(FIELDS[operation].map(([name]) => [name, (args[name] ?? '').trim()]).filter(([, v]) => v !== ''));
    void model.run('call', () => policyApi.call({ operation, args: filled, retry }));
  };
  const last = model.lastCall;
  return (
    <form
      className="space-y-2 p-3"
      data-testid="call-form"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label className="flex items-center gap-2 text-sm text-slate-300">
        <span className="w-20 text-xs text-slate-400">Operation</span>
        <select className={input} value={operation} onChange={(e) => setOperation(e.target.value as OrderOperation)} aria-label="Operation">
          {ORDER_OPERATIONS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      {FIELDS[operation].map(([name, placeholder]) => (
        <label key={name} className="flex items-center gap-2 text-sm text-slate-300">
          <span className="w-20 text-xs text-slate-400">{name}</span>
          <input className={input} value={args[name] ?? ''} placeholder={placeholder} maxLength={200} aria-label={name} onChange={(e) => setArgs({ ...args, [name]: e.target.value })} />
        </label>
      ))}
      <div className="flex items-center gap-3">
        <button type="submit" className="rounded-md border border-sky-500 bg-sky-500/10 px-4 py-1 text-sm text-sky-100 hover:bg-sky-500/20 disabled:opacity-40" disabled={model.busy !== null}>
          {model.busy === 'call' ? 'Calling…' : 'Call'}
        </button>
        <label className="flex items-center gap-1.5 text-xs text-slate-300" title="The seed's catch block: on a policy fault set refreshProviderPolicy and re-issue once">
          <input type="checkbox" className="accent-sky-400" checked={retry} onChange={(e) => setRetry(e.target.checked)} />
          refresh and retry once on a policy fault
        </label>
      </div>
      <p className="text-xs text-slate-400" data-testid="shaped-by">
        {chosen
          ? `Shaped by the cached policy: ${chosen.addressing || chosen.rm ? 'WS-Addressing' : 'no WS-Addressing'}${chosen.rm ? ` + RM ${chosen.rm} sequence` : ''}.`
          : model.state?.cache.cached
            ? 'The cached policy has no acceptable alternative for this operation: the call stops before the wire.'
            : 'No cached policy: the call fetches it first.'}
      </p>
      {last && (
        <div className={`rounded border px-2 py-1 text-sm ${last.ok ? 'border-emerald-800 bg-emerald-950/30 text-emerald-100' : 'border-red-800 bg-red-950/30 text-red-100'}`} data-testid="call-result">
          {last.ok ? `✓ ${last.result ?? 'done'}` : `✗ ${last.stopped ?? 'failed'}`}
        </div>
      )}
    </form>
  );
}

/** Connections shown together in the "all exchanges" view: the newest ones of the ladder. */
const MAX_SHOWN = 12;

/** The SOAP exchanges the lab's client made (its rungs' connections, in ladder order), or one of them. */
function LabTranscript(props: { model: PolicyModel; feed: LabFeed; mode: ViewMode; conn: string | null; visible: boolean; onClear(): void }) {
  const { feed } = props;
  const [selected, setSelected] = useState<string | null>(null);
  const ladder = props.model.state?.ladder;
  const onRungs = useMemo(() => [...new Set((ladder ?? []).map((r) => r.conn).filter((c): c is string => c !== null))], [ladder]);
  // A call still running (in step mode, held message by message) is on no rung until it returns: its exchanges,
  // the client's connections since the last rung, show as they happen.
  const since = ladder?.at(-1)?.at ?? 0;
  const running = feed
    .listConnections()
    .filter((c) => c.label === POLICY_CLIENT_LABEL && c.startedAt >= since && !onRungs.includes(c.id))
    .map((c) => c.id)
    .reverse();
  const all = [...onRungs, ...running];
  const conns = props.conn ? [props.conn] : all.slice(-MAX_SHOWN);
  // Exchanges made before this page opened (or whose live events were missed) are loaded whole, once each.
  const loaded = useRef(new Set<string>());
  useEffect(() => {
    for (const id of onRungs.slice(-MAX_SHOWN)) {
      if (loaded.current.has(id)) continue;
      loaded.current.add(id);
      void loadTranscript(feed, id).catch(() => loaded.current.delete(id));
    }
  }, [onRungs, feed]);
  const messages = conns.flatMap((id) => feed.messagesOf(id)).filter((m) => isVisible(m, props.mode));
  return (
    <Panel
      title={props.conn ? `Exchange ${props.conn}` : 'SOAP on the wire'}
      className="lab-narrow:col-span-2"
      actions={
        <>
          {props.conn && (
            <button className="text-xs text-sky-300 hover:text-sky-100" onClick={props.onClear}>
              all exchanges
            </button>
          )}
          <span className="text-xs text-slate-400">
            {conns.length < all.length && !props.conn ? 'newest ' : ''}
            {counted(conns.length, 'connection')} · {counted(messages.length, 'message')}
          </span>
        </>
      }
    >
      {/* Mounted when shown, so it opens at the newest exchange (a hidden list cannot scroll). */}
      <TranscriptPanel
        key={String(props.visible)}
        messages={messages}
        selectedId={selected}
        onSelect={(id) => setSelected(id === selected ? null : id)}
        emptyText="Every HTTP exchange of the lab’s client appears here, dissected: wsa:* headers, wsrm:* sequences, mex:* metadata and the faults."
      />
    </Panel>
  );
}

/** The Call tab: the provider's switches and the call form, the ladder, and the exchanges on the wire. */
export function CallTab(props: { model: PolicyModel; feed: LabFeed; mode: ViewMode; visible: boolean }) {
  const [conn, setConn] = useState<string | null>(null);
  const ladder = props.model.state?.ladder ?? [];
  return (
    // Where the lab column is narrow the form and the ladder share the first screen and the wire has the second.
    <LabColumns className="grid-cols-[minmax(0,21rem)_minmax(0,1fr)_minmax(0,1.1fr)] lab-narrow:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]" testId="call-columns" below={{ label: 'Wire', name: 'SOAP on the wire' }}>
      <div className="flex min-h-0 flex-col gap-3 overflow-y-auto">
        <Panel title="Provider admin" className="shrink-0">
          <ProviderAdmin model={props.model} />
        </Panel>
        <Panel title="Call the Orders service" className="shrink-0">
          <CallForm model={props.model} />
        </Panel>
      </div>
      <Panel title="Ladder: GetMetadata → call → fault → refresh → retry">
        <Ladder key={String(props.visible)} rows={ladder} selected={conn} onSelect={setConn} />
      </Panel>
      <LabTranscript model={props.model} feed={props.feed} mode={props.mode} conn={conn} visible={props.visible} onClear={() => setConn(null)} />
    </LabColumns>
  );
}
