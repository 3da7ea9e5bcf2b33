'use client';

import { useEffect } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import { clearClassRemoval, noteClassRemoved, useClassRemoval } from './class-membership';
import { noticeBox } from './styles';

/**
 * A lab page's word that the teacher removed this sandbox from its class (the hub sends `class.removed`
 * to every page of that sandbox): said at once, as the class page says it, with what is kept. Until the
 * student dismisses it, it stays on the tab's pages (a student may be told while switching labs).
 */
export function ClassRemovedNotice() {
  const { subscribe } = useLabSocket();
  useEffect(
    () =>
      subscribe((message) => {
        if (message.type !== 'events') return;
        for (const event of message.events) if (event.type === 'class.removed') noteClassRemoved(event);
      }),
    [subscribe],
  );
  const removal = useClassRemoval();
  if (!removal) return null;
  return (
    <div className={`${noticeBox} flex items-start gap-3 text-sm`} role="status" data-testid="class-removed-notice">
      <p className="min-w-0 flex-1">
        The teacher removed you from the class <strong>{removal.className}</strong>: you no longer follow the teacher&apos;s sessions. Your sandbox{' '}
        <span className="font-mono">{removal.sandbox}</span> keeps its files, mail and lesson progress, and this lab works as before; join again with the
        class&apos;s code if it was a mistake.
      </p>
      <button className="shrink-0 rounded border border-amber-600 px-2 text-amber-100 hover:bg-amber-500/20" onClick={clearClassRemoval}>
        OK
      </button>
    </div>
  );
}
