/**
 * The decision point (the seed's access-control server): given a user and a service, it walks
 * user → groups → subscriptions → products → features → service and permits or denies, keeping the
 * walk as a trace. The blacklist is checked first and overrides every subscription.
 *
 * How groups combine: a user's groups are the communities they joined, the clubs they joined, and
 * each club's community (a club member is a member of its community). The products they reach are
 * the union of every active subscription of any of those groups: club and community subscriptions
 * add up, neither narrows the other; a suspended subscription gives nothing. Only the blacklist takes
 * access away.
 *
 * Decisions are cached per sandbox until the model changes: the store calls `invalidate` after each
 * committed write (no TTL), so the very next request is decided on the new model. Each change is
 * timed from its commit to the first decision made on it (revocation-to-effect).
 */
import type { AccessModel, ChangeRecord, TraceStep } from '../lab/contracts.ts';

/** A user as the interceptor identifies them. */
export interface AccessUser {
  id: number;
  name: string;
  apiKey: string;
}

/** What the decision point answers. */
export interface Decision {
  permit: boolean;
  reason: string;
  trace: TraceStep[];
  cache: 'hit' | 'miss';
  decisionUs: number;
  generation: number;
}

/** The model of one sandbox, indexed for deciding, rebuilt once per generation. */
interface Snapshot {
  generation: number;
  model: AccessModel;
  byName: Map<string, AccessUser>;
  byKey: Map<string, AccessUser>;
  /** Cached decisions by user id, then service (no key string built per request); `cached` counts them. */
  decisions: Map<number, Map<string, Omit<Decision, 'cache' | 'decisionUs'>>>;
  cached: number;
}

const MAX_CHANGES = 50;
/** Bounds the cache of one sandbox (users × services); beyond it the cache starts over. */
const MAX_CACHED = 10_000;

export class DecisionPoint {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly generations = new Map<string, number>();
  private readonly changes = new Map<string, (ChangeRecord & { t0: number })[]>();

  constructor(private readonly load: (sandbox: string) => AccessModel) {}

  /** The model of `sandbox` changed (called by the store after the commit): drop its cache now. */
  invalidate(sandbox: string, what: string): void {
    const generation = (this.generations.get(sandbox) ?? 0) + 1;
    this.generations.set(sandbox, generation);
    this.snapshots.delete(sandbox);
    const list = this.changes.get(sandbox) ?? [];
    list.unshift({ generation, at: Date.now(), what, effectMs: null, decision: null, t0: performance.now() });
    if (list.length > MAX_CHANGES) list.length = MAX_CHANGES;
    this.changes.set(sandbox, list);
  }

  /** Drops the cache, generation and change log of a sandbox that expired (its model rows are gone). */
  forget(sandbox: string): void {
    this.snapshots.delete(sandbox);
    this.generations.delete(sandbox);
    this.changes.delete(sandbox);
  }

  /** Recent changes of a sandbox, newest first, with their revocation-to-effect times. */
  changeLog(sandbox: string): ChangeRecord[] {
    return (this.changes.get(sandbox) ?? []).map(({ t0: _t0, ...change }) => change);
  }

  /** The user with this name or API key in `sandbox` (undefined: unknown). */
  user(sandbox: string, by: { name: string } | { apiKey: string }): AccessUser | undefined {
    const snapshot = this.snapshot(sandbox);
    return 'name' in by ? snapshot.byName.get(by.name) : snapshot.byKey.get(by.apiKey);
  }

  /** Decides whether `user` may call `service`; `decisionId` is the log id the first decision on a change is credited to. */
  decide(sandbox: string, user: AccessUser, service: string, decisionId?: number): Decision {
    const started = performance.now();
    const snapshot = this.snapshot(sandbox);
    let ofUser = snapshot.decisions.get(user.id);
    let cached = ofUser?.get(service);
    const hit = cached !== undefined;
    if (!cached) {
      cached = { ...walk(snapshot.model, user, service), generation: snapshot.generation };
      if (snapshot.cached >= MAX_CACHED) {
        snapshot.decisions.clear();
        snapshot.cached = 0;
        ofUser = undefined;
      }
      if (!ofUser) snapshot.decisions.set(user.id, (ofUser = new Map()));
      ofUser.set(service, cached);
      snapshot.cached++;
    }
    const done = performance.now();
    // Every change not yet seen by a request takes effect now.
    for (const change of this.changes.get(sandbox) ?? []) {
      if (change.effectMs !== null) break;
      change.effectMs = Math.round((done - change.t0) * 1000) / 1000;
      change.decision = decisionId ?? null;
    }
    const { permit, reason, trace, generation } = cached;
    return { permit, reason, trace, cache: hit ? 'hit' : 'miss', decisionUs: Math.round((done - started) * 1000 * 10) / 10, generation };
  }

