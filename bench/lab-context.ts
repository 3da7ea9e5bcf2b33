/**
 * Since issue 8 #13 every lab's real server answers only its tap, so a bench's "direct" runs need
 * a second instance of that server without the guard. It must get the lab's own context (TLS
 * identity, credentials, mailbox, secrets, config): `capturing` wraps a lab starter to keep it.
 */
import type { LabContext, LabStarter } from '../servers/daemon/lab.ts';

export interface CapturedContext {
  /** Pass this to the daemon instead of the lab's own starter. */
  starter: LabStarter;
  /** The context the daemon gave the lab (throws before the lab started). */
  context(): LabContext;
}

export function capturing(starter: LabStarter): CapturedContext {
  let captured: LabContext | null = null;
  return {
    starter: (ctx) => {
      captured = ctx;
      return starter(ctx);
    },
    context: () => {
      if (!captured) throw new Error('the lab has not started yet');
      return captured;
    },
  };
}
