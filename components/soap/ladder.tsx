'use client';

import type { CorrelationRow } from './api';
import { describeRequest, ordinal } from './format';
import { LadderDiagram, type DiagramArrow, type DiagramBar } from '@/components/ladder/diagram';
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

  const bars: DiagramBar[] = layout.spans.map((span) => {
    const row = bySent.get(span.sentOrder);
    return {
      key: `wait-${span.sentOrder}`,
      x: waitX(span.sentOrder),
      y1: y(span.from) + SLANT,
      y2: span.to === null ? height - 6 : y(span.to),
      colour: colour(span.sentOrder),
      width: row?.messageId === selected ? 4 : 2.5,
      opacity: 0.55,
      dashed: span.to === null ? '3 3' : undefined,
    };
  });

  const arrows = layout.events.flatMap((event): DiagramArrow[] => {
    const row = bySent.get(event.sentOrder);
    if (!row) return [];
    const c = colour(event.sentOrder);
    const top = y(event.slot);
    const common = { colour: c, width: row.messageId === selected ? 2.5 : 1.5, onClick: () => onSelect(row.messageId) };
    if (event.kind === 'request') {
      return [
        {
          ...common,
          key: `req-${event.sentOrder}`,
          testId: 'ladder-request',
          x1: CLIENT_X,
          y1: top,
          x2: waitX(event.sentOrder) - 2,
          y2: top + SLANT,
          texts: [
            { x: CLIENT_X - 8, y: top + 4, anchor: 'end', colour: c, className: 'text-[11px]', text: `#${row.sentOrder} ${describeRequest(row)}` },
            { x: (CLIENT_X + SERVICE_X) / 2, y: top + 1, anchor: 'middle', className: 'fill-slate-400 text-[9px]', text: row.delayMs !== undefined ? `think ${row.delayMs} ms` : 'random think time' },
          ],
        },
      ];
    }
    return [
      {
        ...common,
        key: `ans-${event.sentOrder}`,
        testId: 'ladder-answer',
        x1: waitX(event.sentOrder),
        y1: top,
        x2: CLIENT_X + 2,
        y2: top + SLANT,
        dashed: event.fault ? '5 3' : undefined,
        texts: [
          {
            x: CLIENT_X - 8,
            y: top + SLANT + 4,
            anchor: 'end',
            colour: c,
            className: 'text-[11px] font-semibold',
            text: `${ordinal(event.arrivalOrder ?? 0)} back: #${row.sentOrder}${event.fault ? ' (fault)' : ''}`,
          },
        ],
      },
    ];
  });

  return (
    <div className="h-full overflow-y-auto" data-testid="ladder">
      <LadderDiagram
        width={W}
        height={height}
        scale="fit"
        label="Ladder: requests in send order, answers in arrival order"
        lanes={[
          { key: 'client', x: CLIENT_X, label: 'student@lab.test', detail: 'SOAP client: pending table' },
          { key: 'service', x: SERVICE_X, headerX: SERVICE_X + 20, label: 'calendar@lab.test', detail: 'service: thinks, then replies' },
        ]}
        header={{ labelY: 14, detailY: 28, lineTop: TOP - 8, labelSize: 12, detailSize: 10 }}
        arrows={arrows}
        bars={bars}
      />
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
