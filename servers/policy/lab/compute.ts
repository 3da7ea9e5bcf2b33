/**
 * The client's policy computation, with lib/policy, on the provider's WSDL: per subject the attached policies
 * and their merge (WS-PolicyAttachment 1.5 §4.1), the normal form (WS-Policy 1.5 Framework §4.1), for each
 * operation the request's policy — endpoint ⊕ operation ⊕ input message, as Apache CXF's effective message
 * policy — intersected with the client's policy set (Framework §4.5, strict or lax) with every mismatch
 * explained and traced to the WSDL element that attached it, then one alternative selected: the newest RM
 * version wins (the seed: "가장 최신 버전"), then the alternative asking for least.
 */
import {
  RM_VERSIONS_NEWEST_FIRST,
  intersect,
  merge,
  normalize,
  parsePolicy,
  pickLatest,
  qnameKey,
  samePolicy,
  wsdlPolicies,
  type Alternative,
  type AssertionMismatch,
  type NormalPolicy,
  type PolicyRegistry,
  type PolicySubject,
  type QName,
} from '../../../lib/policy/index.ts';
import type { XmlElement } from '../../../lib/protocols/soap/xml.ts';
import type { AlternativeRow, Chosen, ClientSettings, Computation, Mismatch, OperationComputation, PairRow, SubjectRow } from './contracts.ts';
import { LOG_NS, MTOM_POLICY_NS, PREFIXES, RM, WSAM_NS, WSP_NS } from './ns.ts';

/** Where each assertion type came from: qname key → `wsdl:binding OrdersSoap12Binding`… */
type Scopes = Map<string, string[]>;

export const display = (q: QName): string => (PREFIXES[q.ns] ? `${PREFIXES[q.ns]}:${q.local}` : q.ns ? `{${q.ns}}${q.local}` : q.local);

/** The client's policy set as a WS-Policy expression: everything it supports is optional, RM one version at most. */
export function clientPolicyXml(s: ClientSettings): string {
  const rm = s.rm.length
    ? `<wsp:ExactlyOne><wsp:All/>${s.rm.includes('1.1') ? `<wsp:All><wsrmp:RMAssertion><wsp:Policy/></wsrmp:RMAssertion></wsp:All>` : ''}${s.rm.includes('1.0') ? `<wsp:All><wsrm10p:RMAssertion/></wsp:All>` : ''}</wsp:ExactlyOne>`
    : '';
  return (
    `<wsp:Policy xmlns:wsp="${WSP_NS}" xmlns:wsam="${WSAM_NS}" xmlns:wsrmp="${RM['1.1'].policyNs}" xmlns:wsrm10p="${RM['1.0'].policyNs}" xmlns:mtom="${MTOM_POLICY_NS}" xmlns:log="${LOG_NS}">` +
    (s.addressing ? `<wsam:Addressing wsp:Optional="true"><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing>` : '') +
    rm +
    (s.mtom ? `<mtom:MTOM wsp:Optional="true"/>` : '') +
    (s.logging ? `<log:Logging wsp:Optional="true"/>` : '') +
    `</wsp:Policy>`
  );
}

function rows(policy: NormalPolicy, scopes: Scopes): AlternativeRow[] {
  return policy.alternatives.map((alt, index) => ({
    index,
    assertions: alt.map((a) => ({ name: display(a.name), ns: a.name.ns, ignorable: a.ignorable, nested: (a.nested ?? []).map((n) => display(n.name)), scopes: scopes.get(qnameKey(a.name)) ?? [] })),
  }));
}

/** The assertion types each attachment of `subject` contributes, recorded in `scopes`. */
function attachmentRows(subject: PolicySubject, registry: PolicyRegistry, scopes: Scopes): SubjectRow['attachments'] {
  return subject.attachments.map((a) => {
    const names = new Set<string>();
    for (const p of a.policies) {
      const normal = normalize(p, { registry });
      if (!normal.ok) continue;
      for (const alt of normal.value.alternatives) for (const x of alt) names.add(display(x.name));
      for (const alt of normal.value.alternatives) {
        for (const x of alt) {
          const where = `${a.element} ${a.name}`;
          const list = scopes.get(qnameKey(x.name)) ?? [];
          if (!list.includes(where)) scopes.set(qnameKey(x.name), [...list, where]);
        }
      }
    }
    return { element: a.element, name: a.name, assertions: [...names] };
  });
}

