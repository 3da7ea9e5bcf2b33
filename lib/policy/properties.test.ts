// Properties of the kernel on random policy trees (fast-check): normalization is idempotent, intersection is
// commutative, merging with the empty policy changes nothing, and nothing throws — errors are values. Then hostile
// XML: DTDs and entities refused, nesting and size bounded, malformed policy elements named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect } from './intersect.ts';
import { WSP15_NS, type NormalPolicy, type PolicyAssertion, type PolicyAttribute, type PolicyNode, type PolicyOperator, type PolicyParameter, type PolicyResult } from './model.ts';
import { merge, normalize, samePolicy, toExpression } from './normalize.ts';
import { parsePolicy } from './parse.ts';

const LIMITS = { maxAlternatives: 256, maxWork: 20_000, maxDepth: 24 };
const IDS = ['#p0', '#p1', '#p2'];

const { node } = fc.letrec<{ node: PolicyNode; operator: PolicyOperator; assertion: PolicyAssertion }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('assertion'), tie('operator'), fc.constantFrom(...IDS).map((uri): PolicyNode => ({ kind: 'reference', uri }))),
  operator: fc.record({
    kind: fc.constantFrom('Policy' as const, 'All' as const, 'ExactlyOne' as const),
    children: fc.array(tie('node'), { maxLength: 3 }),
  }),
  assertion: fc.record({
    kind: fc.constant('assertion' as const),
    name: fc.record({ ns: fc.constantFrom('urn:a', 'urn:b'), local: fc.constantFrom('A', 'B', 'C') }),
    attributes: fc.constant<PolicyAttribute[]>([]),
    parameters: fc.constant<PolicyParameter[]>([]),
    optional: fc.boolean(),
    ignorable: fc.boolean(),
    nested: fc.option(tie('operator').map((op): PolicyOperator => ({ kind: 'Policy', children: op.children })), { nil: undefined }),
  }).map((a): PolicyAssertion => {
    const { nested, ...rest } = a;
    return nested ? { ...rest, nested } : rest;
  }),
}));

/** A random registry: references may dangle or form cycles, which must come back as error values. */
const registry = fc.dictionary(fc.constantFrom(...IDS), node.map((n): PolicyOperator => ({ kind: 'Policy', children: [n] })), { maxKeys: 3 }).map((d) => new Map(Object.entries(d)));

function value<T>(result: PolicyResult<T>): T | undefined {
  return result.ok ? result.value : undefined;
}

const normalOf = (n: PolicyNode, reg: Map<string, PolicyOperator>, limits = LIMITS): NormalPolicy | undefined => value(normalize(n, { registry: reg, limits }));
/**
 * Written back, a normal form is deeper and bigger than its source: each nested policy becomes
 * Policy/ExactlyOne/All around its assertions, and an assertion the first pass shared between alternatives is
 * written out once per alternative. The caps limit input, not result, so the second pass gets room for that:
 * three times the depth, and work linear in the written-back size — each node is visited once, each assertion
 * copied once and placed once in its wsp:All — so a normalizer that is super-linear still fails here.
 */
const nodes = (n: PolicyNode): number => 1 + (n.kind === 'assertion' ? (n.nested ? nodes(n.nested) : 0) : n.kind === 'reference' ? 0 : n.children.reduce((sum, c) => sum + nodes(c), 0));
const roomForNormalForm = (expression: PolicyNode): typeof LIMITS => ({ ...LIMITS, maxDepth: LIMITS.maxDepth * 3, maxWork: Math.max(LIMITS.maxWork, 3 * nodes(expression)) });

