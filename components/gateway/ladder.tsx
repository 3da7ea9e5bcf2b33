'use client';

import { useRef } from 'react';
import { LadderDiagram, type DiagramArrow, type DiagramText } from '@/components/ladder/diagram';
import { useWidth } from '@/components/ladder/use-width';
import { useDisplay } from '@/components/lab/display-context';
import type { DecisionRecord } from './api';
import { ladderArrows, type LadderArrow } from './examples';
import { layoutAccessLadder, type PlacedText } from './ladder-layout';

const TONES: Record<LadderArrow['tone'], string> = { request: '#7dd3fc', ask: '#c4b5fd', permit: '#86efac', deny: '#fca5a5', reply: '#86efac' };
/** Labels may cross a lifeline: a halo in the panel's own colour keeps them readable where they do. */
const HALO = '[paint-order:stroke] stroke-[#0a1022] stroke-[4px] [stroke-linejoin:round]';

const svgText = (t: PlacedText, colour?: string, className?: string): DiagramText => ({ x: t.x, y: t.y, anchor: t.anchor, size: t.size, text: t.text, colour, className: className ? `${HALO} ${className}` : HALO });

/**
 * The selected request as a sequence diagram: client → interceptor → decision point → handler, one
 * arrow per hop in the order they happened, a refused request stopping at the interceptor. Drawn in
 * pixels at the page's type size for the panel's width (ladder-layout.ts).
 */
export function AccessLadder({ decision, handler }: { decision: DecisionRecord | null; handler?: string }) {
  const { fontSize } = useDisplay();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const layout = decision && width > 0 ? layoutAccessLadder(ladderArrows(decision, handler), width, fontSize) : null;
  return (
    <div ref={box} className="h-full overflow-y-auto p-1" data-testid="access-ladder">
      {!decision ? (
        <p className="p-2 text-sm text-slate-400">Send a request (or pick one in the decision log) to see its way through the interceptor.</p>
      ) : (
        layout && (
          <LadderDiagram
            width={layout.width}
            height={layout.height}
            scale="pixels"
            label="Ladder: client, interceptor, decision point, handler"
            lanes={layout.lanes.map((l) => ({ key: l.lane, x: l.x, label: l.lines.join('\n') }))}
            header={{ labelY: layout.header.firstY, detailY: layout.header.secondY, lineTop: layout.header.lineTop, labelSize: layout.header.size, lineGap: layout.header.secondY - layout.header.firstY }}
            arrows={layout.arrows.map(({ arrow, x1, x2, y, label, detail }, i): DiagramArrow => ({
              key: String(i),
              testId: 'ladder-arrow',
              data: { tone: arrow.tone },
              title: `${arrow.label}${arrow.detail ? `\n${arrow.detail}` : ''}`,
              x1,
              x2: x2 + (x2 > x1 ? -3 : 3),
              y1: y,
              y2: y,
              colour: TONES[arrow.tone],
              width: 2,
              texts: [svgText(label, TONES[arrow.tone]), ...(detail ? [svgText(detail, undefined, 'fill-slate-400')] : [])],
            }))}
          />
        )
      )}
    </div>
  );
}
