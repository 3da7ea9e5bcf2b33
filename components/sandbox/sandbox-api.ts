/**
 * The sandbox routes for the page (lib/http/sandbox-contracts.ts), and GET /api/lab's part that
 * says which sandbox this browser is in. Each answer is parsed by its contract's schema.
 */
import { callRoute } from '@/lib/http/contract.ts';
import { sandboxContracts as c, SandboxReplySchema, type SandboxReply } from '@/lib/http/sandbox-contracts.ts';
import { fetchJson } from '@/components/lab/use-lab-feed';

export const sandboxApi = {
  /** A new sandbox for this browser (the answer sets its cookie). */
  create: () => callRoute(c.create, { body: {} }),
  /** Reopens a sandbox by its id and password; a wrong pair is a 403 with the API's words. */
  open: (sandbox: string, password: string) => callRoute(c.open, { body: { sandbox, password } }),
  /** Back to the machine's default sandbox (the student's stays, reopenable). */
  leave: () => callRoute(c.leave, { body: {} }),
  /** The calling browser's sandbox and login, from GET /api/lab (which has no contract: each lab adds its info). */
  current: async (): Promise<SandboxReply> => SandboxReplySchema.parse(await fetchJson<unknown>('/api/lab')),
};