function mismatchRow(m: AssertionMismatch, scopes: Scopes): Mismatch {
  const side = m.side === 'first' ? 'provider' : 'client';
  const from = side === 'provider' ? scopes.get(qnameKey(m.assertion)) ?? [] : ['client policy set'];
  return {
    side,
    assertion: display(m.assertion),
    ignorable: m.ignorable,
    reason: m.reason,
    detail: `${side === 'provider' ? 'Provider' : 'Client'} asks for ${display(m.assertion)} (from ${from.join(', ') || 'no scope'}): ${m.detail}`,
    scopes: from,
    ...(m.nested && { nested: m.nested.map((n) => mismatchRow(n, scopes)) }),
  };
}

const hasNs = (alt: Alternative, ns: string): boolean => alt.some((a) => a.name.ns === ns || (a.nested !== undefined && hasNs(a.nested, ns)));

/** Intersects one operation's request policy with the client's and selects an alternative. */
function operationComputation(operation: string, provider: NormalPolicy, client: NormalPolicy, mode: ClientSettings['mode'], scopes: Scopes, emptyAt: string[]): OperationComputation {
  const base = { operation, provider: rows(provider, scopes), pairs: [] as PairRow[], compatible: 0, chosen: null };
  if (provider.alternatives.length === 0) {
    return { ...base, error: `The provider's policy for ${operation} has no alternative: an empty wsp:ExactlyOne${emptyAt.length ? ` at ${emptyAt.join(', ')}` : ''} admits no behaviour (WS-Policy 1.5 Framework §4.3.3), so there is no acceptable configuration whatever the client supports.` };
  }
  const result = intersect(provider, client, mode);
  if (!result.ok) return { ...base, error: result.error.message };
  const pairs: PairRow[] = result.value.pairs.map((p) => ({
    provider: p.first,
    client: p.second,
    compatible: p.compatible,
    mismatches: p.mismatches.map((m) => mismatchRow(m, scopes)),
    ignored: p.ignored.map((i) => ({ side: i.side === 'first' ? ('provider' as const) : ('client' as const), assertion: display(i.assertion) })),
  }));
  const good = pairs.filter((p) => p.compatible);
  if (good.length === 0) {
    const closest = [...pairs].sort((a, b) => a.mismatches.length - b.mismatches.length)[0];
    const why = closest.mismatches.map((m) => m.detail).join(' ');
    return { ...base, pairs, error: `No alternative of the provider's policy for ${operation} is compatible with the client's policy set (${mode}). Closest: provider alternative ${closest.provider + 1} × client alternative ${closest.client + 1}. ${why}` };
  }
  // Newest RM version first (pickLatest over the compatible provider alternatives), then the one asking least.
  const candidates = good.map((p) => provider.alternatives[p.provider]);
  const version = pickLatest({ alternatives: candidates }, RM_VERSIONS_NEWEST_FIRST)?.version;
  const best = good
    .filter((p) => version === undefined || hasNs(provider.alternatives[p.provider], version))
    .sort((a, b) => provider.alternatives[a.provider].length - provider.alternatives[b.provider].length)[0];
  const alt = provider.alternatives[best.provider];
  const rm = hasNs(alt, RM['1.1'].policyNs) ? '1.1' : hasNs(alt, RM['1.0'].policyNs) ? '1.0' : null;
  const versions = new Set(good.map((p) => (hasNs(provider.alternatives[p.provider], RM['1.1'].policyNs) ? '1.1' : hasNs(provider.alternatives[p.provider], RM['1.0'].policyNs) ? '1.0' : 'none')));
  const chosen: Chosen = {
    provider: best.provider,
    client: best.client,
    assertions: alt.map((a) => display(a.name)),
    addressing: hasNs(alt, WSAM_NS),
    rm,
    mtom: hasNs(alt, MTOM_POLICY_NS),
    why:
      `${good.length} compatible pair(s). ` +
      (versions.size > 1 && rm ? `Both sides accept more than one RM version (${[...versions].join(', ')}); the newest, RM ${rm}, wins. ` : rm ? `RM ${rm} is the only RM version both accept. ` : 'No RM. ') +
      `Of those, provider alternative ${best.provider + 1} asks for the least.`,
  };
  return { ...base, pairs, compatible: good.length, chosen };
}

