/**
 * The classroom routes (lib/http/class-contracts.ts): the teacher's (token or teacher cookie) and
 * a student's join. Joining makes a sandbox in the class and gives this browser its cookie.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { classContracts as c } from '../../lib/http/class-contracts.ts';
import { SandboxLimitError, type SandboxDirectory } from '../../lib/sandbox/directory.ts';
import type { ClassStore } from '../../lib/store/classes.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';
import type { Classroom } from './classroom.ts';
import { sandboxCookie } from './sandboxes.ts';
import type { TeacherAuth } from './teacher.ts';

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

export function classRoutes(ctx: ClassRoutesContext): ApiRoute[] {
  const teachersClass = (req: IncomingMessage, id: string) => {
    ctx.teacher.require(req);
    const info = ctx.classes.get(id);
    if (!info) throw new HttpError(404, `No class ${id}.`);
    return info;
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
    defineRoute(c.setClassState, ({ req, params, body }) => ctx.classroom.setState(teachersClass(req, params.id), body)),
    defineRoute(c.studentConnection, ({ req, params, query }) => {
      const info = teachersClass(req, params.id);
      if (ctx.directory.get(params.sandbox)?.classId !== info.id) throw new HttpError(404, `No student ${params.sandbox} in this class.`);
      const page = ctx.transcripts.getConnection(params.sandbox, params.conn, query);
      if (!page) throw new HttpError(404, `No connection ${params.conn} in ${params.sandbox}'s sandbox.`);
      return page;
    }),
    defineRoute(c.teacherConnection, ({ req, params, query }) => {
      const teacherSandbox = ctx.classroom.teacherOf(ctx.sandboxOf(req));
      if (teacherSandbox === null) throw new HttpError(403, "Only a student in a class may read the teacher's sessions: join the class with its code first.");
      const page = ctx.transcripts.getConnection(teacherSandbox, params.conn, query);
      // Filed there for want of a login, it may be another student's refused login: never shown to the class.
      if (!page || page.connection.unclaimed) throw new HttpError(404, `The teacher has no connection ${params.conn}.`);
      return page;
    }),
    defineRoute(c.classState, ({ req }) => {
      const info = ctx.classroom.classOf(ctx.sandboxOf(req));
      if (!info) throw new HttpError(403, 'Only a student in a class has a class to show: join the class with its code first.');
      return ctx.classroom.state(info);
    }),
    defineRoute(c.join, async ({ body, replyHeaders }) => {
      const info = ctx.classes.byCode(body.code);
      if (!info) throw new HttpError(404, 'No class has that code: check it on the projector (letters and digits, like K7QM-2XPA).');
      let created;
      try {
        created = ctx.directory.create({ classId: info.id, name: body.name });
      } catch (err) {
        if (err instanceof SandboxLimitError) throw new HttpError(429, err.message);
        throw err;
      }
      await ctx.seed(created.account.id);
      replyHeaders['set-cookie'] = sandboxCookie(created.token);
      const { account } = created;
      return {
        sandbox: account.id,
        user: account.id,
        password: account.password,
        mailDomain: ctx.mailDomainOf(account.id),
        shared: false,
        class: { id: info.id, name: info.name, createdAt: info.createdAt },
      };
    }),
  ];
}
