'use client';

/** A quick-insert button: what it sends (one or more lines) and a hint. */
export interface Suggestion {
  label: string;
  lines: string[];
  hint: string;
}

/** The row of next-sensible-command buttons under a console; each sends its lines in order. */
export function QuickInsert({ suggestions, send }: { suggestions: Suggestion[]; send(line: string): void }) {
  return (
    <div className="flex min-h-8 flex-wrap items-center gap-1.5" aria-label="Quick insert">
      {suggestions.map((s) => (
        <button
          key={s.label}
          title={s.hint}
          onClick={() => s.lines.forEach((line) => send(line))}
          className="rounded border border-slate-700 bg-slate-900 px-2 py-0.5 font-mono text-xs text-sky-200 hover:border-sky-500"
        >
          {s.label}
        </button>
      ))}
    </div>
  );
}
