/**
 * The classroom routes (lib/http/class-contracts.ts): the teacher's (token or teacher cookie) and
 * a student's join. Joining makes a sandbox in the class and gives this browser its cookie.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { classContracts as c } from '../../lib/http/class-contracts.ts';
import type { JsonBodyOf } from '../../lib/http/contract.ts';
import { SandboxLimitError, type SandboxDirectory } from '../../lib/sandbox/directory.ts';
import type { ClassStore } from '../../lib/store/classes.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import { forOthers } from '../../lib/wire/redact.ts';
import { groupDigits } from '../../lib/text/numbers.ts';
import type { Classroom } from './classroom.ts';
import { sandboxCookie } from './sandboxes.ts';
import type { TeacherAuth } from './teacher.ts';

/** The teacher's newest connections looked at for the live ones a follower's page starts from. */
const TEACHER_RECENT = 50;

type ClassStateChange = JsonBodyOf<typeof c.setClassState>;

export interface ClassRoutesContext {
  teacher: TeacherAuth;
  classes: ClassStore;
  classroom: Classroom;
  directory: SandboxDirectory;
  transcripts: TranscriptStore;
  /** The sandbox a request is in (the policy's ofRequest). */
  sandboxOf(req: IncomingMessage): string;
  seed(sandbox: string): Promise<void>;
  mailDomainOf(sandbox: string): string;
}

/**
 * Refuses a freeze, rewind or projection the class could not show (a session that is not there, a
 * message beyond its end, a student's session under another student's name): stored, it left every
 * page saying "no connection" and the teacher's board saying it worked.
 */
function checkChange(ctx: ClassRoutesContext, classId: string, teacherSandbox: string, change: ClassStateChange): void {
  const atMessage = (what: string, conn: string, seq: number) => {
    const page = ctx.transcripts.getConnection(teacherSandbox, conn, { limit: 1 });
    // An unclaimed one (filed for want of a login) is never shown to the class: nothing to freeze it on.
    if (!page || page.connection.unclaimed) throw new HttpError(404, `You have no session ${conn}: ${what} the class on a message of one of your own sessions.`);
    const count = page.connection.messageCount;
    if (seq > count) throw new HttpError(400, `Session ${conn} has ${count === 1 ? 'one message' : `${count} messages`}: there is no message #${seq} to ${what} the class on (1 to ${count}).`);
  };
  if (change.frozen) atMessage('freeze', change.frozen.conn, change.frozen.seq);
  if (change.rewind) {
    const { conn, step } = change.rewind;
    atMessage('rewind', conn, step);
    // The class's players read the stored transcript; past the cap the lab only counted messages (a freeze acts on the live feed).
    const stored = ctx.transcripts.maxMessages;
    if (step > stored) {
      throw new HttpError(
        400,
        `Message #${groupDigits(step)} of session ${conn} was not stored: the lab stores the first ${groupDigits(stored)} messages of a connection (LAB_TRANSCRIPT_MESSAGES), so the class's players cannot show it. Rewind to one of messages 1 to ${groupDigits(stored)}.`,
      );
    }
  }
  if (change.projector) {
    const { sandbox, conn } = change.projector;
    if (ctx.directory.get(sandbox)?.classId !== classId) throw new HttpError(404, `No student ${sandbox} in this class.`);
    if (!ctx.transcripts.getConnection(sandbox, conn, { limit: 1 })) throw new HttpError(404, `${ctx.directory.get(sandbox)?.name ?? sandbox} has no session ${conn}: project one from that student's row of the roster.`);
  }
}

