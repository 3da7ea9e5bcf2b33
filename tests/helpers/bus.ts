import type { Bus } from '../../lib/bus/bus.ts';
import type { LabEvent } from '../../lib/bus/events.ts';

/**
 * Resolves with the next bus event of `type` matching `predicate`. Only events published after the
 * call count, so subscribe BEFORE causing the event. Fails after `timeoutMs` (below the test timeout,
 * so the failure names what was awaited: `what`, or the event's type).
 */
export function nextEvent<T extends LabEvent['type']>(
  bus: Bus,
  type: T,
  predicate: (event: Extract<LabEvent, { type: T }>) => boolean = () => true,
  timeoutMs = 15_000,
  what = `a ${type} bus event`,
): Promise<Extract<LabEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = bus.subscribe((event) => {
      if (event.type !== type) return;
      const typed = event as Extract<LabEvent, { type: T }>;
      if (!predicate(typed)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(typed);
    });
  });
}