describe('properties on random policy trees', () => {
  it('never throws: normalize and intersect return a value or an error value', () => {
    fc.assert(
      fc.property(node, node, registry, fc.constantFrom('strict' as const, 'lax' as const), (a, b, reg, mode) => {
        const na = normalize(a, { registry: reg, limits: LIMITS });
        const nb = normalize(b, { registry: reg, limits: LIMITS });
        for (const r of [na, nb]) if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
        if (na.ok && nb.ok) expect(typeof intersect(na.value, nb.value, mode, LIMITS).ok).toBe('boolean');
      }),
      { numRuns: 400 },
    );
  });

  it('normalization is idempotent: the normal form written back normalizes to itself', () => {
    fc.assert(
      fc.property(node, registry, (n, reg) => {
        const once = normalOf(n, reg);
        if (!once) return;
        const expression = toExpression(once);
        const twice = normalOf(expression, reg, roomForNormalForm(expression));
        expect(twice && samePolicy(twice, once)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('intersection is commutative (same alternatives, as collections, hence the same vocabularies)', () => {
    fc.assert(
      fc.property(node, node, fc.constantFrom('strict' as const, 'lax' as const), (a, b, mode) => {
        const na = normalOf(a, new Map());
        const nb = normalOf(b, new Map());
        if (!na || !nb) return;
        const ab = value(intersect(na, nb, mode, LIMITS));
        const ba = value(intersect(nb, na, mode, LIMITS));
        if (!ab || !ba) return;
        expect(samePolicy(ab.policy, ba.policy)).toBe(true);
        const vocabulary = (p: NormalPolicy): string[] => p.alternatives.map((alt) => [...new Set(alt.map((x) => `${x.name.ns} ${x.name.local}`))].sort().join(',')).sort();
        expect(vocabulary(ab.policy)).toEqual(vocabulary(ba.policy));
      }),
      { numRuns: 300 },
    );
  });

  it('merging a policy with the empty policy gives the policy itself', () => {
    fc.assert(
      fc.property(node, (n) => {
        const policy: PolicyOperator = n.kind === 'Policy' ? n : { kind: 'Policy', children: [n] };
        const alone = normalOf(policy, new Map());
        const merged = normalOf(merge([policy, { kind: 'Policy', children: [] }]), new Map());
        if (!alone) return;
        expect(merged && samePolicy(merged, alone)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('random text never makes the parser throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(typeof parsePolicy(`<wsp:Policy xmlns:wsp="${WSP15_NS}">${text}</wsp:Policy>`).ok).toBe('boolean');
        expect(typeof parsePolicy(text).ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile XML', () => {
  const outcome = (xml: string): string => {
    const r = parsePolicy(xml);
    return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
  };
  const wsp = `xmlns:wsp="${WSP15_NS}"`;

  it.each([
    ['an internal entity (billion laughs) is refused before parsing', `<!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><wsp:Policy ${wsp}>&b;</wsp:Policy>`, /^xml: .*document type declaration/],
    ['an external entity is refused', `<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><wsp:Policy ${wsp}><a>&x;</a></wsp:Policy>`, /^xml: .*document type declaration/],
    ['a bare ENTITY declaration is refused too', `<wsp:Policy ${wsp}><!ENTITY x "y"></wsp:Policy>`, /^xml: /],
    ['nesting deeper than the reader allows is refused', `<wsp:Policy ${wsp}>${'<wsp:All>'.repeat(100)}${'</wsp:All>'.repeat(100)}</wsp:Policy>`, /^xml: .*nested deeper than 64/],
    ['more than 1 MiB is refused', `<wsp:Policy ${wsp}>${'<a/>'.repeat(300_000)}</wsp:Policy>`, /^xml: .*larger than 1048576 bytes/],
    ['an element named __proto__ is an error, not a crash', `<wsp:Policy ${wsp}><__proto__/></wsp:Policy>`, /^(xml|ok)/],
    ['malformed XML says where', `<wsp:Policy ${wsp}><a></wsp:Policy>`, /^xml: /],
    ['a root that is not wsp:Policy', '<Policy/>', /^not-a-policy: The root element is Policy, not wsp:Policy/],
    ['an unknown element in the policy namespace', `<wsp:Policy ${wsp}><wsp:Maybe/></wsp:Policy>`, /^unknown-policy-element: wsp:Maybe/],
    ['a PolicyReference without URI', `<wsp:Policy ${wsp}><wsp:PolicyReference/></wsp:Policy>`, /^missing-uri: .*§4\.3\.4/],
    ['wsp:Optional that is not an xs:boolean', `<wsp:Policy ${wsp}><a wsp:Optional="yes"/></wsp:Policy>`, /^bad-boolean: wsp:Optional="yes"/],
    ['two nested policies in one assertion', `<wsp:Policy ${wsp}><a><wsp:Policy/><wsp:Policy/></a></wsp:Policy>`, /^two-nested-policies: /],
  ])('%s', (_name, xml, expected) => {
    expect(outcome(xml)).toMatch(expected);
  });
});
