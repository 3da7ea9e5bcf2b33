/**
 * The panels of a lab page, as a lesson names them: a step says where to look (`panel: 'sub'`), and
 * the page says what that panel is called on screen ("PUB/SUB") and, for a tab, how to show it. The
 * lab page hands them to its shell (LabPage `panels`), which passes them to the lesson beside it.
 */
export interface PagePanels {
  /** Tabs the page can switch to, with their labels. */
  tabs: readonly (readonly [id: string, label: string])[];
  /** Panes always on screen (a console), with their labels. */
  panes?: readonly (readonly [id: string, label: string])[];
  /** Shows a tab (one of `tabs`). */
  show(id: string): void;
  /** Whether a tab has not been shown yet, on a page whose tabs open their consoles on their first visit. */
  unvisited?(id: string): boolean;
}

/** How a lesson step names a panel: its label, and a way to show it if it is a tab. */
export interface PanelRef {
  label: string;
  show?: () => void;
  /** Showing this tab opens its console (its first visit): a step's line can wait for it. */
  opensConsole?: boolean;
}

export function panelRef(panels: PagePanels | undefined, id: string): PanelRef | null {
  const tab = panels?.tabs.find(([tabId]) => tabId === id);
  if (tab && panels) return { label: tab[1], show: () => panels.show(id), opensConsole: panels.unvisited?.(id) ?? false };
  const pane = panels?.panes?.find(([paneId]) => paneId === id);
  return pane ? { label: pane[1] } : null;
}

/** A page's panels from its tab list and the function that switches its tab. */
export function pagePanels<T extends string>(tabs: readonly (readonly [T, string])[], choose: (tab: T) => void, panes?: PagePanels['panes']): PagePanels {
  return {
    tabs,
    panes,
    show: (id) => {
      const tab = tabs.find(([tabId]) => tabId === id);
      if (tab) choose(tab[0]);
    },
  };
}
