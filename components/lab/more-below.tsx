'use client';

import { useCallback, useEffect, useState } from 'react';

/**
 * How many rows of a scrolling list lie wholly below what it shows, counted after each render, scroll and
 * resize. A scrollbar alone does not say a list goes on: overlay scrollbars stay hidden until used.
 */
export function useRowsBelow(list: HTMLElement | null): number {
  const [below, setBelow] = useState(0);
  const count = useCallback(() => {
    if (!list) return setBelow(0);
    const bottom = list.getBoundingClientRect().bottom;
    let n = 0;
    for (const row of list.children) if (row.getBoundingClientRect().top >= bottom - 1) n++;
    setBelow(n);
  }, [list]);
  // Rows come and go (new connections, a run opened): count again; an unchanged count renders nothing more.
  useEffect(count);
  useEffect(() => {
    if (!list) return;
    list.addEventListener('scroll', count, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(count);
    observer?.observe(list);
    return () => {
      list.removeEventListener('scroll', count);
      observer?.disconnect();
    };
  }, [list, count]);
  return below;
}

/** The line under a scrolling list that says more rows follow; a click scrolls it on by most of a page. */
export function MoreBelow(props: { count: number; list: HTMLElement | null; testId: string }) {
  if (props.count === 0 || !props.list) return null;
  const list = props.list;
  return (
    <button
      type="button"
      data-testid={props.testId}
      onClick={() => list.scrollBy({ top: list.clientHeight * 0.9, behavior: 'smooth' })}
      className="shrink-0 border-t border-slate-800 px-3 py-1 text-left text-xs text-slate-400 hover:text-white"
    >
      ↓ {props.count} more below — scroll the list
    </button>
  );
}
