/**
 * The lesson panel's and Start here page's API client: the lesson routes (lib/http/lesson-contracts.ts)
 * and arming a scripted fault (lib/http/fault-contracts.ts), one function per call, replies parsed by
 * the contracts' schemas.
 */
import { callRoute } from '@/lib/http/contract.ts';
import { faultContracts } from '@/lib/http/fault-contracts.ts';
import { lessonContracts as c } from '@/lib/http/lesson-contracts.ts';
import type { Protocol } from '@/lib/wire/event.ts';

export type { LessonState, LessonSummary } from '@/lib/http/lesson-contracts.ts';

export const lessonApi = {
  list: () => callRoute(c.list),
  get: (id: string) => callRoute(c.get, { params: { id } }),
  /** Starts the lesson (again): only messages from now on count. */
  start: (id: string) => callRoute(c.start, { params: { id } }),
  answer: (id: string, step: string, answer: string) => callRoute(c.answer, { params: { id }, body: { step, answer } }),
  /** A lab's fault catalogue (titles for what-if steps). */
  faults: (lab: Protocol) => callRoute(faultContracts.faults, { query: { lab } }),
  /** Arms a rule once, for this sandbox: a what-if shows its effect one time, then the lab is normal again. */
  armFor: (rule: string, times = 1) => callRoute(faultContracts.setFault, { body: { rule, enabled: true, scope: 'sandbox', times } }),
};
