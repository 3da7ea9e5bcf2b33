'use client';

import { useState } from 'react';
import type { AccessModel } from './api';

const COLUMNS = ['users', 'groups', 'subscriptions', 'products', 'features', 'services'] as const;
type Column = (typeof COLUMNS)[number];
const COL_W = 150;
const NODE_W = 128;
const NODE_H = 18;
const TOP = 30;
const GAP = 22;
/** Characters of a node's name that fit its box at 10.5px ("soap.calendar.getMonth", 22, ran past it); the rest is in its tooltip. */
const MAX_LABEL = 20;

interface Node {
  key: string;
  column: Column;
  label: string;
  /** Struck out: a suspended subscription, a blacklisted user. */
  off?: boolean;
}
interface Edge {
  from: string;
  to: string;
  dashed?: boolean;
}

/** Everything `user` reaches as the decision point walks it (nothing if blacklisted). */
export function reachable(model: AccessModel, userId: number): Set<string> {
  const out = new Set<string>([`u${userId}`]);
  const user = model.users.find((u) => u.id === userId);
  if (!user || model.blacklist.some((b) => b.user === userId)) return out;
  const clubs = model.clubs.filter((c) => user.clubs.includes(c.id));
  const communities = new Set([...user.communities, ...clubs.map((c) => c.community)]);
  for (const c of clubs) out.add(`club${c.id}`);
  for (const id of communities) out.add(`com${id}`);
  for (const s of model.subscriptions) {
    const mine = s.group.kind === 'club' ? out.has(`club${s.group.id}`) : out.has(`com${s.group.id}`);
    if (!mine || s.state !== 'active') continue;
    out.add(`s${s.id}`);
    out.add(`p${s.product}`);
    for (const f of model.products.find((p) => p.id === s.product)?.features ?? []) {
      out.add(`f${f}`);
      for (const svc of model.features.find((x) => x.id === f)?.services ?? []) out.add(`svc:${svc}`);
    }
  }
  return out;
}

/** The model as nodes in six columns and the edges the decision point walks. */
export function diagram(model: AccessModel, services: readonly string[]): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const blacklisted = new Set(model.blacklist.map((b) => b.user));
  for (const u of model.users) {
    nodes.push({ key: `u${u.id}`, column: 'users', label: u.name, off: blacklisted.has(u.id) });
    for (const c of u.communities) edges.push({ from: `u${u.id}`, to: `com${c}` });
    for (const c of u.clubs) edges.push({ from: `u${u.id}`, to: `club${c}` });
  }
  for (const c of model.communities) nodes.push({ key: `com${c.id}`, column: 'groups', label: `community ${c.name}` });
  for (const c of model.clubs) {
    nodes.push({ key: `club${c.id}`, column: 'groups', label: `club ${c.name}` });
    // A club member is a member of its community.
    edges.push({ from: `club${c.id}`, to: `com${c.community}`, dashed: true });
  }
  for (const s of model.subscriptions) {
    const group = s.group.kind === 'club' ? `club${s.group.id}` : `com${s.group.id}`;
    const owner = s.group.kind === 'club' ? model.clubs.find((c) => c.id === s.group.id)?.name : model.communities.find((c) => c.id === s.group.id)?.name;
    const product = model.products.find((p) => p.id === s.product)?.name;
    nodes.push({ key: `s${s.id}`, column: 'subscriptions', label: `${owner ?? '?'} → ${product ?? '?'}`, off: s.state !== 'active' });
    edges.push({ from: group, to: `s${s.id}`, dashed: s.state !== 'active' }, { from: `s${s.id}`, to: `p${s.product}`, dashed: s.state !== 'active' });
  }
  for (const p of model.products) {
    nodes.push({ key: `p${p.id}`, column: 'products', label: p.name });
    for (const f of p.features) edges.push({ from: `p${p.id}`, to: `f${f}` });
  }
  for (const f of model.features) {
    nodes.push({ key: `f${f.id}`, column: 'features', label: f.name });
    for (const s of f.services) edges.push({ from: `f${f.id}`, to: `svc:${s}` });
  }
  const listed = new Set([...services, ...model.features.flatMap((f) => f.services)]);
  for (const s of listed) nodes.push({ key: `svc:${s}`, column: 'services', label: s, off: !services.includes(s) });
  return { nodes, edges };
}

