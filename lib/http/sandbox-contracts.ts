/**
 * Contracts of the sandbox routes (issue 15): a browser opens its own sandbox, reopens one on
 * another machine with its id and password, or leaves it (back to the machine's default sandbox).
 * Each answer sets or clears the HttpOnly cookie that holds the browser's sandbox token.
 */
import { z } from 'zod';
import { route } from './contract.ts';

/** A student sandbox id as the directory makes them (lib/sandbox/directory.ts SANDBOX_ID). */
export const SandboxIdSchema = z.string().regex(/^[a-hjkmnp-z2-9]{6}$/, 'A sandbox id is six letters and digits, as the lab page shows it.');

/** The sandbox a browser is in now, and its login for external clients. */
export const SandboxReplySchema = z.object({
  sandbox: z.string(),
  user: z.string(),
  password: z.string(),
  mailDomain: z.string(),
  shared: z.boolean(),
});
export type SandboxReply = z.infer<typeof SandboxReplySchema>;

export const sandboxContracts = {
  /** Opens a new sandbox for this browser (its own mailbox, files, transcripts, step mode). */
  create: route({ method: 'POST', path: '/api/sandboxes', body: z.object({}).strict(), reply: SandboxReplySchema }),
  /** Reopens a sandbox in this browser with its id and password (another machine, another browser). */
  open: route({
    method: 'POST',
    path: '/api/sandboxes/open',
    body: z.object({ sandbox: SandboxIdSchema, password: z.string().min(1).max(64) }).strict(),
    reply: SandboxReplySchema,
  }),
  /** This browser leaves its sandbox (it stays on the lab, reopenable with its id and password). */
  leave: route({ method: 'POST', path: '/api/sandboxes/leave', body: z.object({}).strict(), reply: z.object({ left: z.string() }) }),
};
