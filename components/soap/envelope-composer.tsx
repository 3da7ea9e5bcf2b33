'use client';

import type { ReactNode } from 'react';
import { ENVELOPE_TWEAKS } from './envelope-tweaks';
import { Segmented } from '@/components/lab/tab-bar';
import type { Composer } from './use-composer';
import type { WsdlSummary } from './api';

const input =
  'w-full rounded border border-slate-700 bg-slate-950 px-2 py-1 font-mono text-sm text-slate-100 focus:border-sky-500 focus:outline-none';
const label = 'flex items-center gap-1.5 text-xs text-slate-400';

/** The request editor: operation and version from the WSDL, arguments, the editable envelope, Send. */
export function EnvelopeComposer(props: { composer: Composer; wsdl: WsdlSummary | null; sending: boolean; onSend(): void; children?: ReactNode }) {
  const c = props.composer;
  const operations = props.wsdl?.operations ?? [{ name: 'getMonth', documentation: '', input: { parts: [{ name: 'year' }, { name: 'month' }] } }];
  const op = operations.find((o) => o.name === c.operation);
  const hasMonth = op?.input.parts.some((p) => p.name === 'month') ?? true;
  const headers = Object.entries(c.generated?.headers ?? {});

  return (
    // Where the lab column is narrow the composer has the page's width to itself: the fields, Send and the answer on
    // the left, the headers and the envelope on the right, so everything a step asks for shows at once.
    <div
      className="flex h-full min-w-0 flex-col gap-2 overflow-hidden p-3 lab-narrow:grid lab-narrow:grid-cols-2 lab-narrow:grid-rows-[auto_auto_auto_minmax(0,1fr)] lab-narrow:[grid-template-areas:'op_env'_'fields_env'_'send_env'_'result_env']"
      data-testid="composer"
    >
      <div className="flex items-center gap-2 lab-narrow:[grid-area:op]">
        <select className={`${input} min-w-0 flex-1`} value={c.operation} onChange={(e) => c.set({ operation: e.target.value })} aria-label="Operation" title={op?.documentation}>
          {operations.map((o) => (
            <option key={o.name} value={o.name}>
              {o.name}
            </option>
          ))}
        </select>
        <Segmented
          label="SOAP version"
          size="md"
          value={c.version}
          options={[
            ['1.1', 'SOAP 1.1'],
            ['1.2', 'SOAP 1.2'],
          ]}
          onChange={(version) => c.set({ version })}
        />
      </div>
      <div className="flex items-center gap-2 text-xs text-slate-400 lab-narrow:[grid-area:fields]">
        <label className={label}>
          year
          <input className={`${input} w-16`} inputMode="numeric" value={c.year} onChange={(e) => c.set({ year: e.target.value })} aria-label="Year" />
        </label>
        <label className={label}>
          month
          <input
            className={`${input} w-12 disabled:opacity-40`}
            inputMode="numeric"
            value={hasMonth ? c.month : ''}
            disabled={!hasMonth}
            onChange={(e) => c.set({ month: e.target.value })}
            aria-label="Month"
          />
        </label>
        <label className={label} title="Adds a cal:delay header block: the service thinks this long before answering">
          think
          <input className={`${input} w-16`} inputMode="numeric" placeholder="0" value={c.delayMs} onChange={(e) => c.set({ delayMs: e.target.value })} aria-label="Think time" />
          ms
        </label>
      </div>

      {/* Its own column where the lab column is narrow; else its children are the composer's rows. */}
      <div className="contents lab-narrow:flex lab-narrow:min-h-0 lab-narrow:flex-col lab-narrow:gap-2 lab-narrow:[grid-area:env]">
        <div className="rounded border border-slate-800 bg-slate-950/60 px-2 py-1 font-mono text-xs leading-5" aria-label="HTTP headers for this version">
          {headers.map(([name, value]) => (
            // Whole, wrapped: SOAP 1.2's action= parameter sits at the end of Content-Type, and is what the step is about.
            <div key={name} className="[overflow-wrap:anywhere]" title={`${name}: ${value}`}>
              <span className="text-sky-300">{name}:</span> <span className="text-slate-300">{value}</span>
            </div>
          ))}
          {headers.length === 0 && <span className="text-slate-400">…</span>}
        </div>

        {/* The envelope gives way to the answer below it: after Send, the answer is what the class reads. */}
        <div className="flex min-h-12 flex-1 flex-col">
          <textarea
            className="h-full min-h-0 w-full flex-1 resize-none rounded border border-slate-700 bg-slate-950 p-2 font-mono text-xs leading-5 text-sky-100 focus:border-sky-500 focus:outline-none"
            spellCheck={false}
            wrap="off"
            value={c.envelope}
            onChange={(e) => c.edit(e.target.value)}
            aria-label="Request envelope"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) props.onSend();
            }}
          />
        </div>
        {c.error && <p className="truncate text-xs text-red-300" data-testid="composer-error" title={c.error}>{c.error}</p>}
      </div>
      <div className="flex items-center gap-2 lab-narrow:[grid-area:send]">
        <button
          className="rounded-md border border-sky-500 bg-sky-500/15 px-4 py-1 text-sm font-medium text-sky-100 hover:bg-sky-500/25 disabled:opacity-50"
          onClick={props.onSend}
          disabled={props.sending || !c.envelope}
          title="Ctrl+Enter"
        >
          {props.sending ? 'Sending…' : 'Send ▸'}
        </button>
        {/* Beside Send, not over the envelope: there it covered the text of a long first line. */}
        {c.edited && (
          <button className="shrink-0 rounded bg-amber-500/15 px-1.5 py-0.5 text-xs text-amber-300 hover:text-amber-100" onClick={c.regenerate} title="Regenerate from the fields">
            edited · reset
          </button>
        )}
        <select
          className="min-w-0 flex-1 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-xs text-amber-200"
          value=""
          aria-label="Provoke a fault"
          onChange={(e) => {
            const id = e.target.value;
            if (id === 'month13') c.set({ month: '13' });
            const tweak = ENVELOPE_TWEAKS.find((t) => t.id === id);
            // Each preset starts from the clean envelope for the fields, so presets never stack.
            if (tweak) void c.fresh().then((clean) => c.edit(tweak.apply(clean.envelope, c.version)), () => {});
          }}
        >
          <option value="">Provoke a fault…</option>
          {hasMonth && <option value="month13">month 13 → Client / Sender fault</option>}
          {ENVELOPE_TWEAKS.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label} → {t.expect}
            </option>
          ))}
        </select>
      </div>
      {props.children}
    </div>
  );
}
