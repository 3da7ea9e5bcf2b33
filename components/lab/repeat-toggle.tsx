'use client';

import { useCallback, useState } from 'react';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { describeRun } from './repeats';

/**
 * Which folded runs of a list the reader opened, by each run's oldest connection (its newest changes
 * while the client goes on retrying).
 */
export function useOpenRuns(): { isOpen(run: readonly ConnectionInfo[]): boolean; toggle(run: readonly ConnectionInfo[]): void } {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const keyOf = (run: readonly ConnectionInfo[]) => run[run.length - 1].id;
  const toggle = useCallback((run: readonly ConnectionInfo[]) => {
    const key = keyOf(run);
    setOpen((prev) => (prev.has(key) ? new Set([...prev].filter((k) => k !== key)) : new Set([...prev, key])));
  }, []);
  return { isOpen: (run) => open.has(keyOf(run)), toggle };
}

/** The line that stands for a folded run of alike connections (components/lab/repeats.ts): what it is, and a click opens it. */
export function RepeatToggle(props: { run: ConnectionInfo[]; open: boolean; onToggle(): void; className?: string }) {
  return (
    <button type="button" aria-expanded={props.open} onClick={props.onToggle} className={`text-left text-xs text-amber-200 hover:text-amber-100 ${props.className ?? ''}`}>
      {props.open ? '▾' : '▸'} {describeRun(props.run)} {props.open ? '' : `${props.run.length - 1} more`}
    </button>
  );
}
