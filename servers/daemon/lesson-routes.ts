/**
 * The lesson routes (lib/http/lesson-contracts.ts): each request acts in its own sandbox. A lesson's
 * steps are evaluated on GET from the sandbox's stored transcripts since the lesson started — the same
 * evaluation the browser runs live (lib/lessons/evaluate.ts) — and whatever is proven is kept in the
 * store, so progress survives restarts and the pruning of old transcripts.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { lessonContracts as c, type DisarmedReply, type LessonState, type LessonSummary } from '../../lib/http/lesson-contracts.ts';
import { chronological, evaluateLesson, type LessonAnswers } from '../../lib/lessons/evaluate.ts';
import { lessonForReader, type LessonReader } from '../../lib/lessons/reader.ts';
import type { Lesson, StepStatus } from '../../lib/lessons/types.ts';
import type { LessonProgress, LessonProgressStore } from '../../lib/store/lesson-progress.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import { PROTOCOLS, type LabMessage } from '../../lib/wire/event.ts';
import { labNow } from '../../lib/wire/recorder.ts';
import type { FaultEngine } from '../../lib/faults/engine.ts';

/** What the lesson routes read from. */
export interface LessonRouteDeps {
  sandboxOf(req: IncomingMessage): string;
  transcripts: TranscriptStore;
  progress: LessonProgressStore;
  lessons: readonly Lesson[];
  now?: () => number;
  /** Resolves once everything the taps have seen so far is recorded (the dissect thread answers a little later). */
  settled?: () => Promise<void>;
  /** Whose login and which addresses a lesson's text names for this request (lib/lessons/reader.ts). */
  readerOf(req: IncomingMessage): LessonReader;
  /** The scripted faults: a lesson's what-ifs are disarmed when the student leaves or restarts it. */
  faults: Pick<FaultEngine, 'disarmWhatIfs' | 'rule'>;
  /** How long a lesson left by an unloading page stays armed for a reload of it to open it again (ms). */
  unloadGraceMs?: number;
  /** Tells the sandbox's pages that one of them unloaded while showing `lesson` (a bus event the hub sends them). */
  announceLeaving?: (sandbox: string, lesson: string) => void;
}

/**
 * A page that unloads cannot tell a reload from a closed tab or another address: long enough for the
 * reloaded page (the Next build served, the lesson opened) on a busy classroom laptop, short enough that
 * the student's next plain session is the server's own.
 */
export const UNLOAD_GRACE_MS = 10_000;

/** How far back a lesson looks: its sandbox's newest connections, and so many stored messages of each. */
const MAX_CONNECTIONS = 200;
const MAX_MESSAGES_PER_CONNECTION = 4000;
const PAGE = 1000;

/** A message with its wall-clock time (its connection's start plus its offset). */
interface TimedMessage {
  message: LabMessage;
  at: number;
}

/** The sandbox's messages since `since` (ms since epoch), every lab's, oldest first. */
export function messagesSince(transcripts: TranscriptStore, sandbox: string, since: number): LabMessage[] {
  return timedMessagesSince(transcripts, sandbox, since).map((timed) => timed.message);
}

/** messagesSince with each message's wall-clock time, so one read can serve lessons started at different times. */
function timedMessagesSince(transcripts: TranscriptStore, sandbox: string, since: number): TimedMessage[] {
  const connections = transcripts
    .listConnections(sandbox, { limit: MAX_CONNECTIONS })
    .filter((connection) => connection.endedAt === null || connection.endedAt >= since);
  const startOf = new Map(connections.map((connection) => [connection.id, connection.startedAt]));
  const messages: LabMessage[] = [];
  for (const connection of connections) {
    let from = 0;
    for (let read = 0; read < MAX_MESSAGES_PER_CONNECTION; read += PAGE) {
      const page = transcripts.getConnection(sandbox, connection.id, { from, limit: PAGE });
      if (!page) break;
      for (const message of page.messages) if (connection.startedAt + message.t >= since) messages.push(message);
      if (page.next === null) break;
      from = page.next;
    }
  }
  const startOfConn = (conn: string) => startOf.get(conn) ?? 0;
  return chronological(messages, startOfConn).map((message) => ({ message, at: startOfConn(message.conn) + message.t }));
}

/** The stored answers as the evaluator reads them. */
const answersOf = (progress: LessonProgress): LessonAnswers =>
  Object.fromEntries(Object.entries(progress.answers).map(([step, a]) => [step, { given: a.given, after: a.after }]));

/**
 * Joins what the transcripts prove now with what was proven before (a step once done stays done,
 * with its first proof; a real answer once read stays), and records anything new in `progress`.
 * Returns the statuses and whether `progress` changed.
 */
