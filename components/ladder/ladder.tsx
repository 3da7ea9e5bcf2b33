'use client';

import { useEffect, useMemo, useRef } from 'react';
import { useDisplay } from '@/components/lab/display-context';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { LadderDiagram, clip, type DiagramArrow, type DiagramBox } from './diagram';
import { ladderLayout, type LadderRow } from './layout';
import { useWidth } from './use-width';

/** Arrow colours: who sent it, a hand-off, something the lab injected. */
const COLOURS = { client: '#7dd3fc', server: '#86efac', note: '#fcd34d', handoff: '#c4b5fd', injected: '#fb923c' };
const LEVEL_TEXT = { error: '#fca5a5', warn: '#fcd34d' };
const SELECTED = 'rgba(14, 165, 233, 0.18)';

/**
 * Base sizes at 14 px text; everything grows with A+ and Presenter mode. Lanes spread over the
 * width there is (between the smallest and largest gap); past the smallest, the ladder scrolls.
 */
const BASE = { minGap: 140, maxGap: 360, margin: 64, arrowRow: 40, noteRow: 30, header: 40, font: 12 };

/** What an arrow's first line says: the message's first line, with its marks. */
function labelOf(row: LadderRow): string {
  const marks = [row.injected ? '⚡ injected' : '', row.edited ? '✎ edited' : ''].filter(Boolean).join(' · ');
  return marks ? `${marks} · ${row.label}` : row.label;
}

/** The second line: the annotation title, and how many parts the row stands for. */
function detailOf(row: LadderRow): string {
  const parts = row.more > 0 ? `+${row.more} ${row.kind === 'handoff' ? 'lines read by the child dissector' : 'parts'}` : '';
  const title = row.injected ? `${row.injected.title} (${row.injected.rule})` : (row.title ?? '');
  return [title, parts].filter(Boolean).join(' · ');
}

/** The hover text: everything the row stands for, unclipped. */
function tooltipOf(row: LadderRow): string {
  return [labelOf(row), detailOf(row), row.edited ? `before the edit: ${row.edited.original}` : '', `#${row.seq} of ${row.conn}`].filter(Boolean).join('\n');
}

/**
 * A sequence diagram of one connection or a selection (issue 14 #4): a lane per party, arrows in
 * wire order labelled with the message's first line and its annotation title, the lab's notes on
 * its own lane, injected (⚡, dashed) and edited (✎) messages marked. Click a row to select its
 * message. Pass the messages of the view being shown (the player filters by endpoint/wire view).
 */
