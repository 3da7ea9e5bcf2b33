/**
 * Namespaces and action URIs the Orders provider and the lab's client speak, each from its specification.
 * WS-RM 1.0 (2005/02) is used here with WS-Addressing 1.0 (2005/08), as WCF's RM February 2005 binding does;
 * the RM 1.0 text itself was written against the 2004/08 WS-Addressing submission.
 */
import type { RmVersion } from './contracts.ts';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const WSDL_SOAP12_NS = 'http://schemas.xmlsoap.org/wsdl/soap12/';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const WSP_NS = 'http://www.w3.org/ns/ws-policy';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
/** WS-Addressing 1.0 Core / SOAP Binding. */
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
export const WSA_ANONYMOUS = `${WSA_NS}/anonymous`;
/** WS-Addressing 1.0 SOAP Binding §6: the action of every addressing fault message. */
export const WSA_FAULT_ACTION = `${WSA_NS}/fault`;
/** WS-Addressing 1.0 Metadata (wsam:Addressing, wsam:AnonymousResponses, wsam:Action). */
export const WSAM_NS = 'http://www.w3.org/2007/05/addressing/metadata';
/** WS-MetadataExchange (2004/09). */
export const MEX_NS = 'http://schemas.xmlsoap.org/ws/2004/09/mex';
export const MEX_GET_REQUEST = `${MEX_NS}/GetMetadata/Request`;
export const MEX_GET_RESPONSE = `${MEX_NS}/GetMetadata/Response`;
/** The WSDL dialect of a MetadataSection. */
export const MEX_DIALECT_WSDL = 'http://schemas.xmlsoap.org/wsdl/';
/** W3C MTOM Serialization Policy Assertion (mtom:MTOM). */
export const MTOM_POLICY_NS = 'http://www.w3.org/2007/08/soap12-mtom-policy';
/** The lab's own ignorable assertion (a "please log this" the provider can do without the client knowing). */
export const LOG_NS = 'urn:protocol-lab:policy:logging';
/** The Orders service's target namespace. */
export const ORDERS_NS = 'urn:protocol-lab:orders';
export const ORDERS_PATH = '/soap/orders';

/** Per RM version: the protocol namespace (headers, bodies, actions, faults) and the policy assertion's. */
export const RM: Readonly<Record<RmVersion, { ns: string; policyNs: string; prefix: string; policyPrefix: string; spec: string }>> = {
  '1.1': {
    ns: 'http://docs.oasis-open.org/ws-rx/wsrm/200702',
    policyNs: 'http://docs.oasis-open.org/ws-rx/wsrmp/200702',
    prefix: 'wsrm',
    policyPrefix: 'wsrmp',
    spec: 'WS-ReliableMessaging 1.1',
  },
  '1.0': {
    ns: 'http://schemas.xmlsoap.org/ws/2005/02/rm',
    policyNs: 'http://schemas.xmlsoap.org/ws/2005/02/rm/policy',
    prefix: 'wsrm10',
    policyPrefix: 'wsrm10p',
    spec: 'WS-ReliableMessaging 1.0 (2005/02)',
  },
};

/** An RM message's action: the version's namespace, a slash, the message name (RM 1.1 §3; RM 1.0 §3). */
export const rmAction = (version: RmVersion, message: string): string => `${RM[version].ns}/${message}`;

/** The wsa:Action of an operation's input or output, as the WSDL declares it (wsam:Action). */
export const opAction = (operation: string, output = false): string => `${ORDERS_NS}/${operation}${output ? 'Response' : ''}`;

/** Readable prefixes for namespaces the page shows (assertion names in tables). */
export const PREFIXES: Readonly<Record<string, string>> = {
  [WSAM_NS]: 'wsam',
  [RM['1.1'].policyNs]: 'wsrmp',
  [RM['1.0'].policyNs]: 'wsrm10p',
  [MTOM_POLICY_NS]: 'mtom',
  [LOG_NS]: 'log',
  [WSP_NS]: 'wsp',
};
