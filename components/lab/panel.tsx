import type { ReactNode } from 'react';

/**
 * The one card style every lab panel uses: a region named by its title. `landmark={false}` when something
 * inside or around it is already the region of that name (a focusable scroller, the tab it fills): a page has
 * one landmark per name, or a screen reader's list of them offers two the same.
 */
export function Panel({
  title,
  actions,
  children,
  className = '',
  landmark = true,
  tabbed = false,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  landmark?: boolean;
  /** Its actions are tabs that name what it shows: the title is for screen readers only, so a long tab's name cannot push the tabs to a second row. */
  tabbed?: boolean;
}) {
  return (
    <section className={`flex min-h-0 flex-col rounded-lg border border-slate-800 bg-slate-900/60 ${className}`} aria-label={landmark ? title : undefined}>
      {/* Where title and actions do not fit one line (Presenter mode beside a lesson) the actions wrap below, never out of the card. */}
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-800 px-3 py-2">
        <h2 className={tabbed ? 'sr-only' : 'text-sm font-semibold tracking-wide text-slate-200'}>{title}</h2>
        <div className={`flex min-w-0 flex-wrap items-center gap-2 ${tabbed ? '' : 'ml-auto justify-end'}`}>{actions}</div>
      </header>
      <div className="min-h-0 flex-1">{children}</div>
    </section>
  );
}
