/**
 * The SOAP lab's protocol facts as data: envelope parts, fault codes, the HTTP words a SOAP
 * exchange uses, and the parts of a WSDL document, each with its annotation key and source.
 * Prose lives in text.en.ts under the same keys (annotate.ts joins the two).
 */
import type { Level } from '../../wire/event.ts';
import { OTHER_PROTOCOL_REFS, type OtherProtocol } from '../kit/other-client.ts';
import { WS_FACT_TABLES } from './ws-tables.ts';
import { API_OVERRIDES } from './api-tables.ts';

/** One explained fact: its annotation key, where it is defined, how alarming it is. */
export interface FactRow {
  key: string;
  ref: string;
  level?: Level;
}

const row = (key: string, ref: string, level?: Level): FactRow => ({ key, ref, level });

/** Elements in the envelope namespace (both versions; 1.2 qualifies its fault parts). */
export const ENVELOPE_ELEMENTS: Readonly<Record<string, FactRow>> = {
  Envelope: row('soap.envelope', 'SOAP 1.1 §4.1; SOAP 1.2 Part 1 §5.1'),
  Header: row('soap.header', 'SOAP 1.1 §4.2; SOAP 1.2 Part 1 §5.2'),
  Body: row('soap.body', 'SOAP 1.1 §4.3; SOAP 1.2 Part 1 §5.3; WS-I BP 1.1 R2201, R2712'),
  Fault: row('soap.fault', 'SOAP 1.1 §4.4; SOAP 1.2 Part 1 §5.4', 'warn'),
  // SOAP 1.2 fault parts (namespace-qualified)
  Code: row('soap.fault.Code', 'SOAP 1.2 Part 1 §5.4.1'),
  Value: row('soap.fault.Value', 'SOAP 1.2 Part 1 §5.4.1.1'),
  // §5.4.1.3 defines what a subcode means (the Value it carries), which is what the note explains.
  Subcode: row('soap.fault.Subcode', 'SOAP 1.2 Part 1 §5.4.1.3'),
  Reason: row('soap.fault.Reason', 'SOAP 1.2 Part 1 §5.4.2'),
  Text: row('soap.fault.Text', 'SOAP 1.2 Part 1 §5.4.2.1'),
  Node: row('soap.fault.Node', 'SOAP 1.2 Part 1 §5.4.3'),
  Role: row('soap.fault.Role', 'SOAP 1.2 Part 1 §5.4.4'),
  Detail: row('soap.fault.Detail', 'SOAP 1.2 Part 1 §5.4.5'),
  // SOAP 1.2 header blocks a fault may carry
  Upgrade: row('soap.header.Upgrade', 'SOAP 1.2 Part 1 §5.4.7'),
  SupportedEnvelope: row('soap.header.SupportedEnvelope', 'SOAP 1.2 Part 1 §5.4.7'),
  NotUnderstood: row('soap.header.NotUnderstood', 'SOAP 1.2 Part 1 §5.4.8'),
};

/** SOAP 1.1 fault parts: unqualified children of Fault (SOAP 1.1 §4.4). */
export const FAULT11_PARTS: Readonly<Record<string, FactRow>> = {
  faultcode: row('soap.fault.faultcode', 'SOAP 1.1 §4.4'),
  faultstring: row('soap.fault.faultstring', 'SOAP 1.1 §4.4'),
  faultactor: row('soap.fault.faultactor', 'SOAP 1.1 §4.4'),
  detail: row('soap.fault.detail', 'SOAP 1.1 §4.4'),
};

/** A Value inside a Subcode is the application's own refinement (Part 1 §5.4.1.3), not one of the fixed codes. */
export const SUBCODE_VALUE = row('soap.fault.Subcode.Value', 'SOAP 1.2 Part 1 §5.4.1.3');

/** What a fault's detail carries: entries (children of detail/Detail) and, for this lab's service, their fields. */
export const FAULT_DETAIL: Readonly<Record<string, FactRow>> = {
  entry: row('soap.fault.detail.entry', 'SOAP 1.1 §4.4; SOAP 1.2 Part 1 §5.4.5.1'),
  field: row('soap.fault.detail.field', 'SOAP 1.2 Part 1 §5.4.5.1'),
  argument: row('soap.fault.detail.argument', 'Calendar WSDL, element tns:CalendarFault'),
  value: row('soap.fault.detail.value', 'Calendar WSDL, element tns:CalendarFault'),
  expected: row('soap.fault.detail.expected', 'Calendar WSDL, element tns:CalendarFault'),
};

/** Header blocks from other specifications that a SOAP toolkit may add on its own. */
export const FOREIGN_HEADERS: Readonly<Record<string, FactRow>> = {
  wsse: row('soap.header.wsse', 'OASIS WSS SOAP Message Security 1.1 §5, §10', 'warn'),
};
/** The WS-Security 1.0 secext namespace (the Security header block's). */
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

