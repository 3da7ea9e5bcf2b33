'use client';

import Link from 'next/link';
import { useLabSocket } from '@/components/lab/lab-socket';
import { useLabInfo, type LabInfo } from '@/components/lab/use-lab-info';
import { SessionPlayer } from '@/components/player/session-player';
import { teacherTranscript } from './class-api';
import { FollowView } from './follow-view';
import { StudentLogin } from './student-login';
import { errorBox, noticeBox, primaryButton } from './styles';
import { useClassFollow } from './use-class-follow';

/** A student's class page: outside a class, the way to join one; in one, the class room. */
export function ClassPage() {
  const info = useLabInfo();
  if (!info) return <p className="p-6 text-slate-400">Loading…</p>;
  if (!info.class) {
    return (
      <div className="mx-auto max-w-3xl px-6 py-10">
        <h1 className="text-2xl font-semibold text-white">Class</h1>
        <p className="mt-3 text-lg text-slate-300">This browser is not in a class. Join one with the code your teacher shows.</p>
        <Link href="/join" className={`${primaryButton} mt-4 inline-block text-lg`}>
          Join a class →
        </Link>
      </div>
    );
  }
  return <ClassRoom info={info} name={info.class.name} />;
}

/** What a student's class page says once the teacher took this sandbox out of the class. */
function RemovedFromClass({ info, className }: { info: LabInfo; className: string }) {
  return (
    <div className="mx-auto max-w-3xl px-6 py-10" data-testid="class-removed">
      <h1 className="text-2xl font-semibold text-white">You left the class</h1>
      <p className={`${noticeBox} mt-3 text-lg`} role="status">
        The teacher removed you from the class <strong>{className}</strong>: you no longer follow the teacher&apos;s sessions.
      </p>
      <p className="mt-3 text-lg text-slate-300">
        Your sandbox <span className="font-mono text-slate-100">{info.sandbox}</span> stays yours, with its files, mail and lesson progress, and this browser
        stays in it: the labs work as before. If this was a mistake, join again with the class&apos;s code; your work comes with you.
      </p>
      <Link href="/join" className={`${primaryButton} mt-4 inline-block text-lg`}>
        Join a class →
      </Link>
    </div>
  );
}

/**
 * The class: its name, the student's own login, and "Follow the teacher": the teacher's session
 * live and read-only (stopped where the teacher froze it), or the recorded session the teacher
 * rewound everyone to, in the session player at that step. The projector is the teacher's screen:
 * nothing changes here for it.
 */
function ClassRoom({ info, name }: { info: LabInfo; name: string }) {
  const { connected, lost, lastError } = useLabSocket();
  const follow = useClassFollow();
  const { state, wanted } = follow;
  const rewind = state?.rewind ?? null;

  if (follow.removedFrom !== null) return <RemovedFromClass info={info} className={follow.removedFrom} />;
  return (
    <div className="flex h-[calc(100vh-3rem)] min-h-[40rem] flex-col gap-2 p-3" data-testid="class-room">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold text-white">
          Class <span data-testid="class-name">{name}</span>
          <span className="text-sm font-normal text-slate-400">
            {' '}
            — your sandbox <span className="font-mono">{info.sandbox}</span>
          </span>
        </h1>
        <button
          className={`rounded-md border px-4 py-1.5 text-lg ${wanted ? 'border-emerald-400 bg-emerald-500/20 text-emerald-100' : 'border-sky-500 bg-sky-500/10 text-sky-100 hover:bg-sky-500/20'}`}
          aria-pressed={wanted}
          onClick={() => follow.setWanted(!wanted)}
          data-testid="follow-toggle"
        >
          Follow the teacher
        </button>
        <span className="text-slate-400" data-testid="follow-status">
          {!connected ? (lost ? 'reconnecting…' : 'connecting…') : follow.following ? 'following: read-only' : wanted ? 'asking…' : 'not following'}
        </span>
      </div>
      <StudentLogin info={info} />
      {(follow.error ?? lastError) && <p className={errorBox}>{follow.error ?? lastError}</p>}
      {rewind ? (
        <div className="flex min-h-0 flex-1 flex-col" data-testid="class-rewind">
          <p className={noticeBox} role="status">
            <strong>Rewound by the teacher</strong> to step {rewind.step} of a recorded session. Step through it here; it goes away when the teacher
            clears it.
          </p>
          <div className="-mx-3 min-h-0 flex-1">
            <SessionPlayer key={`${rewind.conn}:${rewind.step}`} conn={rewind.conn} read={teacherTranscript} at={Math.max(1, rewind.step)} />
          </div>
        </div>
      ) : follow.following ? (
        <FollowView feed={follow.feed} version={follow.version} frozen={state?.frozen ?? null} />
      ) : (
        <div className="rounded-lg border border-slate-800 p-6 text-lg text-slate-300" data-testid="not-following">
          <p>Press <strong>Follow the teacher</strong> to see the teacher&apos;s session here as it happens, read-only.</p>
          {state?.frozen && <p className="mt-2 text-amber-200">The teacher has frozen the class on a message: follow to see it.</p>}
          <p className="mt-2 text-base text-slate-400">
            Your own labs stay yours: open <Link href="/start" className="text-sky-300 underline underline-offset-2 hover:text-sky-100">Start here</Link> or any lab from the menu, and use
            the login above with your own clients.
          </p>
        </div>
      )}
    </div>
  );
}
