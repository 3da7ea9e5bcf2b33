'use client';

import { useState } from 'react';
import { Panel } from '@/components/lab/panel';
import { TabBar } from '@/components/lab/tab-bar';
import { ORDER_OPERATIONS, type Computation, type OrderOperation, type PairRow } from './api';
import { ClientEditor } from './controls';
import { SCOPE_STYLE, time } from './format';
import { Matrix, NormalForm, PairDetail } from './matrix';
import type { PolicyModel } from './use-policy';
import { counted } from '@/lib/text/numbers.ts';

/** The policies merged into one operation's request policy: endpoint ⊕ operation ⊕ input message, with what each element attached. */
function MergeLine({ c, operation }: { c: Computation; operation: string }) {
  const endpoint = c.subjects.find((s) => s.kind === 'endpoint');
  const op = c.subjects.find((s) => s.kind === 'operation' && s.path.endsWith(`/${operation}`));
  const input = c.subjects.find((s) => s.kind === 'message' && s.path.endsWith(`/${operation}/input`));
  const parts = [endpoint, op, input].filter((s) => s !== undefined);
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="merge-line">
      {parts.map((s, i) => (
        <span key={s.path} className="flex items-center gap-1.5">
          {i > 0 && <span className="text-slate-400">⊕</span>}
          <span className={`rounded px-1.5 py-0.5 ${SCOPE_STYLE[s.kind].chip}`}>
            {s.kind === 'message' ? 'input message' : s.kind}:{' '}
            {s.attachments
              .filter((a) => a.assertions.length)
              .map((a) => `${a.element.split('/').pop()} → ${a.assertions.join(', ')}`)
              .join('; ') || 'nothing attached'}
          </span>
        </span>
      ))}
    </div>
  );
}

/** The Client tab: the client's policy set, then for one operation merge → normal form → intersection → choice. */
export function EffectiveTab({ model }: { model: PolicyModel }) {
  const [operation, setOperation] = useState<OrderOperation>('placeOrder');
  const [picked, setPicked] = useState<{ key: string; pair: PairRow } | null>(null);
  const c = model.state?.computation ?? null;
  const op = c?.operations.find((o) => o.operation === operation);
  const mode = model.state?.client.mode ?? 'lax';
  // A pick belongs to one computation and operation; otherwise show the chosen pair, or the closest miss.
  const key = `${c?.fetchedAt}-${operation}-${model.state?.client.mode}-${c?.client.length}`;
  const fallback = op ? (op.pairs.find((p) => p.provider === op.chosen?.provider && p.client === op.chosen.client) ?? [...op.pairs].sort((a, b) => a.mismatches.length - b.mismatches.length)[0]) : undefined;
  const selected = picked?.key === key ? picked.pair : (fallback ?? null);

  return (
    // Where the lab is narrow the computation (its normal form and matrix) gets the larger share, as the WSDL does.
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,22rem)_minmax(0,1fr)] gap-3 lab-narrow:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <div className="flex min-h-0 flex-col gap-3 overflow-y-auto">
        <Panel title="Client policy set" className="shrink-0">
          <ClientEditor model={model} />
        </Panel>
        <Panel title="Chosen alternative" className="min-h-[12rem] flex-1">
          <div className="h-full overflow-y-auto p-3 text-sm [overflow-wrap:anywhere]" data-testid="chosen" tabIndex={0}>
            {!c && <p className="text-slate-400">No provider policy yet: fetch it (above).</p>}
            {c?.error && <p className="text-red-200">{c.error}</p>}
            {c?.dispatchError && (
              <p className="mb-2 rounded border border-red-800 bg-red-950/40 px-2 py-1 text-red-200" data-testid="dispatch-error">
                {c.dispatchError}
              </p>
            )}
            {op?.chosen && (
              <div className="space-y-1">
                <p className="font-semibold text-emerald-300">
                  {operation}: P{op.chosen.provider + 1} × C{op.chosen.client + 1}
                </p>
                <p className="font-mono text-xs text-slate-200">{op.chosen.assertions.join(' + ') || 'no assertions'}</p>
                <p className="text-slate-300">{op.chosen.why}</p>
                <p className="text-slate-300">
                  Requests will carry: {op.chosen.addressing || op.chosen.rm ? 'WS-Addressing headers' : 'no WS-Addressing'}
                  {op.chosen.rm ? `, a WS-RM ${op.chosen.rm} sequence (CreateSequence, Sequence header, TerminateSequence)` : ', no RM sequence'}
                  {op.chosen.mtom ? ', MTOM' : ''}.
                </p>
              </div>
            )}
            {op && !op.chosen && (
              <div className="space-y-1" data-testid="no-configuration">
                <p className="font-semibold text-red-300">No acceptable configuration for {operation}</p>
                <p className="text-slate-300">{op.error}</p>
              </div>
            )}
          </div>
        </Panel>
      </div>
      <Panel
        title="Effective policy"
        landmark={false}
        actions={
          <>
            {c && <span className="text-xs text-slate-400">computed {time(c.fetchedAt)} from {c.via === 'mex' ? 'GetMetadata' : 'GET ?wsdl'}</span>}
            <TabBar label="Operation" tabs={ORDER_OPERATIONS.map((o) => [o, o] as const)} value={operation} onChange={setOperation} />
          </>
        }
      >
        {/* A namespace URI or {ns}QName has no space to wrap at: it breaks anywhere rather than scroll the pane sideways. */}
        <div className="h-full space-y-3 overflow-y-auto p-3 [overflow-wrap:anywhere]" data-testid="effective-policy">
          {!c && <p className="text-sm text-slate-400">Fetch the provider policy (by GET or WS-MEX, above) and the client computes: merge per scope, normal form, intersection, choice.</p>}
          {c && op && (
            <>
              <section>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">1 · Merge (WS-PolicyAttachment §4.1)</h3>
                <MergeLine c={c} operation={operation} />
              </section>
              <section>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">2 · Normal form (WS-Policy 1.5 §4.1): one row per alternative</h3>
                <NormalForm rows={op.provider} chosen={op.chosen?.provider ?? null} />
              </section>
              <section>
                <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-400">3 · Intersection with the client’s {counted(c.client.length, 'alternative')} ({mode}, §4.5)</h3>
                {op.provider.length > 0 && op.pairs.length > 0 ? (
                  <>
                    <Matrix op={op} client={c.client} selected={selected} onSelect={(pair) => setPicked({ key, pair })} />
                    {selected && <PairDetail pair={selected} mode={mode} />}
                  </>
                ) : (
                  <p className="text-sm text-red-200">{op.error ?? 'Nothing to intersect.'}</p>
                )}
              </section>
            </>
          )}
        </div>
      </Panel>
    </div>
  );
}
