'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseLessonLink } from '@/components/lessons/lesson-link';

/**
 * Whether a lab page's consoles may open yet. A lesson counts only messages after its start, and a
 * mail server greets the moment a console connects: on a page opened with a lesson in its address
 * (a link from a teacher, Start here) the console would greet before the lesson's start is recorded,
 * and the first step ("read the greeting") could not turn done. Such a page holds its consoles
 * until the lesson says it has started, or failed to load. For the same reason a lesson started over
 * counts `afresh`, and the consoles that follow it reconnect (useConsole's `afresh` option).
 */
interface ConsoleGate {
  held: boolean;
  release(): void;
  /** How many times a lesson started over on this page. */
  afresh: number;
  startAfresh(): void;
}

/** Outside a lab page nothing holds consoles. */
const ConsoleGateContext = createContext<ConsoleGate>({ held: false, release: () => {}, afresh: 0, startAfresh: () => {} });

/** However slow the lesson's start (or a panel closed before it loaded), consoles open after this long: a page never stays silent. */
const LONGEST_HOLD_MS = 8000;

export function ConsoleGateProvider({ children }: { children: ReactNode }) {
  // Read in the browser on the page's first render (not drawn, so the server's render cannot disagree).
  const [held, setHeld] = useState(() => typeof window !== 'undefined' && parseLessonLink(window.location.search).lesson !== null);
  const release = useCallback(() => setHeld(false), []);
  const [afresh, setAfresh] = useState(0);
  const startAfresh = useCallback(() => setAfresh((n) => n + 1), []);
  useEffect(() => {
    if (!held) return;
    const timer = setTimeout(release, LONGEST_HOLD_MS);
    return () => clearTimeout(timer);
  }, [held, release]);
  const gate = useMemo(() => ({ held, release, afresh, startAfresh }), [held, release, afresh, startAfresh]);
  return <ConsoleGateContext.Provider value={gate}>{children}</ConsoleGateContext.Provider>;
}

export function useConsoleGate(): ConsoleGate {
  return useContext(ConsoleGateContext);
}
