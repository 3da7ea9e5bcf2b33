'use client';

import { useCallback, useEffect, useState } from 'react';
import { Panel } from '@/components/lab/panel';
import { TabBar } from '@/components/lab/tab-bar';
import type { ClassState } from '@/lib/bus/events.ts';
import { classApi, type ClassStateChange } from './class-api';
import { OwnSessions } from './own-sessions';
import { ProjectorView } from './projector-view';
import { RosterTable } from './roster-table';
import { button, errorBox, messageOf, noticeBox, smallButton } from './styles';
import { usePoll } from './use-poll';

/** How often the roster is read again. */
const ROSTER_REFRESH_MS = 2000;

type Side = 'sessions' | 'projector';
const SIDES = [
  ['sessions', 'Your sessions'],
  ['projector', 'Projector'],
] as const;

/**
 * One class on the teacher's screen: the join code large enough for the back row, the join
 * address, what the class sees now (live, frozen, rewound, a student on the projector), the roster
 * (read every 2 s) and the teacher's own sessions to freeze or rewind the class on.
 */
export function ClassBoard({ classId, onBack }: { classId: string; onBack(): void }) {
  const load = useCallback((signal: AbortSignal) => classApi.get(classId, signal), [classId]);
  const board = usePoll(load, ROSTER_REFRESH_MS);
  const [side, setSide] = useState<Side>('sessions');
  const [actionError, setActionError] = useState<string | null>(null);
  // What the last Remove did, in words (the row is gone from the roster).
  const [removedNote, setRemovedNote] = useState<string | null>(null);
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);

  const { refresh } = board;
  const change = useCallback(
    (next: ClassStateChange) => {
      setActionError(null);
      classApi
        .setState(classId, next)
        .then(refresh)
        .catch((err: unknown) => setActionError(messageOf(err)));
    },
    [classId, refresh],
  );
  const remove = useCallback(
    (sandbox: string) => {
      setActionError(null);
      classApi
        .removeStudent(classId, sandbox)
        .then(({ removed }) => {
          setRemovedNote(`Removed ${removed.name} (${removed.sandbox}) from the class. Their sandbox keeps its files, mail and progress, outside the class; they can join again with the code.`);
          refresh();
        })
        .catch((err: unknown) => setActionError(messageOf(err)));
    },
    [classId, refresh],
  );

  if (!board.value) {
    return <p className={board.error ? `${errorBox} m-4` : 'p-4 text-slate-400'}>{board.error ?? 'Loading the class…'}</p>;
  }
  const { class: info, state, students, now } = board.value;
  const projectedName = students.find((s) => s.sandbox === state.projector?.sandbox)?.name ?? null;
  // A student's session on the projector takes the screen: the join code shrinks to a line and the roster
  // waits behind "Your sessions" (at 1280×720 in Presenter mode the session began below the fold).
  const projecting = side === 'projector' && state.projector !== null;
  const projector = (
    <Panel title={side === 'sessions' ? 'Your sessions — what followers see' : 'Projector'} className="min-w-0" actions={<TabBar tabs={SIDES} value={side} onChange={setSide} label="Your sessions or the projector" />}>
      {side === 'sessions' ? (
        <OwnSessions state={state} onChange={change} />
      ) : (
        <ProjectorView classId={classId} projected={state.projector} studentName={projectedName} onStop={() => change({ projector: null })} />
      )}
    </Panel>
  );

  /** The board between projections: the join code for the back row, what the class sees, the roster beside the sessions. */
  const overview = (
    <>
      <div className="flex flex-wrap items-stretch gap-3">
        <section className="flex flex-col justify-center rounded-lg border border-sky-800 bg-slate-900/80 px-5 py-3" aria-label="Join code">
          <p className="text-slate-300">
            Students open <span className="font-mono text-sky-200" data-testid="join-url">{origin}/join</span> and type
          </p>
          <p className="font-mono text-7xl font-bold leading-tight tracking-widest text-white" data-testid="join-code">
            {info.code}
          </p>
        </section>
        <ClassStatus state={state} projectedName={projectedName} onChange={change} />
      </div>
      <div className="@container min-h-0 flex-1">
        {/* Side by side the two panels fill the window; stacked (a narrow window, Presenter's larger text) the page
            scrolls instead, and the roster shows every student up to most of a screen rather than a two-row box. */}
        <div className="grid grid-rows-[auto_minmax(24rem,1fr)] gap-3 @min-[72rem]:h-full @min-[72rem]:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] @min-[72rem]:grid-rows-1">
          <Panel title={`Roster (${students.length})`} className="min-w-0" actions={<span className="text-xs text-slate-400">read every 2 s</span>}>
            <div className="max-h-[70vh] overflow-auto @min-[72rem]:h-full @min-[72rem]:max-h-none">
              <RosterTable
                students={students}
                now={now}
                projected={state.projector}
                onProject={(sandbox, conn) => {
                  change({ projector: { sandbox, conn } });
                  setSide('projector');
                }}
                onRemove={remove}
              />
            </div>
          </Panel>
          {projector}
        </div>
      </div>
    </>
  );

  return (
    <div className="flex min-h-[calc(100vh-3rem)] flex-col gap-3 p-3 lg:h-[calc(100vh-3rem)]" data-testid="class-board">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <button className={`${button} text-sm`} onClick={onBack}>
          ← All classes
        </button>
        <h1 className="text-lg font-semibold text-white">
          {info.name} <span className="text-sm font-normal text-slate-400">— {students.length} {students.length === 1 ? 'student' : 'students'}</span>
        </h1>
      </div>
      {removedNote && (
        <p className={`${noticeBox} flex flex-wrap items-center gap-2`} role="status" data-testid="roster-removed">
          {removedNote}
          <button className={smallButton} onClick={() => setRemovedNote(null)}>
            OK
          </button>
        </p>
      )}
      {(actionError ?? board.error) && (
        <p className={errorBox} role="alert" data-testid="class-action-error">
          {actionError ?? board.error}
        </p>
      )}
      {projecting ? (
        <>
          <p className="flex flex-wrap items-baseline gap-x-3 text-slate-300" data-testid="join-line">
            Students join at <span className="font-mono text-sky-200">{origin}/join</span> with
            <span className="font-mono text-2xl font-bold tracking-widest text-white" data-testid="join-code">
              {info.code}
            </span>
          </p>
          <div className="flex min-h-[24rem] flex-1 flex-col [&>*]:flex-1">{projector}</div>
        </>
      ) : (
        overview
      )}
    </div>
  );
}

