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
  /** A page that showed the lesson all along is in view again: a leave another page's unload left pending is cancelled. */
  stillShown: (id: string) => callRoute(c.open, { params: { id }, query: { still: '1' } }),
  /** The panel closed this lesson, or the page went within the app: its what-ifs are disarmed. */
  leave: (id: string) => callRoute(c.leave, { params: { id }, keepalive: true }),
  /**
   * The page unloads (a closed tab, another address, or a reload: the page cannot tell): its what-ifs
   * are disarmed after a grace, unless the lesson is opened again first. A keepalive fetch, not
   * sendBeacon: it carries the page's headers, so the API's guards see it as any other call.
   */
  leaveOnUnload: (id: string) => callRoute(c.leave, { params: { id }, query: { unload: '1' }, keepalive: true }),
};
