'use client';

/** The small tab buttons in a panel header (every lab page's side panel uses them). */
export function TabBar<T extends string>(props: { tabs: readonly (readonly [NoInfer<T>, string])[]; value: T; onChange(value: NoInfer<T>): void; label?: string }) {
  return (
    <div className="flex flex-wrap gap-1" role="tablist" aria-label={props.label}>
      {props.tabs.map(([value, text]) => (
        <button
          key={value}
          role="tab"
          aria-selected={props.value === value}
          onClick={() => props.onChange(value)}
          className={`rounded px-2 py-0.5 text-xs ${props.value === value ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white'}`}
        >
          {text}
        </button>
      ))}
    </div>
  );
}
