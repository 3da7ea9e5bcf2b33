/**
 * The WS-Policy lab's routes (/api/policy/…), declared once for the daemon (routes.ts), the page and the
 * tests. Pure zod and types: the browser imports this file.
 *
 * The provider is the Orders service on the SOAP lab's host (/soap/orders); the client is the daemon's own,
 * one per sandbox, calling it through the SOAP lab's tap so every exchange is in the SOAP transcript.
 */
import { z } from 'zod';
import { route } from '../../../lib/http/contract.ts';

/** The label of every connection the lab's client opens: the step bar names it, the Call tab's wire finds it by it. */
export const POLICY_CLIENT_LABEL = 'WS-Policy client';

/** The Orders service's operations. */
export const ORDER_OPERATIONS = ['placeOrder', 'getOrder', 'cancelOrder'] as const;
export type OrderOperation = (typeof ORDER_OPERATIONS)[number];
export const OrderOperationSchema = z.enum(ORDER_OPERATIONS);

/** Which WS-RM versions the provider offers: both as alternatives, one, or none (no RM assertion at all). */
export const RmOfferSchema = z.enum(['both', '1.1', '1.0', 'none']);
export type RmOffer = z.infer<typeof RmOfferSchema>;
export const RmVersionSchema = z.enum(['1.1', '1.0']);
export type RmVersion = z.infer<typeof RmVersionSchema>;

/** What the provider admin sets; the WSDL and the enforcement follow at once. */
export const ProviderSettingsSchema = z.object({
  /** Publish (and enforce) wsam:Addressing with nested wsam:AnonymousResponses at the endpoint. */
  addressing: z.boolean(),
  /** The RM alternatives published at the binding. */
  rm: RmOfferSchema,
  /** Publish an empty wsp:ExactlyOne at the binding: no alternative, "no acceptable configuration". */
  empty: z.boolean(),
});
export type ProviderSettings = z.infer<typeof ProviderSettingsSchema>;

/** What the client supports (its policy set) and how it computes. */
export const ClientSettingsSchema = z.object({
  /** Can send WS-Addressing headers (wsam:Addressing with AnonymousResponses). */
  addressing: z.boolean(),
  /** RM versions it speaks; the newest compatible one wins. */
  rm: z.array(RmVersionSchema).max(2),
  /** Understands the MTOM serialization assertion (mtom:MTOM, W3C WS-MTOMPolicy). */
  mtom: z.boolean(),
  /** Understands the ignorable logging assertion. */
  logging: z.boolean(),
  /** Strict: every assertion must be matched. Lax: unmatched wsp:Ignorable assertions are let through (WS-Policy 1.5 §4.5). */
  mode: z.enum(['strict', 'lax']),
  /** How the provider policy is fetched: HTTP GET ?wsdl or WS-MetadataExchange GetMetadata. */
  via: z.enum(['get', 'mex']),
  /** Dispatch-client rule: operation-scoped provider policy is honoured only if the same for every operation. */
  dispatch: z.boolean(),
});
export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

/** One assertion of an alternative, with the WSDL elements (scopes) that attached it. */
export const AssertionRowSchema = z.object({
  /** Prefixed for reading: `wsrmp:RMAssertion`. */
  name: z.string(),
  ns: z.string(),
  ignorable: z.boolean(),
  /** Nested assertions as paths: `AnonymousResponses`. */
  nested: z.array(z.string()),
  /** Where it came from: `wsdl:binding OrdersSoap12Binding`; empty for the client's own. */
  scopes: z.array(z.string()),
});
export type AssertionRow = z.infer<typeof AssertionRowSchema>;
export const AlternativeRowSchema = z.object({ index: z.number(), assertions: z.array(AssertionRowSchema) });
export type AlternativeRow = z.infer<typeof AlternativeRowSchema>;

/** One attachment point of the WSDL and its policy (inline or by reference), as published. */
export const ScopeRowSchema = z.object({
  subject: z.enum(['service', 'endpoint', 'operation', 'message']),
  /** `wsdl:binding`, `wsdl:portType/wsdl:operation/wsdl:input`… */
  element: z.string(),
  name: z.string(),
  /** How the policy is attached: inline wsp:Policy or wsp:PolicyReference to a wsu:Id. */
  how: z.enum(['inline', 'reference']),
  /** The referenced wsu:Id, for references. */
  ref: z.string().optional(),
  /** The policy XML as published (the referenced policy for a reference). */
  xml: z.string(),
});
export type ScopeRow = z.infer<typeof ScopeRowSchema>;

const MismatchSchema: z.ZodType<Mismatch> = z.lazy(() =>
  z.object({
    side: z.enum(['provider', 'client']),
    assertion: z.string(),
    ignorable: z.boolean(),
    reason: z.enum(['absent', 'nested-missing', 'nested-incompatible']),
    detail: z.string(),
    scopes: z.array(z.string()),
    nested: z.array(MismatchSchema).optional(),
  }),
);
/** Why one assertion found no partner: which side it is on, which scope attached it, and why strict/lax decided. */
export interface Mismatch {
  side: 'provider' | 'client';
  assertion: string;
  ignorable: boolean;
  reason: 'absent' | 'nested-missing' | 'nested-incompatible';
  detail: string;
  scopes: string[];
  nested?: Mismatch[];
}

export const PairRowSchema = z.object({
  provider: z.number(),
  client: z.number(),
  compatible: z.boolean(),
  mismatches: z.array(MismatchSchema),
  /** Ignorable assertions lax mode let through unmatched. */
  ignored: z.array(z.object({ side: z.enum(['provider', 'client']), assertion: z.string() })),
});
export type PairRow = z.infer<typeof PairRowSchema>;

