/**
 * The access-control lab's routes (/api/access/…), declared once for the daemon (routes.ts), the
 * page and the tests. Pure zod and types: the browser imports this file.
 *
 * The model (issue 12): services are grouped into features, features into products; users belong
 * to communities and to clubs inside a community; a group (community or club) subscribes to
 * products; a blacklisted user is refused everything. Every change applies to the very next request.
 */
import { z } from 'zod';
import { route, segment } from '../../../lib/http/contract.ts';
import type { CallNode } from '../catalogue/types.ts';

/** Row ids in the lab's tables (numbers in paths, so a path like /features/1 names one). */
const Id = segment(/\d{1,9}/, z.coerce.number().int().positive());
const Name = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'letters, digits, space, dot, underscore, dash');
const Description = z.string().max(300).default('');

/** A service's stable name across catalogue versions (the route table's `name`). */
export const ServiceIdSchema = z.string().min(3).max(300);

/** A method reached from a handler (catalogue/types.ts CallNode): controller → service → repository. */
export const CallNodeSchema: z.ZodType<CallNode> = z.lazy(() =>
  z.object({
    class: z.string().nullable(),
    method: z.string(),
    file: z.string(),
    line: z.number(),
    layer: z.enum(['controller', 'service', 'repository', 'helper']),
    calls: z.array(CallNodeSchema),
    recursive: z.literal(true).optional(),
  }),
);

const TypeSchema = z.object({ name: z.string(), array: z.boolean(), fields: z.array(z.object({ name: z.string(), type: z.string(), optional: z.boolean() })) });

/** One service of the catalogue (as extracted statically), with the features and products that include it. */
export const CatalogueServiceSchema = z.object({
  /** The stable service name (`courses.enrol`, `soap.calendar.getMonth`): what features list. */
  id: ServiceIdSchema,
  /** rest: REST/JSON; soap: the SOAP calendar (a denial is a SOAP Fault). */
  protocol: z.enum(['rest', 'soap']),
  method: z.string(),
  uriTemplate: z.string(),
  summary: z.string(),
  status: z.number(),
  handler: z.object({ class: z.string(), method: z.string(), file: z.string(), line: z.number(), declaredIn: z.string().optional() }),
  request: TypeSchema,
  reply: TypeSchema,
  errors: z.array(z.object({ name: z.string(), status: z.number(), code: z.string() })),
  calls: z.array(CallNodeSchema),
  features: z.array(z.string()),
  products: z.array(z.string()),
});
export type CatalogueServiceView = z.infer<typeof CatalogueServiceSchema>;

export const CatalogueVersionSchema = z.enum(['v1', 'v2']);

export const CatalogueSchema = z.object({
  /** The catalogue revision in force (each Sync makes a new one). */
  revision: z.number(),
  /** Which version of the service sources it was extracted from (and which the host serves). */
  version: CatalogueVersionSchema,
  extractedAt: z.number(),
  /** How long the static extraction took (ms), over how many source files; cached: the sources had not changed. */
  stats: z.object({ files: z.number(), ms: z.number(), cached: z.boolean() }),
  services: z.array(CatalogueServiceSchema),
});
export type CatalogueView = z.infer<typeof CatalogueSchema>;

/** What Sync shows (catalogue/types.ts CatalogueDiff) between two revisions. */
export const CatalogueDiffSchema = z.object({
  from: z.object({ revision: z.number(), version: CatalogueVersionSchema }),
  to: z.object({ revision: z.number(), version: CatalogueVersionSchema }),
  added: z.array(ServiceIdSchema),
  removed: z.array(ServiceIdSchema),
  changed: z.array(z.object({ id: ServiceIdSchema, changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })) })),
});
export type CatalogueDiffView = z.infer<typeof CatalogueDiffSchema>;

// ── the model ──

export const FeatureSchema = z.object({ id: z.number(), name: z.string(), description: z.string(), services: z.array(ServiceIdSchema) });
export const FeatureInput = z.object({ name: Name, description: Description, services: z.array(ServiceIdSchema).max(500).default([]) }).strict();

