/**
 * The access-control lab's scripted fault (issue 13): gateway.revoke-at-step. Armed with a step N,
 * the Nth request of the sandbox (or of one connection) that reaches the decision point finds the
 * subscriptions it relies on suspended just before the decision: the lab suspends every active
 * subscription of the caller's groups whose product reaches the requested service, through the
 * same store call an admin's click makes, so the cached decisions are invalidated at once and this
 * very request is denied. The connection's transcript says which subscriptions the lab suspended.
 */
import type { FaultActions, FaultEngine } from '../../lib/faults/engine.ts';
import { faultAnnotation, injectedMark } from '../../lib/faults/injected.ts';
import type { ConnectionRecorder } from '../../lib/wire/recorder.ts';
import type { AccessUser } from './access/decide.ts';
import type { AccessStore } from './access/store.ts';
import type { AccessModel } from './lab/contracts.ts';

const RULE = 'gateway.revoke-at-step';

/** The active subscriptions of the user's groups whose product reaches `service`. */
function relied(model: AccessModel, user: AccessUser, service: string): AccessModel['subscriptions'] {
  const member = model.users.find((u) => u.id === user.id);
  if (!member) return [];
  const clubs = model.clubs.filter((c) => member.clubs.includes(c.id));
  const communities = new Set([...member.communities, ...clubs.map((c) => c.community)]);
  const inGroup = (s: AccessModel['subscriptions'][number]) => (s.group.kind === 'club' ? member.clubs.includes(s.group.id) : communities.has(s.group.id));
  const features = new Set(model.features.filter((f) => f.services.includes(service)).map((f) => f.id));
  const reaching = new Set(model.products.filter((p) => p.features.some((id) => features.has(id))).map((p) => p.id));
  return model.subscriptions.filter((s) => s.state === 'active' && inGroup(s) && reaching.has(s.product));
}

export function gatewayScriptedFaults(deps: { faults: FaultEngine; store: AccessStore }): {
  actions: Record<string, FaultActions>;
  /** The interceptor asks before each decision: the lab may suspend subscriptions first. */
  beforeDecision(sandbox: string, user: AccessUser, service: string, recorder: ConnectionRecorder): void;
} {
  /** Requests counted per sandbox since the rule was armed (or last fired). */
  const counts = new Map<string, number>();
  return {
    actions: {
      [RULE]: {
        armed: (fault) => void counts.set(fault.sandbox, 0),
        disarmed: (fault) => void counts.delete(fault.sandbox),
      },
    },
    beforeDecision(sandbox, user, service, recorder) {
      const target = { sandbox, conn: recorder.info.id };
      const armed = deps.faults.peek(RULE, target);
      if (!armed) return;
      const count = (counts.get(sandbox) ?? 0) + 1;
      counts.set(sandbox, count);
      if (count < (armed.param ?? 3)) return;
      const fired = deps.faults.fire(RULE, target);
      const rule = deps.faults.rule(RULE);
      if (!fired || !rule) return;
      counts.set(sandbox, 0);
      const model = deps.store.model(sandbox);
      const suspended = relied(model, user, service);
      for (const s of suspended) deps.store.updateSubscription(sandbox, s.id, { group: s.group, product: s.product, state: 'suspended' });
      const product = (id: number) => model.products.find((p) => p.id === id)?.name ?? String(id);
      const text = suspended.length
        ? `Request ${count} of this sandbox: the lab suspended ${suspended.map((s) => `the ${s.group.kind}'s subscription to ${product(s.product)}`).join(', ')} before the decision.`
        : `Request ${count} of this sandbox: ${user.name} relies on no active subscription for ${service}, so there was nothing to suspend.`;
      recorder.record({ dir: 'note', kind: 'note', text, bytes: 0, annotation: faultAnnotation(rule), injected: injectedMark(rule) }, 'endpoint');
    },
  };
}
