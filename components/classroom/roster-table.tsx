'use client';

import { useState } from 'react';
import type { RosterEntry } from '@/lib/http/class-contracts.ts';
import { ago, dangerButton, smallButton } from './styles';

/** What the projector shows now (a student's connection), to mark its row. */
type Projected = { sandbox: string; conn: string } | null;

/**
 * The class's roster: each student's name and sandbox, when last seen, live connections (each can
 * go on the projector), how far each started lesson got, and Remove for a mistaken or duplicate
 * join (asked again in the row; the student's sandbox and its work are kept).
 */
export function RosterTable(props: { students: RosterEntry[]; now: number; projected: Projected; onProject(sandbox: string, conn: string): void; onRemove(sandbox: string): void }) {
  const { students, now, projected, onProject } = props;
  // The row whose Remove was pressed and waits for its confirm (kept across the roster's reads every 2 s).
  const [confirming, setConfirming] = useState<string | null>(null);
  if (students.length === 0) {
    return <p className="p-4 text-slate-400">No student yet. They open the join address and type the code; each appears here as they join.</p>;
  }
  return (
    <table className="w-full text-left text-sm" data-testid="roster">
      <thead className="sticky top-0 bg-slate-900 text-xs text-slate-400">
        <tr>
          <th className="px-3 py-1.5 font-normal">Student</th>
          <th className="whitespace-nowrap px-2 py-1.5 font-normal">Last seen</th>
          <th className="px-2 py-1.5 font-normal">Live connections</th>
          <th className="px-2 py-1.5 font-normal">Lessons</th>
        </tr>
      </thead>
      <tbody>
        {students.map((s) => (
          <tr key={s.sandbox} className="border-t border-slate-800 align-top" data-testid="roster-row" data-sandbox={s.sandbox}>
            <td className="px-3 py-1.5">
              <div className="font-medium text-slate-100" data-testid="roster-name">
                {s.name}
              </div>
              <div className="font-mono text-xs text-slate-400">
                {s.sandbox}
                {s.following && (
                  <span className="ml-2 rounded bg-emerald-500/15 px-1 font-sans text-emerald-200" data-testid="roster-following" title="A page of this student's follows your sessions">
                    following
                  </span>
                )}
              </div>
              {confirming === s.sandbox ? (
                <div className="mt-1 space-y-1 text-xs text-amber-100" role="group" aria-label={`Remove ${s.name}?`} data-testid="roster-remove-confirm">
                  <p>Remove {s.name} from the class? Their sandbox keeps its files, mail and progress; their page says they left, and they can join again with the code.</p>
                  <div className="flex gap-2">
                    <button
                      className={dangerButton}
                      onClick={() => {
                        setConfirming(null);
                        props.onRemove(s.sandbox);
                      }}
                    >
                      Remove {s.name}
                    </button>
                    <button className={smallButton} onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </div>
                </div>
              ) : (
                <button
                  className={`${smallButton} mt-1`}
                  onClick={() => setConfirming(s.sandbox)}
                  title="Take this row off the roster (a mistaken or duplicate join): the student's sandbox and work are kept"
                >
                  Remove…
                </button>
              )}
            </td>
            <td className="whitespace-nowrap px-2 py-1.5 text-slate-300">{ago(s.lastSeen, now)}</td>
            <td className="px-2 py-1.5">
              {s.liveConnections.length === 0 ? (
                <span className="text-slate-400">none</span>
              ) : (
                <ul className="space-y-1">
                  {s.liveConnections.map((c) => {
                    const onScreen = projected?.sandbox === s.sandbox && projected.conn === c.id;
                    return (
                      <li key={c.id} className="flex flex-wrap items-center gap-x-2">
                        <span className="font-mono text-xs uppercase text-sky-200">{c.protocol}</span>
                        <span className="text-slate-300">{c.label ?? 'client'}</span>
                        {onScreen ? (
                          <span className="rounded bg-amber-500/20 px-1 text-xs text-amber-200">on the projector</span>
                        ) : (
                          <button className={smallButton} onClick={() => onProject(s.sandbox, c.id)} title="Show this session on your screen (the projector)">
                            Project
                          </button>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </td>
            <td className="px-2 py-1.5">
              {s.lessons.length === 0 ? (
                <span className="text-slate-400">none started</span>
              ) : (
                <ul className="space-y-0.5">
                  {s.lessons.map((l) => (
                    <li key={l.id} className="flex items-center gap-2" title={`${l.done} of ${l.steps} steps done`}>
                      <span className="min-w-0 truncate text-slate-300">{l.title}</span>
                      <span className={`shrink-0 tabular-nums ${l.done >= l.steps ? 'text-emerald-300' : 'text-slate-400'}`}>
                        {l.done}/{l.steps}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
