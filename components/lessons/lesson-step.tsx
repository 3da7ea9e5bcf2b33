'use client';

import { useState } from 'react';
import type { PanelRef } from '@/components/lab/page-panels';
import type { HeldPreview } from '@/lib/bus/events.ts';
import type { ArmedFault } from '@/lib/faults/types.ts';
import type { LessonStep, StepStatus } from '@/lib/lessons/types.ts';
import { HeldQuestionBox } from './held-question';
import { connOf, proofLabel } from './proof-label';
import { proofHref, type LessonLink } from './lesson-link';
import { InlineCode, LessonText } from './lesson-text';
import { TryLines } from './try-lines';
import type { SendLine } from './use-page-console';
import { WhatIfBox } from './what-if';
import type { WhatIfSwitch } from './what-if-switch';

/** What a step card needs besides its step: the live state and the actions the panel offers. */
export interface StepContext {
  lab: string;
  link: LessonLink;
  /** Where a step's lines are sent: the page's console for the step's panel, or null (Copy only). */
  sendFor(panel: string | undefined): SendLine | null;
  /** The page's name for a panel, and how to show it (null: not on this page). */
  panel(id: string): PanelRef | null;
  held: HeldPreview | undefined;
  stepMode: boolean;
  onHold(): void;
  onAnswer(step: string, given: string): Promise<void>;
  onArm(step: LessonStep): Promise<void>;
  /** The arming this step's what-if made that is still armed (the daemon's word), if any. */
  armedWhatIf(step: LessonStep): ArmedFault | undefined;
  faultTitle(rule: string): string;
  /** Whose switch a what-if's rule is for this browser (a shared rule is the machine owner's alone). */
  whatIfSwitch(rule: string): WhatIfSwitch;
}

/**
 * One step of a lesson: a numbered title with done/not done; opened (the current step, or one the
 * student clicks) it shows what to do, the lines to try, hints on demand, the reference, the held
 * question and the what-if. A done step links to the messages that proved it.
 */
export function LessonStepCard(props: { step: LessonStep; index: number; status: StepStatus | undefined; open: boolean; current: boolean; onToggle(): void; ctx: StepContext }) {
  const { step, status, ctx } = props;
  const done = status?.done ?? false;
  const [hints, setHints] = useState(0);
  return (
    <li
      id={`lesson-step-${step.id}`}
      data-testid={`lesson-step-${step.id}`}
      data-done={done}
      className={`rounded-md border ${props.current ? 'border-sky-600 bg-slate-900' : 'border-slate-800 bg-slate-900/40'}`}
    >
      <button className="flex w-full items-start gap-2 px-2 py-1.5 text-left" onClick={props.onToggle} aria-expanded={props.open}>
        <span
          className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs font-semibold ${done ? 'bg-emerald-500 text-slate-950' : 'border border-slate-500 text-slate-300'}`}
          aria-label={done ? 'done' : 'not done'}
          data-testid="step-state"
        >
          {done ? '✓' : props.index + 1}
        </span>
        <span className={`min-w-0 flex-1 text-sm font-medium ${done ? 'text-emerald-200' : 'text-slate-100'}`}>{step.title}</span>
        {step.whatIf && status?.whatIfSeen && <span className="shrink-0 text-xs text-violet-300" title="The what-if was seen">what if ✓</span>}
      </button>
      {props.open && (
        <div className="space-y-2 px-2 pb-2 pl-9">
          <LessonText text={step.do} className="text-sm text-slate-200" />
          {step.panel && <PanelHint id={step.panel} found={ctx.panel(step.panel)} />}
          {step.try && step.try.length > 0 && <TryLines lines={step.try} send={ctx.sendFor(step.panel)} />}
          {step.shell && step.shell.length > 0 && (
            <div data-testid="shell-lines">
              <p className="mb-1 text-xs text-slate-400">In a shell on this machine:</p>
              <TryLines lines={step.shell} send={null} />
            </div>
          )}
          {done && status && status.proof.length > 0 && (
            <p className="text-xs text-emerald-300" data-testid="step-proof">
              Proved by{' '}
              {status.proof.map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <a href={proofHref(ctx.lab, id, { lesson: ctx.link.lesson, step: step.id })} target="_blank" rel="noreferrer" className="underline hover:text-emerald-100" title={`Opens that message of ${connOf(id)} in the transcript (new tab)`}>
                    {proofLabel(status.proof, id)}
                  </a>
                </span>
              ))}
            </p>
          )}
          {step.question && (
            <HeldQuestionBox
              question={step.question}
              answer={status?.answer}
              held={ctx.held}
              stepMode={ctx.stepMode}
              onHold={ctx.onHold}
              onAnswer={(given) => ctx.onAnswer(step.id, given)}
            />
          )}
          {/* Step mode left on after an earlier question holds this step's lines too: say so, or the lesson seems stuck. */}
          {!step.question && !done && ctx.stepMode && ctx.held && (
            <p className="rounded border border-amber-700/60 bg-amber-950/30 px-2 py-1 text-xs text-amber-200" data-testid="lesson-step-held">
              Step mode is on and holds <code className="break-all text-client">{ctx.held.text}</code>: press <b>Step</b> or <b>Play</b> (or turn step mode off) to let it through.
            </p>
          )}
          {step.whatIf && <WhatIfBox whatIf={step.whatIf} title={ctx.faultTitle(step.whatIf.fault)} seen={status?.whatIfSeen ?? false} armed={ctx.armedWhatIf(step)} ownersOnly={ctx.whatIfSwitch(step.whatIf.fault) === 'owners'} onArm={() => ctx.onArm(step)} />}
          {step.hints.length > 0 && (
            <div className="text-xs">
              {step.hints.slice(0, hints).map((hint, i) => (
                <p key={i} className="mb-1 text-amber-100">
                  Hint {i + 1}: <InlineCode text={hint} />
                </p>
              ))}
              {hints < step.hints.length && (
                <button className="text-sky-300 hover:text-sky-100" onClick={() => setHints((n) => n + 1)}>
                  {hints === 0 ? 'Show a hint' : 'Another hint'} ({step.hints.length - hints} left)
                </button>
              )}
            </div>
          )}
          <p className="text-xs text-slate-400">See {step.ref}</p>
        </div>
      )}
    </li>
  );
}

/** Where a step is done, by the page's own name for it; a tab gets a button that shows it. */
function PanelHint({ id, found }: { id: string; found: PanelRef | null }) {
  if (!found) return <p className="text-xs text-slate-400">In the {id.replace(/-/g, ' ')} panel.</p>;
  return (
    <p className="flex flex-wrap items-center gap-x-2 text-xs text-slate-400" data-testid="step-panel">
      <span>
        In the <span className="text-slate-200">{found.label}</span> {found.show ? 'tab' : 'panel'}.
      </span>
      {found.show && (
        <button className="rounded border border-slate-700 px-1.5 py-0.5 text-sky-200 hover:border-sky-500" onClick={found.show}>
          Show it
        </button>
      )}
    </p>
  );
}

