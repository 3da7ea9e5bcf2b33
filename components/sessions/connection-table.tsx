'use client';

import Link from 'next/link';
import { LABS } from '@/components/labs';
import { clockTime, formatMs } from '@/components/lab/format';
import { RepeatToggle, useOpenRuns } from '@/components/lab/repeat-toggle';
import { foldRepeats } from '@/components/lab/repeats';
import { sessionsApi } from './api';
import { playerHref } from '@/components/player/timeline';
import { connectionTree, type TreeLine } from './connection-tree';
import { ExportMenu } from './export-menu';
import type { ConnectionInfo } from './types';

const labName = (protocol: string) => LABS.find((l) => l.slug === protocol)?.name ?? protocol;

/** '10:42:07' today, '1 Dec 10:42' on another day. */
function when(ms: number): string {
  const d = new Date(ms);
  const time = clockTime(ms);
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time.slice(0, 5)}`;
}

/**
 * Every connection of the sandbox, newest first, children under their parent: pick some for an
 * export, open one in the player, or export one in any format.
 */
export function ConnectionTable(props: { connections: ConnectionInfo[]; selected: Set<string>; highlighted: Set<string>; onToggle(id: string): void; onToggleAll(ids: string[]): void }) {
  const lines = connectionTree(props.connections);
  const allIds = lines.map((l) => l.connection.id);
  const allSelected = allIds.length > 0 && allIds.every((id) => props.selected.has(id));
  const runs = useOpenRuns();
  // A reconnecting client's run folds (components/lab/repeats.ts); a connection with children, or a child, stays as it is.
  const parents = new Set(lines.map((l) => l.connection.parent));
  const foldable = (l: TreeLine) => (l.depth === 0 && !parents.has(l.connection.id) ? l.connection : null);
  const row = ({ connection: c, depth }: TreeLine) => {
    const name = c.label ?? c.client;
    return (
      <tr
        key={c.id}
        data-testid="session-row"
        data-conn={c.id}
        className={`border-t border-slate-800 ${props.highlighted.has(c.id) ? 'bg-emerald-950/40' : props.selected.has(c.id) ? 'bg-sky-950/40' : 'hover:bg-slate-900'}`}
      >
        <td className="px-2 py-1">
          <input type="checkbox" aria-label={`Select ${name}`} checked={props.selected.has(c.id)} onChange={() => props.onToggle(c.id)} />
        </td>
        <td className="truncate px-2 py-1 text-slate-300">{labName(c.protocol)}</td>
        <td className="px-2 py-1" style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}>
          <Link href={playerHref(c.id)} className="flex min-w-0 items-center gap-2 text-slate-100 hover:text-sky-300" title={`${name} · ${c.client}${c.server ? ` → ${c.server}` : ''} · ${c.id}`}>
            {depth > 0 && <span className="text-slate-400" aria-hidden>↳</span>}
            <span className={`h-2 w-2 shrink-0 rounded-full ${c.endedAt ? 'bg-slate-600' : 'bg-emerald-400'}`} aria-label={c.endedAt ? 'closed' : 'open'} />
            <span className="truncate">{name}</span>
          </Link>
        </td>
        <td className="whitespace-nowrap px-2 py-1 tabular-nums text-slate-300">{when(c.startedAt)}</td>
        <td className="whitespace-nowrap px-2 py-1 tabular-nums text-slate-400">{c.endedAt ? formatMs(c.endedAt - c.startedAt) : 'open'}</td>
        <td className="px-2 py-1 text-right tabular-nums text-slate-300">{c.messageCount}</td>
        <td className="px-2 py-1">
          <div className="flex justify-end gap-1 whitespace-nowrap">
            <Link href={playerHref(c.id)} className="rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:border-sky-500">
              Open
            </Link>
            <ExportMenu name={name} href={(format) => sessionsApi.exportUrl(c.id, format)} />
          </div>
        </td>
      </tr>
    );
  };
  if (lines.length === 0) return <p className="p-3 text-sm text-slate-400">No connections yet. Use any lab (or your own client), or import a capture.</p>;
  return (
    <table className="w-full table-fixed text-sm" data-testid="session-table">
      <colgroup>
        <col className="w-8" />
        {/* The longest lab name ("Access control") whole, at any text size (rem). */}
        <col className="w-[8.5rem]" />
        <col />
        <col className="w-[6rem]" />
        <col className="w-[4.5rem]" />
        <col className="w-[3.5rem]" />
        <col className="w-[9rem]" />
      </colgroup>
      <thead className="sticky top-0 z-10 bg-slate-900 text-left text-xs text-slate-400">
        <tr>
          <th className="px-2 py-1">
            <input type="checkbox" aria-label="Select every connection" checked={allSelected} onChange={() => props.onToggleAll(allSelected ? [] : allIds)} />
          </th>
          <th className="px-2 py-1 font-normal">lab</th>
          <th className="px-2 py-1 font-normal">connection</th>
          <th className="px-2 py-1 font-normal">started</th>
          <th className="px-2 py-1 font-normal">lasted</th>
          <th className="px-2 py-1 text-right font-normal">msgs</th>
          <th className="px-2 py-1">
            <span className="sr-only">actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {foldRepeats(lines, foldable).flatMap((f) => {
          if (f.kind === 'one') return [row(f.line)];
          const run = f.lines.map((l) => l.connection);
          const open = runs.isOpen(run);
          const key = run[run.length - 1].id;
          return [
            row(f.lines[0]),
            <tr key={`run-${key}`} data-testid="session-repeats" className="border-t border-slate-800">
              <td />
              <td colSpan={6} className="px-2 py-1">
                <RepeatToggle run={run} open={open} onToggle={() => runs.toggle(run)} className="pl-6" />
              </td>
            </tr>,
            ...(open ? f.lines.slice(1).map(row) : []),
          ];
        })}
      </tbody>
    </table>
  );
}