/** The alternative the client uses for an operation, and why. */
export const ChosenSchema = z.object({
  provider: z.number(),
  client: z.number(),
  assertions: z.array(z.string()),
  addressing: z.boolean(),
  rm: RmVersionSchema.nullable(),
  mtom: z.boolean(),
  why: z.string(),
});
export type Chosen = z.infer<typeof ChosenSchema>;

/** The computation for one operation: its request's merged provider policy, intersected with the client's. */
export const OperationComputationSchema = z.object({
  operation: z.string(),
  /** endpoint ⊕ operation ⊕ input message, normalized. */
  provider: z.array(AlternativeRowSchema),
  pairs: z.array(PairRowSchema),
  compatible: z.number(),
  chosen: ChosenSchema.nullable(),
  /** Why nothing was chosen. */
  error: z.string().optional(),
});
export type OperationComputation = z.infer<typeof OperationComputationSchema>;

export const SubjectRowSchema = z.object({
  kind: z.enum(['service', 'endpoint', 'operation', 'message']),
  path: z.string(),
  /** The elements whose scope contains the subject and the assertions each attached. */
  attachments: z.array(z.object({ element: z.string(), name: z.string(), assertions: z.array(z.string()) })),
  /** The merged policy (WS-PolicyAttachment §4.1) in normal form; null when it could not be normalized. */
  normal: z.array(AlternativeRowSchema).nullable(),
  error: z.string().optional(),
});
export type SubjectRow = z.infer<typeof SubjectRowSchema>;

export const ComputationSchema = z.object({
  via: z.enum(['get', 'mex']),
  fetchedAt: z.number(),
  /** The SOAP connection that carried the fetch. */
  conn: z.string().nullable(),
  subjects: z.array(SubjectRowSchema),
  client: z.array(AlternativeRowSchema),
  operations: z.array(OperationComputationSchema),
  /** The dispatch-client rule's error, naming the operations whose policies differ. */
  dispatchError: z.string().optional(),
  /** Why the computation as a whole failed (fetch, parse, normalize). */
  error: z.string().optional(),
});
export type Computation = z.infer<typeof ComputationSchema>;

/** One rung of the ladder: a fetch, a protocol message, a fault, a refresh, a retry, a stop. */
export const LadderRowSchema = z.object({
  at: z.number(),
  kind: z.enum(['fetch', 'create-sequence', 'call', 'terminate-sequence', 'fault', 'refresh', 'retry', 'stop', 'error']),
  text: z.string(),
  conn: z.string().nullable(),
  status: z.number().optional(),
  /** wsa:/wsrm: subcode of a fault. */
  fault: z.object({ code: z.string(), subcode: z.string().optional(), reason: z.string() }).optional(),
});
export type LadderRow = z.infer<typeof LadderRowSchema>;

export const CacheSchema = z.object({
  cached: z.boolean(),
  via: z.enum(['get', 'mex']).optional(),
  url: z.string().optional(),
  fetchedAt: z.number().optional(),
  /** The seed's refreshProviderPolicy: set, the next call re-fetches and recomputes first. */
  refresh: z.boolean(),
});

export const PolicyStateSchema = z.object({
  sandbox: z.string(),
  endpoint: z.string(),
  wsdlUrl: z.string(),
  provider: z.object({ settings: ProviderSettingsSchema, scopes: z.array(ScopeRowSchema), wsdl: z.string() }),
  client: ClientSettingsSchema,
  cache: CacheSchema,
  computation: ComputationSchema.nullable(),
  ladder: z.array(LadderRowSchema),
});
export type PolicyState = z.infer<typeof PolicyStateSchema>;

export const CallReplySchema = z.object({
  ok: z.boolean(),
  /** The operation's answer, as text. */
  result: z.string().optional(),
  /** Why the client stopped (no compatible alternative, dispatch rule, retry failed too). */
  stopped: z.string().optional(),
  /** The rungs this call added. */
  ladder: z.array(LadderRowSchema),
  state: PolicyStateSchema,
});
export type CallReply = z.infer<typeof CallReplySchema>;

const Text = z.string().max(200).regex(/^[^\r\n<>&]*$/, 'no markup or line breaks');

export const policyContracts = {
  state: route({ method: 'GET', path: '/api/policy/state', reply: PolicyStateSchema }),
  /** The provider admin: changes the published (and enforced) policy live, for this sandbox. */
  provider: route({ method: 'POST', path: '/api/policy/provider', body: ProviderSettingsSchema.partial().strict(), reply: PolicyStateSchema }),
  /** The client's policy set and switches; the cached computation is redone with the cached provider policy. */
  client: route({ method: 'POST', path: '/api/policy/client', body: ClientSettingsSchema.partial().strict(), reply: PolicyStateSchema }),
  /** Fetches the provider policy (GET ?wsdl or MEX) through the tap and computes the effective policy. */
  fetch: route({ method: 'POST', path: '/api/policy/fetch', body: z.object({ via: z.enum(['get', 'mex']).optional() }).strict(), reply: PolicyStateSchema }),
  /** Calls an operation with the cached effective policy; a policy fault triggers one refresh and one retry. */
  call: route({
    method: 'POST',
    path: '/api/policy/call',
    body: z
      .object({
        operation: OrderOperationSchema.default('placeOrder'),
        args: z.record(z.string().regex(/^[A-Za-z]{1,20}$/), Text).default({}),
        /** Off: a policy fault is reported, not refreshed and retried. */
        retry: z.boolean().default(true),
      })
      .strict(),
    reply: CallReplySchema,
  }),
  /** Sets refreshProviderPolicy: the next call re-fetches and recomputes (or `now`: at once). */
  refresh: route({ method: 'POST', path: '/api/policy/refresh', body: z.object({ now: z.boolean().default(true) }).strict(), reply: PolicyStateSchema }),
};
