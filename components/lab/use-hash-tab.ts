'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A lab page's tab, named by the URL's hash (`/zmq#tunnel` opens the tunnel tab: deep links for
 * lessons and the classroom). The first tab has no hash; the query (`?conn=…&msg=…`, `?lesson=…`)
 * stays whichever tab is shown. `onShow` runs for every tab shown (pages that mount a tab's body on first visit).
 */
export function useHashTab<T extends string>(tabs: readonly T[], onShow?: (tab: T) => void): [T, (next: T) => void] {
  const [tab, setTab] = useState<T>(tabs[0]);
  const shown = useRef(onShow);
  shown.current = onShow;
  const show = useCallback((next: T) => {
    setTab(next);
    shown.current?.(next);
  }, []);

  useEffect(() => {
    const fromHash = () => {
      const hash = location.hash.slice(1);
      const found = tabs.find((t) => t === hash);
      if (found) show(found);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
    // The tab list is a module constant of each page, so it never changes.
  }, [show]);

  const choose = useCallback(
    (next: T) => {
      show(next);
      // The query (a shared selection, an open lesson) stays; only the hash names the tab.
      history.replaceState(history.state, '', next === tabs[0] ? `${location.pathname}${location.search}` : `${location.pathname}${location.search}#${next}`);
    },
    [show, tabs],
  );
  return [tab, choose];
}
