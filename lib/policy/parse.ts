/**
 * Reads a policy expression (WS-Policy 1.5 or 1.2 namespace) from XML into the compact-form tree of model.ts,
 * and collects a document's identified policies for `wsp:PolicyReference URI="#id"` (WS-Policy 1.5 Framework
 * §4.2, §4.3.4). XML is read by the SOAP kit's safe reader (no DOCTYPE, no entity expansion, size and depth caps).
 */
import { childElements, readXml, type XmlElement } from '../protocols/soap/xml.ts';
import {
  PolicyFailure,
  WSP15_NS,
  WSU_NS,
  XML_NS,
  attempt,
  fail,
  isPolicyNs,
  type PolicyAssertion,
  type PolicyAttribute,
  type PolicyNode,
  type PolicyOperator,
  type PolicyParameter,
  type PolicyRegistry,
  type PolicyResult,
} from './model.ts';

/** A parsed policy document: its root policy and every identified policy in it. */
export interface ParsedPolicy {
  policy: PolicyOperator;
  registry: PolicyRegistry;
}

/** Reads a document whose root is `wsp:Policy`. */
export function parsePolicy(xml: string): PolicyResult<ParsedPolicy> {
  const doc = readPolicyXml(xml);
  if (!doc.ok) return doc;
  const root = doc.value;
  if (!isPolicyNs(root.ns) || root.local !== 'Policy') {
    return fail('not-a-policy', `The root element is ${root.name}, not wsp:Policy (namespace ${WSP15_NS}).`);
  }
  return attempt(() => ({ policy: toOperator(root), registry: registryOf(root) }));
}

/** Reads XML safely, or says why not (DOCTYPE and entities refused, size and depth bounded). */
export function readPolicyXml(xml: string): PolicyResult<XmlElement> {
  const read = readXml(xml);
  return read.ok ? { ok: true, value: read.root } : fail('xml', read.message);
}

/** The compact-form tree of one `wsp:Policy` element (for callers that hold a parsed document, e.g. a WSDL). */
export function policyFromElement(element: XmlElement): PolicyResult<PolicyOperator> {
  if (!isPolicyNs(element.ns) || element.local !== 'Policy') return fail('not-a-policy', `${element.name} is not wsp:Policy.`);
  return attempt(() => toOperator(element));
}

/** A `wsp:PolicyReference` element as a node (for attachment points that carry one directly). */
export function referenceFromElement(element: XmlElement): PolicyResult<PolicyNode> {
  return attempt(() => toNode(element));
}

/** Every `wsp:Policy` in the document with a `wsu:Id`/`xml:id` (key `#id`) or a `Name` (key: the IRI). */
export function collectPolicies(root: XmlElement): PolicyResult<PolicyRegistry> {
  return attempt(() => registryOf(root));
}

function registryOf(root: XmlElement): PolicyRegistry {
  const found = new Map<string, PolicyOperator>();
  const add = (key: string, policy: PolicyOperator, what: string): void => {
    if (found.has(key)) throw new PolicyFailure('duplicate-id', `Two policies in the document have the ${what} "${key.replace(/^#/, '')}".`);
    found.set(key, policy);
  };
  const visit = (element: XmlElement): void => {
    if (isPolicyNs(element.ns) && element.local === 'Policy') {
      const policy = toOperator(element);
      if (policy.id !== undefined) add(`#${policy.id}`, policy, 'id');
      if (policy.name !== undefined) add(policy.name, policy, 'Name');
    }
    for (const child of childElements(element)) visit(child);
  };
  visit(root);
  return found;
}

const OPERATORS = new Set(['Policy', 'All', 'ExactlyOne']);

function toNode(element: XmlElement): PolicyNode {
  if (isPolicyNs(element.ns)) {
    if (OPERATORS.has(element.local)) return toOperator(element);
    if (element.local === 'PolicyReference') {
      const uri = plainAttr(element, 'URI')?.trim();
      if (!uri) throw new PolicyFailure('missing-uri', 'A wsp:PolicyReference has no URI attribute (WS-Policy 1.5 Framework §4.3.4).');
      const digest = plainAttr(element, 'Digest');
      const digestAlgorithm = plainAttr(element, 'DigestAlgorithm');
      return { kind: 'reference', uri, ...(digest !== undefined && { digest }), ...(digestAlgorithm !== undefined && { digestAlgorithm }) };
    }
    // Elements added inside an operator must not use the policy namespace (WS-Policy 1.5 Framework §4.3.3).
    throw new PolicyFailure('unknown-policy-element', `${element.name} is in the WS-Policy namespace but is not Policy, All, ExactlyOne or PolicyReference.`);
  }
  return toAssertion(element);
}

function toOperator(element: XmlElement): PolicyOperator {
  const kind = element.local as PolicyOperator['kind'];
  const children = childElements(element).map(toNode);
  if (kind !== 'Policy') return { kind, children };
  const id = idOf(element);
  const name = plainAttr(element, 'Name');
  return { kind, children, ...(id !== undefined && { id }), ...(name !== undefined && { name }) };
}

function toAssertion(element: XmlElement): PolicyAssertion {
  let optional = false;
  let ignorable = false;
  const attributes: PolicyAttribute[] = [];
  for (const attr of element.attrs) {
    if (attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) continue;
    const ns = attr.ns ?? '';
    if (isPolicyNs(ns) && attr.local === 'Optional') optional = xsBoolean(attr.value, attr.name);
    // wsp:Ignorable is a WS-Policy 1.5 attribute (Framework §4.4); the 1.2 submission has none.
    else if (ns === WSP15_NS && attr.local === 'Ignorable') ignorable = xsBoolean(attr.value, attr.name);
    else attributes.push({ ns, local: attr.local, value: attr.value });
  }
  let nested: PolicyOperator | undefined;
  const parameters: PolicyParameter[] = [];
  for (const child of childElements(element)) {
    if (isPolicyNs(child.ns) && child.local === 'Policy') {
      if (nested) throw new PolicyFailure('two-nested-policies', `${element.name} has more than one nested wsp:Policy (WS-Policy 1.5 Framework §4.3.2 allows one).`);
      nested = toOperator(child);
    } else parameters.push(toParameter(child));
  }
  return { kind: 'assertion', name: { ns: element.ns ?? '', local: element.local }, attributes, parameters, optional, ignorable, ...(nested && { nested }) };
}

function toParameter(element: XmlElement): PolicyParameter {
  const text = element.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.text : '')).join('').trim();
  return {
    name: { ns: element.ns ?? '', local: element.local },
    attributes: element.attrs.filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:')).map((a) => ({ ns: a.ns ?? '', local: a.local, value: a.value })),
    text,
    children: childElements(element).map(toParameter),
  };
}

/** xs:boolean's lexical space: true, false, 1, 0 (surrounding white space collapsed). */
function xsBoolean(value: string, name: string): boolean {
  const v = value.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new PolicyFailure('bad-boolean', `${name}="${value.slice(0, 40)}" is not an xs:boolean (true, false, 1 or 0).`);
}

/** An unqualified attribute (Policy's Name, PolicyReference's URI are in no namespace). */
function plainAttr(element: XmlElement, local: string): string | undefined {
  return element.attrs.find((a) => a.local === local && a.ns === undefined && !a.name.includes(':'))?.value;
}

function idOf(element: XmlElement): string | undefined {
  const id = element.attrs.find((a) => a.local === 'Id' && a.ns === WSU_NS) ?? element.attrs.find((a) => a.local === 'id' && a.ns === XML_NS);
  return id?.value.trim() || undefined;
}
