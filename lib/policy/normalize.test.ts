// Normal form (WS-Policy 1.5 Framework §4.1, §4.3): the Framework's own worked examples, operator rules, references
// and the caps. Alternatives are shown as local names; a nested policy as "Name(child child)".
import { describe, expect, it } from 'vitest';
import { WSP12_NS, type Alternative, type NormalPolicy, type PolicyAssertion, type PolicyNode } from './model.ts';
import { merge, normalize, samePolicy, toExpression } from './normalize.ts';
import { collectPolicies, parsePolicy, readPolicyXml } from './parse.ts';

const NS = 'xmlns:wsp="http://www.w3.org/ns/ws-policy" xmlns:sp="http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"';
const policy = (body: string, attrs = ''): string => `<wsp:Policy ${NS} ${attrs}>${body}</wsp:Policy>`;

const show = (alt: Alternative): string[] => alt.map((a) => (a.nested ? `${a.name.local}(${show(a.nested).join(' ')})` : a.name.local));
const shown = (p: NormalPolicy): string[][] => p.alternatives.map(show);

function normalForm(xml: string): string[][] {
  const parsed = parsePolicy(xml);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const normal = normalize(parsed.value.policy, { registry: parsed.value.registry });
  if (!normal.ok) throw new Error(normal.error.message);
  return shown(normal.value);
}

function normalError(xml: string, limits = {}): string {
  const parsed = parsePolicy(xml);
  if (!parsed.ok) return parsed.error.code;
  const normal = normalize(parsed.value.policy, { registry: parsed.value.registry, limits });
  return normal.ok ? 'ok' : `${normal.error.code}: ${normal.error.message}`;
}

describe('the Framework examples', () => {
  it('§4.3.1: an optional assertion is two alternatives, one with and one without it', () => {
    expect(normalForm(policy('<sp:IncludeTimestamp wsp:Optional="true" />'))).toEqual([['IncludeTimestamp'], []]);
  });

  it('§4.3.1: wsp:Optional="false" (and "0") is accepted and means required', () => {
    expect(normalForm(policy('<sp:IncludeTimestamp wsp:Optional="false" /><sp:Lax wsp:Optional="0"/>'))).toEqual([['IncludeTimestamp', 'Lax']]);
  });

  it('§4.3.2: an assertion is duplicated once per alternative of its nested policy', () => {
    const xml = policy(`
      <sp:TransportBinding><wsp:Policy>
        <sp:AlgorithmSuite><wsp:Policy><wsp:ExactlyOne><sp:Basic256Rsa15 /><sp:TripleDesRsa15 /></wsp:ExactlyOne></wsp:Policy></sp:AlgorithmSuite>
        <sp:TransportToken><wsp:Policy><sp:HttpsToken><wsp:Policy/></sp:HttpsToken></wsp:Policy></sp:TransportToken>
      </wsp:Policy></sp:TransportBinding>`);
    expect(normalForm(xml)).toEqual([
      ['TransportBinding(AlgorithmSuite(Basic256Rsa15) TransportToken(HttpsToken()))'],
      ['TransportBinding(AlgorithmSuite(TripleDesRsa15) TransportToken(HttpsToken()))'],
    ]);
  });

  it('§4.3.3: Optional and a two-way ExactlyOne give the four alternatives of the first example, in its order', () => {
    const xml = policy('<sp:RequireDerivedKeys wsp:Optional="true" /><wsp:ExactlyOne><sp:WssUsernameToken10 /><sp:WssUsernameToken11 /></wsp:ExactlyOne>');
    expect(normalForm(xml)).toEqual([
      ['RequireDerivedKeys', 'WssUsernameToken10'],
      ['RequireDerivedKeys', 'WssUsernameToken11'],
      ['WssUsernameToken10'],
      ['WssUsernameToken11'],
    ]);
  });

  it('§4.3.3: without Optional the second example has two alternatives', () => {
    const xml = policy('<sp:RequireDerivedKeys /><wsp:ExactlyOne><sp:WssUsernameToken10 /><sp:WssUsernameToken11 /></wsp:ExactlyOne>');
    expect(normalForm(xml)).toEqual([
      ['RequireDerivedKeys', 'WssUsernameToken10'],
      ['RequireDerivedKeys', 'WssUsernameToken11'],
    ]);
  });

  it('§4.3.5: two policies include and extend a common one by reference', () => {
    const xml = `<root ${NS}>
      <wsp:Policy wsu:Id="Protection"><sp:EncryptSignature wsp:Optional="true" /><sp:ProtectTokens wsp:Optional="true" /></wsp:Policy>
      <wsp:Policy wsu:Id="Second"><wsp:PolicyReference URI="#Protection" /><sp:OnlySignEntireHeadersAndBody /></wsp:Policy>
      <wsp:Policy wsu:Id="Third"><sp:IncludeTimestamp /><wsp:PolicyReference URI="#Protection" /><sp:OnlySignEntireHeadersAndBody /></wsp:Policy>
    </root>`;
    const root = readPolicyXml(xml);
    const registry = root.ok ? collectPolicies(root.value) : undefined;
    if (!registry?.ok) throw new Error('unreadable');
    const of = (id: string): string[][] => {
      const normal = normalize(registry.value.get(`#${id}`)!, { registry: registry.value });
      if (!normal.ok) throw new Error(normal.error.message);
      return shown(normal.value);
    };
    expect(of('Second')).toEqual([
      ['EncryptSignature', 'ProtectTokens', 'OnlySignEntireHeadersAndBody'],
      ['EncryptSignature', 'OnlySignEntireHeadersAndBody'],
      ['ProtectTokens', 'OnlySignEntireHeadersAndBody'],
      ['OnlySignEntireHeadersAndBody'],
    ]);
    expect(of('Third')).toHaveLength(4);
    expect(of('Third').every((alt) => alt[0] === 'IncludeTimestamp' && alt.at(-1) === 'OnlySignEntireHeadersAndBody')).toBe(true);
  });
});

