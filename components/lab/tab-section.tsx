import type { ReactNode } from 'react';

/**
 * One tab's panel of a lab page: laid out while its tab is chosen, hidden (not unmounted) otherwise, so a
 * console or form in it keeps its state when the student looks at another tab.
 */
export function TabSection({ id, label, shown, children }: { id: string; label: string; shown: boolean; children?: ReactNode }) {
  return (
    <section className={shown ? 'h-full min-h-0' : 'hidden'} aria-label={label} data-testid={`tab-${id}`}>
      {children}
    </section>
  );
}
