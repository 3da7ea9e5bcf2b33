'use client';

import { useRef, useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from './api';

/** A row of download links, one per export format (JSON, text, pcapng, key log). */
export function ExportLinks({ href, label, testId }: { href(format: ExportFormat): string; label: string; testId?: string }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1" role="group" aria-label={label} data-testid={testId}>
      {EXPORT_FORMATS.map((f) => (
        <a
          key={f.format}
          href={href(f.format)}
          download
          title={f.hint}
          data-format={f.format}
          className="rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-200 hover:border-sky-500 hover:text-white"
        >
          {f.label}
        </a>
      ))}
    </span>
  );
}

/** The nearest ancestor that clips what overflows it (the list's scroll box), or the window. */
function clipBottom(el: HTMLElement): number {
  for (let node = el.parentElement; node; node = node.parentElement) {
    if (getComputedStyle(node).overflowY !== 'visible') return node.getBoundingClientRect().bottom;
  }
  return window.innerHeight;
}

/**
 * One connection's export formats behind a small disclosure, so the list stays one line a connection.
 * It opens upwards where the list would cut it off below (the last rows).
 */
export function ExportMenu({ href, name }: { href(format: ExportFormat): string; name: string }) {
  const [upwards, setUpwards] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  return (
    <details
      className="relative"
      data-testid="export-menu"
      onToggle={(e) => {
        const details = e.currentTarget;
        if (!details.open || !menu.current) return;
        const below = details.getBoundingClientRect().bottom + menu.current.offsetHeight + 4;
        setUpwards(below > clipBottom(details));
      }}
    >
      <summary className="cursor-pointer list-none whitespace-nowrap rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:border-slate-400" aria-label={`Export ${name}`}>
        Export ▾
      </summary>
      <div ref={menu} className={`absolute right-0 z-20 w-max rounded-md border border-slate-700 bg-slate-900 p-2 shadow-lg ${upwards ? 'bottom-full mb-1' : 'mt-1'}`} data-opens={upwards ? 'up' : 'down'}>
        <ExportLinks href={href} label={`Export ${name} as`} />
      </div>
    </details>
  );
}