/** The whole computation from the provider's WSDL (text, or the definitions element a MEX reply carried). */
export function computeEffective(wsdl: string | XmlElement, client: ClientSettings, meta: Pick<Computation, 'via' | 'fetchedAt' | 'conn'>): Computation {
  const empty: Computation = { ...meta, subjects: [], client: [], operations: [] };
  const walked = wsdlPolicies(wsdl);
  if (!walked.ok) return { ...empty, error: `The provider's WSDL could not be read for policy: ${walked.error.message}` };
  const clientParsed = parsePolicy(clientPolicyXml(client));
  if (!clientParsed.ok) return { ...empty, error: clientParsed.error.message };
  const clientNormal = normalize(clientParsed.value.policy);
  if (!clientNormal.ok) return { ...empty, error: clientNormal.error.message };
  const clientRows = rows(clientNormal.value, new Map());
  const { registry, services } = walked.value;
  const endpoint = services[0]?.endpoints[0];
  if (!endpoint) return { ...empty, client: clientRows, error: 'The WSDL has no wsdl:service with a wsdl:port.' };

  // Per subject path, so an operation's assertions are traced to its own scopes only.
  const scopesOf = new Map<string, Scopes>();
  const subjects: SubjectRow[] = [];
  const normalOf = (subject: PolicySubject): NormalPolicy | string => {
    const n = normalize(subject.effective, { registry });
    return n.ok ? n.value : n.error.message;
  };
  const addSubject = (subject: PolicySubject) => {
    const scopes: Scopes = new Map();
    scopesOf.set(subject.path, scopes);
    const attachments = attachmentRows(subject, registry, scopes);
    const n = normalOf(subject);
    subjects.push({ kind: subject.kind, path: subject.path, attachments, normal: typeof n === 'string' ? null : rows(n, scopes), ...(typeof n === 'string' && { error: n }) });
  };
  addSubject(services[0].subject);
  addSubject(endpoint.subject);
  for (const op of endpoint.operations) {
    addSubject(op.subject);
    for (const m of op.messages) addSubject(m.subject);
  }
  // Elements whose policy normalizes to no alternative (an empty ExactlyOne), for the explanation.
  const emptyAt = [...endpoint.subject.attachments, ...endpoint.operations.flatMap((o) => o.subject.attachments)]
    .filter((a) => a.policies.some((p) => {
      const n = normalize(p, { registry });
      return n.ok && n.value.alternatives.length === 0;
    }))
    .map((a) => `${a.element} ${a.name}`);

  let dispatchError: string | undefined;
  if (client.dispatch) {
    const opPolicies = endpoint.operations.map((o) => ({ name: o.name, policy: normalOf(o.subject) }));
    const first = opPolicies[0];
    const differ = opPolicies.some((o) => typeof o.policy === 'string' || typeof first.policy === 'string' || !samePolicy(o.policy, first.policy));
    if (differ) {
      const describe = (p: NormalPolicy | string) =>
        typeof p === 'string' ? p : p.alternatives.length === 1 && p.alternatives[0].length === 0 ? 'none' : p.alternatives.map((a) => a.map((x) => display(x.name)).join(' + ') || '(empty)').join(' | ');
      dispatchError =
        `Dispatch client: the provider's operation-scoped policies are not the same for every operation (${opPolicies.map((o) => `${o.name}: ${describe(o.policy)}`).join('; ')}). ` +
        'A dispatch client honours operation-scoped provider policy only when it is identical for all operations, so it refuses to compute one (the seed: WSPolicyException CWPOL0106E).';
    }
  }

  const operations = endpoint.operations.map((op) => {
    const input = op.messages.find((m) => m.direction === 'input');
    const request = merge([endpoint.subject.effective, op.subject.effective, ...(input ? [input.subject.effective] : [])]);
    const normal = normalize(request, { registry });
    if (!normal.ok) return { operation: op.name, provider: [], pairs: [], compatible: 0, chosen: null, error: normal.error.message };
    const scopes: Scopes = new Map();
    for (const path of [endpoint.subject.path, op.subject.path, ...(input ? [input.subject.path] : [])]) {
      for (const [key, where] of scopesOf.get(path) ?? []) scopes.set(key, [...(scopes.get(key) ?? []), ...where]);
    }
    return operationComputation(op.name, normal.value, clientNormal.value, client.mode, scopes, emptyAt);
  });
  return { ...meta, subjects, client: clientRows, operations, ...(dispatchError && { dispatchError }) };
}
