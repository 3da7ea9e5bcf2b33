/**
 * Annotation rules for a WSDL 1.1 document (GET ?wsdl, or inline in a WS-MetadataExchange MetadataSection)
 * and the WS-Policy expressions attached in it: each wsp:Policy / wsp:PolicyReference is named by the policy
 * subject its place in the WSDL gives it, and a wsp:Policy gets a short summary of its normal form from
 * lib/policy, with small caps so the dissector stays bounded.
 */
import { POLICY_ASSERTION_NAMESPACES, WSP_ELEMENTS } from './ws-tables.ts';
import { WSDL_ELEMENTS, WSDL_NS, WSDL_SOAP_ELEMENTS, WSDL_SOAP_NAMESPACES, XSD_ELEMENT, XSD_NS, wsdlSoapRef } from './tables.ts';
import { annotate } from './annotate.ts';
import { plain, type ChildRule, type Ctx, type RuleResult } from './rules.ts';
import type { XmlElement } from './xml.ts';
import { collectPolicies, isPolicyNs, normalize, policyFromElement, WSP15_NS } from '../../policy/index.ts';
import { counted } from '../../text/numbers.ts';

/** Normalizing a policy shown in a transcript stops early: a summary, not the policy lab's full computation. */
const SUMMARY_LIMITS = { maxAlternatives: 256, maxWork: 20_000, maxDepth: 32 };

/** The policy subject a policy attached under a WSDL element applies to (WS-PolicyAttachment 1.5 §4.1). */
const SUBJECT_OF: Readonly<Record<string, string>> = {
  service: 'service policy subject',
  port: 'endpoint policy subject (port)',
  binding: 'endpoint policy subject (binding)',
  portType: 'endpoint policy subject (portType)',
  operation: 'operation policy subject',
  input: 'message policy subject',
  output: 'message policy subject',
  fault: 'message policy subject',
  message: 'message policy subject',
  definitions: 'no subject: a named policy, attached where a wsp:PolicyReference names it',
};

export const wsdlChild: ChildRule = (ctx, el, parent) => {
  if (el.ns === WSDL_NS && Object.hasOwn(WSDL_ELEMENTS, el.local)) {
    const name = el.attrs.find((a) => a.local === 'name')?.value;
    const fields = el.attrs.filter((a) => !a.name.startsWith('xmlns')).map((a) => ({ name: a.local, value: a.value }));
    return [annotate(WSDL_ELEMENTS[el.local].key, { title: name ? `${el.local} ${name}` : el.local }), fields.length ? fields : undefined, wsdlChild];
  }
  const soapVersion = el.ns ? WSDL_SOAP_NAMESPACES[el.ns] : undefined;
  if (soapVersion && Object.hasOwn(WSDL_SOAP_ELEMENTS, el.local)) {
    return [annotate(WSDL_SOAP_ELEMENTS[el.local].key, { title: `${el.name} (SOAP ${soapVersion})`, ref: wsdlSoapRef(soapVersion, el.local) }), undefined, wsdlChild];
  }
  if (el.ns === XSD_NS && el.local === 'element') {
    const name = el.attrs.find((a) => a.local === 'name')?.value ?? '';
    const type = el.attrs.find((a) => a.local === 'type')?.value;
    return [annotate(XSD_ELEMENT.key, { title: `element ${name}${type ? ` : ${type}` : ''}` }), undefined, wsdlChild];
  }
  if (isPolicyNs(el.ns)) return policyElement(ctx, el, parent);
  return [undefined, undefined, wsdlChild];
};

/** A wsp: element anywhere: attached to a WSDL subject, or inside another policy expression. */
export const policyChild: ChildRule = (ctx, el, parent) => (isPolicyNs(el.ns) ? policyElement(ctx, el, parent) : assertion(el));

