'use client';

import type { ViewMode } from '@/components/terminal/render';

/** Switches between what the endpoints saw and what an eavesdropper on the wire sees. */
export function ViewToggle({ mode, onChange }: { mode: ViewMode; onChange(mode: ViewMode): void }) {
  const option = (value: ViewMode, label: string) => (
    <button
      className={`px-3 py-1 text-sm ${mode === value ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-slate-100'}`}
      aria-pressed={mode === value}
      onClick={() => onChange(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="inline-flex overflow-hidden rounded-md border border-slate-700" role="group" aria-label="View">
      {option('endpoint', 'Endpoint view')}
      {option('wire', 'What an eavesdropper sees')}
    </div>
  );
}
