/**
 * The lesson-walking harness (issue 13): starts a daemon on test ports, starts a lesson over the API,
 * and runs a walker that drives REAL clients through the taps for each step (line clients, nodemailer,
 * OpenSSH, ssh2, curl…). Held questions are answered the way a student does it: step mode over the
 * HTTP API holds the message, the answer is posted, then the message is stepped through. A "what if"
 * arms its scripted fault over POST /api/faults. After each step the harness waits until GET
 * /api/lessons/:id — the same evaluation the UI shows — says it is done; at the end every step must be
 * done, every answer right and every what-if seen. So a lesson cannot drift from what the servers do.
 *
 * One walker per lesson, in tests/lessons/<lab>.walk.ts; one test file per lab,
 * tests/integration/lessons-walk-<lab>.test.ts, calling describeLessonWalks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepState } from '../../lib/bus/events.ts';
import { lessonContracts, type LessonState } from '../../lib/http/lesson-contracts.ts';
import type { Lesson, LessonStep, StepStatus } from '../../lib/lessons/types.ts';
import { coreContracts } from '../../lib/http/core-contracts.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { AnyLabModule } from '../../servers/daemon/lab.ts';
import { LESSONS } from '../../servers/lessons.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';

/** How long a wait may take before it fails naming what it waited for (below the test timeout). */
const WAIT_MS = 20_000;
/** How long one lesson's walk may take (several real client sessions). */
const WALK_MS = 180_000;

/** What a walker gets for one step. */
export interface WalkContext {
  lab: TestLab;
  lesson: Lesson;
  step: LessonStep;
  /** The public port (the tap) of a lab. */
  port(protocol: Protocol): number;
  /**
   * Answers the step's held question as a student does: turns step mode on for the lesson's lab
   * (HTTP holder, the whole sandbox), calls `send` (which must send the message the question is
   * about), steps through whatever is held before it until step mode holds, next, a message whose
   * text matches the question's `when`, posts
   * `answer` to /api/lessons/:id/answer, steps the held message through, and turns step mode off
   * (releasing whatever else was held, e.g. the reply). Resolves once step mode is off.
   */
  /** `answer` may be worked out from the held message's text, as a student reads it on the page (a held 227's port). */
  /**
   * `questionOf` names another step whose question the held message raises (SSH: step 1's connection, made in
   * step mode as the lesson says, reaches step 5's held KEX_ECDH_REPLY).
   */
  answerHeld(send: () => void | Promise<void>, answer: string | ((held: string) => string), questionOf?: string): Promise<void>;
  /** Arms a scripted fault in the sandbox (POST /api/faults); `times` = the next N occurrences. */
  arm(rule: string, options?: { times?: number; param?: number; conn?: string }): Promise<void>;
  disarm(rule: string): Promise<void>;
  /** The lesson's state now (GET /api/lessons/:id). */
  state(): Promise<LessonState>;
  /** Resolves once the lesson's state passes `test`, re-read after each transcript message (see until); fails naming `what`. */
  until(what: string, test: (state: LessonState) => boolean): Promise<LessonState>;
}

/** Drives real clients until one step (or its what-if) is proven. */
export type StepWalk = (ctx: WalkContext) => Promise<void>;

/** A lesson's walker: one function per step id, and one per what-if (run with its fault armed). */
export interface LessonWalker {
  lesson: string;
  steps: Record<string, StepWalk>;
  whatIfs?: Record<string, StepWalk>;
}

/** The lesson of a walker, from the registry (servers/lessons.ts). */
export function lessonById(id: string): Lesson {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) throw new Error(`No lesson ${id} in servers/lessons.ts`);
  return lesson;
}

/**
 * Resolves once `test` holds for GET /api/lessons/:id, re-reading after every transcript message the
 * bus carries (never on a timer); fails after WAIT_MS naming `what` and the last state.
 */
