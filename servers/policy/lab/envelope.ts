/**
 * SOAP 1.2 envelopes for the Orders provider and the lab's client: building them (every dynamic text escaped),
 * SOAP 1.2 faults in the Subcode form WS-Addressing SOAP Binding §6 and WS-RM §4 use, and reading a request's
 * header blocks and body with the safe reader (no DTD, no entities).
 */
import { childElements, escapeXml, readXml, textContent, type XmlElement } from '../../../lib/protocols/soap/xml.ts';
import { LOG_NS, MEX_NS, ORDERS_NS, RM, SOAP12_NS, WSA_NS } from './ns.ts';

/** The namespaces every envelope declares on its root, so headers and bodies can use the prefixes freely. */
const DECLS =
  `xmlns:soap="${SOAP12_NS}" xmlns:wsa="${WSA_NS}" xmlns:wsrm="${RM['1.1'].ns}" xmlns:wsrm10="${RM['1.0'].ns}"` +
  ` xmlns:mex="${MEX_NS}" xmlns:ord="${ORDERS_NS}" xmlns:log="${LOG_NS}"`;

export const SOAP12_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

/** A complete SOAP 1.2 envelope from header blocks and body content (already XML). */
export function envelope(headers: readonly string[], body: string): string {
  const header = headers.length ? `<soap:Header>${headers.join('')}</soap:Header>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope ${DECLS}>${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/** `<prefix:local>text</prefix:local>` with the text escaped. */
export const el = (name: string, text: string | number, attrs = ''): string => `<${name}${attrs}>${escapeXml(String(text))}</${name}>`;

/** WS-Addressing request headers (Core §3; SOAP Binding §2), mustUnderstand on Action as most stacks send it. */
export function wsaHeaders(p: { action: string; to: string; messageId: string; relatesTo?: string; replyToAnonymous?: boolean }): string[] {
  return [
    el('wsa:Action', p.action, ' soap:mustUnderstand="true"'),
    el('wsa:MessageID', p.messageId),
    el('wsa:To', p.to),
    ...(p.replyToAnonymous === false ? [] : [`<wsa:ReplyTo><wsa:Address>${WSA_NS}/anonymous</wsa:Address></wsa:ReplyTo>`]),
    ...(p.relatesTo ? [el('wsa:RelatesTo', p.relatesTo)] : []),
  ];
}

/** A qualified fault (sub)code: prefix declared on the envelope (wsa, wsrm, wsrm10, ord) and local name. */
export interface FaultCode {
  prefix: 'wsa' | 'wsrm' | 'wsrm10' | 'ord' | 'soap';
  local: string;
}

export interface Fault {
  code: 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch';
  subcode?: FaultCode;
  /** A second-level subcode (WS-Addressing §6.4.1's subsubcodes). */
  subsubcode?: FaultCode;
  reason: string;
  /** Detail content, already XML. */
  detail?: string;
  /** Header blocks of the fault message (wsa:Action, RelatesTo, NotUnderstood…). */
  headers?: string[];
}

/** SOAP 1.2 Part 1 §5.4 fault → the HTTP status SOAP 1.2 Part 2 §7.5.1 gives it (400 for Sender, else 500). */
export const faultHttpStatus = (fault: Fault): number => (fault.code === 'Sender' ? 400 : 500);

/** A SOAP 1.2 fault envelope. */
export function faultEnvelope(fault: Fault): string {
  const q = (c: FaultCode) => `${c.prefix}:${c.local}`;
  const inner = fault.subsubcode ? `<soap:Subcode><soap:Value>${q(fault.subsubcode)}</soap:Value></soap:Subcode>` : '';
  const sub = fault.subcode ? `<soap:Subcode><soap:Value>${q(fault.subcode)}</soap:Value>${inner}</soap:Subcode>` : '';
  const body =
    `<soap:Fault><soap:Code><soap:Value>soap:${fault.code}</soap:Value>${sub}</soap:Code>` +
    `<soap:Reason><soap:Text xml:lang="en">${escapeXml(fault.reason)}</soap:Text></soap:Reason>` +
    (fault.detail ? `<soap:Detail>${fault.detail}</soap:Detail>` : '') +
    `</soap:Fault>`;
  return envelope(fault.headers ?? [], body);
}

/** A request (or response) as read: its header blocks and the first body element. */
export interface ReadEnvelope {
  root: XmlElement;
  headers: XmlElement[];
  body: XmlElement | undefined;
  /** The Body element itself (a fault's content lives under it). */
  bodyElement: XmlElement | undefined;
}

/** Reads a SOAP envelope of either version; `error` says why not in words. */
export function readEnvelope(xml: string): { ok: true; value: ReadEnvelope } | { ok: false; error: string; doctype: boolean } {
  const read = readXml(xml);
  if (!read.ok) return { ok: false, error: read.message, doctype: read.problem === 'doctype' };
  const root = read.root;
  const kids = childElements(root);
  const header = kids.find((k) => k.local === 'Header' && k.ns === root.ns);
  const bodyElement = kids.find((k) => k.local === 'Body' && k.ns === root.ns);
  return { ok: true, value: { root, headers: header ? childElements(header) : [], body: bodyElement ? childElements(bodyElement)[0] : undefined, bodyElement } };
}

/** The first child of `element` with namespace `ns` and local name `local`. */
export const child = (element: XmlElement | undefined, ns: string, local: string): XmlElement | undefined =>
  element ? childElements(element).find((c) => c.ns === ns && c.local === local) : undefined;

/** The trimmed text of a child, if present. */
export const childText = (element: XmlElement | undefined, ns: string, local: string): string | undefined => {
  const found = child(element, ns, local);
  return found ? textContent(found).trim() : undefined;
};

/** What a SOAP 1.2 fault says: code, first subcode (prefixed as written), reason. */
export function readFault(env: ReadEnvelope): { code: string; subcode?: string; reason: string } | undefined {
  const fault = env.body && env.body.ns === SOAP12_NS && env.body.local === 'Fault' ? env.body : undefined;
  if (!fault) return undefined;
  const code = child(fault, SOAP12_NS, 'Code');
  const sub = child(code, SOAP12_NS, 'Subcode');
  const subValue = childText(sub, SOAP12_NS, 'Value');
  const subsub = childText(child(sub, SOAP12_NS, 'Subcode'), SOAP12_NS, 'Value');
  return {
    code: childText(code, SOAP12_NS, 'Value') ?? '',
    ...(subValue !== undefined && { subcode: subsub ? `${subValue}/${subsub}` : subValue }),
    reason: childText(child(fault, SOAP12_NS, 'Reason'), SOAP12_NS, 'Text') ?? '',
  };
}
