'use client';

import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import { panelRef, type PagePanels } from '@/components/lab/page-panels';
import { LABS } from '@/components/labs';
import type { LessonStep } from '@/lib/lessons/types.ts';
import type { Protocol } from '@/lib/wire/event.ts';
import { holdsQuestion } from './held-match';
import { useArmedFaults } from '@/components/lab/use-armed-faults';
import { ArmedNotices } from './armed-notices';
import { lessonApi, type DisarmedReply } from './lesson-api';
import { lessonHref, type LessonLink } from './lesson-link';
import { LessonStepCard, type StepContext } from './lesson-step';
import { LessonText } from './lesson-text';
import type { SendLine } from './use-page-console';
import { useLesson } from './use-lesson';
import { whatIfSwitch } from './what-if-switch';

/** What a lesson's Start over does besides clearing the progress: the page's own fresh connection. */
export interface FreshStart {
  /** Runs once the new start is recorded, so the fresh connection's first messages (a greeting) count. */
  run(): void;
  /** What the panel says after it ran; by default that the page connected afresh. */
  says?: string;
}

/**
 * The lesson beside the terminal: its goal and steps, each turning done live from what the real
 * servers answer; the current step (the first not done, or the one clicked or linked) is open.
 * Collapsible to a narrow rail, so the lab keeps its whole width when the student wants it.
 */
