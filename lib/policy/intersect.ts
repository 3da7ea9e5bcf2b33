/**
 * Domain-independent policy intersection (WS-Policy 1.5 Framework §4.5), strict or lax, on policies in normal
 * form — with the reason for every incompatible pair of alternatives, which the W3C left to implementations and
 * Neethi/CXF do not give (they answer yes or no). Assertions are compatible when their QNames match and, if
 * either has a nested policy, both do and the nested alternatives are compatible; parameters are not compared.
 */
import {
  DEFAULT_LIMITS,
  PolicyFailure,
  attempt,
  qnameKey,
  type Alternative,
  type NormalAssertion,
  type NormalPolicy,
  type PolicyLimits,
  type PolicyResult,
  type QName,
} from './model.ts';

/** Strict: every assertion must be matched. Lax: ignorable assertions may go unmatched (§4.5). */
export type IntersectionMode = 'strict' | 'lax';

/** Why one assertion of an alternative found no compatible partner in the other alternative. */
export interface AssertionMismatch {
  /** The alternative the assertion belongs to: of the first policy or of the second. */
  side: 'first' | 'second';
  assertion: QName;
  ignorable: boolean;
  reason: 'absent' | 'nested-missing' | 'nested-incompatible';
  /** One sentence for the student. */
  detail: string;
  /** For 'nested-incompatible': what went wrong one level down, against the first same-type partner. */
  nested?: AssertionMismatch[];
}

/** How one alternative of each policy compare. */
export interface AlternativeComparison {
  compatible: boolean;
  mismatches: AssertionMismatch[];
  /** Ignorable assertions without a partner that lax mode let through. */
  ignored: { side: 'first' | 'second'; assertion: QName }[];
}

export interface PairComparison extends AlternativeComparison {
  first: number;
  second: number;
}

export interface Intersection {
  /** One alternative per compatible pair: the bag union of both alternatives' assertions (§4.5). */
  policy: NormalPolicy;
  /** Each pair of alternatives in the order compared: first policy's index, then second's. */
  pairs: PairComparison[];
}

interface Budget {
  work: number;
  limits: PolicyLimits;
}

/** The intersection of two policies in normal form, with every pair of alternatives explained. */
export function intersect(first: NormalPolicy, second: NormalPolicy, mode: IntersectionMode, limits: Partial<PolicyLimits> = {}): PolicyResult<Intersection> {
  const budget: Budget = { work: 0, limits: { ...DEFAULT_LIMITS, ...limits } };
  return attempt(() => {
    const pairs: PairComparison[] = [];
    const alternatives: Alternative[] = [];
    first.alternatives.forEach((a, i) => {
      second.alternatives.forEach((b, j) => {
        const comparison = compare(a, b, mode, budget);
        pairs.push({ first: i, second: j, ...comparison });
        if (comparison.compatible) {
          alternatives.push([...a, ...b]);
          if (alternatives.length > budget.limits.maxAlternatives) {
            throw new PolicyFailure('too-many-alternatives', `The intersection would have more than ${budget.limits.maxAlternatives} alternatives; refused.`);
          }
        }
      });
    });
    return { policy: { alternatives }, pairs };
  });
}

/** Compares two alternatives (§4.5), saying which assertions lack a partner and why. */
export function compareAlternatives(first: Alternative, second: Alternative, mode: IntersectionMode, limits: Partial<PolicyLimits> = {}): PolicyResult<AlternativeComparison> {
  const budget: Budget = { work: 0, limits: { ...DEFAULT_LIMITS, ...limits } };
  return attempt(() => compare(first, second, mode, budget));
}

/** True when the two policies have at least one compatible pair of alternatives. */
export function compatiblePolicies(first: NormalPolicy, second: NormalPolicy, mode: IntersectionMode): PolicyResult<boolean> {
  const result = intersect(first, second, mode);
  return result.ok ? { ok: true, value: result.value.policy.alternatives.length > 0 } : result;
}

function compare(first: Alternative, second: Alternative, mode: IntersectionMode, budget: Budget): AlternativeComparison {
  const mismatches: AssertionMismatch[] = [];
  const ignored: AlternativeComparison['ignored'] = [];
  const check = (side: 'first' | 'second', own: Alternative, other: Alternative): void => {
    for (const assertion of own) {
      if (other.some((partner) => compatible(assertion, partner, mode, budget))) continue;
      if (mode === 'lax' && assertion.ignorable) ignored.push({ side, assertion: assertion.name });
      else mismatches.push(explain(side, assertion, other, mode, budget));
    }
  };
  check('first', first, second);
  check('second', second, first);
  return { compatible: mismatches.length === 0, mismatches, ignored };
}

function compatible(a: NormalAssertion, b: NormalAssertion, mode: IntersectionMode, budget: Budget): boolean {
  spend(budget);
  if (a.name.local !== b.name.local || a.name.ns !== b.name.ns) return false;
  if (!a.nested && !b.nested) return true;
  if (!a.nested || !b.nested) return false;
  return nestedCompatible(a.nested, b.nested, mode, budget);
}

function nestedCompatible(a: Alternative, b: Alternative, mode: IntersectionMode, budget: Budget): boolean {
  const covered = (own: Alternative, other: Alternative): boolean =>
    own.every((x) => (mode === 'lax' && x.ignorable) || other.some((y) => compatible(x, y, mode, budget)));
  return covered(a, b) && covered(b, a);
}

function explain(side: 'first' | 'second', assertion: NormalAssertion, other: Alternative, mode: IntersectionMode, budget: Budget): AssertionMismatch {
  const name = display(assertion.name);
  const strictNote = assertion.ignorable ? ' It is ignorable, but strict mode requires every assertion to be matched.' : '';
  const base = { side, assertion: assertion.name, ignorable: assertion.ignorable };
  const sameType = other.find((o) => qnameKey(o.name) === qnameKey(assertion.name));
  if (!sameType) {
    return { ...base, reason: 'absent', detail: `${name} has no assertion of the same type in the other alternative.${strictNote}` };
  }
  if (!assertion.nested || !sameType.nested) {
    const which = assertion.nested ? 'the other one has none' : 'this one has none and the other one does';
    return { ...base, reason: 'nested-missing', detail: `${name} appears on both sides, but only one has a nested policy (${which}); both must have one to be compatible.${strictNote}` };
  }
  const inner = compare(assertion.nested, sameType.nested, mode, budget);
  return {
    ...base,
    reason: 'nested-incompatible',
    detail: `${name} appears on both sides, but their nested policies are not compatible.${strictNote}`,
    // The inner comparison put this assertion's side first; name the sides as the caller sees them.
    nested: side === 'first' ? inner.mismatches : inner.mismatches.map(flip),
  };
}

function flip(m: AssertionMismatch): AssertionMismatch {
  return { ...m, side: m.side === 'first' ? 'second' : 'first', ...(m.nested && { nested: m.nested.map(flip) }) };
}

function spend(budget: Budget): void {
  if (++budget.work > budget.limits.maxWork) throw new PolicyFailure('too-much-work', `Intersecting the policies needs more than ${budget.limits.maxWork} comparisons; refused.`);
}

const display = (q: QName): string => (q.ns ? `${q.local} (${q.ns})` : q.local);
