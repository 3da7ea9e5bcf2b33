'use client';

import { useState } from 'react';
import type { ArmedFault } from '@/lib/faults/types.ts';
import type { LessonStep } from '@/lib/lessons/types.ts';
import { LessonText } from './lesson-text';
import { whatIfQuestion } from './what-if-question';

type WhatIf = NonNullable<LessonStep['whatIf']>;

/**
 * A step's "what if": why a scripted fault is worth seeing, a button that arms it once for this
 * sandbox, whether it is armed now (the daemon's word: it fires, or leaving the lesson disarms it)
 * and — read from the transcript like any proof — whether its effect has been seen.
 */
export function WhatIfBox(props: {
  whatIf: WhatIf;
  title: string;
  seen: boolean;
  armed: ArmedFault | undefined;
  /** The rule changes what every sandbox shares: only the machine owner arms it, so a student gets a sentence, not a button that answers 403. */
  ownersOnly: boolean;
  onArm(): Promise<void>;
}) {
  const [arming, setArming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const arm = () => {
    setArming(true);
    setError(null);
    props.onArm().then(
      () => setArming(false),
      (e: Error) => {
        setArming(false);
        setError(e.message);
      },
    );
  };
  const armed = props.armed !== undefined;
  return (
    <div className={`rounded-md border p-2 text-sm ${props.seen ? 'border-emerald-700/60 bg-emerald-950/20' : 'border-violet-700/60 bg-violet-950/20'}`} data-testid="lesson-whatif">
      <p className="font-medium text-violet-200">{whatIfQuestion(props.title)}</p>
      <div className="mt-1 space-y-1 text-xs text-slate-200">
        <LessonText text={props.whatIf.explain} />
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {props.seen ? (
          <span className="text-emerald-300" data-testid="lesson-whatif-seen">
            ✓ Seen: the transcript shows what the fault did (marked injected)
          </span>
        ) : props.ownersOnly && !armed ? (
          <span className="text-xs text-amber-200" data-testid="lesson-whatif-owners-only">
            This what-if is the teacher&apos;s switch: it changes the {props.whatIf.fault.split('.')[0]?.toUpperCase()} server that every sandbox shares, so only the machine owner
            (the teacher) arms it, for the whole class. Ask your teacher to; your next connection then meets what it does.
          </span>
        ) : (
          <>
            <button
              onClick={arm}
              disabled={arming}
              className="rounded border border-violet-500 bg-violet-500/10 px-2 py-0.5 text-sm text-violet-100 hover:bg-violet-500/20 disabled:opacity-40"
              title={`Arms the scripted fault ${props.whatIf.fault} ${occasions(props.whatIf.times)}, for your sandbox`}
            >
              {armed ? 'Armed — arm again' : `Try it: arm the fault ${occasions(props.whatIf.times)}`}
            </button>
            {armed && (
              <span className="text-xs text-violet-200" data-testid="lesson-whatif-armed">
                Armed for the next time: do the step again and watch the transcript. Closing this lesson, going to a page without it or starting over disarms it.
              </span>
            )}
          </>
        )}
      </div>
      {error && <p className="mt-1 text-xs text-red-300">{error}</p>}
    </div>
  );
}


/** "once", or "for 2 requests" where a lesson arms a rule for the client's whole round. */
function occasions(times = 1): string {
  return times === 1 ? 'once' : `for ${times} requests`;
}