export function LessonPanel(props: {
  link: LessonLink;
  /** The lab whose page this is (a lesson of another lab links there instead). */
  pageLab: string | null;
  consoleOf(protocol: Protocol, panel?: string, show?: () => void): SendLine | null;
  /** The page's tabs and panes (a step names its panel by its label and can show it). */
  panels?: PagePanels;
  /** The page's fresh connection, run by Start over on a lesson of the page's own lab. */
  freshStart?: FreshStart;
  onStep(step: string | null): void;
  onClose(): void;
  collapsed: boolean;
  onCollapse(collapsed: boolean): void;
}) {
  const id = props.link.lesson ?? '';
  const onStep = props.onStep;
  const { lesson, status, error, restart, answer } = useLesson(id);
  const { step: stepStates, send } = useLabSocket();
  const [restarted, setRestarted] = useState(false);
  const faults = useArmedFaults();
  // What opening this lesson disarmed: the what-ifs of a lesson the student left.
  const [disarmed, setDisarmed] = useState<DisarmedReply['disarmed']>([]);
  useEffect(() => {
    lessonApi.open(id).then((r) => setDisarmed(r.disarmed), () => {});
  }, [id]);
  // The step the student opened (a click or the link); null: follow the first step not done.
  const [pinned, setPinned] = useState<string | null>(props.link.step);
  // Steps kept open besides the current one, oldest first: an answered question's verdict or an
  // armed what-if must stay readable (and in view) when its step turns done and the lesson moves on.
  const [keptOrder, setKept] = useState<readonly string[]>([]);
  const kept = useMemo(() => new Set(keptOrder), [keptOrder]);
  const keep = (step: string, on: boolean) => setKept((prev) => [...prev.filter((s) => s !== step), ...(on ? [step] : [])]);
  useEffect(() => setPinned(props.link.step), [props.link.step]);

  const lab = lesson?.lab;
  // The page's fresh connection serves only a lesson of the page's own lab (Start over runs it).
  const freshStart = lab === props.pageLab ? props.freshStart : undefined;
  const held = lab ? stepStates[lab] : undefined;
  const byStep = useMemo(() => new Map(status.map((s) => [s.step, s])), [status]);
  const doneCount = status.filter((s) => s.done).length;
  const firstOpen = lesson?.steps.find((s) => !byStep.get(s.id)?.done)?.id ?? null;
  // A held message a not-yet-answered question waits for brings its step forward.
  const asking = lesson?.steps.find((s) => s.question && !byStep.get(s.id)?.answer && holdsQuestion(s.question, held?.enabled ? held.next : undefined))?.id;
  const current = asking ?? pinned ?? firstOpen;

  // A pinned step that turns done while open lets the lesson move on to the next (one opened done stays, to be read).
  const wasDone = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!lesson) return;
    const done = new Set(status.filter((s) => s.done).map((s) => s.step));
    const turned = pinned !== null && wasDone.current !== null && done.has(pinned) && !wasDone.current.has(pinned);
    wasDone.current = done;
    if (turned) {
      setPinned(null);
      onStep(null);
    }
  }, [status, pinned, lesson, onStep]);

  // In view, whichever changed last: a step asking about a held message; a step just kept open (an answered
  // question's verdict, an armed what-if); the current step as the lesson moves on. When the step that turned
  // done is kept open, its verdict stays in view and the panel moves on with the next step done after it.
  // Keyed by the lesson's id, not its object: the daemon's refreshed copy of the progress (a new object a
  // second after each step) must not pull the panel back to a verdict it has already moved on from.
  const scrollToStep = (id: string) => document.getElementById(`lesson-step-${id}`)?.scrollIntoView({ block: 'start' });
  const lessonId = lesson?.id ?? null;
  const lastKept = keptOrder.at(-1);
  useEffect(() => {
    if (asking && lessonId) scrollToStep(asking);
  }, [asking, lessonId]);
  useEffect(() => {
    if (lastKept && lessonId) scrollToStep(lastKept);
  }, [lastKept, lessonId]);
  const previous = useRef<string | null>(null);
  useEffect(() => {
    if (!current || !lessonId || previous.current === current) return;
    const left = previous.current;
    previous.current = current;
    if (asking || (left !== null && kept.has(left))) return;
    scrollToStep(current);
  }, [current, lessonId, asking, kept]);

  if (props.collapsed) {
    return (
      <aside className="flex w-10 shrink-0 rounded-lg border border-slate-800 bg-slate-900/60" aria-label="Lesson" data-testid="lesson-panel">
        <button
          className="flex min-h-0 w-full flex-col items-center gap-2 overflow-hidden rounded-lg py-2 hover:bg-slate-800/60"
          onClick={() => props.onCollapse(false)}
          title="Show the lesson"
          aria-label="Show the lesson"
        >
          <span className="text-lg leading-none text-sky-300">‹</span>
          <span className="text-xs tabular-nums text-emerald-300" data-testid="lesson-progress">
            {doneCount}/{lesson?.steps.length ?? '…'}
          </span>
          {asking && (
            <span className="rounded-full bg-amber-500 px-1.5 text-sm font-semibold text-slate-950" title="A question waits: the held message is the one it asks about" data-testid="lesson-asking">
              ?
            </span>
          )}
          <span className="min-h-0 overflow-hidden text-sm text-slate-300 [writing-mode:vertical-rl]">{lesson?.title ?? 'Lesson'}</span>
        </button>
      </aside>
    );
  }

  // Another lab's lesson names that lab's panels, which this page does not have.
  const panelOf = (panel: string) => (lesson?.lab === props.pageLab ? panelRef(props.panels, panel) : null);
  const ctx: StepContext | null = lab
    ? {
        lab,
        link: props.link,
        // A tab not visited yet (ZeroMQ's pattern tabs connect on their first visit): Send shows it, then sends.
        sendFor: (panel) => {
          const ref = panel ? panelOf(panel) : null;
          return props.consoleOf(lab, panel, ref?.opensConsole ? ref.show : undefined);
        },
        panel: panelOf,
        held: held?.enabled ? held.next : undefined,
        stepMode: held?.enabled ?? false,
        onHold: () => send({ type: 'step.set', protocol: lab, enabled: true, scope: 'sandbox' }),
        onAnswer: async (step, given) => {
          await answer(step, given);
          keep(step, true);
        },
        onArm: async (step: LessonStep) => {
          if (!step.whatIf) return;
          await lessonApi.armFor(id, step.whatIf.fault, step.whatIf.times);
          keep(step.id, true);
        },
        armedWhatIf: (step) => faults?.armed.find((f) => f.rule === step.whatIf?.fault && f.lesson === id),
        faultTitle: (rule) => faults?.rules.find((r) => r.id === rule)?.title ?? rule,
        whatIfSwitch: (rule) => whatIfSwitch(rule, faults),
      }
    : null;
  const otherLab = lesson && props.pageLab && lesson.lab !== props.pageLab ? LABS.find((l) => l.slug === lesson.lab) : undefined;

  return (
    <aside className="flex w-[min(30vw,26rem)] shrink-0 flex-col rounded-lg border border-slate-800 bg-slate-900/60" aria-label="Lesson" data-testid="lesson-panel">
      <header className="flex items-start gap-2 border-b border-slate-800 px-3 py-2">
        <div className="min-w-0 flex-1">
          <p className="text-xs uppercase tracking-wide text-slate-400">
            Lesson ·{' '}
            <span className="tabular-nums text-emerald-300" data-testid="lesson-progress">
              {doneCount}/{lesson?.steps.length ?? '…'} done
            </span>
          </p>
          <h2 className="text-base font-semibold leading-snug text-white">{lesson?.title ?? 'Loading the lesson…'}</h2>
        </div>
        <button className="rounded px-1 text-lg leading-none text-slate-300 hover:text-white" onClick={() => props.onCollapse(true)} title="Fold the lesson away" aria-label="Fold the lesson away">
          ›
        </button>
        <button className="rounded px-1 text-lg leading-none text-slate-300 hover:text-white" onClick={props.onClose} title="Close the lesson" aria-label="Close the lesson">
          ×
        </button>
      </header>
      {/* Above the steps, not among them: the panel scrolls to the current step, and these must stay in view. */}
      <ArmedNotices lesson={id} rules={faults?.rules ?? []} armed={faults?.armed ?? []} disarmed={disarmed} />
      <div className="min-h-0 flex-1 space-y-2 overflow-y-auto px-3 py-2">
        {error && <p className="rounded border border-red-800 bg-red-950/50 px-2 py-1 text-sm text-red-200">{error}</p>}
        {otherLab && lesson && (
          <p className="rounded border border-amber-700 bg-amber-950/40 px-2 py-1 text-sm text-amber-100">
            This lesson is done in the {otherLab.name} lab:{' '}
            <a className="underline" href={lessonHref(lesson.lab, lesson.id, current)}>
              open it there
            </a>
            .
          </p>
        )}
        {lesson && (
          <div className="space-y-1 text-sm text-slate-300">
            <LessonText text={lesson.goal} />
          </div>
        )}
        {restarted && (
          <p className="rounded border border-sky-800 bg-sky-950/40 px-2 py-1 text-xs text-sky-100">
            {freshStart
              ? (freshStart.says ?? 'Started over with a fresh connection: only what happens from now on counts.')
              : 'Started over: only what happens from now on counts. A step proven by a handshake or a greeting needs a new connection.'}
          </p>
        )}
        {lesson && ctx && (
          <ol className="space-y-1.5" aria-label="Steps">
            {lesson.steps.map((step, i) => (
              <LessonStepCard
                key={step.id}
                step={step}
                index={i}
                status={byStep.get(step.id)}
                open={step.id === current || kept.has(step.id)}
                current={step.id === current}
                onToggle={() => {
                  if (kept.has(step.id)) keep(step.id, false);
                  const next = step.id === current || kept.has(step.id) ? null : step.id;
                  setPinned(next);
                  props.onStep(next);
                }}
                ctx={ctx}
              />
            ))}
          </ol>
        )}
        {lesson && doneCount === lesson.steps.length && (
          <p className="rounded border border-emerald-700 bg-emerald-950/40 px-2 py-1 text-sm text-emerald-200" data-testid="lesson-complete">
            Lesson complete: every step was proven by what the server really answered.
          </p>
        )}
      </div>
      <footer className="flex items-center gap-3 border-t border-slate-800 px-3 py-1.5 text-xs">
        <Link href="/start" className="text-sky-300 hover:text-sky-100">
          All lessons
        </Link>
        <button className="ml-auto text-slate-300 hover:text-white" onClick={() => {
            setKept([]);
            // Starting over starts at the first step, not at one opened before (a what-if's step).
            setPinned(null);
            props.onStep(null);
            void restart().then((started) => {
              if (!started) return;
              freshStart?.run();
              setRestarted(true);
            });
          }} title="Clear this lesson's progress: only what you do from now on counts">
          Start over
        </button>
      </footer>
    </aside>
  );
}
