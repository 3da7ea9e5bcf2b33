/**
 * What a lesson URL names: `/<lab>?lesson=<id>&step=<stepId>` opens a lesson beside the lab's
 * terminal, at one step. Ids are URL-safe by the lesson format (lib/lessons/types.ts); anything
 * else in the query is ignored, never trusted.
 */
import { messageIdParts } from '@/lib/wire/event.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface LessonLink {
  lesson: string | null;
  step: string | null;
}

/** Reads `lesson` and `step` from a query string (a step without a lesson names nothing). */
export function parseLessonLink(search: string | URLSearchParams): LessonLink {
  const query = typeof search === 'string' ? new URLSearchParams(search) : search;
  const lesson = query.get('lesson');
  if (!lesson || !ID.test(lesson)) return { lesson: null, step: null };
  const step = query.get('step');
  return { lesson, step: step && ID.test(step) ? step : null };
}

/** The lab page address that opens `lesson` (at `step`, if given). */
export function lessonHref(lab: string, lesson: string, step?: string | null): string {
  const query = new URLSearchParams({ lesson });
  if (step) query.set('step', step);
  return `/${lab}?${query}`;
}

/**
 * `search` with the lesson and step set (or removed, for null), other parameters kept — the
 * shared message selection (`conn`, `msg`) lives in the same query.
 */
export function withLesson(search: string, link: LessonLink): string {
  const query = new URLSearchParams(search);
  query.delete('lesson');
  query.delete('step');
  if (link.lesson) {
    query.set('lesson', link.lesson);
    if (link.step) query.set('step', link.step);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/**
 * Puts the open lesson back into the address bar without a history entry, when something else
 * rewrote the query (the transcript's shared selection keeps only `conn` and `msg`).
 */
export function keepLessonInUrl(link: LessonLink): void {
  const search = withLesson(window.location.search, link);
  if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
}

/**
 * Lab pages that open a shared selection (`?conn=…&msg=…`, components/lab/deep-link.ts). The ZeroMQ and
 * WS-Policy pages read none, and a page shown another lab's connection (the SSH page given a tunnelled
 * SMTP session) only names that lab: those proofs open in the player, which shows any connection.
 */
const DEEP_LINKED_LABS: ReadonlySet<string> = new Set(['smtp', 'ftp', 'ssh', 'soap', 'gateway']);

/**
 * Where a message a step was proven by opens: on the lesson's lab page, with the lesson kept open —
 * `/<lab>?conn=…&msg=…&lesson=…&step=…` — when that page reads the link and the connection is the
 * lab's own; otherwise in the player, `/sessions/<conn>?msg=<seq>`.
 */
export function proofHref(lab: string, messageId: string, link: LessonLink): string {
  const parts = messageIdParts(messageId);
  const conn = parts?.conn ?? messageId;
  // Connection ids start with their protocol (lib/wire/recorder.ts newConnectionId).
  if (!DEEP_LINKED_LABS.has(lab) || !conn.startsWith(`${lab}-`)) {
    return `/sessions/${encodeURIComponent(conn)}${parts ? `?${new URLSearchParams({ msg: parts.seq })}` : ''}`;
  }
  const query = new URLSearchParams({ conn, msg: messageId });
  const rest = withLesson('', link);
  return `/${lab}?${query}${rest ? `&${rest.slice(1)}` : ''}`;
}
