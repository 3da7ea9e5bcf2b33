'use client';

import { counted } from '@/lib/text/numbers.ts';
import { clockTime } from '@/components/lab/format';
import { Panel } from '@/components/lab/panel';
import type { DecisionRecord } from './api';
import { DecisionCard, OutcomeChip } from './decision-card';
import { AccessLadder } from './ladder';
import { handlerOf, type Selection } from './request-console';
import type { AccessState } from './use-access';

/** A revocation-to-effect time, as precise as it is meaningful. */
const effect = (ms: number) => (ms < 1 ? `${Math.round(ms * 1000)} µs` : ms < 1000 ? `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * The decision log: every request the interceptor decided (the console's and any real client's),
 * newest first; each admin change with the time from its commit to the first request decided on it;
 * the selected request's ladder and trace.
 */
export function DecisionLog(props: { access: AccessState; selection: Selection; onSelect(s: Selection): void; onShow(): void }) {
  const { decisions, changes } = props.access.log;
  const selected = props.selection.decision;
  const pick = (d: DecisionRecord) => props.onSelect({ conn: d.conn, decision: d });
  return (
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,3fr)_minmax(0,2fr)] gap-3">
      <div className="grid min-h-0 min-w-0 grid-cols-1 grid-rows-[minmax(0,3fr)_minmax(0,2fr)] gap-3">
        <Panel title="Decision log" actions={<span className="text-xs text-slate-400">{counted(decisions.length, 'request')}, newest first</span>}>
          <div className="h-full overflow-auto">
            {decisions.length === 0 && <p className="p-3 text-sm text-slate-400">No request decided yet: send one from the console, or with curl (Own client).</p>}
            <table className="w-full whitespace-nowrap text-left text-xs" data-testid="decision-log">
              <tbody>
                {decisions.map((d) => (
                  <tr
                    key={d.id}
                    className={`cursor-pointer border-b border-slate-800 hover:bg-slate-800/50 ${selected?.id === d.id ? 'bg-sky-950/60' : ''}`}
                    onClick={() => pick(d)}
                    data-testid="decision-row"
                  >
                    <td className="px-3 py-1 tabular-nums text-slate-400">{clockTime(d.at)}</td>
                    <td className="px-2 py-1 text-slate-200">{d.user ?? '—'}</td>
                    <td className="px-2 py-1 font-mono text-slate-300">
                      {d.method} {d.path}
                    </td>
                    <td className="px-2 py-1 font-mono text-slate-400">{d.service ?? ''}</td>
                    <td className="px-2 py-1">
                      <OutcomeChip outcome={d.outcome} />
                    </td>
                    <td className="px-2 py-1 font-mono">{d.status}</td>
                    <td className="px-2 py-1 text-slate-400">
                      {d.trace.length ? `${d.cache} · ${d.decisionUs} µs` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
        <Panel title="Changes and the next request to meet each">
          <div className="h-full overflow-auto">
            {changes.length === 0 && <p className="p-3 text-sm text-slate-400">No change yet. Suspend a subscription, then send a request: the time from the commit to that request’s decision shows here.</p>}
            <table className="w-full text-left text-xs" data-testid="change-log">
              <tbody>
                {changes.map((c) => (
                  <tr key={c.generation} className="border-b border-slate-800" data-testid="change-row">
                    <td className="whitespace-nowrap px-3 py-1 tabular-nums text-slate-400">{clockTime(c.at)}</td>
                    <td className="px-2 py-1 text-slate-200">{c.what}</td>
                    <td className="whitespace-nowrap px-2 py-1 text-slate-400">gen. {c.generation}</td>
                    <td className="whitespace-nowrap px-2 py-1 text-right font-mono">
                      {c.effectMs === null ? <span className="text-slate-400">waiting for the next request</span> : <span className="text-emerald-300" title="From the commit to the next request's decision: how soon that request came, not how long the change took (it applies at once)">next request {effect(c.effectMs)} later</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="px-3 py-2 text-xs text-slate-400">
              Measured from the commit to the first request decided on the new model. The cache is dropped by the change itself, not by a timer: Kong polls its database every 5 s by default, Apigee caches keys for about 180 s.
            </p>
          </div>
        </Panel>
      </div>
      <div className="grid min-h-0 min-w-0 grid-cols-1 grid-rows-[minmax(0,3fr)_minmax(0,2fr)] gap-3">
        <Panel title="Ladder" actions={selected?.conn ? <button className="rounded border border-slate-600 px-2 py-0.5 text-xs hover:border-slate-400" onClick={props.onShow}>Show the exchange</button> : undefined}>
          <AccessLadder decision={selected} handler={handlerOf(props.access.catalogue?.services, selected?.service ?? null)} />
        </Panel>
        <Panel title="Trace">
          <DecisionCard decision={selected} />
        </Panel>
      </div>
    </div>
  );
}