/**
 * The domain model drawn with its data: users → communities and clubs → subscriptions → products →
 * features → services. Clicking a user lights up what the decision point lets them reach.
 */
export function ModelDiagram({ model, services }: { model: AccessModel; services: readonly string[] }) {
  const [focus, setFocus] = useState<number | null>(null);
  const { nodes, edges } = diagram(model, services);
  const perColumn = (c: Column) => nodes.filter((n) => n.column === c);
  const rows = Math.max(...COLUMNS.map((c) => perColumn(c).length), 1);
  const height = TOP + rows * GAP + 8;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [ci, c] of COLUMNS.entries()) {
    const list = perColumn(c);
    // Short columns are centred against the tallest one.
    const offset = ((rows - list.length) * GAP) / 2;
    list.forEach((n, i) => pos.set(n.key, { x: ci * COL_W + 6, y: TOP + offset + i * GAP }));
  }
  const lit = focus === null ? null : reachable(model, focus);
  const on = (key: string) => lit === null || lit.has(key);

  return (
    <div className="h-full overflow-auto p-2" data-testid="model-diagram">
      <p className="mb-1 text-xs text-slate-400">
        {focus === null ? 'Click a user to light up what the decision point lets them reach.' : `What ${model.users.find((u) => u.id === focus)?.name ?? ''} reaches (click again to clear).`}
      </p>
      <svg viewBox={`0 0 ${COLUMNS.length * COL_W} ${height}`} className="w-full min-w-[760px]" role="img" aria-label="Domain model: users, groups, subscriptions, products, features, services">
        {COLUMNS.map((c, i) => (
          <text key={c} x={i * COL_W + 6 + NODE_W / 2} y={14} textAnchor="middle" className="fill-slate-400 text-[11px] font-semibold uppercase">
            {c}
          </text>
        ))}
        {edges.map((e, i) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const same = a.x === b.x;
          const x1 = same ? a.x + NODE_W : a.x + NODE_W;
          const x2 = same ? b.x + NODE_W : b.x;
          const y1 = a.y + NODE_H / 2;
          const y2 = b.y + NODE_H / 2;
          const d = same ? `M${x1},${y1} C${x1 + 18},${y1} ${x2 + 18},${y2} ${x2},${y2}` : `M${x1},${y1} C${x1 + 12},${y1} ${x2 - 12},${y2} ${x2},${y2}`;
          const bright = lit !== null && lit.has(e.from) && lit.has(e.to) && !e.dashed;
          return <path key={i} d={d} fill="none" stroke={bright ? '#7dd3fc' : '#475569'} strokeOpacity={lit === null ? 0.8 : bright ? 1 : 0.25} strokeWidth={bright ? 1.6 : 1} strokeDasharray={e.dashed ? '4 3' : undefined} />;
        })}
        {nodes.map((n) => {
          const p = pos.get(n.key)!;
          const user = n.column === 'users' ? Number(n.key.slice(1)) : null;
          return (
            <g
              key={n.key}
              opacity={on(n.key) ? 1 : 0.3}
              className={user !== null ? 'cursor-pointer' : undefined}
              onClick={user !== null ? () => setFocus((f) => (f === user ? null : user)) : undefined}
              data-testid="model-node"
              data-node={n.key}
            >
              <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={4} fill={n.off ? '#3f1d1d' : lit?.has(n.key) ? '#0c4a6e' : '#1e293b'} stroke={n.off ? '#f87171' : '#334155'} />
              <text x={p.x + 6} y={p.y + 13} className={`text-[10.5px] ${n.off ? 'fill-rose-300' : 'fill-slate-100'}`} textDecoration={n.off && n.column !== 'services' ? 'line-through' : undefined}>
                {n.label.length > MAX_LABEL ? `${n.label.slice(0, MAX_LABEL - 1)}…` : n.label}
              </text>
              <title>{n.label}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
