/**
 * The policy subjects of a WSDL 1.1 description and the policies attached to them (WS-PolicyAttachment 1.5 §4.1):
 * a walker over the safe XML tree that finds each element's element policy (child `wsp:Policy`, child
 * `wsp:PolicyReference`, or the `wsp:PolicyURIs` attribute, §3.3) and merges, per subject, the elements whose
 * policy scope contains it (§4.1.1 service; §4.1.2 endpoint = port ⊕ binding ⊕ portType; §4.1.3 operation =
 * portType/operation ⊕ binding/operation; §4.1.4 message = message ⊕ portType and binding input/output/fault).
 * One document only: definitions imported from elsewhere are not followed.
 */
import { childElements, type XmlElement } from '../protocols/soap/xml.ts';
import { PolicyFailure, attempt, fail, isPolicyNs, type PolicyNode, type PolicyOperator, type PolicyRegistry, type PolicyResult, type QName } from './model.ts';
import { merge } from './normalize.ts';
import { collectPolicies, policyFromElement, readPolicyXml, referenceFromElement } from './parse.ts';

export const WSDL11_NS = 'http://schemas.xmlsoap.org/wsdl/';

export type SubjectKind = 'service' | 'endpoint' | 'operation' | 'message';

/** One WSDL element whose policy scope contains a subject, with the policies attached to it (maybe none). */
export interface Attachment {
  /** The element as a student reads it: `wsdl:binding`, `wsdl:portType/wsdl:operation/wsdl:input`. */
  element: string;
  name: string;
  policies: PolicyOperator[];
}

/** A policy subject: where its policy comes from, and the merge of it all (not yet normalized). */
export interface PolicySubject {
  kind: SubjectKind;
  /** Service / port / operation / message path, e.g. `OrdersService/OrdersPort/PlaceOrder/input`. */
  path: string;
  attachments: Attachment[];
  effective: PolicyOperator;
}

export interface WsdlMessage {
  direction: 'input' | 'output' | 'fault';
  name?: string;
  subject: PolicySubject;
}

export interface WsdlOperation {
  name: string;
  subject: PolicySubject;
  messages: WsdlMessage[];
}

export interface WsdlEndpoint {
  port: string;
  binding: QName;
  portType: QName;
  subject: PolicySubject;
  operations: WsdlOperation[];
}

export interface WsdlService {
  name: string;
  subject: PolicySubject;
  endpoints: WsdlEndpoint[];
}

export interface WsdlPolicies {
  targetNamespace: string;
  /** Every identified policy of the document, for normalize's references. */
  registry: PolicyRegistry;
  services: WsdlService[];
}

/** Walks a WSDL 1.1 document (text, or a root already read safely) to its policy subjects. */
export function wsdlPolicies(wsdl: string | XmlElement): PolicyResult<WsdlPolicies> {
  const root = typeof wsdl === 'string' ? readPolicyXml(wsdl) : { ok: true as const, value: wsdl };
  if (!root.ok) return root;
  const definitions = root.value;
  if (definitions.ns !== WSDL11_NS || definitions.local !== 'definitions') {
    return fail('wsdl', `The root element is ${definitions.name}, not wsdl:definitions (namespace ${WSDL11_NS}).`);
  }
  const registry = collectPolicies(definitions);
  if (!registry.ok) return registry;
  return attempt(() => walk(definitions, registry.value));
}

type Scope = ReadonlyMap<string, string>;
interface Scoped {
  el: XmlElement;
  scope: Scope;
}

