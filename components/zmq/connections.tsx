'use client';

import type { LabFeed } from '@/components/lab/lab-feed';
import { clockTime } from '@/components/lab/format';
import { RepeatToggle, useOpenRuns } from '@/components/lab/repeat-toggle';
import { foldRepeats } from '@/components/lab/repeats';
import type { ConnectionInfo } from '@/lib/wire/event.ts';

/** One connection row of a tree: a dot (open or closed), its name, start time and message count. */
export function ConnectionRow(props: { c: ConnectionInfo; name: string; depth: number; active: boolean; onSelect?(): void; tag?: string }) {
  const { c } = props;
  const body = (
    <>
      <span className={`h-2 w-2 shrink-0 rounded-full ${c.endedAt ? 'bg-slate-600' : 'bg-emerald-400'}`} role="img" aria-label={c.endedAt ? 'closed' : 'open'} />
      {props.tag && <span className="shrink-0 rounded bg-slate-800 px-1 text-[0.7rem] uppercase text-slate-300">{props.tag}</span>}
      <span className="truncate">{props.name}</span>
      <span className="ml-auto shrink-0 text-xs tabular-nums text-slate-400">
        {clockTime(c.startedAt)} · {c.messageCount}
      </span>
    </>
  );
  const style = { paddingLeft: `${0.75 + props.depth * 1.25}rem` };
  const className = `flex w-full items-center gap-2 py-1.5 pr-3 text-left text-sm ${props.active ? 'bg-sky-950/60 text-white' : 'text-slate-300 hover:bg-slate-900'}`;
  return (
    <li data-testid="zmq-connection" data-conn={c.id} data-depth={props.depth}>
      {props.onSelect ? (
        <button style={style} className={className} onClick={props.onSelect}>
          {props.depth > 0 && <span className="text-slate-400">└</span>}
          {body}
        </button>
      ) : (
        <div style={style} className={className}>
          {props.depth > 0 && <span className="text-slate-400">└</span>}
          {body}
        </div>
      )}
    </li>
  );
}

/**
 * The lab's ZMTP connections, newest first: browser consoles, the lab's own workers and real
 * clients; a connection filed under another (a worker under its console, a tunnelled one under its
 * SSH connection) is drawn beneath it. A client reconnecting again and again is one folded run.
 */
export function ZmqConnections(props: { feed: LabFeed; selected: string | null; own: string | null; onSelect(id: string): void }) {
  const runs = useOpenRuns();
  const all = props.feed.listConnections();
  if (all.length === 0) return <p className="p-3 text-sm text-slate-400">No connections yet.</p>;
  const ids = new Set(all.map((c) => c.id));
  // Each connection's children, found once: the list draws again on every message, and a reconnecting client makes hundreds of rows.
  const childrenOf = new Map<string, ConnectionInfo[]>();
  for (const c of all) if (c.parent) childrenOf.get(c.parent)?.push(c) ?? childrenOf.set(c.parent, [c]);
  const children = (id: string) => childrenOf.get(id) ?? [];
  const roots = all.filter((c) => !c.parent || !ids.has(c.parent));
  const name = (c: ConnectionInfo) => (c.id === props.own ? 'your console' : (c.label ?? c.client));
  const rows = (c: ConnectionInfo, depth: number): React.ReactElement[] => [
    <ConnectionRow
      key={c.id}
      c={c}
      depth={depth}
      name={c.parent && !ids.has(c.parent) ? `${name(c)} · inside SSH connection ${c.parent}` : name(c)}
      // The lab's six sockets share this list: the port says which one (5560 is CURVE's by default).
      tag={portOf(c.server)}
      active={c.id === props.selected}
      onSelect={() => props.onSelect(c.id)}
    />,
    ...children(c.id).flatMap((child) => rows(child, depth + 1)),
  ];
  const folded = foldRepeats(roots, (c) => (children(c.id).length > 0 ? null : c));
  return (
    <ul className="h-full overflow-y-auto" data-testid="connection-list">
      {folded.flatMap((f) => {
        if (f.kind === 'one') return rows(f.line, 0);
        const open = runs.isOpen(f.lines);
        return [
          ...rows(f.lines[0], 0),
          <li key={`run-${f.lines[f.lines.length - 1].id}`} data-testid="zmq-repeats">
            <RepeatToggle run={f.lines} open={open} onToggle={() => runs.toggle(f.lines)} className="w-full py-1 pl-8 pr-3 hover:bg-slate-900" />
          </li>,
          ...(open ? f.lines.slice(1).flatMap((c) => rows(c, 0)) : []),
        ];
      })}
    </ul>
  );
}

/** ":5560" from "127.0.0.1:5560" (an IPv6 address keeps its brackets before the port). */
function portOf(address: string | undefined): string | undefined {
  const port = address?.slice(address.lastIndexOf(':') + 1);
  return port && /^\d+$/.test(port) ? `:${port}` : undefined;
}
