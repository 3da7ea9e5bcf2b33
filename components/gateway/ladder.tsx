'use client';

import { useDisplay } from '@/components/lab/display-context';
import type { DecisionRecord } from './api';
import { LANES, ladderArrows, type LadderArrow, type Lane } from './examples';

const W = 400;
const X: Record<Lane, number> = { client: 32, interceptor: 142, 'decision point': 262, handler: 360 };
const TOP = 30;
const ROW = 32;
const TONES: Record<LadderArrow['tone'], string> = { request: '#7dd3fc', ask: '#c4b5fd', permit: '#86efac', deny: '#fca5a5', reply: '#86efac' };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The selected request as a sequence diagram: client → interceptor → decision point → handler, one
 * arrow per hop in the order they happened, a refused request stopping at the interceptor.
 */
export function AccessLadder({ decision, handler }: { decision: DecisionRecord | null; handler?: string }) {
  // Text grows with the page's font size (A+, Presenter); the lanes stay where they are.
  const k = Math.min(1.6, Math.max(1, useDisplay().fontSize / 14));
  if (!decision) return <p className="p-3 text-sm text-slate-400">Send a request (or pick one in the decision log) to see its way through the interceptor.</p>;
  const arrows = ladderArrows(decision, handler);
  const row = ROW * k;
  const top = TOP * k;
  const height = top + arrows.length * row + 8;
  return (
    <div className="h-full overflow-y-auto p-1" data-testid="access-ladder">
      <svg viewBox={`0 0 ${W} ${height}`} className="w-full" role="img" aria-label="Ladder: client, interceptor, decision point, handler">
        <defs>
          {Object.entries(TONES).map(([tone, c]) => (
            <marker key={tone} id={`gw-arrow-${tone}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={c} />
            </marker>
          ))}
        </defs>
        {LANES.map((lane) => (
          <g key={lane}>
            <text x={X[lane]} y={13 * k} textAnchor="middle" fontSize={11 * k} className="fill-slate-200 font-semibold">
              {lane}
            </text>
            <line x1={X[lane]} x2={X[lane]} y1={20 * k} y2={height - 2} stroke="#475569" strokeWidth={2} />
          </g>
        ))}
        {arrows.map((a, i) => {
          const y = top + i * row + 12 * k;
          const x1 = X[a.from];
          const x2 = X[a.to];
          const mid = (x1 + x2) / 2;
          const span = Math.abs(x2 - x1);
          const max = Math.max(10, Math.floor(span / (5.6 * k)));
          return (
            <g key={i} data-testid="ladder-arrow" data-tone={a.tone}>
              <title>{`${a.label}${a.detail ? `\n${a.detail}` : ''}`}</title>
              <line x1={x1} x2={x2 + (x2 > x1 ? -3 : 3)} y1={y} y2={y} stroke={TONES[a.tone]} strokeWidth={2} markerEnd={`url(#gw-arrow-${a.tone})`} />
              <text x={mid} y={y - 4} textAnchor="middle" fill={TONES[a.tone]} fontSize={10 * k}>
                {clip(a.label, max)}
              </text>
              {a.detail && (
                <text x={mid} y={y + 11 * k} textAnchor="middle" fontSize={9 * k} className="fill-slate-400">
                  {clip(a.detail, Math.floor(max * 1.15))}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
