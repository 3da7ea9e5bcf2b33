'use client';

import { useEffect, useRef } from 'react';
import type { LadderRow } from './api';
import { time } from './format';

/** How each rung reads: on the wire (an exchange with the provider) or inside the client. */
const KIND: Record<LadderRow['kind'], { label: string; wire: boolean; className: string }> = {
  fetch: { label: 'fetch', wire: true, className: 'bg-sky-500/15 text-sky-200' },
  'create-sequence': { label: 'CreateSequence', wire: true, className: 'bg-violet-500/15 text-violet-200' },
  call: { label: 'call', wire: true, className: 'bg-emerald-500/15 text-emerald-200' },
  'terminate-sequence': { label: 'TerminateSequence', wire: true, className: 'bg-violet-500/15 text-violet-200' },
  fault: { label: 'fault', wire: true, className: 'bg-red-500/20 text-red-200' },
  refresh: { label: 'refresh', wire: false, className: 'bg-amber-500/15 text-amber-200' },
  retry: { label: 'retry', wire: false, className: 'bg-amber-500/15 text-amber-200' },
  stop: { label: 'stop', wire: false, className: 'bg-red-500/20 text-red-200' },
  error: { label: 'error', wire: true, className: 'bg-red-500/20 text-red-200' },
};

/**
 * The client's side of the story, top to bottom in the order it happened: GetMetadata (or GET) → call → fault →
 * refresh → retry. A rung on the wire is one HTTP exchange (its connection can be picked); refresh, retry and stop
 * happen inside the client.
 */
export function Ladder(props: { rows: LadderRow[]; selected: string | null; onSelect(conn: string | null): void }) {
  const list = useRef<HTMLOListElement>(null);
  // The newest rung is the one to read: follow the end as rungs arrive.
  const newest = props.rows.at(-1)?.at;
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [newest, props.rows.length]);
  if (props.rows.length === 0) return <p className="p-3 text-sm text-slate-400">Nothing yet: fetch the provider policy or make a call.</p>;
  return (
    <ol ref={list} className="h-full space-y-1 overflow-y-auto p-2 text-sm" data-testid="ladder">
      {props.rows.map((r, i) => {
        const k = KIND[r.kind];
        const active = r.conn !== null && r.conn === props.selected;
        const body = (
          <>
            <span className="flex items-center gap-2">
              <span className="text-slate-400" aria-hidden>
                {k.wire ? '⇄' : '↻'}
              </span>
              <span className={`rounded px-1.5 text-xs ${k.className}`}>{k.label}</span>
              {r.status !== undefined && r.status > 0 && <span className="text-xs text-slate-400">HTTP {r.status}</span>}
              <span className="ml-auto text-xs tabular-nums text-slate-400">{time(r.at)}</span>
            </span>
            <span className="block break-words text-slate-200">{r.text}</span>
          </>
        );
        return (
          <li key={`${r.at}-${i}`} data-testid="rung" data-kind={r.kind} className={`border-l-2 ${k.wire ? 'border-slate-700' : 'ml-4 border-amber-700/60'}`}>
            {r.conn ? (
              <button className={`block w-full rounded px-1 py-0.5 text-left ${active ? 'bg-sky-950/60' : 'hover:bg-slate-900'}`} onClick={() => props.onSelect(active ? null : r.conn)} title="Show this exchange in the transcript">
                {body}
              </button>
            ) : (
              <div className="px-1 py-0.5">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
