import type { ReactNode } from 'react';

/**
 * A lab page's panels side by side, with one rule for every page that uses it: where the lab column is narrow
 * (`lab-narrow`, app/globals.css — Presenter mode's larger type beside an open lesson) the grid becomes two screens
 * one above the other, each the column's whole height, and the column scrolls from one to the other. An editor or
 * the wire then keeps a width it reads at, instead of three columns of a few words each. `className` gives the
 * grid's columns, wide and `lab-narrow:`; a panel that should have the second screen to itself spans its columns.
 */
export function LabColumns({ className, children, testId }: { className: string; children: ReactNode; testId?: string }) {
  return (
    <div className="h-full min-h-0 lab-narrow:overflow-y-auto" data-testid={testId}>
      {/* 200% of the scroller and one gap (gap-3): two rows of exactly its height. */}
      <div className={`grid h-full min-h-0 gap-3 lab-narrow:h-[calc(200%+0.75rem)] lab-narrow:grid-rows-[minmax(0,1fr)_minmax(0,1fr)] ${className}`}>{children}</div>
    </div>
  );
}