/** Fault code values of both versions (SOAP 1.1 §4.4.1; SOAP 1.2 Part 1 §5.4.6). */
export const FAULT_CODES: Readonly<Record<string, FactRow>> = {
  VersionMismatch: row('soap.fault.VersionMismatch', 'SOAP 1.1 §4.4.1; SOAP 1.2 Part 1 §5.4.6', 'error'),
  MustUnderstand: row('soap.fault.MustUnderstand', 'SOAP 1.1 §4.4.1; SOAP 1.2 Part 1 §5.4.6', 'error'),
  Client: row('soap.fault.Client', 'SOAP 1.1 §4.4.1', 'error'),
  Server: row('soap.fault.Server', 'SOAP 1.1 §4.4.1', 'error'),
  Sender: row('soap.fault.Sender', 'SOAP 1.2 Part 1 §5.4.6', 'error'),
  Receiver: row('soap.fault.Receiver', 'SOAP 1.2 Part 1 §5.4.6', 'error'),
  DataEncodingUnknown: row('soap.fault.DataEncodingUnknown', 'SOAP 1.2 Part 1 §5.4.6', 'error'),
};

/** Attributes of header blocks (envelope namespace). */
export const ENVELOPE_ATTRIBUTES: Readonly<Record<string, FactRow>> = {
  mustUnderstand: row('soap.attr.mustUnderstand', 'SOAP 1.1 §4.2.3; SOAP 1.2 Part 1 §5.2.3'),
  actor: row('soap.attr.actor', 'SOAP 1.1 §4.2.2'),
  role: row('soap.attr.role', 'SOAP 1.2 Part 1 §5.2.2'),
  relay: row('soap.attr.relay', 'SOAP 1.2 Part 1 §5.2.4'),
  encodingStyle: row('soap.attr.encodingStyle', 'SOAP 1.1 §4.1.1; SOAP 1.2 Part 1 §5.1.1'),
};

/** Parts of a message outside the envelope vocabulary. */
export const SOAP_MISC: Readonly<Record<string, FactRow>> = {
  operation: row('soap.operation', 'WSDL 1.1 §3.5 (document/literal); WS-I BP 1.1 R2712'),
  response: row('soap.operation.response', 'WSDL 1.1 §2.4.2, §2.4.5'),
  headerBlock: row('soap.header.block', 'SOAP 1.2 Part 1 §5.2.1'),
  notEnvelope: row('soap.not-envelope', 'SOAP 1.2 Part 1 §5.1', 'warn'),
  unknownEnvelopeNs: row('soap.envelope.unknown-ns', 'SOAP 1.2 Part 1 §5.4.7', 'error'),
  declaration: row('xml.declaration', 'XML 1.0 §2.8'),
  dtd: row('xml.dtd.forbidden', 'SOAP 1.2 Part 1 §5; WS-I BP 1.1 R1008', 'error'),
  malformed: row('xml.malformed', 'XML 1.0 §2.1', 'error'),
  tooLarge: row('xml.too-large', 'Protocol Lab limit (1 MiB)', 'warn'),
  comment: row('xml.comment', 'XML 1.0 §2.5'),
};

/** HTTP request methods the console may meet (RFC 9110 §9.3). */
export const HTTP_METHODS: Readonly<Record<string, FactRow>> = {
  GET: row('http.method.GET', 'RFC 9110 §9.3.1'),
  POST: row('http.method.POST', 'RFC 9110 §9.3.3; SOAP 1.2 Part 2 §7.4'),
  HEAD: row('http.method.HEAD', 'RFC 9110 §9.3.2'),
  PUT: row('http.method.PUT', 'RFC 9110 §9.3.4', 'warn'),
  DELETE: row('http.method.DELETE', 'RFC 9110 §9.3.5', 'warn'),
  OPTIONS: row('http.method.OPTIONS', 'RFC 9110 §9.3.7'),
};

/** Header fields worth explaining in a SOAP exchange (lower-case names). */
export const HTTP_HEADERS: Readonly<Record<string, FactRow>> = {
  host: row('http.header.Host', 'RFC 9112 §3.2'),
  'content-type': row('http.header.Content-Type', 'RFC 9110 §8.3; SOAP 1.1 §6.1; RFC 3902'),
  'content-length': row('http.header.Content-Length', 'RFC 9112 §6.3'),
  'transfer-encoding': row('http.header.Transfer-Encoding', 'RFC 9112 §6.1, §7.1'),
  soapaction: row('http.header.SOAPAction', 'SOAP 1.1 §6.1.1; WS-I BP 1.1 R2744'),
  connection: row('http.header.Connection', 'RFC 9110 §7.6.1; RFC 9112 §9.3'),
  'keep-alive': row('http.header.Keep-Alive', 'RFC 2068 §19.7.1.1'),
  expect: row('http.header.Expect', 'RFC 9110 §10.1.1'),
  'content-encoding': row('http.header.Content-Encoding', 'RFC 9110 §8.4'),
  'user-agent': row('http.header.User-Agent', 'RFC 9110 §10.1.5'),
  accept: row('http.header.Accept', 'RFC 9110 §12.5.1'),
  date: row('http.header.Date', 'RFC 9110 §6.6.1'),
  allow: row('http.header.Allow', 'RFC 9110 §10.2.1'),
};