function walk(definitions: XmlElement, registry: PolicyRegistry): WsdlPolicies {
  const tns = plain(definitions, 'targetNamespace') ?? '';
  const top = scoped(definitions, new Map());
  const kids = (of: Scoped, local: string): Scoped[] => wsdlChildren(of, local);
  const byName = (local: string): Map<string, Scoped> => new Map(kids(top, local).map((s) => [plain(s.el, 'name') ?? '', s]));
  const messages = byName('message');
  const portTypes = byName('portType');
  const bindings = byName('binding');
  const lookup = (table: Map<string, Scoped>, what: string, ref: QName, from: string): Scoped => {
    const found = ref.ns === tns ? table.get(ref.local) : undefined;
    if (!found) throw new PolicyFailure('wsdl', `${from} names ${what} {${ref.ns}}${ref.local}, which this document does not define${ref.ns === tns ? '' : ' (imports are not followed)'}.`);
    return found;
  };

  const services = kids(top, 'service').map((service): WsdlService => {
    const serviceName = plain(service.el, 'name') ?? '';
    const endpoints = kids(service, 'port').map((port): WsdlEndpoint => {
      const portName = plain(port.el, 'name') ?? '';
      const at = `wsdl:port ${portName}`;
      const bindingRef = qnameAttr(port, 'binding', at);
      const binding = lookup(bindings, 'the binding', bindingRef, at);
      const portTypeRef = qnameAttr(binding, 'type', `wsdl:binding ${bindingRef.local}`);
      const portType = lookup(portTypes, 'the portType', portTypeRef, `wsdl:binding ${bindingRef.local}`);
      const path = `${serviceName}/${portName}`;
      const operations = kids(binding, 'operation').map((bindingOp): WsdlOperation => {
        const opName = plain(bindingOp.el, 'name') ?? '';
        const portTypeOp = kids(portType, 'operation').find((o) => plain(o.el, 'name') === opName);
        if (!portTypeOp) throw new PolicyFailure('wsdl', `wsdl:binding ${bindingRef.local} has operation ${opName}, which portType ${portTypeRef.local} lacks.`);
        const opPath = `${path}/${opName}`;
        const messagesOf = (['input', 'output', 'fault'] as const).flatMap((direction) =>
          kids(portTypeOp, direction).map((abstract): WsdlMessage => {
            const name = plain(abstract.el, 'name');
            const concrete = kids(bindingOp, direction).find((b) => direction !== 'fault' || plain(b.el, 'name') === name);
            const messageRef = plain(abstract.el, 'message') !== undefined ? qnameAttr(abstract, 'message', `${opName} ${direction}`) : undefined;
            const message = messageRef ? lookup(messages, 'the message', messageRef, `operation ${opName} ${direction}`) : undefined;
            const label = direction === 'fault' ? `fault ${name ?? ''}` : direction;
            return {
              direction,
              ...(name !== undefined && { name }),
              subject: subject('message', `${opPath}/${label}`, [
                ...(message ? [attachment('wsdl:message', messageRef?.local ?? '', message)] : []),
                attachment(`wsdl:portType/wsdl:operation/wsdl:${direction}`, name ?? opName, abstract),
                ...(concrete ? [attachment(`wsdl:binding/wsdl:operation/wsdl:${direction}`, name ?? opName, concrete)] : []),
              ]),
            };
          }),
        );
        return {
          name: opName,
          subject: subject('operation', opPath, [
            attachment('wsdl:portType/wsdl:operation', opName, portTypeOp),
            attachment('wsdl:binding/wsdl:operation', opName, bindingOp),
          ]),
          messages: messagesOf,
        };
      });
      return {
        port: portName,
        binding: bindingRef,
        portType: portTypeRef,
        subject: subject('endpoint', path, [
          attachment('wsdl:port', portName, port),
          attachment('wsdl:binding', bindingRef.local, binding),
          attachment('wsdl:portType', portTypeRef.local, portType),
        ]),
        operations,
      };
    });
    return { name: serviceName, subject: subject('service', serviceName, [attachment('wsdl:service', serviceName, service)]), endpoints };
  });
  return { targetNamespace: tns, registry, services };
}

function subject(kind: SubjectKind, path: string, attachments: Attachment[]): PolicySubject {
  return { kind, path, attachments, effective: merge(attachments.flatMap((a) => a.policies)) };
}

/** The element policy (WS-PolicyAttachment 1.5 §3.3, §4): child policies and references, and wsp:PolicyURIs. */
function attachment(element: string, name: string, at: Scoped): Attachment {
  const policies: PolicyOperator[] = [];
  for (const child of childElements(at.el)) {
    if (!isPolicyNs(child.ns)) continue;
    if (child.local === 'Policy') policies.push(unwrap(policyFromElement(child)));
    else if (child.local === 'PolicyReference') policies.push({ kind: 'Policy', children: [unwrap(referenceFromElement(child))] });
  }
  const uris = at.el.attrs.find((a) => a.local === 'PolicyURIs' && isPolicyNs(a.ns));
  for (const uri of uris?.value.split(/\s+/).filter(Boolean) ?? []) {
    policies.push({ kind: 'Policy', children: [{ kind: 'reference', uri }] });
  }
  return { element, name, policies };
}

function unwrap<T extends PolicyNode>(result: PolicyResult<T>): T {
  if (!result.ok) throw new PolicyFailure(result.error.code, result.error.message);
  return result.value;
}

function scoped(el: XmlElement, parent: Scope): Scoped {
  const declared = el.attrs.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'));
  if (declared.length === 0) return { el, scope: parent };
  const scope = new Map(parent);
  for (const a of declared) scope.set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
  return { el, scope };
}

function wsdlChildren(of: Scoped, local: string): Scoped[] {
  return childElements(of.el)
    .filter((c) => c.ns === WSDL11_NS && c.local === local)
    .map((c) => scoped(c, of.scope));
}

function plain(el: XmlElement, local: string): string | undefined {
  return el.attrs.find((a) => a.local === local && !a.name.includes(':'))?.value;
}

/** A QName-valued attribute ("tns:OrdersBinding"), resolved with the namespaces in scope. */
function qnameAttr(at: Scoped, local: string, where: string): QName {
  const value = plain(at.el, local)?.trim();
  if (!value) throw new PolicyFailure('wsdl', `${where} has no ${local} attribute.`);
  const colon = value.indexOf(':');
  const prefix = colon < 0 ? '' : value.slice(0, colon);
  const ns = at.scope.get(prefix);
  if (ns === undefined && prefix) throw new PolicyFailure('wsdl', `${where}: the prefix "${prefix}" in ${local}="${value}" is not declared.`);
  return { ns: ns ?? '', local: colon < 0 ? value : value.slice(colon + 1) };
}
