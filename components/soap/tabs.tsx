'use client';

/** Small segmented buttons, the style of the SMTP page's side tabs. */
export function Segmented<T extends string>(props: {
  value: T;
  options: readonly (readonly [NoInfer<T>, string])[];
  onChange(value: NoInfer<T>): void;
  label: string;
  size?: 'sm' | 'md';
  role?: 'tablist' | 'group';
}) {
  const pad = props.size === 'md' ? 'px-3 py-1 text-sm' : 'px-2 py-0.5 text-xs';
  const isTabs = props.role === 'tablist';
  return (
    <div className="inline-flex overflow-hidden rounded-md border border-slate-700" role={props.role ?? 'group'} aria-label={props.label}>
      {props.options.map(([value, text]) => {
        const active = value === props.value;
        return (
          <button
            key={value}
            role={isTabs ? 'tab' : undefined}
            aria-selected={isTabs ? active : undefined}
            aria-pressed={isTabs ? undefined : active}
            onClick={() => props.onChange(value)}
            className={`${pad} ${active ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-slate-100'}`}
          >
            {text}
          </button>
        );
      })}
    </div>
  );
}