describe('§4.3.3 operator rules', () => {
  const a = (n: number): string => `<sp:A${n}/>`;
  const eo = (...xs: string[]): string => `<wsp:ExactlyOne>${xs.join('')}</wsp:ExactlyOne>`;
  const all = (...xs: string[]): string => `<wsp:All>${xs.join('')}</wsp:All>`;
  it.each([
    ['Equivalence: wsp:All of assertions is one alternative', all(a(1), a(2)), [['A1', 'A2']]],
    ['Empty: <wsp:All/> is one alternative with no assertions', all(), [[]]],
    ['Empty: <wsp:Policy/> too', '', [[]]],
    ['Empty: <wsp:ExactlyOne/> is no alternative at all', eo(), []],
    ['Associative: nested All flattens', all(a(1), all(a(2))), [['A1', 'A2']]],
    ['Associative: nested ExactlyOne flattens', eo(a(1), eo(a(2))), [['A1'], ['A2']]],
    ['Idempotent: All inside All', all(all(a(1), a(2))), [['A1', 'A2']]],
    ['Idempotent: ExactlyOne inside ExactlyOne', eo(eo(a(1), a(2))), [['A1'], ['A2']]],
    ['Distributive: All over one ExactlyOne', all(eo(a(1), a(2))), [['A1'], ['A2']]],
    ['Distributive: All over two ExactlyOnes is their cross product', all(eo(a(1), a(2)), eo(a(3), a(4))), [['A1', 'A3'], ['A1', 'A4'], ['A2', 'A3'], ['A2', 'A4']]],
    ['Distributive: over an empty ExactlyOne, no alternatives', all(eo()), []],
    ['Distributive: an empty ExactlyOne empties the whole product', all(eo(a(1), a(2)), eo()), []],
    ['wsp:Policy as an operator is wsp:All', `<wsp:Policy>${a(1)}</wsp:Policy>${a(2)}`, [['A1', 'A2']]],
    ['a nested policy with no alternative removes the assertion, and with it the alternative', `${a(1)}<sp:B><wsp:Policy>${eo()}</wsp:Policy></sp:B>`, []],
    ['an optional assertion whose nested policy has no alternative leaves only the empty alternative', `<sp:B wsp:Optional="true"><wsp:Policy>${eo()}</wsp:Policy></sp:B>`, [[]]],
  ])('%s', (_name, body, expected) => {
    expect(normalForm(policy(body))).toEqual(expected);
  });
});

