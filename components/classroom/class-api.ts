/**
 * The classroom routes for the pages (lib/http/class-contracts.ts): the teacher's (sign in, classes,
 * roster, what the class sees, a student's connection for the projector) and a student's (join, the
 * class's state, the teacher's recorded sessions). Replies are parsed by the contracts' schemas.
 */
import { coreApi } from '@/components/lab/api';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import { classContracts as c } from '@/lib/http/class-contracts.ts';
import { callRoute, type JsonBodyOf } from '@/lib/http/contract.ts';
import { coreContracts } from '@/lib/http/core-contracts.ts';

/** What the teacher may change of a class's state (each field given replaces it; null clears it). */
export type ClassStateChange = JsonBodyOf<typeof c.setClassState>;

export const classApi = {
  isTeacher: async () => (await callRoute(c.teacher)).teacher,
  /** Trades the teacher's token for this browser's teacher session; a wrong token is a 403 in words. */
  signIn: (token: string) => callRoute(c.teacherSession, { body: { token } }),
  classes: async () => (await callRoute(c.classes)).classes,
  create: (name: string) => callRoute(c.createClass, { body: { name } }),
  /** The class, its state and its roster. */
  get: (id: string, signal?: AbortSignal) => callRoute(c.class, { params: { id }, signal }),
  setState: (id: string, change: ClassStateChange) => callRoute(c.setClassState, { params: { id }, body: change }),
  /** Takes a student's row off the roster; the sandbox keeps its work, in no class. */
  removeStudent: (id: string, sandbox: string) => callRoute(c.removeStudent, { params: { id, sandbox } }),
  /** The teacher's own recent connections (this browser's sandbox), newest first. */
  ownConnections: async (signal?: AbortSignal) => (await callRoute(coreContracts.connections, { query: { limit: 30 }, signal })).connections,
  join: (code: string, name: string) => callRoute(c.join, { body: { code, name } }),
  /** A student's page: the teacher's sessions open now (a page that starts following shows them at once). */
  teacherLive: async () => (await callRoute(c.teacherLive)).connections,
  /** A student's page: what its class sees now. */
  state: () => callRoute(c.classState),
};

/** The teacher's own transcripts (this browser's sandbox). */
export const ownTranscript: TranscriptReader = (id, page, signal) => coreApi.transcript(id, page, signal);

/** A student's transcript, for the teacher's projector. */
export const studentTranscript =
  (classId: string, sandbox: string): TranscriptReader =>
  (conn, page, signal) =>
    callRoute(c.studentConnection, { params: { id: classId, sandbox, conn }, query: page, signal });

/** The class's teacher's transcripts, for a student's page (following and rewinding). */
export const teacherTranscript: TranscriptReader = (conn, page, signal) => callRoute(c.teacherConnection, { params: { conn }, query: page, signal });
