'use client';

import { useSyncExternalStore } from 'react';

/** Where a tab keeps that its student follows the teacher (the class page reads it again after a reload). */
export const FOLLOW_KEY = 'lab.class.follow';

/** The teacher took this browser's sandbox out of its class while a page of this tab was open. */
export interface ClassRemoval {
  className: string;
  sandbox: string;
  /** performance.now() when the page heard it: a class read after it is a join made since. */
  at: number;
}

// One per tab: the header's Class link (the root layout's, kept across navigations) and the page below it both read it.
let removal: ClassRemoval | null = null;
const listeners = new Set<() => void>();
const changed = (next: ClassRemoval | null) => {
  removal = next;
  for (const listener of listeners) listener();
};
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const current = () => removal;
const none = () => null;

/**
 * Notes a `class.removed` event for this browser's sandbox: every page of the tab says so at once, and
 * the tab's wish to follow the teacher goes too (a later class page must not follow on its own).
 */
export function noteClassRemoved(event: { className: string; sandbox: string }): void {
  sessionStorage.setItem(FOLLOW_KEY, '0');
  changed({ className: event.className, sandbox: event.sandbox, at: performance.now() });
}

/** The student read the message (Dismiss), or joined a class again: nothing to say any more. */
export function clearClassRemoval(): void {
  if (removal) changed(null);
}

/** The removal this tab heard of and still shows, or null. */
export function useClassRemoval(): ClassRemoval | null {
  return useSyncExternalStore(subscribe, current, none);
}
