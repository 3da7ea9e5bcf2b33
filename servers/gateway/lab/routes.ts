/**
 * The access-control lab's API under /api/access/… (contracts.ts): the catalogue and Sync, the
 * model's editors, the decision log with each change's revocation-to-effect time, and the request
 * console. Everything is the calling browser's sandbox; input is validated by the contracts.
 */
import { defineRoute, type ApiRoute } from '../../../lib/http/api-kit.ts';
import type { Contract, JsonBodyOf } from '../../../lib/http/contract.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { ownerOfRequest, type SandboxPolicy } from '../../daemon/sandboxes.ts';
import type { CatalogueState, CatalogueRevision } from '../access/catalogue-state.ts';
import type { DecisionPoint } from '../access/decide.ts';
import type { DecisionLog } from '../access/log.ts';
import type { AccessStore, Entity } from '../access/store.ts';
import { accessContracts as c, type AccessModel, type CatalogueView } from './contracts.ts';
import { sendThroughTap } from '../../soap/lab/http-client.ts';
import { buildRequest } from './request-console.ts';

export interface GatewayRouteContext {
  tap: Tap;
  sandboxes: SandboxPolicy;
  /** The host clients use for the services (public tap address), e.g. '127.0.0.1:8090'. */
  publicHost(): string;
  store: AccessStore;
  decisions: DecisionPoint;
  log: DecisionLog;
  /** The sandbox's catalogue in force (each sandbox syncs its own). */
  catalogueOf(sandbox: string): CatalogueState;
  ensureSeeded(sandbox: string): void;
  /** The demo users' password in a sandbox: that sandbox's login password. */
  password(sandbox: string): string;
}

/** The catalogue revision as the page shows it, each service with the features and products of `model` that include it. */
export function catalogueView(revision: CatalogueRevision, model: AccessModel): CatalogueView {
  return {
    revision: revision.revision,
    version: revision.version,
    extractedAt: revision.extractedAt,
    stats: revision.stats,
    services: revision.catalogue.services.map((service) => {
      const features = model.features.filter((f) => f.services.includes(service.id));
      const products = model.products.filter((p) => p.features.some((id) => features.some((f) => f.id === id)));
      return { ...service, features: features.map((f) => f.name), products: products.map((p) => p.name) };
    }),
  };
}

export function gatewayRoutes(ctx: GatewayRouteContext): ApiRoute[] {
  const sandboxOf = (req: Parameters<SandboxPolicy['ofRequest']>[0]) => {
    const sandbox = ctx.sandboxes.ofRequest(req);
    ctx.ensureSeeded(sandbox);
    return sandbox;
  };
  const { store } = ctx;

  /** The four routes of one table, over the store's create/update and the shared remove (replies checked by the contracts). */
  type Crud = { list: Contract; create: Contract; update: Contract; remove: Contract };
  const crud = <K extends Crud>(entity: Entity, k: K, create: (sandbox: string, input: JsonBodyOf<K['create']>) => unknown, update: (sandbox: string, id: number, input: JsonBodyOf<K['update']>) => unknown): ApiRoute[] => {
    const idOf = (params: unknown) => (params as { id: number }).id;
    return [
      defineRoute(k.list, ({ req }) => ({ items: store.model(sandboxOf(req))[entity] }) as never),
      defineRoute(k.create, ({ req, body }) => create(sandboxOf(req), body as JsonBodyOf<K['create']>) as never),
      defineRoute(k.update, ({ req, params, body }) => update(sandboxOf(req), idOf(params), body as JsonBodyOf<K['update']>) as never),
      defineRoute(k.remove, ({ req, params }) => store.remove(sandboxOf(req), entity, idOf(params)) as never),
    ];
  };

  return [
    defineRoute(c.catalogue, ({ req }) => {
      const sandbox = sandboxOf(req);
      return catalogueView(ctx.catalogueOf(sandbox).now, store.model(sandbox));
    }),
    defineRoute(c.sync, ({ req, body }) => {
      const sandbox = sandboxOf(req);
      const catalogue = ctx.catalogueOf(sandbox);
      const before = catalogue.now;
      const { revision, diff } = catalogue.sync(body.version);
      // Only this sandbox's catalogue changed: it decides on the new one from its next request.
      ctx.decisions.invalidate(sandbox, `catalogue synced to ${body.version} (revision ${revision.revision})`);
      return {
        catalogue: catalogueView(revision, store.model(sandbox)),
        diff: {
          from: { revision: before.revision, version: before.version },
          to: { revision: revision.revision, version: revision.version },
          added: diff.added,
          removed: diff.removed,
          changed: diff.changed,
        },
      };
    }),
    defineRoute(c.model, ({ req }) => store.model(sandboxOf(req))),
    ...crud('features', c.features, (s, i) => store.createFeature(s, i), (s, id, i) => store.updateFeature(s, id, i)),
    ...crud('products', c.products, (s, i) => store.createProduct(s, i), (s, id, i) => store.updateProduct(s, id, i)),
    ...crud('communities', c.communities, (s, i) => store.createCommunity(s, i), (s, id, i) => store.updateCommunity(s, id, i)),
    ...crud('clubs', c.clubs, (s, i) => store.createClub(s, i), (s, id, i) => store.updateClub(s, id, i)),
    ...crud('users', c.users, (s, i) => store.createUser(s, i), (s, id, i) => store.updateUser(s, id, i)),
    ...crud('subscriptions', c.subscriptions, (s, i) => store.createSubscription(s, i), (s, id, i) => store.updateSubscription(s, id, i)),
    ...crud('blacklist', c.blacklist, (s, i) => store.createBlacklist(s, i), (s, id, i) => store.updateBlacklist(s, id, i)),
    defineRoute(c.decisions, ({ req, query }) => {
      const sandbox = sandboxOf(req);
      return { decisions: ctx.log.recent(sandbox, query.limit), changes: ctx.decisions.changeLog(sandbox) };
    }),
    defineRoute(c.request, async ({ req, body }) => {
      const owner = ownerOfRequest(ctx.sandboxes, req);
      ctx.ensureSeeded(owner.sandbox);
      const user = body.user === null ? undefined : ctx.decisions.user(owner.sandbox, { name: body.user });
      const request = buildRequest(ctx.publicHost(), body, { password: ctx.password(owner.sandbox), apiKey: user?.apiKey });
      const exchange = await sendThroughTap(ctx.tap, request, owner, 20_000, 'access-control request console');
      const decision = exchange.conn ? (ctx.log.ofConnection(owner.sandbox, exchange.conn)[0] ?? null) : null;
      return { ...exchange, decision };
    }),
  ];
}
