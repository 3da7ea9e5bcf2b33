import type { Bus } from '../../lib/bus/bus.ts';
import type { LabEvent } from '../../lib/bus/events.ts';

/** Resolves with the first bus event matching `predicate` (event-driven, no polling). */
export function nextEvent<T extends LabEvent['type']>(
  bus: Bus,
  type: T,
  predicate: (event: Extract<LabEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<LabEvent, { type: T }>> {
  return new Promise((resolve) => {
    const unsubscribe = bus.subscribe((event) => {
      if (event.type !== type) return;
      const typed = event as Extract<LabEvent, { type: T }>;
      if (!predicate(typed)) return;
      unsubscribe();
      resolve(typed);
    });
  });
}
