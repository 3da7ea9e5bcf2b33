/**
 * GET/POST /api/faults: the scripted-fault catalogue, and arming or disarming a rule in the
 * caller's sandbox (the Faults menu of every lab page and a lesson's "what if" both use them).
 */
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { faultContracts as c } from '../../lib/http/fault-contracts.ts';
import type { FaultEngine } from '../../lib/faults/engine.ts';
import type { IncomingMessage } from 'node:http';
import type { Lesson } from '../../lib/lessons/types.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { TranscriptStore } from '../../lib/store/transcripts.ts';

export function faultRoutes(
  faults: FaultEngine,
  sandboxOf: (req: IncomingMessage) => string,
  transcripts: Pick<TranscriptStore, 'getConnection'>,
  lessons: readonly Lesson[],
  /** The machine owner's sandbox: the only one that arms a rule acting on what every sandbox shares. */
  ownerSandbox: string,
): ApiRoute[] {
  const reply = (sandbox: string, lab?: Protocol) => ({
    rules: faults.catalogue.filter((rule) => !lab || rule.lab === lab),
    armed: faults.armed(sandbox).filter((fault) => !lab || faults.rule(fault.rule)?.lab === lab),
    owner: sandbox === ownerSandbox,
  });
  return [
    defineRoute(c.faults, ({ query, req }) => reply(sandboxOf(req), query.lab)),
    defineRoute(c.setFault, ({ body, req }) => {
      const sandbox = sandboxOf(req);
      const rule = faults.rule(body.rule);
      if (!rule) throw new HttpError(404, `No fault rule ${body.rule}.`);
      if (!body.enabled) {
        faults.disarm(sandbox, rule.id);
        return reply(sandbox);
      }
      // Disarming stays open to all (it only touches the caller's sandbox); arming a shared rule would
      // change every sandbox's server (a new host key breaks everyone's known_hosts).
      if (rule.shared && sandbox !== ownerSandbox) {
        throw new HttpError(403, `${rule.id} changes the ${rule.lab.toUpperCase()} server shared by every sandbox: only the machine owner (the teacher) arms it.`);
      }
      if (body.scope === 'connection' && !body.conn) throw new HttpError(400, 'A rule armed for one connection needs its id (conn).');
      // As step mode refuses it: a rule armed on another sandbox's connection, or on none, would sit
      // armed and never fire while the menu said it was.
      if (body.scope === 'connection' && body.conn) {
        const connection = transcripts.getConnection(sandbox, body.conn, { limit: 1 })?.connection;
        if (!connection || connection.protocol !== rule.lab || connection.endedAt !== null) {
          throw new HttpError(400, `No open ${rule.lab.toUpperCase()} connection ${body.conn} in your sandbox.`);
        }
      }
      // A what-if's arming names its lesson, which leaving the lesson disarms: it must be one of that lesson's what-ifs.
      if (body.lesson !== undefined) {
        const lesson = lessons.find((l) => l.id === body.lesson);
        if (!lesson) throw new HttpError(404, `No lesson ${body.lesson}.`);
        if (!lesson.steps.some((step) => step.whatIf?.fault === rule.id)) throw new HttpError(400, `The lesson ${lesson.id} has no what-if with the fault ${rule.id}.`);
      }
      const armed = faults.arm(sandbox, {
        rule: rule.id,
        scope: body.scope === 'connection' && body.conn ? { kind: 'connection', conn: body.conn } : { kind: 'sandbox' },
        times: body.times ?? null,
        ...(body.param !== undefined ? { param: body.param } : {}),
        ...(body.lesson !== undefined ? { lesson: body.lesson } : {}),
      });
      if (typeof armed === 'string') throw new HttpError(400, armed);
      return reply(sandbox);
    }),
  ];
}
