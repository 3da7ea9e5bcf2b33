'use client';

import type { DecisionRecord } from './api';

const OUTCOME: Record<DecisionRecord['outcome'], { text: string; className: string }> = {
  permit: { text: 'permitted', className: 'bg-emerald-900/60 text-emerald-200' },
  deny: { text: 'denied', className: 'bg-rose-900/60 text-rose-200' },
  unauthenticated: { text: 'not authenticated', className: 'bg-amber-900/60 text-amber-200' },
  'unknown-route': { text: 'no such service', className: 'bg-slate-700 text-slate-200' },
};

/** A decision's outcome chip. */
export function OutcomeChip({ outcome }: { outcome: DecisionRecord['outcome'] }) {
  const o = OUTCOME[outcome];
  return <span className={`rounded px-1.5 py-0.5 text-xs ${o.className}`}>{o.text}</span>;
}

/**
 * The interceptor's decision on one request: outcome, reason, and the trace user → blacklist →
 * groups → subscriptions → products → features → service, the broken link marked ✗.
 */
export function DecisionCard({ decision }: { decision: DecisionRecord | null }) {
  if (!decision) return <p className="p-3 text-sm text-slate-400">No decision yet.</p>;
  return (
    <div className="h-full space-y-2 overflow-y-auto p-3 text-sm" data-testid="decision-card" data-outcome={decision.outcome}>
      <p className="flex flex-wrap items-center gap-2">
        <OutcomeChip outcome={decision.outcome} />
        <span className="font-mono text-xs text-slate-300">
          {decision.status} · {decision.service ?? `${decision.method} ${decision.path}`}
        </span>
      </p>
      <p className="text-slate-200">{decision.reason}</p>
      {decision.trace.length > 0 && (
        <ol className="space-y-1 text-xs" data-testid="decision-trace">
          {decision.trace.map((s) => (
            <li key={s.step} className={s.ok ? 'text-slate-300' : 'text-rose-200'}>
              <span className={s.ok ? 'text-emerald-300' : 'text-rose-300'}>{s.ok ? '✓' : '✗'}</span> <span className="font-semibold">{s.step}</span>
              {s.items.length > 0 && <span className="font-mono text-slate-400"> {s.items.join(' · ')}</span>}
              {!s.ok && <div className="pl-4">{s.note}</div>}
            </li>
          ))}
        </ol>
      )}
      {decision.trace.length > 0 && (
        <p className="text-xs text-slate-400">
          decision cache {decision.cache} · {decision.decisionUs} µs · model generation {decision.generation}
        </p>
      )}
    </div>
  );
}
