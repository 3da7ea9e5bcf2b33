'use client';

import { useState } from 'react';
import type { ArmedFault, FaultRule } from '@/lib/faults/types.ts';
import type { DisarmedReply } from './lesson-api';
import { lessonApi } from './lesson-api';
import { counted } from '@/lib/text/numbers.ts';

/**
 * What the lesson panel says about scripted faults besides its own what-ifs: those it disarmed when
 * it opened (armed by a lesson the student left), and those still armed in the sandbox that this
 * lesson did not arm (the Faults menu's, another tab's lesson), each with a way to disarm it. A fault
 * left armed would otherwise answer a step of this lesson and look like the server's own reply.
 */
export function ArmedNotices(props: { lesson: string; rules: readonly FaultRule[]; armed: readonly ArmedFault[]; disarmed: DisarmedReply['disarmed'] }) {
  const [error, setError] = useState<string | null>(null);
  const titleOf = (rule: string) => props.rules.find((r) => r.id === rule)?.title ?? rule;
  const labOf = (rule: string) => props.rules.find((r) => r.id === rule)?.lab.toUpperCase() ?? '';
  const others = props.armed.filter((fault) => fault.lesson !== props.lesson);
  const disarm = (rule: string) => {
    setError(null);
    lessonApi.disarm(rule).catch((e: Error) => setError(e.message));
  };
  if (props.disarmed.length === 0 && others.length === 0) return null;
  return (
    <div className="space-y-1 border-b border-slate-800 px-3 py-2">
      {props.disarmed.length > 0 && (
        <p className="rounded border border-sky-800 bg-sky-950/40 px-2 py-1 text-xs text-sky-100" data-testid="lesson-disarmed">
          Disarmed, as you left the lesson that armed {props.disarmed.length === 1 ? 'it' : 'them'}:{' '}
          {props.disarmed.map((d, i) => (
            <span key={`${d.rule}-${d.lesson}`}>
              {i > 0 && '; '}“{d.title}” (the what-if of “{d.lessonTitle}”)
            </span>
          ))}
          . Your next exchanges are the servers’ own.
        </p>
      )}
      {others.length > 0 && (
        <div className="space-y-1 rounded border border-red-800 bg-red-950/40 px-2 py-1 text-xs text-red-100" data-testid="lesson-still-armed" role="status">
          <p>Still armed in your sandbox, and not by this lesson: it acts on your next exchanges, not the server.</p>
          <ul className="space-y-1">
            {others.map((fault) => (
              <li key={fault.rule} className="flex flex-wrap items-center gap-2">
                <span>
                  “{titleOf(fault.rule)}” ({labOf(fault.rule)}, {fault.remaining === null ? 'until switched off' : counted(fault.remaining, 'more time')}),{' '}
                  {fault.lesson ? 'by a what-if of another lesson' : 'from the Faults menu'}
                </span>
                <button className="rounded border border-red-500 px-1.5 py-0.5 text-red-100 hover:bg-red-500/20" onClick={() => disarm(fault.rule)}>
                  Disarm
                </button>
              </li>
            ))}
          </ul>
          {error && <p className="text-red-300">{error}</p>}
        </div>
      )}
    </div>
  );
}
