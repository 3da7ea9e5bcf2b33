// Intersection (WS-Policy 1.5 Framework §4.5): the Framework's two worked examples, strict vs lax with an ignorable
// assertion, the explanation of each mismatch; and the selection helpers (latest RM version wins).
import { describe, expect, it } from 'vitest';
import { compareAlternatives, intersect, type IntersectionMode } from './intersect.ts';
import type { NormalPolicy } from './model.ts';
import { normalize } from './normalize.ts';
import { parsePolicy } from './parse.ts';
import { RM_VERSIONS_NEWEST_FIRST, alternativeNames, assertionPaths, isEmptyPolicy, pickLatest } from './select.ts';

const NS = 'xmlns:wsp="http://www.w3.org/ns/ws-policy" xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" xmlns:wsrmp="http://docs.oasis-open.org/ws-rx/wsrmp/200702" xmlns:wsrm="http://schemas.xmlsoap.org/ws/2005/02/rm/policy" xmlns:mtom="http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization"';

function normal(body: string): NormalPolicy {
  const parsed = parsePolicy(`<wsp:Policy ${NS}>${body}</wsp:Policy>`);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const result = normalize(parsed.value.policy);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function intersection(a: NormalPolicy, b: NormalPolicy, mode: IntersectionMode = 'strict') {
  const result = intersect(a, b, mode);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const names = (p: NormalPolicy): string[][] => alternativeNames(p).map((alt) => alt.map((q) => q.local));

describe('the Framework §4.5 examples', () => {
  const p1 = normal(`<wsp:ExactlyOne>
    <wsp:All><sp:SignedElements><sp:XPath>/S:Envelope/S:Body</sp:XPath></sp:SignedElements><sp:EncryptedElements><sp:XPath>/S:Envelope/S:Body</sp:XPath></sp:EncryptedElements></wsp:All>
    <wsp:All><sp:SignedParts><sp:Body /><sp:Header Namespace="http://www.w3.org/2005/08/addressing" /></sp:SignedParts><sp:EncryptedParts><sp:Body /></sp:EncryptedParts></wsp:All>
  </wsp:ExactlyOne>`);
  const p2 = normal(`<wsp:ExactlyOne>
    <wsp:All><sp:SignedParts /><sp:EncryptedParts><sp:Body /></sp:EncryptedParts></wsp:All>
    <wsp:All><sp:SignedElements><sp:XPath>/S:Envelope/S:Body</sp:XPath></sp:SignedElements></wsp:All>
  </wsp:ExactlyOne>`);

  it('P1 ∩ P2 is one alternative: all assertions of A2 and of A3 (a bag union, parameters kept)', () => {
    const result = intersection(p1, p2);
    expect(names(result.policy)).toEqual([['SignedParts', 'EncryptedParts', 'SignedParts', 'EncryptedParts']]);
    expect(result.policy.alternatives[0][0].parameters.map((p) => p.name.local)).toEqual(['Body', 'Header']);
    expect(result.pairs.map((p) => `A${p.first + 1}×A${p.second + 3}: ${p.compatible}`)).toEqual(['A1×A3: false', 'A1×A4: false', 'A2×A3: true', 'A2×A4: false']);
  });

  it('explains why A1 and A4 differ: EncryptedElements has no partner', () => {
    const a1a4 = intersection(p1, p2).pairs.find((p) => p.first === 0 && p.second === 1);
    expect(a1a4?.mismatches.map((m) => [m.side, m.assertion.local, m.reason])).toEqual([['first', 'EncryptedElements', 'absent']]);
  });

  it('wsam:Addressing with an empty nested policy and with AnonymousResponses are incompatible', () => {
    const a5 = normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing>');
    const a6 = normal('<wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing>');
    const result = intersection(a5, a6);
    expect(result.policy.alternatives).toEqual([]);
    const [mismatch] = result.pairs[0].mismatches;
    expect([mismatch.assertion.local, mismatch.reason]).toEqual(['Addressing', 'nested-incompatible']);
    expect(mismatch.nested?.map((m) => [m.side, m.assertion.local, m.reason])).toEqual([['second', 'AnonymousResponses', 'absent']]);
  });

  it('an assertion with a nested policy is not compatible with one without', () => {
    const comparison = compareAlternatives(normal('<wsam:Addressing/>').alternatives[0], normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing>').alternatives[0], 'strict');
    expect(comparison.ok && comparison.value.mismatches.map((m) => m.reason)).toEqual(['nested-missing', 'nested-missing']);
  });
});

describe('strict and lax (§4.4, §4.5)', () => {
  const provider = normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing><mtom:OptimizedMimeSerialization wsp:Ignorable="true"/>');
  const client = normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing>');

  it('strict: the unmatched ignorable assertion makes the alternatives incompatible, and says so', () => {
    const result = intersection(provider, client, 'strict');
    expect(result.policy.alternatives).toEqual([]);
    expect(result.pairs[0].mismatches[0].detail).toMatch(/OptimizedMimeSerialization .*ignorable, but strict mode/);
  });

  it('lax: the ignorable assertion is let through and still part of the result', () => {
    const result = intersection(provider, client, 'lax');
    expect(names(result.policy)).toEqual([['Addressing', 'OptimizedMimeSerialization', 'Addressing']]);
    expect(result.pairs[0].ignored.map((i) => [i.side, i.assertion.local])).toEqual([['first', 'OptimizedMimeSerialization']]);
  });

  it('lax applies inside nested policies too', () => {
    const a = normal('<wsam:Addressing><wsp:Policy><wsam:AnonymousResponses wsp:Ignorable="true"/></wsp:Policy></wsam:Addressing>');
    const b = normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing>');
    expect(intersection(a, b, 'strict').policy.alternatives).toHaveLength(0);
    expect(intersection(a, b, 'lax').policy.alternatives).toHaveLength(1);
  });

  it('a policy with no alternatives is compatible with nothing; two empty alternatives are compatible', () => {
    expect(intersection(normal('<wsp:ExactlyOne/>'), normal('')).policy.alternatives).toEqual([]);
    expect(intersection(normal(''), normal('')).policy.alternatives).toEqual([[]]);
  });
});

describe('choosing an alternative', () => {
  const provider = normal(`<wsam:Addressing><wsp:Policy/></wsam:Addressing>
    <wsp:ExactlyOne><wsp:All><wsrmp:RMAssertion><wsp:Policy/></wsrmp:RMAssertion></wsp:All><wsp:All><wsrm:RMAssertion/></wsp:All></wsp:ExactlyOne>`);

  it('lists each alternative as assertion QNames, and paths into nested policies', () => {
    expect(names(provider)).toEqual([['Addressing', 'RMAssertion'], ['Addressing', 'RMAssertion']]);
    expect(alternativeNames(provider)[1][1].ns).toBe('http://schemas.xmlsoap.org/ws/2005/02/rm/policy');
    expect(assertionPaths(normal('<wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing>').alternatives[0])).toEqual(['Addressing', 'Addressing/AnonymousResponses']);
  });

  it('picks RM 1.1 over RM 1.0 when both fit, whatever their order', () => {
    const client = normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing><wsp:ExactlyOne><wsrm:RMAssertion/><wsrmp:RMAssertion><wsp:Policy/></wsrmp:RMAssertion></wsp:ExactlyOne>');
    const both = intersection(provider, client).policy;
    expect(both.alternatives).toHaveLength(2);
    const pick = pickLatest(both, RM_VERSIONS_NEWEST_FIRST);
    expect(pick?.version).toBe('http://docs.oasis-open.org/ws-rx/wsrmp/200702');
    expect(pick?.index).toBe(0);
    const reversed = pickLatest({ alternatives: [...both.alternatives].reverse() }, RM_VERSIONS_NEWEST_FIRST);
    expect(reversed?.index).toBe(1);
  });

  it('falls back to RM 1.0 when the client speaks only that, and to the first alternative when no version is listed', () => {
    const only10 = intersection(provider, normal('<wsam:Addressing><wsp:Policy/></wsam:Addressing><wsrm:RMAssertion/>')).policy;
    expect(pickLatest(only10, RM_VERSIONS_NEWEST_FIRST)?.version).toBe('http://schemas.xmlsoap.org/ws/2005/02/rm/policy');
    const unversioned = pickLatest(normal('<wsp:ExactlyOne><sp:A/><sp:B/></wsp:ExactlyOne>'), RM_VERSIONS_NEWEST_FIRST);
    expect([unversioned?.index, unversioned?.version]).toEqual([0, undefined]);
    expect(pickLatest(normal('<wsp:ExactlyOne/>'), RM_VERSIONS_NEWEST_FIRST)).toBeUndefined();
    expect(isEmptyPolicy(normal(''))).toBe(true);
  });
});
