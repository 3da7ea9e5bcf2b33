/**
 * Contracts of the classroom routes (issue 15): the teacher signs in with the teacher's token,
 * creates classes and reads their rosters, and sets what the class sees (freeze, rewind,
 * projector); a student joins a class with its code and gets a sandbox in it.
 */
import { z } from 'zod';
import type { ClassState } from '../bus/events.ts';
import { route, segment } from './contract.ts';
import { SandboxIdSchema, SandboxReplySchema } from './sandbox-contracts.ts';
import { ConnectionInfoSchema, TranscriptPageSchema } from './core-contracts.ts';

/** Longest class name (the create form counts down to it: a name cut without a word was walk B's #10). */
export const CLASS_NAME_MAX = 80;

const connId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A message of a session by its number (#1 is the first): what freeze and rewind name. */
const messageNumber = z.number().int('A step is a message number: a whole number, 1 or more.').min(1, 'A step is a message number: a whole number, 1 or more.');
const classId = segment(/class-[A-Za-z0-9_-]{1,16}/);

export const ClassInfoSchema = z.object({ id: z.string(), name: z.string(), code: z.string(), createdAt: z.number() });
export const ClassStateSchema = z.object({
  classId: z.string(),
  name: z.string(),
  teacherSandbox: z.string(),
  frozen: z.object({ conn: z.string(), seq: z.number() }).nullable(),
  rewind: z.object({ conn: z.string(), step: z.number() }).nullable(),
  projector: z.object({ sandbox: z.string(), conn: z.string() }).nullable(),
}) satisfies z.ZodType<ClassState>;

/** One student on the roster: who, when last seen, whether a page of theirs follows the teacher, live connections, and how far each lesson got. */
export const RosterEntrySchema = z.object({
  sandbox: z.string(),
  name: z.string(),
  joinedAt: z.number(),
  lastSeen: z.number(),
  following: z.boolean(),
  liveConnections: z.array(z.object({ id: z.string(), protocol: z.string(), label: z.string().optional() })),
  lessons: z.array(z.object({ id: z.string(), title: z.string(), done: z.number(), steps: z.number() })),
});
export type RosterEntry = z.infer<typeof RosterEntrySchema>;

export const ClassReplySchema = z.object({
  class: ClassInfoSchema,
  state: ClassStateSchema,
  students: z.array(RosterEntrySchema),
  /** The daemon's clock when it answered: "last seen" counts from it, not from the teacher's laptop, whose clock may differ by minutes. */
  now: z.number(),
});

export const classContracts = {
  /** Trades the teacher's token for a browser session (an HttpOnly cookie). */
  teacherSession: route({ method: 'POST', path: '/api/teacher/session', body: z.object({ token: z.string().min(1).max(200) }).strict(), reply: z.object({ teacher: z.literal(true) }) }),
  /** Whether this browser is the teacher's (the teacher page asks before it shows the sign-in form). */
  teacher: route({ method: 'GET', path: '/api/teacher', reply: z.object({ teacher: z.boolean() }) }),
  classes: route({ method: 'GET', path: '/api/classes', reply: z.object({ classes: z.array(ClassInfoSchema.extend({ students: z.number() })) }) }),
  createClass: route({ method: 'POST', path: '/api/classes', body: z.object({ name: z.string().trim().min(1).max(CLASS_NAME_MAX, `A class name has ${CLASS_NAME_MAX} characters at most.`) }).strict(), reply: ClassInfoSchema }),
  /** The class, what it sees now, and its roster. */
  class: route({ method: 'GET', path: '/api/classes/:id', params: { id: classId }, reply: ClassReplySchema }),
  /** Sets what the whole class sees: each field given replaces it (null clears it). */
  setClassState: route({
    method: 'POST',
    path: '/api/classes/:id/state',
    params: { id: classId },
    body: z
      .object({
        frozen: z.object({ conn: connId, seq: messageNumber }).nullable().optional(),
        rewind: z.object({ conn: connId, step: messageNumber }).nullable().optional(),
        projector: z.object({ sandbox: SandboxIdSchema, conn: connId }).nullable().optional(),
      })
      .strict(),
    reply: ClassStateSchema,
  }),
  /**
   * The teacher removes a student from the class (a mistaken or duplicate join). The sandbox keeps its
   * login, mail, files and progress, in no class (it may join again with the code); its pages are told.
   */
  removeStudent: route({
    method: 'DELETE',
    path: '/api/classes/:id/students/:sandbox',
    params: { id: classId, sandbox: segment(/[a-hjkmnp-z2-9]{6}/) },
    reply: z.object({ removed: z.object({ sandbox: z.string(), name: z.string() }), students: z.number() }),
  }),
  /** A student's connection, for the teacher's projector. */
  studentConnection: route({
    method: 'GET',
    path: '/api/classes/:id/students/:sandbox/connections/:conn',
    params: { id: classId, sandbox: segment(/[a-hjkmnp-z2-9]{6}/), conn: segment(/[A-Za-z0-9_-]{1,64}/) },
    query: z.object({ from: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
    reply: TranscriptPageSchema,
  }),
  /**
   * One of the teacher's connections, for a student of a class (what following and rewinding show):
   * the teacher's sessions are the class's to read, never another student's.
   */
  teacherConnection: route({
    method: 'GET',
    path: '/api/class/connections/:conn',
    params: { conn: segment(/[A-Za-z0-9_-]{1,64}/) },
    query: z.object({ from: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }),
    reply: TranscriptPageSchema,
  }),
  /** The teacher's sessions still open, newest first: a follower's page that opens mid-session reads them at once. */
  teacherLive: route({ method: 'GET', path: '/api/class/connections', reply: z.object({ connections: z.array(ConnectionInfoSchema) }) }),
  /** What the caller's class sees now (frozen, rewound, projector): a student's page reads it when it opens, then follows `class` events. */
  classState: route({ method: 'GET', path: '/api/class/state', reply: ClassStateSchema }),
  /**
   * A student joins a class with its code. `membership` says what this browser got: a new sandbox in
   * the class ('new', its cookie set), the one it is already in the class with ('already': joining
   * again changes nothing), or its own sandbox, now in the class with its work ('own-sandbox').
   * A browser in another class is refused (409): it leaves that sandbox first. `name` is the roster's.
   */
  join: route({
    method: 'POST',
    path: '/api/classes/join',
    body: z.object({ code: z.string().trim().min(8).max(9), name: z.string().trim().min(1).max(40) }).strict(),
    reply: SandboxReplySchema.extend({ class: ClassInfoSchema.omit({ code: true }), membership: z.enum(['new', 'already', 'own-sandbox']), name: z.string() }),
  }),
};