function merge(fresh: StepStatus[], progress: LessonProgress): { status: StepStatus[]; changed: boolean } {
  let changed = false;
  const status = fresh.map((s): StepStatus => {
    const kept = Object.hasOwn(progress.done, s.step) ? progress.done[s.step] : undefined;
    if (!kept && s.done) {
      progress.done[s.step] = s.proof;
      changed = true;
    }
    const merged: StepStatus = { ...s, done: s.done || kept !== undefined, proof: kept ?? s.proof };
    if (s.whatIfSeen !== undefined) {
      const seenBefore = progress.whatIfSeen.includes(s.step);
      if (s.whatIfSeen && !seenBefore) {
        progress.whatIfSeen.push(s.step);
        changed = true;
      }
      merged.whatIfSeen = s.whatIfSeen || seenBefore;
    }
    const stored = Object.hasOwn(progress.answers, s.step) ? progress.answers[s.step] : undefined;
    if (stored && s.answer) {
      if (stored.actual === null && s.answer.actual !== null) {
        stored.actual = s.answer.actual;
        changed = true;
      }
      const actual = stored.actual ?? s.answer.actual;
      merged.answer = { ...s.answer, actual, correct: actual === null ? null : s.answer.correct };
    }
    return merged;
  });
  return { status, changed };
}