  private snapshot(sandbox: string): Snapshot {
    const existing = this.snapshots.get(sandbox);
    if (existing) return existing;
    const model = this.load(sandbox);
    const users = model.users.map((u) => ({ id: u.id, name: u.name, apiKey: u.apiKey }));
    const snapshot: Snapshot = {
      generation: this.generations.get(sandbox) ?? 0,
      model,
      byName: new Map(users.map((u) => [u.name, u])),
      byKey: new Map(users.map((u) => [u.apiKey, u])),
      decisions: new Map(),
      cached: 0,
    };
    this.snapshots.set(sandbox, snapshot);
    return snapshot;
  }
}

/** The walk itself, on a model: pure, so it is tested without a database. */
export function walk(model: AccessModel, user: AccessUser, service: string): { permit: boolean; reason: string; trace: TraceStep[] } {
  const trace: TraceStep[] = [{ step: 'user', ok: true, items: [user.name], note: `Identified as ${user.name}.` }];
  const deny = (step: TraceStep['step'], items: string[], note: string) => {
    trace.push({ step, ok: false, items, note });
    return { permit: false, reason: note, trace };
  };

  const listed = model.blacklist.find((b) => b.user === user.id);
  if (listed) return deny('blacklist', [user.name], `${user.name} is blacklisted${listed.reason ? ` (${listed.reason})` : ''}: the blacklist overrides every subscription.`);
  trace.push({ step: 'blacklist', ok: true, items: [], note: `${user.name} is not blacklisted.` });

  const member = model.users.find((u) => u.id === user.id);
  const communityName = new Map(model.communities.map((c) => [c.id, c.name]));
  const clubs = model.clubs.filter((c) => member?.clubs.includes(c.id));
  const communities = new Set(member?.communities ?? []);
  for (const club of clubs) communities.add(club.community);
  const groups = [
    ...[...communities].map((id) => ({ kind: 'community' as const, id, label: `community ${communityName.get(id) ?? id}${member?.communities.includes(id) ? '' : ` (through club ${clubs.filter((c) => c.community === id).map((c) => c.name).join(', ')})`}` })),
    ...clubs.map((c) => ({ kind: 'club' as const, id: c.id, label: `club ${c.name}` })),
  ];
  if (groups.length === 0) return deny('groups', [], `${user.name} belongs to no community or club, so no subscription reaches them.`);
  trace.push({ step: 'groups', ok: true, items: groups.map((g) => g.label), note: `${user.name} is in ${groups.length} group(s); a club member is a member of its community too.` });

  const productName = new Map(model.products.map((p) => [p.id, p.name]));
  const mine = model.subscriptions.filter((s) => groups.some((g) => g.kind === s.group.kind && g.id === s.group.id));
  const groupLabel = (kind: string, id: number) => (kind === 'community' ? `community ${communityName.get(id) ?? id}` : `club ${model.clubs.find((c) => c.id === id)?.name ?? id}`);
  const subscriptionItems = mine.map((s) => `${groupLabel(s.group.kind, s.group.id)} → ${productName.get(s.product) ?? s.product} (${s.state})`);
  const active = mine.filter((s) => s.state === 'active');
  if (active.length === 0) {
    return deny('subscriptions', subscriptionItems, mine.length ? `Every subscription of ${user.name}'s groups is suspended.` : `None of ${user.name}'s groups subscribes to a product.`);
  }
  trace.push({ step: 'subscriptions', ok: true, items: subscriptionItems, note: `${active.length} active subscription(s); club and community subscriptions add up.` });

  const products = model.products.filter((p) => active.some((s) => s.product === p.id));
  trace.push({ step: 'products', ok: true, items: products.map((p) => p.name), note: `Products reached: ${products.map((p) => p.name).join(', ')}.` });

  const featureIds = new Set(products.flatMap((p) => p.features));
  const features = model.features.filter((f) => featureIds.has(f.id));
  if (features.length === 0) return deny('features', [], `The products ${products.map((p) => p.name).join(', ')} contain no features.`);
  trace.push({ step: 'features', ok: true, items: features.map((f) => f.name), note: `Features in those products: ${features.map((f) => f.name).join(', ')}.` });

  const matching = features.filter((f) => f.services.includes(service));
  if (matching.length === 0) {
    const elsewhere = model.features.filter((f) => f.services.includes(service));
    const sellers = model.products.filter((p) => p.features.some((id) => elsewhere.some((f) => f.id === id)));
    const hint = elsewhere.length
      ? ` It is in feature ${elsewhere.map((f) => f.name).join(', ')}${sellers.length ? ` of product ${sellers.map((p) => p.name).join(', ')}` : ' (in no product)'}, which none of ${user.name}'s groups subscribes to.`
      : ' No feature includes it.';
    return deny('service', [service], `None of ${user.name}'s features includes ${service}.${hint}`);
  }
  const via = matching.map((f) => {
    const product = products.find((p) => p.features.includes(f.id));
    return `${f.name}${product ? ` in ${product.name}` : ''}`;
  });
  trace.push({ step: 'service', ok: true, items: [service], note: `${service} is in feature ${via.join(', ')}.` });
  return { permit: true, reason: `${user.name} may call ${service} (feature ${via.join(', ')}).`, trace };
}
