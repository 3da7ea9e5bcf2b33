/**
 * The Orders service's WSDL 1.1 with WS-Policy attached at every scope (WS-PolicyAttachment 1.5 §3–4), built
 * from the provider's current settings:
 * - endpoint: wsam:Addressing with nested wsam:AnonymousResponses (WS-Addressing Metadata §3.1.1, §3.1.2), on the
 *   wsdl:port by wsp:PolicyReference to the wsu:Id "AddressingPolicy";
 * - binding: RM 1.1 (wsrmp:RMAssertion) and RM 1.0 (2005/02 RMAssertion) as alternatives under wsp:ExactlyOne,
 *   by reference to "ReliableMessagingPolicy" — or an inline empty wsp:ExactlyOne ("no acceptable configuration");
 * - operation: mtom:MTOM with wsp:Optional="true" on getOrder only, inline (WS-MTOMPolicy's own subject is the
 *   endpoint, binding or port: here it shows an optional assertion at operation scope, and the lesson says so);
 *   log:Logging with wsp:Ignorable="true" on placeOrder, inline;
 * - message: cancelOrder's input by reference to "LoggingPolicy".
 * Only the endpoint address is dynamic, and it is escaped.
 */
import { escapeXml } from '../../../lib/protocols/soap/xml.ts';
import type { ProviderSettings, ScopeRow } from './contracts.ts';
import { LOG_NS, MTOM_POLICY_NS, ORDERS_NS, RM, WSAM_NS, WSDL_NS, WSDL_SOAP12_NS, WSP_NS, WSU_NS, XSD_NS, opAction } from './ns.ts';

/** Each operation's input and output fields (all xsd:string but quantity). */
export const ORDER_FIELDS = {
  placeOrder: { input: [['item', 'string'], ['quantity', 'int']], output: [['orderId', 'string'], ['status', 'string']] },
  getOrder: { input: [['orderId', 'string']], output: [['orderId', 'string'], ['item', 'string'], ['quantity', 'int'], ['status', 'string']] },
  cancelOrder: { input: [['orderId', 'string']], output: [['orderId', 'string'], ['status', 'string']] },
} as const;

const ADDRESSING_POLICY =
  `<wsp:Policy wsu:Id="AddressingPolicy"><wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing></wsp:Policy>`;
const RM11_ALL = `<wsp:All><wsrmp:RMAssertion><wsp:Policy/></wsrmp:RMAssertion></wsp:All>`;
const RM10_ALL = `<wsp:All><wsrm10p:RMAssertion><wsrm10p:InactivityTimeout Milliseconds="600000"/></wsrm10p:RMAssertion></wsp:All>`;
const LOGGING_POLICY = `<wsp:Policy wsu:Id="LoggingPolicy"><log:Logging wsp:Ignorable="true"/></wsp:Policy>`;
const MTOM_POLICY = `<wsp:Policy><mtom:MTOM wsp:Optional="true"/></wsp:Policy>`;
const PLACE_ORDER_POLICY = `<wsp:Policy><log:Logging wsp:Ignorable="true"/></wsp:Policy>`;
const EMPTY_POLICY = `<wsp:Policy><wsp:ExactlyOne/></wsp:Policy>`;

function rmPolicy(settings: ProviderSettings): string | null {
  if (settings.rm === 'none') return null;
  const alternatives = settings.rm === 'both' ? RM11_ALL + RM10_ALL : settings.rm === '1.1' ? RM11_ALL : RM10_ALL;
  return `<wsp:Policy wsu:Id="ReliableMessagingPolicy"><wsp:ExactlyOne>${alternatives}</wsp:ExactlyOne></wsp:Policy>`;
}

const ref = (id: string) => `<wsp:PolicyReference URI="#${id}"/>`;

