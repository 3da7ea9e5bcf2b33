'use client';

type Options<T> = readonly (readonly [NoInfer<T>, string])[];

/**
 * The one tab control of every lab page. `pills` (the default) are the small tabs in a panel
 * header; `segmented` is a boxed row of buttons for a page's sections and for toggles
 * (role `group`: each button is pressed or not, instead of being a selected tab).
 */
export function TabBar<T extends string>(props: {
  tabs: Options<T>;
  value: T;
  onChange(value: NoInfer<T>): void;
  label?: string;
  variant?: 'pills' | 'segmented';
  size?: 'sm' | 'md';
  role?: 'tablist' | 'group';
}) {
  const role = props.role ?? 'tablist';
  const isTabs = role === 'tablist';
  const segmented = props.variant === 'segmented';
  const pad = props.size === 'md' ? 'px-3 py-1 text-sm' : 'px-2 py-0.5 text-xs';
  return (
    <div className={segmented ? 'inline-flex overflow-hidden rounded-md border border-slate-700' : 'flex flex-wrap gap-1'} role={role} aria-label={props.label}>
      {props.tabs.map(([value, text]) => {
        const active = props.value === value;
        return (
          <button
            key={value}
            role={isTabs ? 'tab' : undefined}
            aria-selected={isTabs ? active : undefined}
            aria-pressed={isTabs ? undefined : active}
            onClick={() => props.onChange(value)}
            className={`${segmented ? '' : 'rounded '}${pad} ${active ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-slate-100'}`}
          >
            {text}
          </button>
        );
      })}
    </div>
  );
}

/** A boxed TabBar: a page's sections (role tablist) or a choice of modes (role group, the default). */
export function Segmented<T extends string>(props: {
  value: T;
  options: Options<T>;
  onChange(value: NoInfer<T>): void;
  label: string;
  size?: 'sm' | 'md';
  role?: 'tablist' | 'group';
}) {
  return <TabBar variant="segmented" tabs={props.options} value={props.value} onChange={props.onChange} label={props.label} size={props.size} role={props.role ?? 'group'} />;
}
