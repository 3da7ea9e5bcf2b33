'use client';

import { useRef, useState, type ReactNode } from 'react';

/**
 * A lab page's panels side by side, with one rule for every page that uses it: where the lab column is narrow
 * (`lab-narrow`, app/globals.css — Presenter mode's larger type beside an open lesson) the grid becomes two screens
 * one above the other, each the column's whole height, and the column scrolls from one to the other. An editor or
 * the wire then keeps a width it reads at, instead of three columns of a few words each. `className` gives the
 * grid's columns, wide and `lab-narrow:`; a panel that should have the second screen to itself spans its columns.
 * `below` names the second screen (its last child): while the first fills the column a button says it is there —
 * nothing else did, and a student reading the first screen never saw the wire — and scrolls down to it.
 */
export function LabColumns({ className, children, testId, below }: { className: string; children: ReactNode; testId?: string; below?: { label: string; name: string } }) {
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const [down, setDown] = useState(false);
  const toSecond = () => {
    const box = scroller.current;
    const second = grid.current?.lastElementChild;
    if (!box || !(second instanceof HTMLElement)) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    box.scrollTo({ top: box.scrollHeight - box.clientHeight, behavior: reduce ? 'auto' : 'smooth' });
    // The button goes once the second screen shows: focus goes on there, not back to the page's start.
    if (!second.hasAttribute('tabindex')) second.tabIndex = -1;
    second.focus({ preventScroll: true });
  };
  return (
    <div
      ref={scroller}
      className="h-full min-h-0 lab-narrow:overflow-y-auto"
      data-testid={testId}
      onScroll={below ? (e) => setDown(e.currentTarget.scrollTop > e.currentTarget.clientHeight / 2) : undefined}
    >
      {/* 200% of the scroller and one gap (gap-3): two rows of exactly its height. */}
      <div ref={grid} className={`grid h-full min-h-0 gap-3 lab-narrow:h-[calc(200%+0.75rem)] lab-narrow:grid-rows-[minmax(0,1fr)_minmax(0,1fr)] ${className}`}>
        {children}
      </div>
      {below && !down && (
        // Stuck to the scroller's bottom edge and no height of its own, so the two screens keep theirs.
        <div className="sticky bottom-0 z-10 hidden h-0 lab-narrow:block">
          <button
            type="button"
            onClick={toSecond}
            // Begins with the text it shows (WCAG 2.5.3), then says what it does.
            aria-label={`${below.label}: scroll down to ${below.name}`}
            className="absolute right-3 bottom-3 rounded-full border border-sky-400 bg-sky-950/95 px-3 py-1 text-sm font-semibold text-sky-100 shadow-lg shadow-black/60 hover:bg-sky-900"
            data-testid="second-screen-cue"
          >
            {below.label} ↓
          </button>
        </div>
      )}
    </div>
  );
}