export function classRoutes(ctx: ClassRoutesContext): ApiRoute[] {
  const teachersClass = (req: IncomingMessage, id: string) => {
    ctx.teacher.require(req);
    const info = ctx.classes.get(id);
    if (!info) throw new HttpError(404, `No class ${id}.`);
    return info;
  };
  /** The sandbox a request's browser is in, or null for one with none yet (another machine before it joined). */
  const callerSandbox = (req: IncomingMessage): string | null => {
    try {
      return ctx.sandboxOf(req);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) return null;
      throw err;
    }
  };
  return [
    defineRoute(c.teacherSession, ({ body, replyHeaders }) => {
      const cookie = ctx.teacher.openSession(body.token);
      if (!cookie) throw new HttpError(403, "That is not the teacher's token: it is printed when the lab starts (or set with LAB_TEACHER_TOKEN).");
      replyHeaders['set-cookie'] = cookie;
      return { teacher: true as const };
    }),
    defineRoute(c.teacher, ({ req }) => ({ teacher: ctx.teacher.isTeacher(req) })),
    defineRoute(c.classes, ({ req }) => {
      ctx.teacher.require(req);
      return { classes: ctx.classes.list().map((info) => ({ ...info, students: ctx.directory.list(info.id).length })) };
    }),
    defineRoute(c.createClass, ({ req, body }) => {
      ctx.teacher.require(req);
      return ctx.classes.create(body.name);
    }),
    defineRoute(c.class, ({ req, params }) => {
      const info = teachersClass(req, params.id);
      return { class: info, state: ctx.classroom.state(info), students: ctx.classroom.roster(info), now: Date.now() };
    }),
    defineRoute(c.setClassState, ({ req, params, body }) => {
      const info = teachersClass(req, params.id);
      checkChange(ctx, info.id, ctx.classroom.state(info).teacherSandbox, body);
      return ctx.classroom.setState(info, body);
    }),
    defineRoute(c.removeStudent, ({ req, params }) => {
      const info = teachersClass(req, params.id);
      const student = ctx.classroom.remove(info, params.sandbox);
      if (!student) throw new HttpError(404, `No student ${params.sandbox} in this class.`);
      return { removed: { sandbox: student.id, name: student.name ?? student.id }, students: ctx.directory.list(info.id).length };
    }),
    defineRoute(c.studentConnection, ({ req, params, query }) => {
      const info = teachersClass(req, params.id);
      if (ctx.directory.get(params.sandbox)?.classId !== info.id) throw new HttpError(404, `No student ${params.sandbox} in this class.`);
      const page = ctx.transcripts.getConnection(params.sandbox, params.conn, query);
      if (!page) throw new HttpError(404, `No connection ${params.conn} in ${params.sandbox}'s sandbox.`);
      // The projector shows it to the whole room, and the student's password there would open that
      // student's sandbox to anyone reading it: credentials are hidden as they are from followers.
      return { ...page, messages: page.messages.map(forOthers) };
    }),
    defineRoute(c.teacherConnection, ({ req, params, query }) => {
      const teacherSandbox = ctx.classroom.teacherOf(ctx.sandboxOf(req));
      if (teacherSandbox === null) throw new HttpError(403, "Only a student in a class may read the teacher's sessions: join the class with its code first.");
      const page = ctx.transcripts.getConnection(teacherSandbox, params.conn, query);
      // Filed there for want of a login, it may be another student's refused login: never shown to the class.
      if (!page || page.connection.unclaimed) throw new HttpError(404, `The teacher has no connection ${params.conn}.`);
      return { ...page, messages: page.messages.map(forOthers) };
    }),
    defineRoute(c.teacherLive, ({ req }) => {
      const teacherSandbox = ctx.classroom.teacherOf(ctx.sandboxOf(req));
      if (teacherSandbox === null) throw new HttpError(403, "Only a student in a class may read the teacher's sessions: join the class with its code first.");
      return { connections: ctx.transcripts.listConnections(teacherSandbox, { limit: TEACHER_RECENT }).filter((conn) => conn.endedAt === null && !conn.unclaimed) };
    }),
    defineRoute(c.classState, ({ req }) => {
      const info = ctx.classroom.classOf(ctx.sandboxOf(req));
      if (!info) throw new HttpError(403, 'Only a student in a class has a class to show: join the class with its code first.');
      return ctx.classroom.state(info);
    }),
    defineRoute(c.join, async ({ req, body, replyHeaders }) => {
      const info = ctx.classes.byCode(body.code);
      if (!info) throw new HttpError(404, 'No class has that code: check it on the projector (letters and digits, like K7QM-2XPA).');
      const reply = (sandbox: string, membership: 'new' | 'already' | 'own-sandbox') => {
        const account = ctx.directory.get(sandbox);
        const login = ctx.directory.loginOf(sandbox);
        if (!account || !login) throw new HttpError(404, `No sandbox ${sandbox}.`);
        const { id, name, createdAt } = info;
        return { sandbox, ...login, mailDomain: ctx.mailDomainOf(sandbox), shared: false, class: { id, name, createdAt }, membership, name: account.name ?? sandbox };
      };
      // A browser already in a sandbox keeps it: joining again (a second tab, /join revisited) must not
      // swap its cookie for a new sandbox and strand the first one's mail and files.
      const current = callerSandbox(req);
      const account = current === null ? null : ctx.directory.get(current);
      if (account?.classId === info.id) return reply(account.id, 'already');
      if (account?.classId) {
        const other = ctx.classes.get(account.classId);
        throw new HttpError(
          409,
          `This browser is already in the class “${other?.name ?? account.classId}” as ${account.name ?? account.id} (sandbox ${account.id}). ` +
            'To join another class, first note that sandbox’s id and password (to reopen it later) and leave it in the sandbox panel.',
        );
      }
      if (account && ctx.directory.enrol(account.id, info.id, body.name)) return reply(account.id, 'own-sandbox');
      let created;
      try {
        created = ctx.directory.create({ classId: info.id, name: body.name });
      } catch (err) {
        if (err instanceof SandboxLimitError) throw new HttpError(429, err.message);
        throw err;
      }
      await ctx.seed(created.account.id);
      replyHeaders['set-cookie'] = sandboxCookie(created.token);
      return reply(created.account.id, 'new');
    }),
  ];
}
