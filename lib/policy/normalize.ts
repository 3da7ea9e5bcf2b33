/**
 * Normalization of a compact policy expression to normal form (WS-Policy 1.5 Framework §4.3.6, §4.1), the merge
 * of policies attached to one subject (WS-PolicyAttachment 1.5 §3.1), and the way back from normal form to an
 * expression. Like Neethi's AbstractPolicyOperator.normalize, work is bounded: a cap on alternatives, on assertion
 * copies, and on nesting, so a crafted policy gets an error value instead of exhausting memory.
 */
import {
  DEFAULT_LIMITS,
  PolicyFailure,
  attempt,
  qnameKey,
  type Alternative,
  type NormalAssertion,
  type NormalPolicy,
  type PolicyAssertion,
  type PolicyLimits,
  type PolicyNode,
  type PolicyOperator,
  type PolicyParameter,
  type PolicyRegistry,
  type PolicyResult,
} from './model.ts';

export interface NormalizeOptions {
  /** Policies a `wsp:PolicyReference` may name (`#id` or a Name IRI); nothing else is fetched. */
  registry?: PolicyRegistry;
  limits?: Partial<PolicyLimits>;
}

/** The normal form of a policy expression, or why it has none (unresolved or circular reference, a cap hit). */
export function normalize(policy: PolicyNode, options: NormalizeOptions = {}): PolicyResult<NormalPolicy> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // A policy normalized by its own id is already being resolved: a reference back to it is a cycle.
  const own = policy.kind === 'Policy' && policy.id !== undefined ? [`#${policy.id}`] : [];
  const state: State = { registry: options.registry ?? new Map(), limits, work: 0, resolving: own };
  return attempt(() => ({ alternatives: alternativesOf(policy, state, 0) }));
}

interface State {
  registry: PolicyRegistry;
  limits: PolicyLimits;
  work: number;
  /** References being expanded, outermost first: a repeat is a cycle (Framework §4.3.5 forbids it). */
  resolving: string[];
}

function alternativesOf(node: PolicyNode, state: State, depth: number): Alternative[] {
  if (depth > state.limits.maxDepth) throw new PolicyFailure('too-deep', `The policy nests more than ${state.limits.maxDepth} levels (operators, nested policies and references).`);
  charge(1, state); // every visit counts, so re-expanding shared references is bounded too
  switch (node.kind) {
    case 'assertion':
      return assertionAlternatives(node, state, depth);
    case 'reference':
      return referenceAlternatives(node.uri, state, depth);
    case 'ExactlyOne': {
      // Alternatives of the children side by side; an empty wsp:ExactlyOne admits no alternative (§4.3.3 Empty).
      const out: Alternative[] = [];
      for (const child of node.children) {
        for (const alt of alternativesOf(child, state, depth + 1)) {
          out.push(alt);
          checkAlternatives(out.length, state);
        }
      }
      return out;
    }
    default:
      // wsp:Policy as an operator is wsp:All (§4.3.3 Equivalence); All distributes over ExactlyOne (Distributive).
      return crossProduct(node.children.map((child) => alternativesOf(child, state, depth + 1)), state);
  }
}

/** §4.3.1 (Optional adds the empty alternative) and §4.3.2 (one copy of the assertion per nested alternative). */
function assertionAlternatives(assertion: PolicyAssertion, state: State, depth: number): Alternative[] {
  const base: Omit<NormalAssertion, 'nested'> = {
    name: assertion.name,
    attributes: assertion.attributes,
    parameters: assertion.parameters,
    ignorable: assertion.ignorable,
  };
  const copies: Alternative[] = assertion.nested
    ? alternativesOf(assertion.nested, state, depth + 1).map((nested) => [{ ...base, nested }])
    : [[{ ...base }]];
  charge(copies.length, state);
  if (assertion.optional) copies.push([]);
  checkAlternatives(copies.length, state);
  return copies;
}

/** §4.3.5: a reference is replaced by a wsp:All of the referenced policy's children. */
function referenceAlternatives(uri: string, state: State, depth: number): Alternative[] {
  const target = state.registry.get(uri);
  if (!target) {
    const why = uri.startsWith('#') ? `no policy in the document has wsu:Id or xml:id "${uri.slice(1)}"` : 'only references to policies in the same document are resolved';
    throw new PolicyFailure('unresolved-reference', `wsp:PolicyReference URI="${uri}" cannot be resolved: ${why}.`);
  }
  if (state.resolving.includes(uri)) {
    const chain = [...state.resolving.slice(state.resolving.indexOf(uri)), uri].join(' → ');
    throw new PolicyFailure('circular-reference', `Circular policy reference ${chain}: a policy must not reference itself, directly or indirectly (WS-Policy 1.5 Framework §4.3.5).`);
  }
  state.resolving.push(uri);
  try {
    return alternativesOf({ kind: 'All', children: target.children }, state, depth + 1);
  } finally {
    state.resolving.pop();
  }
}