describe('references', () => {
  const doc = (body: string): string => `<wsp:Policy ${NS}>${body}</wsp:Policy>`;
  it('resolves wsu:Id and xml:id in the same document', () => {
    const xml = doc('<wsp:PolicyReference URI="#p1"/><wsp:PolicyReference URI="#p2"/><wsp:ExactlyOne><wsp:Policy wsu:Id="p1"><sp:A/></wsp:Policy><wsp:Policy xml:id="p2"><sp:B/></wsp:Policy></wsp:ExactlyOne>');
    expect(normalForm(xml)).toEqual([['A', 'B', 'A'], ['A', 'B', 'B']]);
  });
  it('resolves a policy by its Name IRI', () => {
    expect(normalForm(doc('<wsp:PolicyReference URI="http://example.com/p"/><wsp:ExactlyOne><wsp:Policy Name="http://example.com/p"><sp:A/></wsp:Policy></wsp:ExactlyOne>'))).toEqual([['A', 'A']]);
  });
  it('refuses a reference to a missing id, naming it', () => {
    expect(normalError(doc('<wsp:PolicyReference URI="#nope"/>'))).toMatch(/^unresolved-reference: .*"nope"/);
  });
  it('does not fetch an external reference', () => {
    expect(normalError(doc('<wsp:PolicyReference URI="http://example.com/remote"/>'))).toMatch(/^unresolved-reference: .*same document/);
  });
  it('refuses a circular reference and shows the chain', () => {
    const xml = `<wsp:Policy ${NS} wsu:Id="a"><sp:X/><wsp:PolicyReference URI="#b"/><wsp:ExactlyOne><wsp:Policy wsu:Id="b"><wsp:PolicyReference URI="#a"/></wsp:Policy></wsp:ExactlyOne></wsp:Policy>`;
    expect(normalError(xml)).toMatch(/^circular-reference: Circular policy reference #a → #b → #a: .*§4\.3\.5/);
  });
  it('refuses a policy that references itself inside a nested policy', () => {
    expect(normalError(`<wsp:Policy ${NS} wsu:Id="self"><sp:X><wsp:Policy><wsp:PolicyReference URI="#self"/></wsp:Policy></sp:X></wsp:Policy>`)).toMatch(/^unresolved-reference|^circular-reference/);
  });
  it('refuses two policies with one id', () => {
    expect(normalError(doc('<wsp:ExactlyOne><wsp:Policy wsu:Id="x"/><wsp:Policy xml:id="x"/></wsp:ExactlyOne>'))).toBe('duplicate-id');
  });
});

describe('caps (Neethi caps alternatives and work for the same reason)', () => {
  const twoWay = (i: number): string => `<wsp:ExactlyOne><sp:A${i}/><sp:B${i}/></wsp:ExactlyOne>`;
  it('an All of 12 two-way ExactlyOnes is 4096 alternatives, the default cap', () => {
    expect(normalForm(policy(Array.from({ length: 12 }, (_, i) => twoWay(i)).join('')))).toHaveLength(4096);
  });
  it('refuses 13 (8192 alternatives) with an error value', () => {
    expect(normalError(policy(Array.from({ length: 13 }, (_, i) => twoWay(i)).join('')))).toMatch(/^too-many-alternatives: .*4096/);
  });
  it('bounds the work of re-expanding shared references', () => {
    // Each level references the next twice: 2^n expansions from n policies, one alternative each.
    const levels = Array.from({ length: 30 }, (_, i) => `<wsp:Policy wsu:Id="l${i}"><wsp:PolicyReference URI="#l${i + 1}"/><wsp:PolicyReference URI="#l${i + 1}"/></wsp:Policy>`);
    const xml = policy(`<wsp:PolicyReference URI="#l0"/><wsp:ExactlyOne><wsp:All/>${levels.join('')}<wsp:Policy wsu:Id="l30"/></wsp:ExactlyOne>`);
    expect(normalError(xml, { maxDepth: 200 })).toMatch(/^too-much-work/);
  });
  it('bounds nesting', () => {
    expect(normalError(policy('<wsp:All>'.repeat(20) + '</wsp:All>'.repeat(20)), { maxDepth: 10 })).toMatch(/^too-deep/);
  });
});

describe('merge (WS-PolicyAttachment 1.5 §3.1) and the way back from normal form', () => {
  const parse = (xml: string) => {
    const p = parsePolicy(xml);
    if (!p.ok) throw new Error(p.error.message);
    return p.value.policy;
  };
  it('merges policies as wsp:All children of one wsp:Policy: the cross product of their alternatives', () => {
    const endpoint = parse(policy('<sp:A wsp:Optional="true"/>'));
    const binding = parse(policy('<wsp:ExactlyOne><sp:B/><sp:C/></wsp:ExactlyOne>'));
    const merged = normalize(merge([endpoint, binding]));
    expect(merged.ok && shown(merged.value)).toEqual([['A', 'B'], ['A', 'C'], ['B'], ['C']]);
  });
  it('the merge of nothing is the empty policy (one empty alternative)', () => {
    const merged = normalize(merge([]));
    expect(merged.ok && shown(merged.value)).toEqual([[]]);
  });
  it('toExpression writes the normal form back; normalizing it again gives the same policy', () => {
    const normal = normalize(parse(policy('<sp:X wsp:Ignorable="true"><wsp:Policy><wsp:ExactlyOne><sp:Y/><sp:Z/></wsp:ExactlyOne></wsp:Policy></sp:X>')));
    if (!normal.ok) throw new Error(normal.error.message);
    const again = normalize(toExpression(normal.value));
    expect(again.ok && samePolicy(again.value, normal.value)).toBe(true);
    expect(normal.value.alternatives.every((alt) => alt.every((a) => a.ignorable))).toBe(true);
  });
  it('reads the WS-Policy 1.2 namespace too, with wsp:Optional', () => {
    const xml = `<wsp:Policy xmlns:wsp="${WSP12_NS}" xmlns:wsrm="http://schemas.xmlsoap.org/ws/2005/02/rm/policy"><wsrm:RMAssertion wsp:Optional="true"/></wsp:Policy>`;
    expect(normalForm(xml)).toEqual([['RMAssertion'], []]);
  });
});

describe('work is linear in the size of the result', () => {
  it('a wsp:All of 200 assertions costs a few steps per assertion, not one per pair', () => {
    // Folding the children in pairwise charged 1 + 2 + … + 200 = 20,100 steps for one alternative.
    expect(normalError(policy('<sp:A/>'.repeat(200)), { maxWork: 1000 })).toBe('ok');
  });

  it('fast-check seed 1392194623: the written-back normal form normalizes again under the same work cap', () => {
    const a = (optional: boolean, nested?: PolicyNode[]): PolicyAssertion => ({
      kind: 'assertion', name: { ns: 'urn:a', local: 'A' }, attributes: [], parameters: [], optional, ignorable: false,
      ...(nested && { nested: { kind: 'Policy', children: nested } }),
    });
    const p = (...children: PolicyNode[]): PolicyNode => ({ kind: 'Policy', children });
    const shrunk = a(false, [
      p(a(false, [a(false, [a(true), a(true)]), a(true), a(false)])),
      a(false, [p(a(true, [p(a(false, [a(true)]), a(false)), a(true)]), a(true, [a(true), a(false), a(false)])), a(false), a(true)]),
    ]);
    const limits = { maxAlternatives: 256, maxWork: 20_000, maxDepth: 24 };
    const once = normalize(shrunk, { limits });
    if (!once.ok) throw new Error(once.error.message);
    expect(once.value.alternatives).toHaveLength(240); // 8 choices in the first nested policy × 30 in the second
    // Depth gets room (written back, each nested policy is Policy/ExactlyOne/All); work gets none.
    const twice = normalize(toExpression(once.value), { limits: { ...limits, maxDepth: limits.maxDepth * 3 } });
    expect(twice.ok ? samePolicy(twice.value, once.value) : twice.error.code).toBe(true);
  });
});
