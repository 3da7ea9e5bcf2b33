/**
 * The lesson panel's and Start here page's API client: the lesson routes (lib/http/lesson-contracts.ts)
 * and arming a scripted fault (lib/http/fault-contracts.ts), one function per call, replies parsed by
 * the contracts' schemas.
 */
import { callRoute } from '@/lib/http/contract.ts';
import { faultContracts } from '@/lib/http/fault-contracts.ts';
import { lessonContracts as c } from '@/lib/http/lesson-contracts.ts';

export type { DisarmedReply, LessonState, LessonSummary } from '@/lib/http/lesson-contracts.ts';

export const lessonApi = {
  list: () => callRoute(c.list),
  get: (id: string) => callRoute(c.get, { params: { id } }),
  /** Starts the lesson (again): only messages from now on count. */
  start: (id: string) => callRoute(c.start, { params: { id } }),
  answer: (id: string, step: string, answer: string) => callRoute(c.answer, { params: { id }, body: { step, answer } }),
  /**
   * Arms a lesson's what-if rule once, for this sandbox: it shows its effect one time, then the lab is
   * normal again; leaving or restarting the lesson disarms it before then.
   */
  armFor: (lesson: string, rule: string, times = 1) => callRoute(faultContracts.setFault, { body: { rule, enabled: true, scope: 'sandbox', times, lesson } }),
  /** Disarms a rule in this sandbox, whoever armed it. */
  disarm: (rule: string) => callRoute(faultContracts.setFault, { body: { rule, enabled: false } }),
  /** The panel shows this lesson: other lessons' what-ifs are disarmed; answers what was. */
  open: (id: string) => callRoute(c.open, { params: { id } }),
  /** The panel closed this lesson: its what-ifs are disarmed (keepalive: the page may be going away). */
  leave: (id: string) => callRoute(c.leave, { params: { id }, keepalive: true }),
};