/** Builds the lesson routes. */
export function lessonRoutes(deps: LessonRouteDeps): ApiRoute[] {
  // The start is compared with message times: read on their clock (lib/wire/recorder.ts labNow).
  const now = deps.now ?? labNow;
  const byId = new Map(deps.lessons.map((lesson) => [lesson.id, lesson]));
  const lessonOf = (id: string): Lesson => {
    const lesson = byId.get(id);
    if (!lesson) throw new HttpError(404, `No lesson ${id}.`);
    return lesson;
  };

  /**
   * The lesson's state in `sandbox`, evaluated now on `messages` (the sandbox's since the lesson
   * started, read here unless the caller has them); what is newly proven is stored.
   */
  const stateOf = (sandbox: string, lesson: Lesson, messages?: LabMessage[]): LessonState => {
    const progress = deps.progress.get(sandbox, lesson.id);
    if (!progress) return { lesson, startedAt: null, status: lesson.steps.map((step) => ({ step: step.id, done: false, proof: [] })), answers: {} };
    return evaluated(sandbox, lesson, progress, messages ?? messagesSince(deps.transcripts, sandbox, progress.startedAt));
  };

  const evaluated = (sandbox: string, lesson: Lesson, progress: LessonProgress, messages: LabMessage[]): LessonState => {
    const answers = answersOf(progress);
    const { status, changed } = merge(evaluateLesson(lesson, messages, answers), progress);
    if (changed) deps.progress.save(sandbox, lesson.id, progress);
    return { lesson, startedAt: progress.startedAt, status, answers: { ...answers } };
  };

  /** Disarms the what-ifs of the lessons `which` picks in the caller's sandbox, and says what went, in words. */
  const disarm = (sandbox: string, which: (lesson: string) => boolean): DisarmedReply => ({
    disarmed: deps.faults.disarmWhatIfs(sandbox, which).map((fault) => ({
      rule: fault.rule,
      title: deps.faults.rule(fault.rule)?.title ?? fault.rule,
      lesson: fault.lesson ?? '',
      lessonTitle: (fault.lesson && byId.get(fault.lesson)?.title) || (fault.lesson ?? ''),
    })),
  });

  // Leaves of unloading pages, by sandbox and lesson, until their grace ends (opening or starting the lesson again cancels one).
  const leaving = new Map<string, ReturnType<typeof setTimeout>>();
  const leavingKey = (sandbox: string, lesson: string) => `${sandbox}\u0000${lesson}`;
  const stayed = (sandbox: string, lesson: string) => {
    const key = leavingKey(sandbox, lesson);
    clearTimeout(leaving.get(key));
    leaving.delete(key);
  };
  const leaveLater = (sandbox: string, lesson: string) => {
    stayed(sandbox, lesson);
    const key = leavingKey(sandbox, lesson);
    const timer = setTimeout(() => {
      leaving.delete(key);
      disarm(sandbox, (armedBy) => armedBy === lesson);
    }, deps.unloadGraceMs ?? UNLOAD_GRACE_MS);
    // A daemon stopping does not wait for it: nothing armed outlives the process anyway.
    timer.unref();
    leaving.set(key, timer);
    // A page of the lesson in another window (a projector's beside a laptop's) answers with `open?still=1`.
    deps.announceLeaving?.(sandbox, lesson);
  };

  // Evaluated on the lesson as written; its text goes out as the caller reads it (their login, the lab's ports).
  const forReader = (req: IncomingMessage, state: LessonState): LessonState => ({ ...state, lesson: lessonForReader(state.lesson, deps.readerOf(req)) });

  return [
    defineRoute(c.list, ({ req }) => {
      const sandbox = deps.sandboxOf(req);
      const started = deps.progress.all(sandbox);
      // Lessons left mid-way are evaluated afresh (steps proven after their page closed count), from one
      // read of the transcripts since the earliest of them started.
      const unfinished = [...started].flatMap(([id, progress]) => {
        const lesson = byId.get(id);
        return lesson && lesson.steps.some((step) => !Object.hasOwn(progress.done, step.id)) ? [{ lesson, progress }] : [];
      });
      if (unfinished.length > 0) {
        const timed = timedMessagesSince(deps.transcripts, sandbox, Math.min(...unfinished.map((u) => u.progress.startedAt)));
        for (const { lesson, progress } of unfinished) {
          evaluated(sandbox, lesson, progress, timed.filter((t) => t.at >= progress.startedAt).map((t) => t.message));
        }
      }
      const summary = (lesson: Lesson): LessonSummary => {
        const progress = started.get(lesson.id);
        return {
          id: lesson.id,
          lab: lesson.lab,
          title: lesson.title,
          summary: lesson.summary,
          minutes: lesson.minutes,
          order: lesson.order,
          steps: lesson.steps.length,
          progress: { startedAt: progress?.startedAt ?? null, done: progress ? lesson.steps.filter((s) => Object.hasOwn(progress.done, s.id)).length : 0 },
        };
      };
      const labs = PROTOCOLS.map((lab) => ({
        lab,
        lessons: deps.lessons
          .filter((lesson) => lesson.lab === lab)
          .sort((a, b) => a.order - b.order)
          .map(summary),
      })).filter((group) => group.lessons.length > 0);
      return { labs };
    }),
    defineRoute(c.get, ({ params, req }) => forReader(req, stateOf(deps.sandboxOf(req), lessonOf(params.id)))),
    defineRoute(c.start, ({ params, req }) => {
      const sandbox = deps.sandboxOf(req);
      const lesson = lessonOf(params.id);
      deps.progress.start(sandbox, lesson.id, now());
      stayed(sandbox, lesson.id);
      // Its own what-ifs (Start over starts clean) and any other lesson's (the student moved on).
      disarm(sandbox, () => true);
      return forReader(req, stateOf(sandbox, lesson));
    }),
    defineRoute(c.open, ({ params, query, req }) => {
      const sandbox = deps.sandboxOf(req);
      const lesson = lessonOf(params.id);
      // A reload's page, or another page showing it: the lesson is still shown, and so is what its what-if armed.
      stayed(sandbox, lesson.id);
      if (query.still) return { disarmed: [] };
      return disarm(sandbox, (armedBy) => armedBy !== lesson.id);
    }),
    defineRoute(c.leave, ({ params, query, req }) => {
      const sandbox = deps.sandboxOf(req);
      const lesson = lessonOf(params.id);
      if (!query.unload) return disarm(sandbox, (armedBy) => armedBy === lesson.id);
      leaveLater(sandbox, lesson.id);
      return { disarmed: [] };
    }),
    defineRoute(c.answer, async ({ params, body, req }) => {
      const sandbox = deps.sandboxOf(req);
      const lesson = lessonOf(params.id);
      const step = lesson.steps.find((s) => s.id === body.step);
      if (!step) throw new HttpError(404, `The lesson ${lesson.id} has no step ${body.step}.`);
      if (!step.question) throw new HttpError(400, `The step ${step.id} asks no question.`);
      const progress = deps.progress.get(sandbox, lesson.id);
      if (!progress) throw new HttpError(409, `Start the lesson ${lesson.id} before answering its questions.`);
      // The held message is released after this answer: it comes after the newest message recorded now,
      // once what crossed the wire before it is recorded too (else an earlier exchange still being
      // dissected would come "after" and be taken for the answer).
      await deps.settled?.();
      const messages = messagesSince(deps.transcripts, sandbox, progress.startedAt);
      progress.answers[step.id] = { given: body.answer, after: messages.at(-1)?.id ?? null, actual: null };
      deps.progress.save(sandbox, lesson.id, progress);
      return forReader(req, stateOf(sandbox, lesson, messages));
    }),
  ];
}
