'use client';

import { useState } from 'react';
import { Panel } from '@/components/lab/panel';
import { TabBar } from '@/components/lab/tab-bar';
import type { AccessModel, Table } from './api';
import { EntityEditor, type EditorSpec, type FormValues } from './entity-editor';
import { ModelDiagram } from './model-diagram';
import { groupName, productName } from './switches';
import type { AccessState } from './use-access';

const TABLES = [
  ['subscriptions', 'Subscriptions'],
  ['blacklist', 'Blacklist'],
  ['users', 'Users'],
  ['communities', 'Communities'],
  ['clubs', 'Clubs'],
  ['products', 'Products'],
  ['features', 'Features'],
] as const satisfies readonly (readonly [Table, string])[];

const text = (f: FormValues, key: string) => (typeof f[key] === 'string' ? (f[key] as string) : '');
const ids = (f: FormValues, key: string) => (Array.isArray(f[key]) ? (f[key] as string[]).map(Number) : []);
const names = <T extends { id: number; name: string }>(rows: T[], wanted: number[]) => wanted.map((id) => rows.find((r) => r.id === id)?.name ?? `#${id}`).join(', ') || '—';
const dim = (s: string) => <span className="text-xs text-slate-400">{s}</span>;

/** The seven editors' specs over the current model and catalogue. */
function specs(model: AccessModel, services: string[], access: AccessState): { [T in Table]: EditorSpec<AccessModel[T][number]> } {
  const opt = <T extends { id: number; name: string }>(rows: T[]) => rows.map((r) => [String(r.id), r.name] as const);
  const groups = [...model.communities.map((c) => [`community:${c.id}`, `community ${c.name}`] as const), ...model.clubs.map((c) => [`club:${c.id}`, `club ${c.name}`] as const)];
  return {
    features: {
      table: 'features',
      rows: model.features,
      fields: [{ key: 'name', label: 'Name', kind: 'text' }, { key: 'description', label: 'Description', kind: 'text' }, { key: 'services', label: 'Services', kind: 'multi', options: services.map((s) => [s, s] as const) }],
      toForm: (r) => ({ name: r?.name ?? '', description: r?.description ?? '', services: r?.services ?? [] }),
      toBody: (f) => ({ name: text(f, 'name'), description: text(f, 'description'), services: Array.isArray(f.services) ? f.services : [] }),
      describe: (r) => (
        <>
          <span className="font-semibold">{r.name}</span> {dim(r.services.join(', ') || 'no services')}
        </>
      ),
      name: (r) => r.name,
    },
    products: {
      table: 'products',
      rows: model.products,
      fields: [{ key: 'name', label: 'Name', kind: 'text' }, { key: 'description', label: 'Description', kind: 'text' }, { key: 'features', label: 'Features', kind: 'multi', options: opt(model.features) }],
      toForm: (r) => ({ name: r?.name ?? '', description: r?.description ?? '', features: r?.features.map(String) ?? [] }),
      toBody: (f) => ({ name: text(f, 'name'), description: text(f, 'description'), features: ids(f, 'features') }),
      describe: (r) => (
        <>
          <span className="font-semibold">{r.name}</span> {dim(names(model.features, r.features))}
        </>
      ),
      name: (r) => r.name,
    },
    communities: {
      table: 'communities',
      rows: model.communities,
      fields: [{ key: 'name', label: 'Name', kind: 'text' }, { key: 'description', label: 'Description', kind: 'text' }],
      toForm: (r) => ({ name: r?.name ?? '', description: r?.description ?? '' }),
      toBody: (f) => ({ name: text(f, 'name'), description: text(f, 'description') }),
      describe: (r) => (
        <>
          <span className="font-semibold">{r.name}</span> {dim(r.description)}
        </>
      ),
      name: (r) => r.name,
    },
    clubs: {
      table: 'clubs',
      rows: model.clubs,
      fields: [{ key: 'name', label: 'Name', kind: 'text' }, { key: 'description', label: 'Description', kind: 'text' }, { key: 'community', label: 'Inside community', kind: 'select', options: opt(model.communities) }],
      toForm: (r) => ({ name: r?.name ?? '', description: r?.description ?? '', community: String(r?.community ?? model.communities[0]?.id ?? '') }),
      toBody: (f) => ({ name: text(f, 'name'), description: text(f, 'description'), community: Number(text(f, 'community')) }),
      describe: (r) => (
        <>
          <span className="font-semibold">{r.name}</span> {dim(`in ${names(model.communities, [r.community])}`)}
        </>
      ),
      name: (r) => r.name,
    },
    users: {
      table: 'users',
      rows: model.users,
      fields: [{ key: 'name', label: 'Name', kind: 'text' }, { key: 'communities', label: 'Communities', kind: 'multi', options: opt(model.communities) }, { key: 'clubs', label: 'Clubs', kind: 'multi', options: opt(model.clubs) }],
      toForm: (r) => ({ name: r?.name ?? '', communities: r?.communities.map(String) ?? [], clubs: r?.clubs.map(String) ?? [] }),
      toBody: (f) => ({ name: text(f, 'name'), communities: ids(f, 'communities'), clubs: ids(f, 'clubs') }),
      describe: (r) => (
        <>
          <span className="font-semibold">{r.name}</span> {dim(`communities ${names(model.communities, r.communities)} · clubs ${names(model.clubs, r.clubs)}`)}
          <div className="truncate font-mono text-[0.7rem] text-slate-400">X-Api-Key: {r.apiKey}</div>
        </>
      ),
      name: (r) => r.name,
    },
    subscriptions: {
      table: 'subscriptions',
      rows: model.subscriptions,
      fields: [{ key: 'group', label: 'Group', kind: 'select', options: groups }, { key: 'product', label: 'Product', kind: 'select', options: opt(model.products) }, { key: 'state', label: 'State', kind: 'select', options: [['active', 'active'], ['suspended', 'suspended']] }],
      toForm: (r) => ({ group: r ? `${r.group.kind}:${r.group.id}` : (groups[0]?.[0] ?? ''), product: String(r?.product ?? model.products[0]?.id ?? ''), state: r?.state ?? 'active' }),
      toBody: (f) => {
        const [kind, id] = text(f, 'group').split(':');
        return { group: { kind: kind === 'club' ? 'club' : 'community', id: Number(id) }, product: Number(text(f, 'product')), state: text(f, 'state') === 'suspended' ? 'suspended' : 'active' };
      },
      describe: (r) => (
        <span className={r.state === 'active' ? '' : 'text-slate-400 line-through'}>
          {groupName(model, r.group)} → <span className="font-semibold">{productName(model, r.product)}</span> {dim(r.state)}
        </span>
      ),
      actions: (r) => (
        <button
          className={`rounded border px-2 py-0.5 text-xs disabled:opacity-40 ${r.state === 'active' ? 'border-rose-700 text-rose-200' : 'border-emerald-700 text-emerald-200'}`}
          disabled={access.busy}
          onClick={() => void access.change({ kind: 'update', table: 'subscriptions', id: r.id, body: { group: r.group, product: r.product, state: r.state === 'active' ? 'suspended' : 'active' } })}
          aria-label={`${r.state === 'active' ? 'Suspend' : 'Activate'} ${groupName(model, r.group)} → ${productName(model, r.product)}`}
        >
          {r.state === 'active' ? 'Suspend' : 'Activate'}
        </button>
      ),
      name: (r) => `${groupName(model, r.group)} → ${productName(model, r.product)}`,
    },
    blacklist: {
      table: 'blacklist',
      rows: model.blacklist,
      fields: [{ key: 'user', label: 'User', kind: 'select', options: opt(model.users) }, { key: 'reason', label: 'Reason', kind: 'text' }],
      toForm: (r) => ({ user: String(r?.user ?? model.users[0]?.id ?? ''), reason: r?.reason ?? '' }),
      toBody: (f) => ({ user: Number(text(f, 'user')), reason: text(f, 'reason') }),
      describe: (r) => (
        <>
          <span className="font-semibold text-rose-300">{names(model.users, [r.user])}</span> {dim(r.reason)}
        </>
      ),
      name: (r) => `the blacklist entry of ${names(model.users, [r.user])}`,
    },
  };
}