async function until(lab: TestLab, lessonId: string, what: string, test: (state: LessonState) => boolean): Promise<LessonState> {
  let arrived = 0;
  let wake: (() => void) | null = null;
  const unsubscribe = lab.daemon.bus.subscribe((event) => {
    if (event.type !== 'message' && event.type !== 'connection.close') return;
    arrived++;
    wake?.();
  });
  const deadline = Date.now() + WAIT_MS;
  try {
    for (;;) {
      const seen = arrived;
      const state = await lab.api(lessonContracts.get, { params: { id: lessonId } });
      if (test(state)) return state;
      if (Date.now() > deadline) throw new Error(`${lessonId}: timed out waiting for ${what}; state: ${JSON.stringify(state.status)}`);
      if (arrived === seen) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  } finally {
    unsubscribe();
  }
}

const statusOf = (state: LessonState, step: string): StepStatus | undefined => state.status.find((s) => s.step === step);

/**
 * Resolves once step mode (the HTTP holder) holds, as its next message, one whose text matches `text`,
 * pressing Step for every other message held before it — as a student steps up to the question. Call
 * before the client sends; fails after WAIT_MS naming what it waited for. Step states arrive as bus
 * events and as answers to Step; one loop reads them in turn, re-reading GET /api/step when an event
 * came while it was busy, so a message held meanwhile is never missed.
 */
function stepUntilHeld(lab: TestLab, protocol: Protocol, text: RegExp, step: () => Promise<StepState>): Promise<string> {
  const current = async (): Promise<StepState> => {
    const { step: states } = await lab.api(coreContracts.step);
    const state = states.find((s) => s.protocol === protocol);
    if (!state) throw new Error(`no step mode for ${protocol}`);
    return state;
  };
  return new Promise((resolve, reject) => {
    let busy = false;
    let dirty = false;
    let finished = false;
    const finish = (error?: Error, held = '') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve(held);
    };
    const timer = setTimeout(() => finish(new Error(`step mode held no message matching ${text} within ${WAIT_MS} ms`)), WAIT_MS);
    const run = async (first: StepState): Promise<void> => {
      let state = first;
      for (;;) {
        if (finished) return;
        if (state.next && text.test(state.next.text)) return finish(undefined, state.next.text);
        if (!state.next && !dirty) return;
        const stepNow = state.next !== undefined;
        dirty = false;
        state = stepNow ? await step() : await current();
      }
    };
    const unsubscribe = lab.daemon.bus.subscribe((event) => {
      if (event.type !== 'step' || event.holder !== 'http' || event.state.protocol !== protocol) return;
      if (busy) {
        dirty = true;
        return;
      }
      busy = true;
      run(event.state).then(
        () => (busy = false),
        (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
      );
    });
  });
}

function contextFor(lab: TestLab, lesson: Lesson, step: LessonStep): WalkContext {
  return {
    lab,
    lesson,
    step,
    port: (protocol) => lab.port(protocol),
    state: () => lab.api(lessonContracts.get, { params: { id: lesson.id } }),
    until: (what, test) => until(lab, lesson.id, what, test),
    async answerHeld(send, answer, questionOf = step.id) {
      const asking = lesson.steps.find((s) => s.id === questionOf);
      const question = asking?.question;
      if (!question) throw new Error(`${lesson.id}/${questionOf} asks no question`);
      const setStep = (body: { enabled?: boolean; action?: 'next' }) => lab.api(coreContracts.setStep, { params: { protocol: lesson.lab }, body });
      await setStep({ enabled: true });
      try {
        const reached = stepUntilHeld(lab, lesson.lab, new RegExp(question.when.text, 'i'), () => setStep({ action: 'next' }));
        await send();
        const held = await reached;
        const given = typeof answer === 'function' ? answer(held) : answer;
        await lab.api(lessonContracts.answer, { params: { id: lesson.id }, body: { step: questionOf, answer: given } });
        await setStep({ action: 'next' });
      } finally {
        await setStep({ enabled: false });
      }
    },
    // POST /api/faults (lib/http/fault-contracts.ts): by path, so the harness needs no more than the route.
    async arm(rule, options = {}) {
      await lab.api('/api/faults', {
        body: { rule, enabled: true, ...(options.conn ? { scope: 'connection', conn: options.conn } : {}), times: options.times, param: options.param },
      });
    },
    async disarm(rule) {
      await lab.api('/api/faults', { body: { rule, enabled: false } });
    },
  };
}

/**
 * Walks one lesson: starts it, runs the walker for each step in order and waits until the step is done
 * (and its held question answered against the real reply), then each what-if with its fault armed
 * until it is seen. Returns the final state; a walker missing a step fails before anything runs.
 */
export async function walkLesson(lab: TestLab, walker: LessonWalker): Promise<LessonState> {
  const lesson = lessonById(walker.lesson);
  const missing = lesson.steps.filter((s) => !walker.steps[s.id]).map((s) => s.id);
  const missingWhatIf = lesson.steps.filter((s) => s.whatIf && !walker.whatIfs?.[s.id]).map((s) => s.id);
  if (missing.length || missingWhatIf.length) throw new Error(`${lesson.id}: no walker for step(s) ${missing.join(', ')}; no what-if walker for ${missingWhatIf.join(', ')}`);

  await lab.api(lessonContracts.start, { params: { id: lesson.id } });
  for (const step of lesson.steps) {
    await walker.steps[step.id](contextFor(lab, lesson, step));
    await until(lab, lesson.id, `step ${step.id} done${step.question ? ' and its answer known' : ''}`, (state) => {
      const s = statusOf(state, step.id);
      return s !== undefined && s.done && (!step.question || (s.answer?.actual ?? null) !== null);
    });
  }
  for (const step of lesson.steps) {
    if (!step.whatIf) continue;
    const ctx = contextFor(lab, lesson, step);
    // Armed as the lesson's button arms it (once, or for its `times`): armed until disarmed, a what-if that
    // needs more than its button gives passed here and failed for the student.
    await ctx.arm(step.whatIf.fault, { times: step.whatIf.times ?? 1 });
    try {
      await walker.whatIfs![step.id](ctx);
      await until(lab, lesson.id, `the what-if of ${step.id} (${step.whatIf.fault}) seen`, (state) => statusOf(state, step.id)?.whatIfSeen === true);
    } finally {
      await ctx.disarm(step.whatIf.fault);
    }
  }
  return lab.api(lessonContracts.get, { params: { id: lesson.id } });
}

/**
 * The test of one lab's lessons: a daemon with `labs`, every lesson of `lab` walked by its walker (a
 * lesson without one fails), each in its own test, asserting what a student would see at the end.
 */
export function describeLessonWalks(lab: Protocol, walkers: readonly LessonWalker[], labs?: readonly AnyLabModule[]): void {
  let testLab: TestLab;
  beforeAll(async () => {
    testLab = await startTestLab(labs ? { labs } : {});
  });
  afterAll(async () => {
    await testLab?.stop();
  });

  describe(`${lab} lessons, walked against the real servers`, () => {
    const lessons = LESSONS.filter((l) => l.lab === lab);
    it('has a walker for every lesson of the lab', () => {
      expect(lessons.length).toBeGreaterThan(0);
      expect(lessons.map((l) => l.id).filter((id) => !walkers.some((w) => w.lesson === id))).toEqual([]);
    });

    it.each(walkers.map((w) => [w.lesson, w] as const))('%s: every step done, every answer right, every what-if seen', async (_id, walker) => {
      const state = await walkLesson(testLab, walker);
      const lesson = lessonById(walker.lesson);
      expect(state.startedAt).not.toBeNull();
      for (const step of lesson.steps) {
        const status = statusOf(state, step.id);
        expect(status?.done, `${lesson.id}/${step.id} done`).toBe(true);
        expect(status?.proof.length, `${lesson.id}/${step.id} proof`).toBe(step.proof.all.length);
        if (step.question) expect(status?.answer?.correct, `${lesson.id}/${step.id} answer (${JSON.stringify(status?.answer)})`).toBe(true);
        if (step.whatIf) expect(status?.whatIfSeen, `${lesson.id}/${step.id} what-if`).toBe(true);
      }
    }, WALK_MS);
  });
}
