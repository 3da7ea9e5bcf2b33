/**
 * The WS-Policy lab's scripted fault (issue 13): policy.drop-rm10. Armed in a sandbox, the Orders
 * provider stops offering WS-ReliableMessaging 1.0 — its admin switch "RM 1.1 only" (or none, where
 * it offered only 1.0) — and every request it serves meanwhile is marked in that connection's
 * transcript. Disarming (or the last of `times` requests) puts the offer back as it was.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultActions, FaultEngine } from '../../lib/faults/engine.ts';
import { faultAnnotation, injectedMark } from '../../lib/faults/injected.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import type { RmOffer } from './lab/contracts.ts';
import type { OrdersProvider } from './lab/provider.ts';

const RULE = 'policy.drop-rm10';

/** The offer without RM 1.0. */
const WITHOUT_RM10: Record<RmOffer, RmOffer> = { both: '1.1', '1.0': 'none', '1.1': '1.1', none: 'none' };

export function policyScriptedFaults(deps: { faults: FaultEngine; provider: OrdersProvider; tap: Tap }): {
  actions: Record<string, FaultActions>;
  /** The provider's handler, marking each request served while the rule is armed. */
  handle(req: IncomingMessage, res: ServerResponse, remotePort: number): void;
} {
  /** Per sandbox: the offer before the rule, and the one it set (restored only if nobody changed it since). */
  const saved = new Map<string, { before: RmOffer; set: RmOffer }>();
  return {
    actions: {
      [RULE]: {
        armed(fault) {
          if (fault.scope.kind === 'connection') return 'The provider’s policy is per sandbox: arm this rule for the sandbox.';
          const before = saved.get(fault.sandbox)?.before ?? deps.provider.settings(fault.sandbox).rm;
          const set = WITHOUT_RM10[before];
          deps.provider.configure(fault.sandbox, { rm: set });
          saved.set(fault.sandbox, { before, set });
        },
        disarmed(fault) {
          const was = saved.get(fault.sandbox);
          saved.delete(fault.sandbox);
          if (was && deps.provider.settings(fault.sandbox).rm === was.set) deps.provider.configure(fault.sandbox, { rm: was.before });
        },
      },
    },
    handle(req, res, remotePort) {
      const recorder = deps.tap.byUpstreamPort(remotePort)?.recorder;
      const target = recorder && { sandbox: recorder.info.sandbox, conn: recorder.info.id };
      const rule = deps.faults.rule(RULE);
      if (target && rule && deps.faults.peek(RULE, target)) {
        const offer = deps.provider.settings(target.sandbox).rm;
        recorder.record(
          { dir: 'note', kind: 'note', text: `The provider serves this request without RM 1.0 (its policy offers ${offer === 'none' ? 'no RM' : `RM ${offer}`} now).`, bytes: 0, annotation: faultAnnotation(rule), injected: injectedMark(rule) },
          'endpoint',
        );
        // Counted once the answer has gone: the last of `times` puts the offer back after it, not before.
        res.once('close', () => deps.faults.fire(RULE, target));
      }
      deps.provider.handle(req, res, remotePort);
    },
  };
}
