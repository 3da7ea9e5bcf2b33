import type { LadderArrow, Lane } from './examples';

/**
 * Where the access lab's ladder puts its lanes, arrows and labels, in CSS pixels for the width the panel
 * has. Drawn at the page's own type size (A±, Presenter mode), not scaled down from a fixed drawing: the
 * panel is narrow, so a scaled drawing read at 12 px on a projector. Each arrow has a row of its own, so
 * its label may run past the lanes beside it (over a halo) to the side with more room, instead of being
 * cut to the gap between its two lanes.
 */

/** Lanes at these shares of the width. */
const LANE_AT: Record<Lane, number> = { client: 0.09, interceptor: 0.37, 'decision point': 0.65, handler: 0.91 };
/** A character's width in em, generous for proportional text (digits and capitals are wide). */
const CHAR_EM = 0.6;
/** Room kept between a label and its lane, and to the edge. */
const PAD = 6;
const EDGE = 3;

export interface PlacedText {
  x: number;
  y: number;
  anchor: 'start' | 'end' | 'middle';
  size: number;
  text: string;
  /** The whole text, where `text` had to be cut. */
  full: string;
}

export interface PlacedArrow {
  arrow: LadderArrow;
  x1: number;
  x2: number;
  y: number;
  label: PlacedText;
  detail?: PlacedText;
}

export interface AccessLadderLayout {
  width: number;
  height: number;
  lanes: { lane: Lane; x: number; lines: string[] }[];
  header: { size: number; firstY: number; secondY: number; lineTop: number };
  arrows: PlacedArrow[];
}

/** The width `text` takes at `size` px, by the generous estimate above. */
export const textWidth = (text: string, size: number) => text.length * size * CHAR_EM;

function fitted(text: string, room: number, size: number): string {
  const max = Math.floor(room / (size * CHAR_EM));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Lays out `arrows` for a panel `width` px wide at a page type size of `fontSize` px. */
export function layoutAccessLadder(arrows: readonly LadderArrow[], width: number, fontSize: number): AccessLadderLayout {
  const W = Math.max(200, Math.floor(width));
  const lanes = (Object.keys(LANE_AT) as Lane[]).map((lane) => ({ lane, x: Math.round(LANE_AT[lane] * W), lines: lane.split(' ') }));
  // A lane's name (one word a line) fits between the midpoints to its neighbours, or to the edge.
  const fits = lanes.map((l, i) => {
    const left = i === 0 ? l.x : (l.x - lanes[i - 1].x) / 2;
    const right = i === lanes.length - 1 ? W - l.x : (lanes[i + 1].x - l.x) / 2;
    const longest = Math.max(...l.lines.map((w) => w.length));
    return (2 * Math.min(left, right) - 4) / (longest * CHAR_EM);
  });
  const headerSize = Math.max(9, Math.min(fontSize * 0.75, ...fits));
  const twoLines = lanes.some((l) => l.lines.length > 1);
  const firstY = headerSize + 2;
  const secondY = firstY + headerSize + 1;
  const lineTop = (twoLines ? secondY : firstY) + 5;

  const labelSize = Math.round(fontSize * 0.8);
  const detailSize = Math.round(fontSize * 0.7);
  const row = labelSize + detailSize + 16;
  const x = (lane: Lane) => lanes.find((l) => l.lane === lane)?.x ?? 0;
  let y = lineTop + 4;
  const placed = arrows.map((arrow): PlacedArrow => {
    const x1 = x(arrow.from);
    const x2 = x(arrow.to);
    const lo = Math.min(x1, x2);
    const hi = Math.max(x1, x2);
    // From the arrow's left end rightwards, or from its right end leftwards: whichever has more room.
    const roomRight = W - EDGE - (lo + PAD);
    const roomLeft = hi - PAD - EDGE;
    const rightwards = roomRight >= roomLeft;
    const at = rightwards ? lo + PAD : hi - PAD;
    const room = rightwards ? roomRight : roomLeft;
    const anchor = rightwards ? 'start' : 'end';
    const lineY = y + labelSize + 3;
    const text = (s: string, size: number, ty: number): PlacedText => ({ x: at, y: ty, anchor, size, text: fitted(s, room, size), full: s });
    const out: PlacedArrow = {
      arrow,
      x1,
      x2,
      y: lineY,
      label: text(arrow.label, labelSize, lineY - 4),
      detail: arrow.detail ? text(arrow.detail, detailSize, lineY + detailSize + 3) : undefined,
    };
    y += row;
    return out;
  });
  return { width: W, height: y + 4, lanes, header: { size: headerSize, firstY, secondY, lineTop }, arrows: placed };
}