/** Status codes the service host sends, with class fallbacks (RFC 9110 §15). */
export const HTTP_STATUS: Readonly<Record<string, FactRow>> = {
  100: row('http.status.100', 'RFC 9110 §15.2.1'),
  200: row('http.status.200', 'RFC 9110 §15.3.1; SOAP 1.2 Part 2 §7.5.2.2'),
  202: row('http.status.202', 'RFC 9110 §15.3.3; SOAP 1.2 Part 2 §7.5.2.2'),
  400: row('http.status.400', 'RFC 9110 §15.5.1; SOAP 1.2 Part 2 §7.5.2.2', 'error'),
  404: row('http.status.404', 'RFC 9110 §15.5.5', 'error'),
  405: row('http.status.405', 'RFC 9110 §15.5.6', 'error'),
  408: row('http.status.408', 'RFC 9110 §15.5.9', 'error'),
  411: row('http.status.411', 'RFC 9110 §15.5.12', 'error'),
  413: row('http.status.413', 'RFC 9110 §15.5.14', 'error'),
  421: row('http.status.421', 'RFC 9110 §15.5.20', 'error'),
  415: row('http.status.415', 'RFC 9110 §15.5.16; SOAP 1.2 Part 2 §7.5.2.1', 'error'),
  500: row('http.status.500', 'RFC 9110 §15.6.1; SOAP 1.1 §6.2; SOAP 1.2 Part 2 §7.5.2.2', 'error'),
  505: row('http.status.505', 'RFC 9110 §15.6.6', 'error'),
  '1xx': row('http.status.1xx', 'RFC 9110 §15.2'),
  '2xx': row('http.status.2xx', 'RFC 9110 §15.3'),
  '3xx': row('http.status.3xx', 'RFC 9110 §15.4', 'warn'),
  '4xx': row('http.status.4xx', 'RFC 9110 §15.5', 'error'),
  '5xx': row('http.status.5xx', 'RFC 9110 §15.6', 'error'),
};

/** Framing events of an HTTP/1.1 stream (RFC 9112). */
export const HTTP_FRAMING: Readonly<Record<string, FactRow>> = {
  requestLine: row('http.request-line', 'RFC 9112 §3'),
  statusLine: row('http.status-line', 'RFC 9112 §4'),
  headerEnd: row('http.header-end', 'RFC 9112 §2.1'),
  emptyLine: row('http.empty-line', 'RFC 9112 §2.2'),
  body: row('http.body', 'RFC 9112 §6'),
  chunkSize: row('http.chunk.size', 'RFC 9112 §7.1'),
  chunkData: row('http.chunk.data', 'RFC 9112 §7.1'),
  lastChunk: row('http.chunk.last', 'RFC 9112 §7.1', undefined),
  trailer: row('http.chunk.trailer', 'RFC 9112 §7.1.2'),
  chunkedEnd: row('http.chunk.end', 'RFC 9112 §7.1'),
  garbage: row('http.not-http', 'RFC 9112 §3', 'warn'),
  lineTooLong: row('http.line-too-long', 'RFC 9112 §3; Protocol Lab limit', 'warn'),
  badLength: row('http.bad-length', 'RFC 9112 §6.3', 'error'),
  incomplete: row('http.incomplete', 'RFC 9112 §8', 'warn'),
  header: row('http.header', 'RFC 9110 §5'),
  obsFold: row('http.obs-fold', 'RFC 9112 §5.2', 'warn'),
};

/**
 * Another protocol's client on an HTTP port, named from its first bytes (kit/other-client.ts): where
 * that opening is defined, then the request line it is not (RFC 9112 §3). Same level as http.not-http.
 */
