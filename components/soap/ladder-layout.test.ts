import { describe, expect, it } from 'vitest';
import { ladderLayout, type LadderRow } from './ladder-layout';

const row = (sentOrder: number, arrivalOrder?: number, arrivedAt?: number): LadderRow => ({
  sentOrder,
  sentAt: 1000,
  state: arrivalOrder ? 'answered' : 'pending',
  answer: arrivalOrder ? { arrivalOrder, arrivedAt: arrivedAt ?? 1000 + arrivalOrder * 100 } : undefined,
});

describe('ladderLayout', () => {
  it('puts three simultaneous requests first, in send order, then answers in arrival order', () => {
    const layout = ladderLayout([row(1, 3), row(2, 2), row(3, 1)]);
    expect(layout.events.map((e) => `${e.kind[0]}${e.sentOrder}`)).toEqual(['r1', 'r2', 'r3', 'a3', 'a2', 'a1']);
    expect(layout.slots).toBe(6);
    expect(layout.crossed).toBe(true);
    expect(layout.spans).toEqual([
      { sentOrder: 1, from: 0, to: 5, state: 'answered' },
      { sentOrder: 2, from: 1, to: 4, state: 'answered' },
      { sentOrder: 3, from: 2, to: 3, state: 'answered' },
    ]);
  });

  it('does not report crossing when answers come back in send order', () => {
    expect(ladderLayout([row(1, 1), row(2, 2)]).crossed).toBe(false);
  });

  it('leaves a pending request open', () => {
    const layout = ladderLayout([row(1), row(2, 1)]);
    expect(layout.spans[0]).toEqual({ sentOrder: 1, from: 0, to: null, state: 'pending' });
    expect(layout.events.filter((e) => e.kind === 'answer')).toHaveLength(1);
  });

  it('interleaves a later request with earlier answers by time', () => {
    const later: LadderRow = { sentOrder: 2, sentAt: 1500, state: 'pending' };
    const layout = ladderLayout([row(1, 1, 1200), later]);
    expect(layout.events.map((e) => `${e.kind[0]}${e.sentOrder}`)).toEqual(['r1', 'a1', 'r2']);
  });

  it('lays out an empty table', () => {
    expect(ladderLayout([])).toEqual({ events: [], spans: [], slots: 0, crossed: false });
  });
});