export function Ladder({ connections, messages, selectedId, onSelect }: { connections: ConnectionInfo[]; messages: LabMessage[]; selectedId?: string | null; onSelect(id: string): void }) {
  const k = Math.min(1.8, Math.max(1, useDisplay().fontSize / 14));
  const layout = useMemo(() => ladderLayout(connections, messages), [connections, messages]);
  const box = useRef<HTMLDivElement>(null);
  const available = useWidth(box);

  // The selected row stays in sight as the player moves through the messages.
  useEffect(() => {
    box.current?.querySelector('[data-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, layout]);

  const margin = BASE.margin * k;
  const lanes = Math.max(1, layout.lanes.length - 1);
  const gap = Math.min(BASE.maxGap * k, Math.max(BASE.minGap * k, (available - 2 * margin) / lanes));
  const font = BASE.font * k;
  const x = (lane: number) => margin + lane * gap;
  const width = margin * 2 + gap * lanes;
  const arrows: DiagramArrow[] = [];
  const boxes: DiagramBox[] = [];
  let y = 8 * k;
  for (const row of layout.rows) {
    const selected = selectedId !== undefined && selectedId !== null && row.messageIds.includes(selectedId);
    const common = {
      key: row.id,
      testId: 'ladder-row',
      data: { kind: row.kind, conn: row.conn, seq: String(row.seq), selected: String(selected), ...(row.injected ? { injected: row.injected.rule } : {}), ...(row.edited ? { edited: 'true' } : {}) },
      title: tooltipOf(row),
      onClick: () => onSelect(row.id),
    };
    if (row.kind === 'note' || row.from === row.to) {
      const w = Math.min(gap * 1.7, width - 8);
      const left = Math.min(Math.max(4, x(row.from) - w / 2), width - w - 4);
      const colour = row.level ? LEVEL_TEXT[row.level === 'error' ? 'error' : 'warn'] : COLOURS.note;
      const chars = Math.floor(w / (font * 0.56));
      boxes.push({
        ...common,
        x: left,
        y: y + 3 * k,
        width: w,
        height: BASE.noteRow * k - 6 * k,
        colour,
        selected,
        texts: [{ x: left + 6 * k, y: y + 3 * k + font + 2 * k, text: clip(`• ${row.label}`, chars), colour, size: font }],
      });
      y += BASE.noteRow * k;
      continue;
    }
    const x1 = x(row.from);
    const x2 = x(row.to);
    const mid = (x1 + x2) / 2;
    const chars = Math.max(12, Math.floor(Math.abs(x2 - x1) / (font * 0.56)));
    const colour = row.injected ? COLOURS.injected : row.kind === 'handoff' ? COLOURS.handoff : COLOURS[row.dir];
    const lineY = y + 20 * k;
    const detail = detailOf(row);
    arrows.push({
      ...common,
      x1,
      y1: lineY,
      x2: x2 + (x2 > x1 ? -3 : 3),
      y2: lineY,
      colour,
      width: selected ? 3 : 1.75,
      dashed: row.injected || row.kind === 'handoff' ? '6 4' : undefined,
      band: { y, height: BASE.arrowRow * k, colour: selected ? SELECTED : 'transparent' },
      texts: [
        { x: mid, y: lineY - 5 * k, text: clip(labelOf(row), chars), anchor: 'middle', colour: row.level ? LEVEL_TEXT[row.level === 'error' ? 'error' : 'warn'] : colour, size: font },
        ...(detail ? [{ x: mid, y: lineY + 13 * k, text: clip(detail, Math.floor(chars * 1.15)), anchor: 'middle' as const, className: 'fill-slate-400', size: font * 0.85 }] : []),
      ],
    });
    y += BASE.arrowRow * k;
  }
  const height = y + 8 * k;

  return (
    <div ref={box} className="h-full overflow-auto" data-testid="session-ladder">
      {layout.rows.length === 0 ? (
        <p className="p-3 text-sm text-slate-400">No messages to draw yet.</p>
      ) : (
        <>
          <div className="sticky top-0 z-10 border-b border-slate-800 bg-slate-950" style={{ width, height: BASE.header * k }}>
            {layout.lanes.map((lane, i) => (
              <div key={lane.id} className="absolute top-1 text-center leading-tight" style={{ left: x(i) - gap / 2, width: gap }} title={[lane.label, lane.detail].filter(Boolean).join('\n')}>
                <div className="truncate px-1 font-semibold text-slate-200" style={{ fontSize: font * 1.05 }}>
                  {lane.label}
                </div>
                {lane.detail && (
                  <div className="truncate px-1 text-slate-400" style={{ fontSize: font * 0.85 }}>
                    {lane.detail}
                  </div>
                )}
              </div>
            ))}
          </div>
          <LadderDiagram
            width={width}
            height={height}
            scale="pixels"
            label={`Ladder: ${layout.lanes.map((l) => l.label).join(', ')}`}
            lanes={layout.lanes.map((lane, i) => ({ key: lane.id, x: x(i), label: '' }))}
            header={{ labelY: 0, detailY: 0, lineTop: 0 }}
            arrows={arrows}
            boxes={boxes}
          />
          {layout.truncated > 0 && <p className="px-3 py-2 text-xs text-slate-400">{layout.truncated} more rows not drawn: open a shorter stretch in the player.</p>}
        </>
      )}
    </div>
  );
}
