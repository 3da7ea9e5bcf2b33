'use client';

import type { CorrelationRow } from './api';
import { describeRequest, ordinal } from './format';
import { shortMessageId } from './mail-source';
import { clockTime } from '@/components/lab/format';

const STATE_STYLE: Record<CorrelationRow['state'], string> = {
  sending: 'bg-slate-500/15 text-slate-300 ring-slate-500/40',
  pending: 'bg-amber-500/15 text-amber-300 ring-amber-500/40',
  answered: 'bg-emerald-500/15 text-emerald-300 ring-emerald-500/40',
  fault: 'bg-red-500/15 text-red-300 ring-red-500/40',
  'timed-out': 'bg-orange-500/15 text-orange-300 ring-orange-500/40',
  'send-failed': 'bg-red-500/15 text-red-300 ring-red-500/40',
};

export function StateBadge({ row }: { row: CorrelationRow }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs ring-1 ${STATE_STYLE[row.state]}`} title={row.error}>
      {row.state === 'pending' && <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-300" />}
      {row.state}
      {row.answer?.late && ' (late answer)'}
    </span>
  );
}

const time = (ms: number) => `${clockTime(ms)}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;

/** The client's pending table: one row per request in send order, filled in as answers arrive. */
export function CorrelationTable(props: { rows: CorrelationRow[]; selected: string | null; onSelect(messageId: string): void }) {
  if (props.rows.length === 0) {
    return <p className="p-3 text-sm text-slate-400">No requests yet. Send a few with different think times and watch the answers come back out of order.</p>;
  }
  return (
    <table className="w-full text-sm" data-testid="correlation-table">
      <thead className="sticky top-0 bg-slate-900 text-left text-xs text-slate-400">
        <tr>
          <th className="px-2 py-1 font-normal" title="Send order">#</th>
          {/* Beside the send order, so a narrow panel (a projector) never cuts it: the point of the table. */}
          <th className="px-2 py-1 font-normal" title="Arrival order of the answer">arrived</th>
          <th className="px-2 py-1 font-normal">request</th>
          <th className="px-2 py-1 font-normal">Message-ID</th>
          <th className="px-2 py-1 font-normal">sent</th>
          <th className="px-2 py-1 font-normal">state</th>
          <th className="px-2 py-1 font-normal">answer’s In-Reply-To</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => {
          const active = row.messageId === props.selected;
          const overtaken = row.answer && row.answer.arrivalOrder !== row.sentOrder;
          return (
            <tr
              key={row.messageId}
              onClick={() => props.onSelect(row.messageId)}
              className={`cursor-pointer border-t border-slate-800 ${active ? 'bg-sky-950/60' : 'hover:bg-slate-900'}`}
              data-testid="correlation-row"
              data-sent={row.sentOrder}
              data-arrival={row.answer?.arrivalOrder ?? ''}
              data-state={row.state}
              aria-selected={active}
            >
              <td className="px-2 py-1 tabular-nums text-slate-300">{row.sentOrder}</td>
              <td className="px-2 py-1">
                {row.answer ? (
                  <span
                    className={`inline-block min-w-6 rounded-full px-1.5 text-center text-xs font-semibold tabular-nums ${overtaken ? 'bg-amber-400/20 text-amber-200' : 'bg-slate-700 text-slate-200'}`}
                    title={overtaken ? `Sent ${ordinal(row.sentOrder)}, answered ${ordinal(row.answer.arrivalOrder)}` : 'In send order'}
                  >
                    {ordinal(row.answer.arrivalOrder)}
                  </span>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="px-2 py-1 whitespace-nowrap">
                {describeRequest(row)}
                <span className="ml-1 text-xs text-slate-400">
                  {row.version}
                  {row.delayMs !== undefined ? ` · ${row.delayMs} ms` : ''}
                </span>
              </td>
              <td className="px-2 py-1 font-mono text-xs text-sky-200" title={row.messageId} data-testid="message-id">
                {shortMessageId(row.messageId)}
              </td>
              <td className="px-2 py-1 font-mono text-xs tabular-nums text-slate-400">{time(row.sentAt)}</td>
              <td className="px-2 py-1">
                <StateBadge row={row} />
              </td>
              <td className="px-2 py-1 font-mono text-xs text-emerald-200" title={row.answer?.inReplyTo}>
                {row.answer ? shortMessageId(row.answer.inReplyTo) : <span className="text-slate-400">—</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
