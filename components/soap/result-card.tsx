'use client';

import { summarizeResponse } from './response-summary';
import type { RawExchange } from './api';

/** What came back, read like a client library would: the month as text, or the fault's parts. */
export function ResultCard({ result, error, sending }: { result: RawExchange | null; error: string | null; sending: boolean }) {
  if (sending) return <p className="px-2 py-1.5 text-xs text-slate-400">Waiting for the answer… (in step mode, press Step to release each message)</p>;
  if (!result && !error) return <p className="px-2 py-1.5 text-xs text-slate-400">The answer, read as a client library would, appears here.</p>;
  const summary = result ? summarizeResponse(result.response) : null;
  const ok = summary && summary.status >= 200 && summary.status < 300;
  return (
    <div className="space-y-1.5 px-2 py-1.5 text-sm" data-testid="result">
      <div className="flex flex-wrap items-center gap-2">
        {summary && (
          <span className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ${ok ? 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/40' : 'bg-red-500/15 text-red-300 ring-red-500/40'}`}>
            {summary.status} {summary.reason}
          </span>
        )}
        {summary?.contentType && <span className="truncate font-mono text-xs text-slate-400">{summary.contentType}</span>}
        {result && <span className="ml-auto text-xs tabular-nums text-slate-400">{result.elapsedMs} ms</span>}
      </div>
      {error && <p className="text-red-300">{error}</p>}
      {summary?.result !== undefined && (
        <pre className="overflow-auto rounded bg-slate-950 px-2 py-1 font-mono text-xs leading-4 text-emerald-200" aria-label="Result">
          {summary.result}
        </pre>
      )}
      {summary?.fault && (
        <dl className="grid grid-cols-[4.5rem_1fr] gap-x-2 gap-y-0.5 rounded bg-red-950/30 px-2 py-1 text-xs" aria-label="Fault">
          <dt className="text-slate-400">code</dt>
          <dd className="font-mono text-red-200">
            {summary.fault.code}
            {summary.fault.subcode && <span className="text-red-300/80"> / {summary.fault.subcode}</span>}
          </dd>
          <dt className="text-slate-400">reason</dt>
          <dd className="text-slate-100">{summary.fault.reason}</dd>
          {summary.fault.detail && (
            <>
              <dt className="text-slate-400">detail</dt>
              <dd className="font-mono text-slate-300">{summary.fault.detail}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