/** Where each policy is attached under `settings`, with its XML as published (the page highlights these). */
export function policyScopes(settings: ProviderSettings): ScopeRow[] {
  const rows: ScopeRow[] = [];
  if (settings.addressing) rows.push({ subject: 'endpoint', element: 'wsdl:port', name: 'OrdersPort', how: 'reference', ref: 'AddressingPolicy', xml: ADDRESSING_POLICY });
  const rm = rmPolicy(settings);
  if (settings.empty) rows.push({ subject: 'endpoint', element: 'wsdl:binding', name: 'OrdersSoap12Binding', how: 'inline', xml: EMPTY_POLICY });
  else if (rm) rows.push({ subject: 'endpoint', element: 'wsdl:binding', name: 'OrdersSoap12Binding', how: 'reference', ref: 'ReliableMessagingPolicy', xml: rm });
  rows.push(
    { subject: 'operation', element: 'wsdl:binding/wsdl:operation', name: 'placeOrder', how: 'inline', xml: PLACE_ORDER_POLICY },
    { subject: 'operation', element: 'wsdl:binding/wsdl:operation', name: 'getOrder', how: 'inline', xml: MTOM_POLICY },
    { subject: 'message', element: 'wsdl:binding/wsdl:operation/wsdl:input', name: 'cancelOrder', how: 'reference', ref: 'LoggingPolicy', xml: LOGGING_POLICY },
  );
  return rows;
}

const field = ([name, type]: readonly [string, string]) => `<xs:element name="${name}" type="xs:${type}"/>`;

/** The complete WSDL for `settings`, with `location` (the public endpoint URL) as the port's address. */
export function ordersWsdl(settings: ProviderSettings, location: string): string {
  const ops = Object.entries(ORDER_FIELDS);
  const rm = rmPolicy(settings);
  const elements = ops
    .map(([op, f]) => `<xs:element name="${op}"><xs:complexType><xs:sequence>${f.input.map(field).join('')}</xs:sequence></xs:complexType></xs:element>` +
      `<xs:element name="${op}Response"><xs:complexType><xs:sequence>${f.output.map(field).join('')}</xs:sequence></xs:complexType></xs:element>`)
    .join('');
  const messages = ops.map(([op]) => `<wsdl:message name="${op}Request"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message><wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`).join('');
  const portOps = ops
    .map(([op]) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}Request" wsam:Action="${opAction(op)}"/><wsdl:output message="tns:${op}Response" wsam:Action="${opAction(op, true)}"/></wsdl:operation>`)
    .join('');
  const opPolicy: Record<string, string> = { placeOrder: PLACE_ORDER_POLICY, getOrder: MTOM_POLICY };
  const inputPolicy: Record<string, string> = { cancelOrder: ref('LoggingPolicy') };
  const bindingOps = ops
    .map(([op]) => `<wsdl:operation name="${op}">${opPolicy[op] ?? ''}<soap12:operation soapAction="${opAction(op)}" style="document"/>` +
      `<wsdl:input>${inputPolicy[op] ?? ''}<soap12:body use="literal"/></wsdl:input><wsdl:output><soap12:body use="literal"/></wsdl:output></wsdl:operation>`)
    .join('');
  const bindingPolicy = settings.empty ? EMPTY_POLICY : rm ? ref('ReliableMessagingPolicy') : '';
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<wsdl:definitions name="Orders" targetNamespace="${ORDERS_NS}" xmlns:wsdl="${WSDL_NS}" xmlns:soap12="${WSDL_SOAP12_NS}" xmlns:xs="${XSD_NS}" xmlns:tns="${ORDERS_NS}"` +
    ` xmlns:wsp="${WSP_NS}" xmlns:wsu="${WSU_NS}" xmlns:wsam="${WSAM_NS}" xmlns:wsrmp="${RM['1.1'].policyNs}" xmlns:wsrm10p="${RM['1.0'].policyNs}" xmlns:mtom="${MTOM_POLICY_NS}" xmlns:log="${LOG_NS}">` +
    `<wsdl:documentation>Orders: a service whose WS-Policy (WS-PolicyAttachment 1.5) is attached at the endpoint, binding, operation and message scopes. The provider enforces what it publishes here.</wsdl:documentation>` +
    (settings.addressing ? ADDRESSING_POLICY : '') +
    (rm ?? '') +
    LOGGING_POLICY +
    `<wsdl:types><xs:schema targetNamespace="${ORDERS_NS}" elementFormDefault="qualified">${elements}</xs:schema></wsdl:types>` +
    messages +
    `<wsdl:portType name="OrdersPortType">${portOps}</wsdl:portType>` +
    `<wsdl:binding name="OrdersSoap12Binding" type="tns:OrdersPortType">${bindingPolicy}<soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps}</wsdl:binding>` +
    `<wsdl:service name="OrdersService"><wsdl:port name="OrdersPort" binding="tns:OrdersSoap12Binding">${settings.addressing ? ref('AddressingPolicy') : ''}` +
    `<soap12:address location="${escapeXml(location)}"/></wsdl:port></wsdl:service>` +
    `</wsdl:definitions>`
  );
}