/**
 * The alternatives of a wsp:All: one per choice of an alternative from each child, the last child varying fastest.
 * Each is built once, at its final size, so the work charged is the size of the result. Folding the children in
 * pairwise re-copied the growing prefix at every child: quadratic in a wsp:All's width, which refused wide
 * policies, such as a normal form written back, as too much work.
 */
function crossProduct(lists: Alternative[][], state: State): Alternative[] {
  // An operator of one child is that child (§4.3.3 Associative): its list is fresh and used nowhere else, so no copy.
  if (lists.length === 1) return lists[0];
  let count = 1;
  for (const list of lists) {
    if (list.length === 0) return []; // distributing over an empty ExactlyOne leaves no alternative
    count *= list.length;
    checkAlternatives(count, state);
  }
  const choice = lists.map(() => 0);
  const product: Alternative[] = [];
  for (let n = 0; n < count; n++) {
    let size = 0;
    for (let i = 0; i < lists.length; i++) size += lists[i][choice[i]].length;
    charge(size, state);
    const alternative: Alternative = [];
    // A loop, not push(...spread): spreading a very long alternative would overflow the stack.
    for (let i = 0; i < lists.length; i++) for (const assertion of lists[i][choice[i]]) alternative.push(assertion);
    product.push(alternative);
    // Next choice, like an odometer: the last child turns fastest, as the Framework's examples list alternatives.
    for (let i = lists.length - 1; i >= 0 && ++choice[i] === lists[i].length; i--) choice[i] = 0;
  }
  return product;
}

function checkAlternatives(count: number, state: State): void {
  if (count > state.limits.maxAlternatives) {
    throw new PolicyFailure('too-many-alternatives', `The normal form would have more than ${state.limits.maxAlternatives} alternatives (each wsp:ExactlyOne inside a wsp:All multiplies them); refused.`);
  }
}

function charge(units: number, state: State): void {
  state.work += units;
  if (state.work > state.limits.maxWork) throw new PolicyFailure('too-much-work', `Normalizing the policy needs more than ${state.limits.maxWork} steps; refused.`);
}

/**
 * The merge of the policies attached to one subject (WS-PolicyAttachment 1.5 §3.1): each policy's wsp:Policy
 * becomes a wsp:All, all under one wrapper wsp:Policy. Its normal form is the cross product of the inputs'.
 */
export function merge(policies: readonly PolicyOperator[]): PolicyOperator {
  return { kind: 'Policy', children: policies.map((p) => ({ kind: 'All', children: p.children })) };
}

/** The normal form written back as an expression: Policy / ExactlyOne / All per alternative (§4.1). */
export function toExpression(policy: NormalPolicy): PolicyOperator {
  return { kind: 'Policy', children: [{ kind: 'ExactlyOne', children: policy.alternatives.map(allOf) }] };
}

function allOf(alternative: Alternative): PolicyOperator {
  return {
    kind: 'All',
    children: alternative.map((a) => ({
      kind: 'assertion',
      name: a.name,
      attributes: a.attributes,
      parameters: a.parameters,
      optional: false,
      ignorable: a.ignorable,
      ...(a.nested && { nested: { kind: 'Policy', children: [{ kind: 'ExactlyOne', children: [allOf(a.nested)] }] } }),
    })),
  };
}

/** A canonical string for an assertion (order of attributes and of nested assertions ignored). */
export function assertionKey(a: NormalAssertion): string {
  const attrs = a.attributes.map((x) => `${qnameKey(x)}=${JSON.stringify(x.value)}`).sort().join(' ');
  const nested = a.nested ? `(${alternativeKey(a.nested)})` : '';
  return `${qnameKey(a.name)}${a.ignorable ? '~' : ''}[${attrs}][${a.parameters.map(parameterKey).join(',')}]${nested}`;
}

function parameterKey(p: PolicyParameter): string {
  const attrs = p.attributes.map((x) => `${qnameKey(x)}=${JSON.stringify(x.value)}`).sort().join(' ');
  return `${qnameKey(p.name)}[${attrs}]${JSON.stringify(p.text)}(${p.children.map(parameterKey).join(',')})`;
}

/** A canonical string for an alternative: assertions are unordered (§3.2), so their keys are sorted. */
export function alternativeKey(alt: Alternative): string {
  return alt.map(assertionKey).sort().join('&');
}

/** True when two normal forms have the same alternatives, as collections (§3.2, §3.3: neither order matters). */
export function samePolicy(a: NormalPolicy, b: NormalPolicy): boolean {
  const keys = (p: NormalPolicy): string => p.alternatives.map(alternativeKey).sort().join('|');
  return a.alternatives.length === b.alternatives.length && keys(a) === keys(b);
}
