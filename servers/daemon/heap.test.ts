import { describe, expect, it } from 'vitest';
import { applyHeapGrowth, DEFAULT_HEAP_GROWTH_PERCENT } from './heap.ts';

describe('applyHeapGrowth', () => {
  it('takes a whole percentage from 0 to 400 and refuses anything else before touching V8', () => {
    for (const bad of [-1, 1.5, 401, Number.NaN]) expect(() => applyHeapGrowth(bad), String(bad)).toThrow(RangeError);
    for (const good of [0, 400, DEFAULT_HEAP_GROWTH_PERCENT]) expect(() => applyHeapGrowth(good)).not.toThrow();
  });
});
