'use client';

import { useMemo, useState, type ReactNode } from 'react';
import { pagePanels } from './page-panels';
import { TabSection } from './tab-section';
import { Segmented } from './tab-bar';
import { useHashTab } from './use-hash-tab';

/** A page's tabs in the order shown: hash name and label. A module constant of the page. */
export type LabTabs<T extends string> = readonly (readonly [id: T, label: string])[];

/**
 * The sections of a tabbed lab page: the tab shown (named by the URL's hash), the tab control for
 * LabPage's header, the panels a lesson points at, and `section`, one tab's body laid out. With
 * `mountOnVisit` a tab's body mounts the first time it is shown (tabs that open consoles connect
 * then) and stays mounted after, like every other tab's.
 */
export function useLabTabs<T extends string>(tabs: LabTabs<T>, options: { label: string; size?: 'sm' | 'md'; mountOnVisit?: boolean }) {
  const ids = useMemo(() => tabs.map(([id]) => id), [tabs]);
  const [visited, setVisited] = useState<ReadonlySet<T>>(() => new Set([ids[0]]));
  const remember = (next: T) => setVisited((seen) => (seen.has(next) ? seen : new Set([...seen, next])));
  const [tab, choose] = useHashTab(ids, options.mountOnVisit ? remember : undefined);

  const section = (id: T, body: ReactNode | (() => ReactNode)) => {
    const mounted = !options.mountOnVisit || visited.has(id);
    return (
      <TabSection key={id} id={id} label={tabs.find(([tabId]) => tabId === id)?.[1] ?? id} shown={tab === id}>
        {mounted && (typeof body === 'function' ? body() : body)}
      </TabSection>
    );
  };

  return {
    tab,
    choose,
    panels: { ...pagePanels(tabs, choose), ...(options.mountOnVisit ? { unvisited: (id: string) => !visited.has(id as T) } : {}) },
    controls: <Segmented label={options.label} role="tablist" size={options.size} value={tab} options={tabs} onChange={choose} />,
    section,
  };
}