/** What the class sees now, each with its undo. */
function ClassStatus({ state, projectedName, onChange }: { state: ClassState; projectedName: string | null; onChange(change: ClassStateChange): void }) {
  return (
    <section className="flex min-w-[18rem] flex-1 flex-col justify-center gap-1.5 rounded-lg border border-slate-800 bg-slate-900/60 px-4 py-3" aria-label="What the class sees" data-testid="class-status">
      <h2 className="text-sm font-semibold text-slate-200">What the class sees</h2>
      {!state.frozen && !state.rewind && <p className="text-slate-300">Live: students who follow you see your sessions as they happen.</p>}
      {state.frozen && (
        <p className="flex flex-wrap items-center gap-2 text-amber-200" data-testid="class-frozen">
          Frozen on message #{state.frozen.seq} of <span className="font-mono text-sm">{state.frozen.conn}</span>
          <button className={smallButton} onClick={() => onChange({ frozen: null })}>
            Unfreeze
          </button>
        </p>
      )}
      {state.rewind && (
        <p className="flex flex-wrap items-center gap-2 text-sky-200" data-testid="class-rewound">
          Rewound to step {state.rewind.step} of <span className="font-mono text-sm">{state.rewind.conn}</span>
          <button className={smallButton} onClick={() => onChange({ rewind: null })}>
            Clear
          </button>
        </p>
      )}
      <p className="flex flex-wrap items-center gap-2 text-slate-300">
        {state.projector ? (
          <>
            On your projector: {projectedName ?? state.projector.sandbox}&apos;s session
            <button className={smallButton} onClick={() => onChange({ projector: null })}>
              Stop projecting
            </button>
          </>
        ) : (
          <span className="text-slate-400">Projector: your own screen (Project a student&apos;s session from the roster).</span>
        )}
      </p>
    </section>
  );
}
