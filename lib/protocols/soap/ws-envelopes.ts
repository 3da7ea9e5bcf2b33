/**
 * WS-* envelopes shaped like the specifications' own examples (WS-Addressing 1.0 Core Example 1-1, SOAP
 * Binding Examples 6-1 and 6-2, the WS-RM message examples, a WS-MEX GetMetadata exchange), for the SOAP
 * dissector's tests and for anyone who wants a sample on the wire. Pure strings; nothing here parses.
 */

export const NS = {
  s12: 'http://www.w3.org/2003/05/soap-envelope',
  s11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsa: 'http://www.w3.org/2005/08/addressing',
  rm11: 'http://docs.oasis-open.org/ws-rx/wsrm/200702',
  rm10: 'http://schemas.xmlsoap.org/ws/2005/02/rm',
  mex: 'http://schemas.xmlsoap.org/ws/2004/09/mex',
  wsp: 'http://www.w3.org/ns/ws-policy',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  soap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  wsam: 'http://www.w3.org/2007/05/addressing/metadata',
  wsrmp11: 'http://docs.oasis-open.org/ws-rx/wsrmp/200702',
  wsrmp10: 'http://schemas.xmlsoap.org/ws/2005/02/rm/policy',
  orders: 'http://lab.test/soap/orders',
} as const;

export const ANONYMOUS = `${NS.wsa}/anonymous`;

/** A SOAP 1.2 envelope with wsa and `rm` (1.1 or 1.0) prefixes declared on the Envelope. */
export function soap12(header: string, body: string, rm: string = NS.rm11): string {
  return `<S:Envelope xmlns:S="${NS.s12}" xmlns:wsa="${NS.wsa}" xmlns:wsrm="${rm}"><S:Header>${header}</S:Header><S:Body>${body}</S:Body></S:Envelope>`;
}

/** The WS-Addressing headers of a request: Action, MessageID, ReplyTo (anonymous by default), To. */
export function wsaRequest(action: string, id: string, to = 'http://127.0.0.1:8080/soap/orders', replyTo = ANONYMOUS): string {
  return `<wsa:Action S:mustUnderstand="1">${action}</wsa:Action><wsa:MessageID>${id}</wsa:MessageID><wsa:ReplyTo><wsa:Address>${replyTo}</wsa:Address></wsa:ReplyTo><wsa:To S:mustUnderstand="1">${to}</wsa:To>`;
}

/** The WS-Addressing headers of a reply: Action and RelatesTo. */
export function wsaReply(action: string, relatesTo: string): string {
  return `<wsa:Action S:mustUnderstand="1">${action}</wsa:Action><wsa:RelatesTo>${relatesTo}</wsa:RelatesTo>`;
}

/** wsa:MessageAddressingHeaderRequired for a missing header (SOAP Binding §6.4.2 in the form of Example 6-1). */
export function missingHeaderFault12(header = 'wsa:Action'): string {
  return soap12(
    `<wsa:Action>${NS.wsa}/fault</wsa:Action>`,
    `<S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wsa:MessageAddressingHeaderRequired</S:Value></S:Subcode></S:Code><S:Reason><S:Text xml:lang="en">A required header representing a Message Addressing Property is not present</S:Text></S:Reason><S:Detail><wsa:ProblemHeaderQName>${header}</wsa:ProblemHeaderQName></S:Detail></S:Fault>`,
  );
}

/** The same fault over SOAP 1.1 (Example 6-2): the subcode as faultcode, the detail in a wsa:FaultDetail header. */
export function missingHeaderFault11(header = 'wsa:Action'): string {
  return `<S11:Envelope xmlns:S11="${NS.s11}" xmlns:wsa="${NS.wsa}"><S11:Header><wsa:Action>${NS.wsa}/fault</wsa:Action><wsa:FaultDetail><wsa:ProblemHeaderQName>${header}</wsa:ProblemHeaderQName></wsa:FaultDetail></S11:Header><S11:Body><S11:Fault><faultcode>wsa:MessageAddressingHeaderRequired</faultcode><faultstring xml:lang="en">A required header representing a Message Addressing Property is not present</faultstring></S11:Fault></S11:Body></S11:Envelope>`;
}

/** An RM fault with its subcode (SOAP 1.2), e.g. WSRMRequired or UnknownSequence (detail: the Identifier). */
export function rmFault12(rm: string, subcode: string, reason: string, detail = ''): string {
  return soap12(
    `<wsa:Action>${rm}/fault</wsa:Action>`,
    `<S:Fault><S:Code><S:Value>S:Sender</S:Value><S:Subcode><S:Value>wsrm:${subcode}</S:Value></S:Subcode></S:Code><S:Reason><S:Text xml:lang="en">${reason}</S:Text></S:Reason>${detail ? `<S:Detail>${detail}</S:Detail>` : ''}</S:Fault>`,
    rm,
  );
}

/** The provider's policy as the WS-Policy lab publishes it: Addressing on the endpoint, RM 1.1 or RM 1.0 on the binding. */
export const ORDERS_WSDL = `<wsdl:definitions xmlns:wsdl="${NS.wsdl}" xmlns:soap12="${NS.soap12}" xmlns:wsp="${NS.wsp}" xmlns:wsu="${NS.wsu}" xmlns:wsam="${NS.wsam}" xmlns:wsrmp="${NS.wsrmp11}" xmlns:rm10="${NS.wsrmp10}" xmlns:tns="${NS.orders}" targetNamespace="${NS.orders}">`
  + `<wsp:Policy wsu:Id="Addressing"><wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/></wsp:Policy></wsam:Addressing></wsp:Policy>`
  + `<wsdl:portType name="Orders"><wsdl:operation name="placeOrder"><wsp:PolicyReference URI="#Addressing"/></wsdl:operation></wsdl:portType>`
  + `<wsdl:binding name="OrdersSoap12" type="tns:Orders"><wsp:Policy><wsp:ExactlyOne><wsp:All><wsrmp:RMAssertion/></wsp:All><wsp:All><rm10:RMAssertion/></wsp:All></wsp:ExactlyOne></wsp:Policy>`
  + `<soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/></wsdl:binding>`
  + `<wsdl:service name="OrdersService"><wsdl:port name="OrdersPort" binding="tns:OrdersSoap12"><soap12:address location="http://127.0.0.1:8080/soap/orders"/></wsdl:port></wsdl:service></wsdl:definitions>`;