export const ProductSchema = z.object({ id: z.number(), name: z.string(), description: z.string(), features: z.array(z.number()) });
export const ProductInput = z.object({ name: Name, description: Description, features: z.array(z.number().int().positive()).max(200).default([]) }).strict();

export const CommunitySchema = z.object({ id: z.number(), name: z.string(), description: z.string() });
export const CommunityInput = z.object({ name: Name, description: Description }).strict();

export const ClubSchema = z.object({ id: z.number(), name: z.string(), description: z.string(), community: z.number() });
export const ClubInput = z.object({ name: Name, description: Description, community: z.number().int().positive() }).strict();

/** A user: the lab password for HTTP Basic, or the API key in `X-Api-Key`. */
export const UserSchema = z.object({
  id: z.number(),
  name: z.string(),
  apiKey: z.string(),
  /** Communities joined directly (a club's community is implied by the club). */
  communities: z.array(z.number()),
  clubs: z.array(z.number()),
});
export const UserInput = z
  .object({
    name: Name,
    communities: z.array(z.number().int().positive()).max(100).default([]),
    clubs: z.array(z.number().int().positive()).max(100).default([]),
  })
  .strict();

export const GroupSchema = z.object({ kind: z.enum(['community', 'club']), id: z.number().int().positive() });
export const SubscriptionSchema = z.object({ id: z.number(), group: GroupSchema, product: z.number(), state: z.enum(['active', 'suspended']) });
export const SubscriptionInput = z.object({ group: GroupSchema, product: z.number().int().positive(), state: z.enum(['active', 'suspended']).default('active') }).strict();

export const BlacklistSchema = z.object({ id: z.number(), user: z.number(), reason: z.string(), since: z.number() });
export const BlacklistInput = z.object({ user: z.number().int().positive(), reason: z.string().max(300).default('') }).strict();

export const ModelSchema = z.object({
  features: z.array(FeatureSchema),
  products: z.array(ProductSchema),
  communities: z.array(CommunitySchema),
  clubs: z.array(ClubSchema),
  users: z.array(UserSchema),
  subscriptions: z.array(SubscriptionSchema),
  blacklist: z.array(BlacklistSchema),
});
export type AccessModel = z.infer<typeof ModelSchema>;

// ── decisions ──

/**
 * One link of the decision's chain: user → groups → subscriptions → products → features → service.
 * `ok: false` marks the first place the chain breaks (the reason of a denial).
 */
export const TraceStepSchema = z.object({
  step: z.enum(['user', 'blacklist', 'groups', 'subscriptions', 'products', 'features', 'service']),
  ok: z.boolean(),
  items: z.array(z.string()),
  note: z.string(),
});
export type TraceStep = z.infer<typeof TraceStepSchema>;

export const OutcomeSchema = z.enum(['permit', 'deny', 'unauthenticated', 'unknown-route']);

