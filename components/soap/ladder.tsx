'use client';

import type { CorrelationRow } from './api';
import { describeRequest, ordinal } from './format';
import { ladderLayout } from './ladder-layout';

/** One colour per request, so a request and its answer read as a pair. */
const PAIR_COLOURS = ['#7dd3fc', '#c4b5fd', '#fcd34d', '#f9a8d4', '#86efac', '#fdba74', '#67e8f9', '#fca5a5'];
const colour = (sentOrder: number) => PAIR_COLOURS[(sentOrder - 1) % PAIR_COLOURS.length];

const W = 560;
const CLIENT_X = 150;
const SERVICE_X = 420;
const TOP = 44;
const SLOT = 24;
const SLANT = 10;

/** Where a request waits inside the service: side by side, so nested waits stay visible. */
const waitX = (sentOrder: number) => SERVICE_X + 6 + ((sentOrder - 1) % 8) * 6;

/** A sequence diagram: requests leave in send order, answers come back in arrival order and cross. */
export function Ladder({ rows, selected, onSelect }: { rows: CorrelationRow[]; selected: string | null; onSelect(messageId: string): void }) {
  const layout = ladderLayout(rows);
  const bySent = new Map(rows.map((r) => [r.sentOrder, r]));
  const y = (slot: number) => TOP + slot * SLOT;
  const height = TOP + Math.max(layout.slots, 1) * SLOT + 16;

  return (
    <div className="h-full overflow-y-auto" data-testid="ladder">
      <svg viewBox={`0 0 ${W} ${height}`} className="w-full" role="img" aria-label="Ladder: requests in send order, answers in arrival order">
        <defs>
          {PAIR_COLOURS.map((c, i) => (
            <marker key={c} id={`arrow-${i}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={c} />
            </marker>
          ))}
        </defs>
        <text x={CLIENT_X} y={14} textAnchor="middle" className="fill-slate-200 text-[12px] font-semibold">
          student@lab.test
        </text>
        <text x={CLIENT_X} y={28} textAnchor="middle" className="fill-slate-400 text-[10px]">
          SOAP client: pending table
        </text>
        <text x={SERVICE_X + 20} y={14} textAnchor="middle" className="fill-slate-200 text-[12px] font-semibold">
          calendar@lab.test
        </text>
        <text x={SERVICE_X + 20} y={28} textAnchor="middle" className="fill-slate-400 text-[10px]">
          service: thinks, then replies
        </text>
        <line x1={CLIENT_X} x2={CLIENT_X} y1={TOP - 8} y2={height - 4} stroke="#475569" strokeWidth={2} />
        <line x1={SERVICE_X} x2={SERVICE_X} y1={TOP - 8} y2={height - 4} stroke="#475569" strokeWidth={2} />

        {layout.spans.map((span) => {
          const row = bySent.get(span.sentOrder);
          const x = waitX(span.sentOrder);
          const to = span.to === null ? height - 6 : y(span.to);
          return (
            <line
              key={`wait-${span.sentOrder}`}
              x1={x}
              x2={x}
              y1={y(span.from) + SLANT}
              y2={to}
              stroke={colour(span.sentOrder)}
              strokeWidth={row?.messageId === selected ? 4 : 2.5}
              strokeOpacity={0.55}
              strokeDasharray={span.to === null ? '3 3' : undefined}
            />
          );
        })}

        {layout.events.map((event) => {
          const row = bySent.get(event.sentOrder);
          if (!row) return null;
          const c = colour(event.sentOrder);
          const marker = `url(#arrow-${(event.sentOrder - 1) % PAIR_COLOURS.length})`;
          const top = y(event.slot);
          const strong = row.messageId === selected;
          const common = { stroke: c, strokeWidth: strong ? 2.5 : 1.5, markerEnd: marker, onClick: () => onSelect(row.messageId), className: 'cursor-pointer' };
          if (event.kind === 'request') {
            return (
              <g key={`req-${event.sentOrder}`} data-testid="ladder-request">
                <line x1={CLIENT_X} y1={top} x2={waitX(event.sentOrder) - 2} y2={top + SLANT} {...common} />
                <text x={CLIENT_X - 8} y={top + 4} textAnchor="end" fill={c} className="text-[11px]">
                  #{row.sentOrder} {describeRequest(row)}
                </text>
                <text x={(CLIENT_X + SERVICE_X) / 2} y={top + 1} textAnchor="middle" className="fill-slate-400 text-[9px]">
                  {row.delayMs !== undefined ? `think ${row.delayMs} ms` : 'random think time'}
                </text>
              </g>
            );
          }
          return (
            <g key={`ans-${event.sentOrder}`} data-testid="ladder-answer">
              <line x1={waitX(event.sentOrder)} y1={top} x2={CLIENT_X + 2} y2={top + SLANT} {...common} strokeDasharray={event.fault ? '5 3' : undefined} />
              <text x={CLIENT_X - 8} y={top + SLANT + 4} textAnchor="end" fill={c} className="text-[11px] font-semibold">
                {ordinal(event.arrivalOrder ?? 0)} back: #{row.sentOrder}
                {event.fault ? ' (fault)' : ''}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** The sentence under the ladder: did the answers cross? */
export function ladderVerdict(rows: CorrelationRow[]): string | null {
  const { crossed } = ladderLayout(rows);
  const answered = rows.filter((r) => r.answer).length;
  if (answered < 2) return null;
  return crossed
    ? 'Answers crossed: a later request was answered first. Only In-Reply-To tells the client which answer is which.'
    : 'So far the answers came back in send order. Give the first request a longer think time.';
}