function policyElement(ctx: Ctx, el: XmlElement, parent: XmlElement): RuleResult {
  const attachedTo = parent.ns === WSDL_NS && Object.hasOwn(SUBJECT_OF, parent.local) ? SUBJECT_OF[parent.local] : undefined;
  const where = attachedTo ? `Attached to wsdl:${parent.local}: ${attachedTo}.` : undefined;
  const version = el.ns === WSP15_NS ? 'WS-Policy 1.5' : 'WS-Policy 1.2';
  if (el.local === 'Policy') {
    const id = el.attrs.find((a) => a.local === 'Id' || a.local === 'id')?.value;
    const fields = [{ name: 'version', value: version }, ...(id ? [{ name: 'id', value: id }] : []), ...(attachedTo ? [{ name: 'subject', value: attachedTo }] : [])];
    const extra = [where, policySummary(ctx, el)].filter(Boolean).join(' ');
    return [annotate(WSP_ELEMENTS.Policy.key, { title: `wsp:Policy${id ? ` ${id}` : ''}`, extra }), fields, policyChild];
  }
  if (el.local === 'PolicyReference') {
    const uri = el.attrs.find((a) => a.local === 'URI')?.value ?? '';
    return [annotate(WSP_ELEMENTS.PolicyReference.key, { title: `wsp:PolicyReference ${uri}`, extra: where }), [{ name: 'URI', value: uri }], plain];
  }
  if (el.local === 'ExactlyOne' || el.local === 'All') {
    const n = el.children.filter((c) => c.type === 'element').length;
    const extra = el.local === 'ExactlyOne' && n === 0 ? 'This one is empty: no configuration is acceptable.' : el.local === 'All' && n === 0 ? 'This one is empty: the alternative that asks for nothing.' : undefined;
    return [annotate(WSP_ELEMENTS[el.local].key, { extra, level: el.local === 'ExactlyOne' && n === 0 ? 'warn' : undefined }), undefined, policyChild];
  }
  return [undefined, undefined, policyChild];
}

function assertion(el: XmlElement): RuleResult {
  const owner = el.ns ? POLICY_ASSERTION_NAMESPACES[el.ns] : undefined;
  const flag = (local: string) => el.attrs.find((a) => isPolicyNs(a.ns) && a.local === local && (a.value.trim() === 'true' || a.value.trim() === '1'));
  const notes = [
    owner ? `From ${owner}.` : `Namespace ${el.ns ?? '(none)'}.`,
    flag('Optional') ? 'wsp:Optional="true": the client may use it or not (two alternatives after normalization).' : '',
    flag('Ignorable') ? 'wsp:Ignorable="true": lax intersection may ignore it; strict intersection may not.' : '',
  ].filter(Boolean);
  return [annotate(WSP_ELEMENTS.assertion.key, { title: `Assertion ${el.name}`, extra: notes.join(' ') }), [{ name: 'namespace', value: el.ns ?? '(none)' }], policyChild];
}

/** "Normal form: 2 alternatives." or why it has none, from lib/policy with small caps. */
function policySummary(ctx: Ctx, el: XmlElement): string {
  if (ctx.policies === undefined && ctx.root) {
    const found = collectPolicies(ctx.root);
    ctx.policies = found.ok ? found.value : null;
  }
  const parsed = policyFromElement(el);
  if (!parsed.ok) return `Not a usable policy: ${parsed.error.message}`;
  const normal = normalize(parsed.value, { registry: ctx.policies ?? undefined, limits: SUMMARY_LIMITS });
  if (!normal.ok) return `Its normal form could not be computed here: ${normal.error.message}`;
  const alts = normal.value.alternatives;
  if (alts.length === 0) return 'Normal form: no alternative — nothing can satisfy this policy.';
  if (alts.length === 1 && alts[0].length === 0) return 'Normal form: one empty alternative — it asks for nothing.';
  return `Normal form: ${counted(alts.length, 'alternative')} (assertions per alternative: ${alts.map((a) => a.length).join(', ')}).`;
}