export const DecisionRecordSchema = z.object({
  id: z.number(),
  at: z.number(),
  /** The tapped HTTP connection (its transcript carries the decision as a note). */
  conn: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  service: ServiceIdSchema.nullable(),
  user: z.string().nullable(),
  via: z.enum(['basic', 'api-key']).nullable(),
  outcome: OutcomeSchema,
  status: z.number(),
  reason: z.string(),
  trace: z.array(TraceStepSchema),
  /** hit: answered from the decision cache; miss: walked the model. */
  cache: z.enum(['hit', 'miss']),
  /** Time the decision point took (µs). */
  decisionUs: z.number(),
  /** The model generation the decision was made on (each admin change makes a new one). */
  generation: z.number(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/** An admin change and how long it took to reach a request: committed → first request decided on it. */
export const ChangeRecordSchema = z.object({
  generation: z.number(),
  at: z.number(),
  what: z.string(),
  /** ms from the commit to the first decision made with it; null until a request comes. */
  effectMs: z.number().nullable(),
  /** The first decision made with it. */
  decision: z.number().nullable(),
});
export type ChangeRecord = z.infer<typeof ChangeRecordSchema>;

export const RequestExchangeSchema = z.object({
  conn: z.string().nullable(),
  request: z.string(),
  response: z.string(),
  status: z.number(),
  elapsedMs: z.number(),
  error: z.string().optional(),
  /** The interceptor's decision on this request (null if none was recorded, e.g. a bad request line). */
  decision: DecisionRecordSchema.nullable(),
});

/**
 * The four routes of one model table: list, create, update (PUT replaces), delete. Built without
 * `route()` because its path check cannot see through a generic path; the paths are literal.
 */
const crud = <P extends string, S extends z.ZodType, I extends z.ZodType>(path: P, schema: S, input: I) => ({
  list: { method: 'GET' as const, path: `/api/access/${path}` as const, reply: z.object({ items: z.array(schema) }) },
  create: { method: 'POST' as const, path: `/api/access/${path}` as const, body: input, reply: schema },
  update: { method: 'PUT' as const, path: `/api/access/${path}/:id` as const, params: { id: Id }, body: input, reply: schema },
  remove: { method: 'DELETE' as const, path: `/api/access/${path}/:id` as const, params: { id: Id }, reply: z.object({ ok: z.literal(true) }) },
});

export const accessContracts = {
  /** The catalogue in force, each service with the features and products that include it. */
  catalogue: route({ method: 'GET', path: '/api/access/catalogue', reply: CatalogueSchema }),
  /** Extracts the catalogue again from the sources of `version`: a new revision and its diff from the last. */
  sync: route({ method: 'POST', path: '/api/access/sync', body: z.object({ version: CatalogueVersionSchema }).strict(), reply: z.object({ catalogue: CatalogueSchema, diff: CatalogueDiffSchema }) }),
  /** The whole model at once (the editors and the domain-model drawing). */
  model: route({ method: 'GET', path: '/api/access/model', reply: ModelSchema }),
  features: crud('features', FeatureSchema, FeatureInput),
  products: crud('products', ProductSchema, ProductInput),
  communities: crud('communities', CommunitySchema, CommunityInput),
  clubs: crud('clubs', ClubSchema, ClubInput),
  users: crud('users', UserSchema, UserInput),
  subscriptions: crud('subscriptions', SubscriptionSchema, SubscriptionInput),
  blacklist: crud('blacklist', BlacklistSchema, BlacklistInput),
  /** The decision log, newest first, and each admin change's revocation-to-effect time. */
  decisions: route({
    method: 'GET',
    path: '/api/access/decisions',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    reply: z.object({ decisions: z.array(DecisionRecordSchema), changes: z.array(ChangeRecordSchema) }),
  }),
  /**
   * The request console: calls a service as a user through the tap (so it is recorded, dissected
   * and steppable), as the calling browser's connection.
   */
  request: route({
    method: 'POST',
    path: '/api/access/request',
    bodyLimit: 256 * 1024,
    body: z
      .object({
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        /** The concrete path, e.g. /v1/books/1 (query allowed). */
        path: z.string().min(1).max(2000).regex(/^\/[^\s]*$/, 'a path starting with /, no spaces'),
        /** Who calls: a user name, or none (no credentials). */
        user: z.string().max(64).nullable().default(null),
        auth: z.enum(['basic', 'api-key', 'none']).default('basic'),
        /** Instead of the lab password / the user's key (to show a 401). */
        secret: z.string().max(200).regex(/^[^\r\n]*$/).optional(),
        body: z.string().max(200 * 1024).optional(),
        contentType: z.string().max(200).regex(/^[^\r\n]*$/).optional(),
        /** SOAP 1.1 needs a SOAPAction header. */
        soapAction: z.string().max(300).regex(/^[^\r\n]*$/).optional(),
      })
      .strict(),
    reply: RequestExchangeSchema,
  }),
};