export const HTTP_OTHER_CLIENTS: Readonly<Record<Exclude<OtherProtocol, 'http'>, FactRow>> = {
  ssh: row('http.other.ssh', `${OTHER_PROTOCOL_REFS.ssh}; RFC 9112 §3`, 'warn'),
  tls: row('http.other.tls', `${OTHER_PROTOCOL_REFS.tls}; RFC 8446 §4.1.2; RFC 9112 §3`, 'warn'),
  smtp: row('http.other.smtp', `${OTHER_PROTOCOL_REFS.smtp}; RFC 9112 §3`, 'warn'),
  ftp: row('http.other.ftp', `${OTHER_PROTOCOL_REFS.ftp}; RFC 9112 §3`, 'warn'),
  'smtp-or-ftp': row('http.other.smtp-or-ftp', `${OTHER_PROTOCOL_REFS['smtp-or-ftp']}; RFC 9112 §3`, 'warn'),
  zmtp: row('http.other.zmtp', `${OTHER_PROTOCOL_REFS.zmtp}; RFC 9112 §3`, 'warn'),
};

/** WSDL 1.1 elements (namespace http://schemas.xmlsoap.org/wsdl/) and the SOAP binding extensions. */
export const WSDL_ELEMENTS: Readonly<Record<string, FactRow>> = {
  definitions: row('wsdl.definitions', 'WSDL 1.1 §2.1'),
  documentation: row('wsdl.documentation', 'WSDL 1.1 §2.1.4'),
  types: row('wsdl.types', 'WSDL 1.1 §2.2'),
  message: row('wsdl.message', 'WSDL 1.1 §2.3'),
  part: row('wsdl.part', 'WSDL 1.1 §2.3.1'),
  portType: row('wsdl.portType', 'WSDL 1.1 §2.4'),
  operation: row('wsdl.operation', 'WSDL 1.1 §2.4.2'),
  input: row('wsdl.input', 'WSDL 1.1 §2.4.2, §2.4.5'),
  output: row('wsdl.output', 'WSDL 1.1 §2.4.2, §2.4.5'),
  fault: row('wsdl.fault', 'WSDL 1.1 §2.4.2'),
  binding: row('wsdl.binding', 'WSDL 1.1 §2.5'),
  service: row('wsdl.service', 'WSDL 1.1 §2.7'),
  port: row('wsdl.port', 'WSDL 1.1 §2.6'),
};

/** The SOAP binding extension elements, per their namespace (soap: WSDL 1.1 §3; soap12: the W3C Member Submission "WSDL 1.1 Binding Extension for SOAP 1.2"). */
export const WSDL_SOAP_NAMESPACES: Readonly<Record<string, '1.1' | '1.2'>> = {
  'http://schemas.xmlsoap.org/wsdl/soap/': '1.1',
  'http://schemas.xmlsoap.org/wsdl/soap12/': '1.2',
};
export const WSDL_SOAP_ELEMENTS: Readonly<Record<string, FactRow>> = {
  binding: row('wsdl.soap.binding', 'WSDL 1.1 §3.3; WSDL 1.1 Binding Extension for SOAP 1.2'),
  operation: row('wsdl.soap.operation', 'WSDL 1.1 §3.4; WSDL 1.1 Binding Extension for SOAP 1.2'),
  body: row('wsdl.soap.body', 'WSDL 1.1 §3.5; WSDL 1.1 Binding Extension for SOAP 1.2'),
  fault: row('wsdl.soap.fault', 'WSDL 1.1 §3.6; WSDL 1.1 Binding Extension for SOAP 1.2'),
  address: row('wsdl.soap.address', 'WSDL 1.1 §3.8; WSDL 1.1 Binding Extension for SOAP 1.2'),
};
/**
 * The one source of each element as it appears: soap: elements are WSDL 1.1 §3; soap12: elements are
 * not in WSDL 1.1 at all but in the W3C Member Submission, cited by element name.
 */
export function wsdlSoapRef(version: '1.1' | '1.2', local: string): string | undefined {
  const both = WSDL_SOAP_ELEMENTS[local]?.ref;
  if (!both) return undefined;
  const [wsdl11, submission] = both.split('; ');
  return version === '1.1' ? wsdl11 : `${submission} (W3C Member Submission, 2006), soap12:${local}`;
}

export const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const XSD_ELEMENT = row('wsdl.xsd.element', 'XML Schema Part 1 §3.3');

/** Every row above, by key, for annotate.ts. */
export const ALL_FACTS: ReadonlyMap<string, FactRow> = new Map(
  [
    ENVELOPE_ELEMENTS, FAULT11_PARTS, FAULT_DETAIL, FOREIGN_HEADERS, FAULT_CODES, ENVELOPE_ATTRIBUTES, SOAP_MISC, HTTP_METHODS, HTTP_HEADERS,
    HTTP_STATUS, HTTP_FRAMING, HTTP_OTHER_CLIENTS, WSDL_ELEMENTS, WSDL_SOAP_ELEMENTS, { element: XSD_ELEMENT, subcodeValue: SUBCODE_VALUE }, ...WS_FACT_TABLES, API_OVERRIDES,
  ].flatMap((table) => Object.values(table).map((r): [string, FactRow] => [r.key, r])),
);