/** The model tab: the domain model drawn from the data, and an editor per table beside it. */
export function ModelTab({ access }: { access: AccessState }) {
  const [table, setTable] = useState<Table>('subscriptions');
  const { model, catalogue } = access;
  const services = catalogue?.services.map((s) => s.id) ?? [];
  const all = model ? specs(model, services, access) : null;
  return (
    // The diagram needs ≈ 760 px: beside the editor only when there is room for both (not with a lesson open).
    <div className="@container h-full min-h-0 overflow-y-auto">
      <div className="grid min-h-full grid-rows-[auto_minmax(18rem,1fr)] gap-3 @min-[72rem]:h-full @min-[72rem]:grid-cols-[minmax(0,2fr)_minmax(0,1fr)] @min-[72rem]:grid-rows-1">
      <Panel title="Domain model" className="min-w-0">{model ? <ModelDiagram model={model} services={services} /> : <p className="p-3 text-sm text-slate-400">Loading…</p>}</Panel>
      <Panel title="Edit (applies to the next request)" className="min-w-0">
        <div className="flex h-full flex-col">
          <div className="border-b border-slate-800 px-2 py-1.5">
            <TabBar label="Model tables" tabs={TABLES} value={table} onChange={setTable} />
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto p-2">{all && <EntityEditor key={table} spec={all[table] as EditorSpec<{ id: number }>} access={access} />}</div>
        </div>
      </Panel>
      </div>
    </div>
  );
}
