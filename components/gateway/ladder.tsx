'use client';

import { LadderDiagram, clip, type DiagramArrow } from '@/components/ladder/diagram';
import { useDisplay } from '@/components/lab/display-context';
import type { DecisionRecord } from './api';
import { LANES, ladderArrows, type LadderArrow, type Lane } from './examples';

const W = 400;
const X: Record<Lane, number> = { client: 32, interceptor: 142, 'decision point': 262, handler: 360 };
const TOP = 30;
const ROW = 32;
const TONES: Record<LadderArrow['tone'], string> = { request: '#7dd3fc', ask: '#c4b5fd', permit: '#86efac', deny: '#fca5a5', reply: '#86efac' };

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
      <LadderDiagram
        width={W}
        height={height}
        scale="fit"
        label="Ladder: client, interceptor, decision point, handler"
        lanes={LANES.map((lane) => ({ key: lane, x: X[lane], label: lane }))}
        // Lane names grow less than the arrows' text: past 1.2× "decision point" runs into "handler" (Presenter mode).
        header={{ labelY: 13 * k, detailY: 13 * k, lineTop: 20 * k, labelSize: 11 * Math.min(k, 1.2) }}
        arrows={arrows.map((a, i): DiagramArrow => {
          const y = top + i * row + 12 * k;
          const x1 = X[a.from];
          const x2 = X[a.to];
          const mid = (x1 + x2) / 2;
          const max = Math.max(10, Math.floor(Math.abs(x2 - x1) / (5.6 * k)));
          return {
            key: String(i),
            testId: 'ladder-arrow',
            data: { tone: a.tone },
            title: `${a.label}${a.detail ? `\n${a.detail}` : ''}`,
            x1,
            x2: x2 + (x2 > x1 ? -3 : 3),
            y1: y,
            y2: y,
            colour: TONES[a.tone],
            width: 2,
            texts: [
              { x: mid, y: y - 4, anchor: 'middle', colour: TONES[a.tone], size: 10 * k, text: clip(a.label, max) },
              ...(a.detail ? [{ x: mid, y: y + 11 * k, anchor: 'middle' as const, size: 9 * k, className: 'fill-slate-400', text: clip(a.detail, Math.floor(max * 1.15)) }] : []),
            ],
          };
        })}
      />
    </div>
  );
}
