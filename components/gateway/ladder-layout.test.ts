import { describe, expect, it } from 'vitest';
import type { LadderArrow } from './examples';
import { layoutAccessLadder, textWidth, type PlacedText } from './ladder-layout';

/** bob's denied loan (examples.ts' ladderArrows), with the long detail the interceptor gives. */
const DENIED: LadderArrow[] = [
  { from: 'client', to: 'interceptor', label: 'POST /api/library/loans', detail: 'bob · Basic', tone: 'request' },
  { from: 'interceptor', to: 'decision point', label: 'library.borrow?', detail: 'may bob call it?', tone: 'ask' },
  { from: 'decision point', to: 'interceptor', label: 'deny at service', detail: 'cache miss · 399.4 µs', tone: 'deny' },
  { from: 'interceptor', to: 'client', label: '403 problem+json', detail: "None of bob's features includes library.borrow.", tone: 'deny' },
];
const PERMITTED: LadderArrow[] = [
  { from: 'interceptor', to: 'handler', label: 'borrow()', detail: 'LibraryController', tone: 'request' },
  { from: 'handler', to: 'interceptor', label: '201', tone: 'reply' },
];

const extent = (t: PlacedText) => {
  const w = textWidth(t.text, t.size);
  return t.anchor === 'start' ? [t.x, t.x + w] : t.anchor === 'end' ? [t.x - w, t.x] : [t.x - w / 2, t.x + w / 2];
};

describe("the access lab's ladder layout", () => {
  // The panel's width at 1280×720: ≈ 320 px in Presenter mode (20 px type), ≈ 330 px at the desk (14 px).
  for (const [mode, width, fontSize] of [['Presenter mode', 320, 20], ['the desk', 330, 14]] as const) {
    it(`in ${mode}, reads every label whole at the page's type size and stays inside the panel`, () => {
      const layout = layoutAccessLadder([...DENIED, ...PERMITTED], width, fontSize);
      for (const { label } of layout.arrows) {
        expect(label.text).toBe(label.full);
        expect(label.size).toBe(Math.round(fontSize * 0.8));
      }
      for (const { label, detail } of layout.arrows) {
        for (const t of detail ? [label, detail] : [label]) {
          const [from, to] = extent(t);
          expect(from, t.text).toBeGreaterThanOrEqual(0);
          expect(to, t.text).toBeLessThanOrEqual(layout.width);
        }
      }
      // Only the long reason may be cut (in Presenter mode it is), with the whole of it kept for the tooltip.
      const details = layout.arrows.flatMap((a) => (a.detail ? [a.detail] : []));
      expect(details.filter((d) => d.text !== d.full).map((d) => d.full)).toEqual(mode === 'Presenter mode' ? [DENIED[3].detail] : []);
      for (const d of details) if (d.text !== d.full) expect(d.full.startsWith(d.text.slice(0, -1)) && d.text.endsWith('…')).toBe(true);
    });
  }

  it('writes the lane names one word a line, none running into its neighbour', () => {
    const layout = layoutAccessLadder(DENIED, 320, 20);
    expect(layout.lanes.map((l) => l.lines)).toEqual([['client'], ['interceptor'], ['decision', 'point'], ['handler']]);
    expect(layout.header.size).toBeGreaterThanOrEqual(12);
    const spans = layout.lanes.map((l) => {
      const half = Math.max(...l.lines.map((w) => textWidth(w, layout.header.size))) / 2;
      return [l.x - half, l.x + half];
    });
    spans.forEach(([from, to], i) => {
      expect(from).toBeGreaterThanOrEqual(0);
      expect(to).toBeLessThanOrEqual(layout.width);
      if (i > 0) expect(from).toBeGreaterThan(spans[i - 1][1]);
    });
  });

  it('keeps each arrow in a row of its own, in the order given', () => {
    const layout = layoutAccessLadder(DENIED, 320, 20);
    const ys = layout.arrows.map((a) => a.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThan(layout.arrows[i].label.size + (layout.arrows[i - 1].detail?.size ?? 0));
    expect(layout.height).toBeGreaterThan(ys.at(-1) ?? 0);
  });
});
