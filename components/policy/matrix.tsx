'use client';

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useWidth } from '@/components/ladder/use-width';
import type { AlternativeRow, OperationComputation, PairRow } from './api';
import { modeVerdict, SCOPE_STYLE, shortAlternative, shortMismatch, subjectOfScope } from './format';

/** The normal form of one operation's request policy: one row per alternative, each assertion with its scope. */
export function NormalForm({ rows, chosen }: { rows: AlternativeRow[]; chosen: number | null }) {
  if (rows.length === 0) {
    return (
      <p className="rounded border border-red-800 bg-red-950/40 px-3 py-2 text-sm text-red-200" data-testid="normal-form-empty">
        No alternative at all: the normal form is <code>&lt;wsp:ExactlyOne/&gt;</code>, which admits no behaviour.
      </p>
    );
  }
  return (
    <table className="w-full text-sm" data-testid="normal-form">
      <thead>
        <tr className="text-left text-xs text-slate-400">
          <th className="w-12 py-1 font-normal">Alt.</th>
          <th className="py-1 font-normal">wsp:All — every assertion of the alternative, with the scope that attached it</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((alt) => (
          <tr key={alt.index} className={`border-t border-slate-800 ${chosen === alt.index ? 'bg-emerald-500/10' : ''}`} data-testid="nf-row">
            <td className="py-1 align-top font-mono text-slate-300">
              P{alt.index + 1}
              {chosen === alt.index && <span className="ml-1 text-emerald-300">★</span>}
            </td>
            <td className="py-1">
              <div className="flex flex-wrap gap-1.5">
                {alt.assertions.length === 0 && <span className="text-slate-400">(empty: asks for nothing)</span>}
                {alt.assertions.map((a) => {
                  const scope = a.scopes[0];
                  const style = scope ? SCOPE_STYLE[subjectOfScope(scope)] : null;
                  return (
                    <span key={a.name} className={`rounded px-1.5 py-0.5 font-mono text-xs ${style?.chip ?? 'bg-slate-800 text-slate-200'}`} title={`${a.ns}${a.scopes.length ? `\nfrom ${a.scopes.join(', ')}` : ''}`}>
                      {a.name}
                      {a.nested.length > 0 && <span className="text-slate-400"> ({a.nested.join(', ')})</span>}
                      {a.ignorable && <span className="ml-1 rounded bg-slate-700 px-1 font-sans text-[0.7rem] text-slate-200">ignorable</span>}
                      {scope && <span className="ml-1 font-sans text-[0.7rem] opacity-80">{scope.split(' ')[0].split('/').pop()}</span>}
                    </span>
                  );
                })}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One provider × client pair: ✓ or ✗ with the mismatches in a few words; `heading` names the client column when stacked. */
function PairCell(props: { x: PairRow; provider: number; client: number; chosen: boolean; selected: boolean; heading?: ReactNode; onSelect(pair: PairRow): void }) {
  const { x, provider, client, chosen } = props;
  return (
    <button
      onClick={() => props.onSelect(x)}
      data-testid="matrix-cell"
      data-compatible={x.compatible}
      data-chosen={chosen || undefined}
      className={`relative flex h-full w-full flex-col justify-start rounded px-1.5 py-1 text-left ${x.compatible ? 'bg-emerald-500/15 text-emerald-200' : 'bg-red-500/10 text-red-200'} ${props.selected ? 'ring-2 ring-sky-400' : ''} ${chosen ? 'outline outline-2 outline-emerald-400' : ''}`}
    >
      {/* Named by what it shows, after the pair and verdict in words (an aria-label hid the mismatches it shows).
          The button is `relative` so this clipped text stays in it: placed by the page, it made the page scroll. */}
      <span className="sr-only">
        P{provider + 1} × C{client + 1}: {x.compatible ? 'compatible' : 'not compatible'}.{' '}
      </span>
      {props.heading && <span className="block text-slate-300">{props.heading}</span>}
      <span>
        <span className="font-semibold" aria-hidden="true">
          {x.compatible ? '✓' : '✗'}
        </span>
        {chosen && <span className="ml-1">chosen</span>}
      </span>
      {x.mismatches.slice(0, 2).map((m, i) => (
        <span key={i} className="block leading-tight">
          {shortMismatch(m)}
        </span>
      ))}
      {x.mismatches.length > 2 && <span className="block text-slate-400">+{x.mismatches.length - 2} more</span>}
      {x.compatible && x.ignored.length > 0 && <span className="block leading-tight text-slate-300">lax: {x.ignored.map((i) => i.assertion).join(', ')} ignored</span>}
    </button>
  );
}

/**
 * Provider alternatives × client alternatives: ✓ or ✗ with the mismatches in a few words; a click explains. Where the
 * table does not fit (six client columns need about 47em: Presenter mode, or beside a lesson) it scrolled sideways and
 * hid the chosen pair; there each provider alternative lists its pairs instead, as many to a row as fit.
 */
export function Matrix(props: {
  op: OperationComputation;
  client: AlternativeRow[];
  selected: PairRow | null;
  onSelect(pair: PairRow): void;
}) {
  const { op, client } = props;
  const pair = (p: number, c: number) => op.pairs.find((x) => x.provider === p && x.client === c);
  const chosen = op.chosen;
  const isChosen = (p: number, c: number) => chosen?.provider === p && chosen.client === c;
  const box = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const width = useWidth(box);
  // The width (in em, so A+ and Presenter carry it over) the table took when it did not fit, for this many columns.
  const [needed, setNeeded] = useState<{ columns: number; em: number } | null>(null);
  const em = () => parseFloat(getComputedStyle(box.current ?? document.body).fontSize) || 16;
  const stacked = needed !== null && needed.columns === client.length && width > 0 && width / em() < needed.em;
  useLayoutEffect(() => {
    const t = table.current;
    const b = box.current;
    if (stacked || !t || !b || width === 0) return;
    if (t.offsetWidth > b.clientWidth + 1) setNeeded({ columns: client.length, em: t.offsetWidth / em() });
  }, [stacked, width, client.length]);

  // One element measured in both layouts (useWidth observes the element its ref held first). The table keeps words whole
  // (a column as wide as its longest word): a name too long for the pane stacks the pairs instead.
  return (
    <div ref={box} className={stacked ? '' : 'overflow-auto'}>
      {stacked ? (
        <div className="space-y-2 text-xs" data-testid="matrix" data-layout="stacked">
          {op.provider.map((p) => (
            <div key={p.index} role="group" aria-label={`Provider alternative P${p.index + 1}`}>
              <p className="mb-1 text-slate-300">
                <span className="font-mono">P{p.index + 1}</span> <span className="text-slate-400">{shortAlternative(p)}</span> × client:
              </p>
              <div className="grid grid-cols-[repeat(auto-fill,minmax(min(100%,9em),1fr))] gap-1">
                {client.map((c) => {
                  const x = pair(p.index, c.index);
                  if (!x) return null;
                  const heading = (
                    <>
                      <span className="font-mono">C{c.index + 1}</span> <span className="text-slate-400">{shortAlternative(c)}</span>
                    </>
                  );
                  return <PairCell key={c.index} x={x} provider={p.index} client={c.index} chosen={isChosen(p.index, c.index)} selected={props.selected === x} heading={heading} onSelect={props.onSelect} />;
                })}
              </div>
            </div>
          ))}
        </div>
      ) : (
        <table ref={table} className="border-separate border-spacing-1 text-xs [overflow-wrap:normal]" data-testid="matrix" data-layout="table">
          <thead>
            <tr>
              <th className="px-1 text-left font-normal text-slate-400">provider ↓ · client →</th>
              {client.map((c) => (
                <th key={c.index} className="min-w-24 px-1 text-left align-bottom font-normal text-slate-300" title={c.assertions.map((a) => a.name).join(' + ') || 'nothing'}>
                  <span className="font-mono">C{c.index + 1}</span> <span className="text-slate-400">{shortAlternative(c)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {op.provider.map((p) => (
              <tr key={p.index}>
                <th className="px-1 text-left align-top font-normal text-slate-300">
                  <span className="font-mono">P{p.index + 1}</span> <span className="text-slate-400">{shortAlternative(p)}</span>
                </th>
                {client.map((c) => {
                  const x = pair(p.index, c.index);
                  if (!x) return <td key={c.index} />;
                  return (
                    <td key={c.index} className="align-top">
                      <PairCell x={x} provider={p.index} client={c.index} chosen={isChosen(p.index, c.index)} selected={props.selected === x} onSelect={props.onSelect} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The selected cell in full: every mismatch with its scope and side, and what strict or lax decided. */
export function PairDetail({ pair, mode }: { pair: PairRow; mode: 'strict' | 'lax' }) {
  const verdict = modeVerdict(pair, mode);
  return (
    <div className="space-y-1 text-sm" data-testid="pair-detail">
      <p className="font-semibold text-slate-200">
        Provider alternative P{pair.provider + 1} × client alternative C{pair.client + 1}: {pair.compatible ? <span className="text-emerald-300">compatible</span> : <span className="text-red-300">not compatible</span>}
      </p>
      {pair.mismatches.length === 0 && <p className="text-slate-300">Every assertion of each side has one of the same type (QName) on the other, and their nested policies are compatible.</p>}
      <ul className="list-disc space-y-1 pl-5 text-slate-300">
        {pair.mismatches.map((m, i) => (
          <li key={i}>
            {m.detail}
            {m.nested && m.nested.length > 0 && (
              <ul className="list-[circle] pl-5">
                {m.nested.map((n, k) => (
                  <li key={k}>{n.detail}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {verdict && <p className="text-slate-300">{verdict}</p>}
    </div>
  );
}
