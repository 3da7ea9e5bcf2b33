'use client';

import { useState } from 'react';
import { clockTime } from '@/components/lab/format';
import { playerHref } from '@/components/player/timeline';
import type { ConnectionInfo } from '@/lib/wire/event.ts';
import { MoreBelow, useRowsBelow } from './more-below';
import { RepeatToggle, useOpenRuns } from './repeat-toggle';
import { foldRepeats } from './repeats';

/**
 * Recent connections of a lab (browser consoles and external clients alike); pick one to view. A client
 * that connects again and again the same way (a script guessing passwords) is one folded run. It fills the
 * height it is given (a flex column's rest, or its box's height) and scrolls, saying how many rows are below.
 */
export function ConnectionList(props: { connections: ConnectionInfo[]; selected: string | null; ownConsole: string | null; onSelect(id: string): void }) {
  const runs = useOpenRuns();
  const [list, setList] = useState<HTMLUListElement | null>(null);
  const below = useRowsBelow(list);
  if (props.connections.length === 0) return <p className="p-3 text-sm text-slate-400">No connections yet.</p>;
  const row = (c: ConnectionInfo) => {
    const active = c.id === props.selected;
    const label = c.id === props.ownConsole ? 'your console' : (c.label ?? c.client);
    return (
      <li key={c.id} data-conn={c.id} className={`flex items-center ${active ? 'bg-sky-950/60' : ''}`}>
        <button
          onClick={() => props.onSelect(c.id)}
          className={`flex min-w-0 flex-1 items-center gap-2 px-3 py-1.5 text-left ${active ? 'text-white' : 'text-slate-300 hover:bg-slate-900'}`}
        >
          <span className={`h-2 w-2 shrink-0 rounded-full ${c.endedAt ? 'bg-slate-600' : 'bg-emerald-400'}`} role="img" aria-label={c.endedAt ? 'closed' : 'open'} />
          <span className="truncate">{label}</span>
          <span className="ml-auto shrink-0 text-xs tabular-nums text-slate-400">
            {clockTime(c.startedAt)} · {c.messageCount}
          </span>
        </button>
        {/* A new tab, so this page's console stays open (and live in the player). */}
        <a href={playerHref(c.id)} target="_blank" rel="noopener" className="shrink-0 px-2 text-xs text-sky-300 hover:text-sky-100" title="Step, scrub and play through this connection, and see its bytes">
          Open in player
        </a>
      </li>
    );
  };
  return (
    // flex-1 in a flex column (the SSH tab, under its intro), h-full in a plain box (the SMTP panel).
    <div className="flex h-full min-h-0 flex-1 flex-col">
      <ul ref={setList} className="min-h-0 flex-1 overflow-y-auto text-sm [scrollbar-color:var(--color-slate-600)_transparent]" data-testid="connection-list">
        {foldRepeats(props.connections, (c) => c).flatMap((f) => {
          if (f.kind === 'one') return [row(f.line)];
          const open = runs.isOpen(f.lines);
          return [
            row(f.lines[0]),
            <li key={`run-${f.lines[f.lines.length - 1].id}`} data-testid="connection-repeats">
              <RepeatToggle run={f.lines} open={open} onToggle={() => runs.toggle(f.lines)} className="w-full py-1 pl-7 pr-3 hover:bg-slate-900" />
            </li>,
            ...(open ? f.lines.slice(1).map(row) : []),
          ];
        })}
      </ul>
      <MoreBelow count={below} list={list} testId="connection-list-more" />
    </div>
  );
}
