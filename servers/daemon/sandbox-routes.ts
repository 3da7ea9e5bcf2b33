/**
 * POST /api/sandboxes, /api/sandboxes/open, /api/sandboxes/leave: a browser's own sandbox
 * (issue 15). The answer carries the Set-Cookie that holds the browser's token; the page reloads
 * its state from GET /api/lab afterwards.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, defineRoute, type ApiRoute } from '../../lib/http/api-kit.ts';
import { sandboxContracts as c, type SandboxReply } from '../../lib/http/sandbox-contracts.ts';
import { SandboxLimitError, type SandboxDirectory } from '../../lib/sandbox/directory.ts';
import { sandboxCookie } from './sandboxes.ts';

export interface SandboxRoutesContext {
  directory: SandboxDirectory;
  /** The sandbox a request is in now (the policy's ofRequest). */
  sandboxOf(req: IncomingMessage): string;
  /** Prepares a new sandbox's file tree (the starter files). */
  seed(sandbox: string): Promise<void>;
  /** The mail domain of a sandbox. */
  mailDomainOf(sandbox: string): string;
}

export function sandboxRoutes(ctx: SandboxRoutesContext): ApiRoute[] {
  const reply = (sandbox: string): SandboxReply => {
    const login = ctx.directory.loginOf(sandbox);
    if (!login) throw new HttpError(404, `No sandbox ${sandbox}.`);
    return { sandbox, ...login, mailDomain: ctx.mailDomainOf(sandbox), shared: sandbox === ctx.directory.defaultSandbox };
  };
  return [
    defineRoute(c.create, async ({ replyHeaders }) => {
      let created;
      try {
        created = ctx.directory.create();
      } catch (err) {
        if (err instanceof SandboxLimitError) throw new HttpError(429, err.message);
        throw err;
      }
      await ctx.seed(created.account.id);
      replyHeaders['set-cookie'] = sandboxCookie(created.token);
      return reply(created.account.id);
    }),
    defineRoute(c.open, ({ body, replyHeaders }) => {
      const token = ctx.directory.open(body.sandbox, body.password);
      if (token === null) throw new HttpError(403, 'No sandbox has that id and password: check both on the page that shows them.');
      replyHeaders['set-cookie'] = sandboxCookie(token);
      return reply(body.sandbox);
    }),
    // Answers only which sandbox was left: what the browser is in next (the default sandbox on
    // this machine, none on another) is GET /api/lab's to say once the cookie is gone.
    defineRoute(c.leave, ({ req, replyHeaders }) => {
      const left = ctx.sandboxOf(req);
      replyHeaders['set-cookie'] = sandboxCookie(null);
      return { left };
    }),
  ];
}
