/**
 * Since issue 8 #13 every lab's real server answers only its tap, so a bench's "direct" runs need
 * a second instance of that server without the guard. It must get the lab's own context (TLS
 * identity, credentials, mailbox, secrets, config): `capturing` wraps a lab module to keep it.
 */
import type { LabContext, LabModule } from '../servers/daemon/lab.ts';
import type { Protocol } from '../lib/wire/event.ts';

export interface CapturedContext<Id extends Protocol, S, I> {
  /** Pass this to the daemon instead of the lab's own module. */
  lab: LabModule<Id, S, I>;
  /** The context the daemon gave the lab (throws before the lab started). */
  context(): LabContext<S>;
}

export function capturing<Id extends Protocol, S, I>(module: LabModule<Id, S, I>): CapturedContext<Id, S, I> {
  let captured: LabContext<S> | null = null;
  return {
    lab: {
      ...module,
      start: (ctx) => {
        captured = ctx;
        return module.start(ctx);
      },
    },
    context: () => {
      if (!captured) throw new Error('the lab has not started yet');
      return captured;
    },
  };
}
