/**
 * Contracts of the lesson routes (issue 13): the lessons grouped by lab with this sandbox's progress,
 * one lesson with each step's state evaluated from the sandbox's transcripts, (re)starting a lesson,
 * and answering a held-message question. The daemon serves them (servers/daemon/lesson-routes.ts);
 * the Start here page and the lesson panel call them. The schemas are typed against lib/lessons/types.ts.
 */
import { z } from 'zod';
import type { HeldQuestion, Lesson, LessonStep, MessageMatch, StepProof, StepStatus } from '../lessons/types.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { route, segment } from './contract.ts';

const Protocol = z.enum(PROTOCOLS);
const Dir = z.enum(['client', 'server', 'note']);

export const MessageMatchSchema: z.ZodType<MessageMatch> = z.object({
  protocol: Protocol.optional(),
  dir: Dir.optional(),
  view: z.enum(['endpoint', 'wire']).optional(),
  kind: z.string().optional(),
  key: z.string().optional(),
  text: z.string().optional(),
  field: z.object({ name: z.string(), value: z.string().optional() }).optional(),
  injectedBy: z.string().optional(),
});
export const StepProofSchema: z.ZodType<StepProof> = z.object({ all: z.array(MessageMatchSchema), anyConnection: z.boolean().optional() });
export const HeldQuestionSchema: z.ZodType<HeldQuestion> = z.object({
  prompt: z.string(),
  when: z.object({ dir: z.enum(['client', 'server']), text: z.string() }),
  choices: z.array(z.string()).optional(),
  answer: z.object({ from: MessageMatchSchema, field: z.string().optional() }),
  explain: z.string(),
});
export const LessonStepSchema: z.ZodType<LessonStep> = z.object({
  id: z.string(),
  title: z.string(),
  do: z.string(),
  panel: z.string().optional(),
  try: z.array(z.string()).optional(),
  shell: z.array(z.string()).optional(),
  proof: StepProofSchema,
  hints: z.array(z.string()),
  ref: z.string(),
  question: HeldQuestionSchema.optional(),
  // `times` must survive the reply's parse: the what-if button arms the rule for that many occasions.
  whatIf: z.object({ fault: z.string(), explain: z.string(), proof: StepProofSchema, times: z.number().int().min(1).optional() }).optional(),
});
export const LessonSchema: z.ZodType<Lesson> = z.object({
  id: z.string(),
  lab: Protocol,
  title: z.string(),
  summary: z.string(),
  minutes: z.number(),
  order: z.number(),
  goal: z.string(),
  steps: z.array(LessonStepSchema),
});
export const StepStatusSchema: z.ZodType<StepStatus> = z.object({
  step: z.string(),
  done: z.boolean(),
  proof: z.array(z.string()),
  whatIfSeen: z.boolean().optional(),
  answer: z.object({ given: z.string(), actual: z.string().nullable(), correct: z.boolean().nullable(), edited: z.string().optional() }).optional(),
});

/** One lesson in the Start here list: what it is, how long, and how far this sandbox got. */
export const LessonSummarySchema = z.object({
  id: z.string(),
  lab: Protocol,
  title: z.string(),
  summary: z.string(),
  minutes: z.number(),
  order: z.number(),
  steps: z.number(),
  /** When this sandbox started it (ms since epoch), null if never; and how many steps are done. */
  progress: z.object({ startedAt: z.number().nullable(), done: z.number() }),
});
export type LessonSummary = z.infer<typeof LessonSummarySchema>;

/**
 * A lesson and this sandbox's state of it. Not started: startedAt null and no step done. `answers` are
 * the held questions' answers as given (by step id), so a page can run evaluateLesson on its live feed
 * with the same input the daemon used.
 */
export const LessonStateSchema = z.object({
  lesson: LessonSchema,
  startedAt: z.number().nullable(),
  status: z.array(StepStatusSchema),
  answers: z.record(z.string(), z.object({ given: z.string(), after: z.string().nullable() })),
});
export type LessonState = z.infer<typeof LessonStateSchema>;

/**
 * What leaving lessons disarmed: each rule (and its title) with the lesson whose what-if had armed it
 * (and its title), so the panel can say which fault of which lesson is off again.
 */
export const DisarmedReplySchema = z.object({
  disarmed: z.array(z.object({ rule: z.string(), title: z.string(), lesson: z.string(), lessonTitle: z.string() })),
});
export type DisarmedReply = z.infer<typeof DisarmedReplySchema>;

/** Lesson ids are URL-safe (lib/lessons/types.ts). */
const lessonId = segment(/[A-Za-z0-9_-]{1,64}/);

export const lessonContracts = {
  /** Every lesson, grouped by lab in the labs' order, each lab's in its suggested order. */
  list: route({
    method: 'GET',
    path: '/api/lessons',
    reply: z.object({ labs: z.array(z.object({ lab: Protocol, lessons: z.array(LessonSummarySchema) })) }),
  }),
  /** One lesson; each step's state is evaluated from this sandbox's transcripts since the lesson started, and what is done is kept. */
  get: route({ method: 'GET', path: '/api/lessons/:id', params: { id: lessonId }, reply: LessonStateSchema }),
  /**
   * Starts the lesson (again): from now on only new messages count; done steps and answers are cleared,
   * and what any lesson's what-if armed is disarmed (a fresh start, or the student moved on).
   */
  start: route({ method: 'POST', path: '/api/lessons/:id/start', params: { id: lessonId }, reply: LessonStateSchema }),
  /** The lesson panel shows this lesson now: what other lessons' what-ifs armed is disarmed (the student left them). */
  open: route({
    method: 'POST',
    path: '/api/lessons/:id/open',
    params: { id: lessonId },
    // `still=1`: a page that showed it all along is in view again (another tab closed): only cancels a pending unload leave.
    query: z.object({ still: z.enum(['1']).optional() }).strict(),
    reply: DisarmedReplySchema,
  }),
  /**
   * The lesson panel closed this lesson, or its page went within the app: what its what-ifs armed is
   * disarmed. `unload=1` (the tab closing or loading another address, which a reload looks the same as):
   * disarmed a little later, unless the lesson is opened again first (the reload's page opens it).
   */
  leave: route({
    method: 'POST',
    path: '/api/lessons/:id/leave',
    params: { id: lessonId },
    query: z.object({ unload: z.enum(['1']).optional() }).strict(),
    reply: DisarmedReplySchema,
  }),
  /**
   * Answers a step's held-message question while the message is held in step mode: the real answer
   * is read from the first reply after that message once it is released.
   */
  answer: route({
    method: 'POST',
    path: '/api/lessons/:id/answer',
    params: { id: lessonId },
    body: z.object({ step: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), answer: z.string().trim().min(1).max(200) }),
    reply: LessonStateSchema,
  }),
};
