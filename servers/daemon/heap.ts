/**
 * How far V8 lets the old generation grow between full collections, for a process that forwards bytes.
 *
 * V8 sizes the old generation by how fast JavaScript allocates heap objects. A lab forwarding an FTPS
 * transfer allocates mostly Buffers, whose bytes live outside that heap, so V8 keeps the limit a few MB
 * above the live heap while the Buffers keep promoting objects and adding external memory: bench:ftp saw a
 * full mark of the whole ≈ 70 MB heap every 40–80 ms of an FTPS STOR through the tap (30–46 in a run
 * of three rounds; 11–12 with the heap allowed to grow by half or more).
 */
import v8 from 'node:v8';

/** LAB_HEAP_GROWTH's default: the old generation may grow by half its live size before the next full collection. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/** Sets this process's heap growth in percent; 0 gives the choice back to V8. */
export function applyHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 400) throw new RangeError(`heap growth must be a whole percentage from 0 to 400, not ${percent}`);
  // V8 reads this flag each time it sets the next limit, so it takes effect after start-up too.
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
