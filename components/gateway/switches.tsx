'use client';

import type { AccessModel } from './api';
import type { AccessState } from './use-access';

/** How a subscription's group reads: `club netclub`, `community university`. */
export function groupName(model: AccessModel, group: AccessModel['subscriptions'][number]['group']): string {
  const found = group.kind === 'community' ? model.communities.find((c) => c.id === group.id) : model.clubs.find((c) => c.id === group.id);
  return `${group.kind} ${found?.name ?? `#${group.id}`}`;
}

export const productName = (model: AccessModel, id: number) => model.products.find((p) => p.id === id)?.name ?? `#${id}`;

const button = 'rounded border px-2 py-0.5 text-xs disabled:opacity-40';

/**
 * The switches a teacher flips during a lesson, one click each: suspend or reactivate a
 * subscription, blacklist a user or lift it. Each applies to the very next request.
 */
export function QuickSwitches({ access }: { access: AccessState }) {
  const { model } = access;
  if (!model) return <p className="p-3 text-sm text-slate-400">Loading the model…</p>;
  return (
    <div className="h-full space-y-3 overflow-y-auto p-3 text-sm" data-testid="quick-switches">
      <section>
        <h3 className="mb-1 text-xs text-slate-400">Subscriptions</h3>
        <ul className="space-y-1">
          {model.subscriptions.map((s) => {
            const label = `${groupName(model, s.group)} → ${productName(model, s.product)}`;
            const active = s.state === 'active';
            return (
              <li key={s.id} className="flex items-center gap-2" data-testid="subscription-switch" data-subscription={label}>
                {/* Wraps at its spaces in a narrow column (it was cut to "community university → b…"). */}
                <span className={`min-w-0 ${active ? 'text-slate-200' : 'text-slate-400 line-through'}`} data-testid="subscription-label">
                  {label}
                </span>
                <button
                  className={`ml-auto shrink-0 ${button} ${active ? 'border-rose-700 text-rose-200 hover:border-rose-400' : 'border-emerald-700 text-emerald-200 hover:border-emerald-400'}`}
                  disabled={access.busy}
                  aria-label={`${active ? 'Suspend' : 'Activate'} ${label}`}
                  onClick={() => void access.change({ kind: 'update', table: 'subscriptions', id: s.id, body: { group: s.group, product: s.product, state: active ? 'suspended' : 'active' } })}
                >
                  {active ? 'Suspend' : 'Activate'}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <section>
        <h3 className="mb-1 text-xs text-slate-400">Blacklist</h3>
        <ul className="space-y-1">
          {model.users.map((u) => {
            const entry = model.blacklist.find((b) => b.user === u.id);
            return (
              <li key={u.id} className="flex items-center gap-2" data-testid="blacklist-switch" data-user={u.name}>
                <span className={entry ? 'text-rose-300' : 'text-slate-200'}>{u.name}</span>
                {entry && <span className="truncate text-xs text-slate-400">{entry.reason || 'blacklisted'}</span>}
                <button
                  className={`ml-auto shrink-0 ${button} ${entry ? 'border-emerald-700 text-emerald-200 hover:border-emerald-400' : 'border-rose-700 text-rose-200 hover:border-rose-400'}`}
                  disabled={access.busy}
                  aria-label={`${entry ? 'Lift the blacklist of' : 'Blacklist'} ${u.name}`}
                  onClick={() =>
                    void access.change(entry ? { kind: 'remove', table: 'blacklist', id: entry.id } : { kind: 'create', table: 'blacklist', body: { user: u.id, reason: 'blocked from the page' } })
                  }
                >
                  {entry ? 'Lift' : 'Blacklist'}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
