/**
 * Teaching prose for the SOAP lab, keyed by annotation key (tables.ts and versions.ts hold
 * the facts and sources). English; another language is another file with the same keys.
 */

import type { Prose } from '../kit/prose.ts';
import { WS_TEXT_EN } from './ws-text.en.ts';
import { API_TEXT_EN } from './api-text.en.ts';

export type { Prose };

export const TEXT_EN: Readonly<Record<string, Prose>> = {
  // WS-Addressing, WS-ReliableMessaging, WS-MetadataExchange, WS-Policy (ws-text.en.ts)
  ...WS_TEXT_EN,
  ...API_TEXT_EN,
  // ── versions ──
  'soap.version.1.1': {
    title: 'SOAP 1.1 envelope',
    explain:
      'The Envelope namespace http://schemas.xmlsoap.org/soap/envelope/ makes this SOAP 1.1. Over HTTP it travels as text/xml with a separate SOAPAction header.',
  },
  'soap.version.1.2': {
    title: 'SOAP 1.2 envelope',
    explain:
      'The Envelope namespace http://www.w3.org/2003/05/soap-envelope makes this SOAP 1.2. Over HTTP it travels as application/soap+xml; the operation hint is the optional action parameter of Content-Type.',
  },
  // ── envelope ──
  'soap.envelope': {
    title: 'Envelope',
    explain:
      'The root of every SOAP message. Only its namespace says which SOAP version is spoken; a receiver that does not know the namespace answers VersionMismatch.',
  },
  'soap.envelope.unknown-ns': {
    title: 'Unknown envelope namespace',
    explain:
      'This Envelope is in neither the SOAP 1.1 nor the SOAP 1.2 namespace. A SOAP node must answer with a VersionMismatch fault (SOAP 1.2 adds an Upgrade header listing the versions it supports).',
  },
  'soap.header': {
    title: 'Header',
    explain:
      'Optional. Holds header blocks: extensions such as security tokens, routing or (here) a think time. Each block is a separate element; mustUnderstand="1" forces the receiver to fault if it does not know the block.',
  },
  'soap.header.block': {
    title: 'Header block',
    explain:
      'One header entry. Its qualified name decides who processes it; without mustUnderstand a receiver that does not know it may simply ignore it.',
  },
  'soap.body': {
    title: 'Body',
    explain: 'The payload for the ultimate receiver. SOAP itself allows any number of body entries; a document/literal service as the WS-I Basic Profile has it takes exactly one element, naming the operation (or a Fault).',
  },
  'soap.operation': {
    title: 'Operation element',
    explain:
      'Document/literal wrapped style: the Body child is an element declared in the WSDL types; its name is the operation and its namespace is the service target namespace. Its children are the parameters.',
  },
  'soap.operation.response': {
    title: 'Response element',
    explain: 'By convention the operation name plus "Response"; its children are the output parts declared in the WSDL.',
  },
  'soap.not-envelope': {
    title: 'Not a SOAP envelope',
    explain: 'The root element is not an Envelope, so a SOAP node cannot process this document at all.',
  },
  'soap.attr.mustUnderstand': {
    title: 'mustUnderstand',
    explain:
      'Set to "1" (or "true" in 1.2), it obliges the receiver to process this header block or fail the whole message with a MustUnderstand fault. Ignoring the block silently is not allowed.',
  },
  'soap.attr.actor': { title: 'actor (SOAP 1.1)', explain: 'Which intermediary a header block is meant for; absent means the ultimate receiver.' },
  'soap.attr.role': { title: 'role (SOAP 1.2)', explain: 'The SOAP 1.2 name for actor: which node (next, ultimateReceiver, a URI) processes the block.' },
  'soap.attr.relay': { title: 'relay (SOAP 1.2)', explain: 'Whether an intermediary that ignores this block forwards it.' },
  'soap.attr.encodingStyle': { title: 'encodingStyle', explain: 'Names serialization rules (SOAP encoding). Document/literal services do not use it.' },
  // ── faults ──
  'soap.fault': {
    title: 'Fault',
    explain: 'The Body carries an error report instead of a result. Its code says whose fault it was (sender or receiver) and the reason says why.',
  },
  'soap.fault.faultcode': { title: 'faultcode (1.1)', explain: 'A qualified name: Client, Server, VersionMismatch or MustUnderstand in the envelope namespace, optionally refined with dots (Client.Authentication).' },
  'soap.fault.faultstring': { title: 'faultstring (1.1)', explain: 'A human-readable explanation. Should not leak internal error messages or stack traces.' },
  'soap.fault.faultactor': { title: 'faultactor (1.1)', explain: 'Which node on the path caused the fault; omitted when it is the ultimate receiver.' },
  'soap.fault.detail': { title: 'detail (1.1)', explain: 'Application-specific error data about the Body, in the service namespace — here which argument was wrong and what was expected.' },
  'soap.fault.Code': { title: 'Code (1.2)', explain: 'Holds the mandatory Value (Sender, Receiver, VersionMismatch, MustUnderstand, DataEncodingUnknown) and optional Subcodes.' },
  'soap.fault.Value': { title: 'Value', explain: 'The fault code as a qualified name. Top-level values are fixed by SOAP 1.2; subcode values are the application’s.' },
  'soap.fault.Subcode': { title: 'Subcode', explain: 'Refines the fault code above it with a value the application defines (this service uses tns:InvalidArgument, for example), so a client can tell faults of the same class apart.' },
  'soap.fault.Subcode.Value': {
    title: 'Subcode value',
    explain: 'A qualified name in the service’s own namespace, not one of the codes SOAP fixes. A client that knows the service can react to it precisely; one that does not still has the top-level code.',
  },
  'soap.fault.Reason': { title: 'Reason (1.2)', explain: 'One Text per language with a human-readable explanation.' },
  'soap.fault.Text': { title: 'Text', explain: 'The explanation in the language given by xml:lang (mandatory).' },
  'soap.fault.Node': { title: 'Node (1.2)', explain: 'The URI of the SOAP node that generated the fault.' },
  'soap.fault.Role': { title: 'Role (1.2)', explain: 'The role the faulting node was acting in.' },
  'soap.fault.Detail': { title: 'Detail (1.2)', explain: 'Application-specific error data, in the service’s own namespace.' },
  'soap.fault.detail.entry': {
    title: 'Detail entry',
    explain: 'One element of error data that the service defines (its WSDL declares it as a fault message). SOAP only carries it; its fields mean what the service says.',
  },
  'soap.fault.detail.field': { title: 'Detail field', explain: 'One field of the detail entry, as the service’s schema declares it.' },
  'soap.fault.detail.argument': { title: 'argument', explain: 'Which input parameter the service rejected, by its name in the WSDL.' },
  'soap.fault.detail.value': { title: 'value', explain: 'What the request actually sent for that parameter (empty when it was missing).' },
  'soap.fault.detail.expected': { title: 'expected', explain: 'What the service would have accepted instead, so the sender can correct the request.' },
  'soap.header.wsse': {
    title: 'WS-Security header',
    explain:
      'A Security header block from WS-Security, here carrying only a Timestamp (when the message was created and when it expires). It is marked mustUnderstand, so a receiver without WS-Security support must fault on it. Nothing in this exchange asked for WS-Security: some SOAP toolkits add it to faults on their own.',
  },
  'soap.fault.VersionMismatch': {
    title: 'VersionMismatch',
    explain: 'The receiver did not recognise the Envelope namespace — e.g. a SOAP 1.1 envelope posted as application/soap+xml to a SOAP 1.2 endpoint.',
  },
  'soap.fault.MustUnderstand': {
    title: 'MustUnderstand',
    explain: 'A header block marked mustUnderstand was not understood, so the receiver refused the whole message rather than risk ignoring it.',
  },
  'soap.fault.Client': { title: 'Client fault (1.1)', explain: 'The message was wrong (bad argument, unknown operation, forbidden DTD): resending it unchanged will fail again.' },
  'soap.fault.Server': { title: 'Server fault (1.1)', explain: 'The receiver failed for reasons of its own; the same message may succeed later.' },
  'soap.fault.Sender': { title: 'Sender fault (1.2)', explain: 'SOAP 1.2’s name for Client: the sender’s message was at fault. Over HTTP it comes with status 400.' },
  'soap.fault.Receiver': { title: 'Receiver fault (1.2)', explain: 'SOAP 1.2’s name for Server: processing failed at the receiver. Over HTTP it comes with status 500.' },
  'soap.fault.DataEncodingUnknown': { title: 'DataEncodingUnknown (1.2)', explain: 'The encodingStyle is not supported by the receiver.' },
  'soap.header.Upgrade': { title: 'Upgrade header', explain: 'Sent with a VersionMismatch fault: lists the envelope versions this node supports, in order of preference.' },
  'soap.header.SupportedEnvelope': { title: 'SupportedEnvelope', explain: 'One supported envelope version, named by its qualified Envelope element.' },
  'soap.header.NotUnderstood': { title: 'NotUnderstood header', explain: 'Sent with a MustUnderstand fault: names the header block that was not understood.' },
  // ── XML ──
  'xml.declaration': { title: 'XML declaration', explain: 'Version and character encoding of the document. Optional when the encoding is UTF-8.' },
  'xml.dtd.forbidden': {
    title: 'DTD in a SOAP message',
    explain:
      'SOAP messages must not contain a document type declaration. Refusing any DOCTYPE before parsing closes external-entity (XXE: reading local files) and entity-expansion ("billion laughs") attacks in one rule.',
  },
  'xml.malformed': { title: 'Malformed XML', explain: 'The body is not well-formed XML, so no SOAP processing is possible; a SOAP server answers with a Client/Sender fault.' },
  'xml.too-large': { title: 'Large body', explain: 'The lab shows only the first part of large bodies; the service refuses bodies over 1 MiB.' },
  'xml.comment': { title: 'XML comment', explain: 'Ignored by SOAP processing.' },
  // ── HTTP ──
  'http.request-line': { title: 'Request line', explain: 'Method, request target and HTTP version. SOAP uses POST to the endpoint URL; the WSDL is fetched with GET …?wsdl.' },
  'http.status-line': { title: 'Status line', explain: 'HTTP version, status code and reason phrase.' },
  'http.header': { title: 'Header field', explain: 'name: value. Field names are case-insensitive.' },
  'http.header-end': { title: 'End of header section', explain: 'An empty line (CRLF) ends the headers. What follows is the body: exactly Content-Length bytes, or chunks.' },
  'http.empty-line': { title: 'Empty line before a request', explain: 'A server should ignore empty lines before a request line (often the CRLF a client sent after a body).' },
  'http.body': { title: 'Body', explain: 'The message content, framed by Content-Length or chunked encoding.' },
  'http.chunk.size': { title: 'Chunk size', explain: 'Chunked transfer coding: the size of the next chunk in hexadecimal, then CRLF, the data and another CRLF.' },
  'http.chunk.data': { title: 'Chunk data', explain: 'One chunk of the body.' },
  'http.chunk.last': { title: 'Last chunk', explain: 'Size 0 ends the chunked body; optional trailer fields and an empty line follow.' },
  'http.chunk.end': {
    title: 'End of the chunked message',
    explain: 'The empty line after the last chunk (and after any trailer fields) ends the whole message. The next bytes on this connection start a new request or response.',
  },
  'http.chunk.trailer': { title: 'Trailer field', explain: 'A header field sent after a chunked body.' },
  'http.not-http': { title: 'Not HTTP', explain: 'This line is not a valid request or status line; the server will answer 400 Bad Request and close.' },
  // Another protocol's client on an HTTP port: its first message says which
  'http.other.ssh': {
    title: 'An SSH client on the HTTP port',
    explain:
      'ssh was pointed at an HTTP port. An SSH client sends its version line, "SSH-2.0-" and its software name, as soon as it connects (RFC 4253 §4.2). That is no request line, so the server answers 400 Bad Request and closes; ssh reports "kex_exchange_identification: Connection closed by remote host".',
  },
  'http.other.tls': {
    title: 'A TLS ClientHello on a plain-HTTP port',
    explain:
      'An https:// URL (or openssl s_client) was pointed at a port that speaks plain HTTP. The client opened with a TLS record holding its ClientHello (RFC 8446 §4.1.2); the server expects a request line in clear text, so it answers 400 Bad Request in plain text and closes. The client reads that text as a TLS record and fails: curl says "wrong version number". Use http:// on this port.',
  },
  'http.other.smtp': {
    title: 'An SMTP command on the HTTP port',
    explain:
      'A mail client, or EHLO typed into a raw TCP client, reached an HTTP port. SMTP starts with the server\'s "220" greeting; an HTTP server says nothing until it gets a request line, and EHLO or HELO is none, so it answers 400 Bad Request and closes.',
  },
  'http.other.ftp': {
    title: 'An FTP command on the HTTP port',
    explain:
      'An FTP client\'s first command (USER, FEAT, AUTH TLS…) reached an HTTP port. FTP starts with the server\'s "220" greeting; an HTTP server says nothing until it gets a request line, and this is none, so it answers 400 Bad Request and closes.',
  },
  'http.other.smtp-or-ftp': {
    title: 'A mail or FTP client gave up on the HTTP port',
    explain:
      'A line-based client (SMTP or FTP, such as swaks) was pointed at an HTTP port. It waited for the server\'s "220" greeting, but an HTTP server says nothing until it gets a request, so the client gave up with a command both protocols know (QUIT). That is no request line: the server answers 400 Bad Request and closes.',
  },
  'http.other.zmtp': {
    title: 'A ZeroMQ peer on the HTTP port',
    explain:
      'A ZeroMQ socket connected to an HTTP port and sent the 10-octet ZMTP signature, 0xFF … 0x7F (ZMTP RFC 37 §3.2). That is no request line, so the server answers 400 Bad Request and closes; the ZeroMQ socket keeps trying to connect again in the background.',
  },
  'http.line-too-long': { title: 'Very long line', explain: 'The lab shows long lines in pieces; real servers refuse over-long request lines (414) or headers (431).' },
  'http.bad-length': { title: 'Invalid Content-Length', explain: 'Content-Length must be one non-negative decimal number; otherwise the message framing is unknowable and the server must refuse it.' },
  'http.incomplete': { title: 'Incomplete message', explain: 'The connection ended before the message was complete.' },
  'http.obs-fold': { title: 'Folded header line', explain: 'A line starting with whitespace continues the previous header (obsolete line folding); servers must reject or unfold it.' },
  'http.method.GET': { title: 'GET', explain: 'Retrieve a resource. Here: GET /soap/calendar?wsdl returns the service description.' },
  'http.method.POST': { title: 'POST', explain: 'Send a body for processing. Every SOAP request over HTTP is a POST of an envelope.' },
  'http.method.HEAD': { title: 'HEAD', explain: 'Like GET but the answer has no body.' },
  'http.method.PUT': { title: 'PUT', explain: 'Not used by SOAP; the service answers 405.' },
  'http.method.DELETE': { title: 'DELETE', explain: 'Not used by SOAP; the service answers 405.' },
  'http.method.OPTIONS': { title: 'OPTIONS', explain: 'Asks which methods a resource allows.' },
  'http.header.Host': {
    title: 'Host',
    explain:
      'Mandatory in HTTP/1.1: which host and port the client meant. This service answers only to the lab’s own names (421 Misdirected Request otherwise), so a web page whose domain was rebound to 127.0.0.1 cannot use it; the name goes into the WSDL’s address with the public port.',
  },
  'http.header.Content-Type': {
    title: 'Content-Type',
    explain: 'text/xml means SOAP 1.1; application/soap+xml means SOAP 1.2 (with the operation in the action parameter). A mismatch with the envelope namespace is a VersionMismatch.',
  },
  'http.header.Content-Length': { title: 'Content-Length', explain: 'The body’s exact size in bytes: how the receiver knows where the envelope ends on a kept-alive connection.' },
  'http.header.Transfer-Encoding': { title: 'Transfer-Encoding', explain: 'chunked: the body is sent in size-prefixed pieces, for senders that do not know the length in advance.' },
  'http.header.SOAPAction': {
    title: 'SOAPAction (SOAP 1.1)',
    explain: 'The intent of the request, as a quoted URI from the WSDL’s soap:operation. Lets firewalls and dispatchers route without parsing XML. SOAP 1.2 moved it into Content-Type’s action parameter.',
  },
  'http.header.Connection': { title: 'Connection', explain: 'Options for this connection only, not forwarded. HTTP/1.1 keeps a connection open for the next request unless told otherwise; "close" ends it after this message, and "keep-alive" asks an HTTP/1.0 peer to keep it open.' },
  'http.header.Keep-Alive': { title: 'Keep-Alive', explain: 'How long an idle kept-alive connection stays open.' },
  'http.header.Expect': { title: 'Expect: 100-continue', explain: 'The client waits for an interim 100 Continue before sending a large body.' },
  'http.header.Content-Encoding': { title: 'Content-Encoding', explain: 'The body is compressed (e.g. gzip); the lab service accepts only uncompressed envelopes.' },
  'http.header.User-Agent': { title: 'User-Agent', explain: 'Which client program sent the request.' },
  'http.header.Accept': { title: 'Accept', explain: 'Media types the client can take in the response.' },
  'http.header.Date': { title: 'Date', explain: 'When the response was generated.' },
  'http.header.Allow': { title: 'Allow', explain: 'The methods this resource supports.' },
  'http.status.100': { title: '100 Continue', explain: 'Interim answer to Expect: 100-continue — send the body now. The final response follows.' },
  'http.status.200': { title: '200 OK', explain: 'Success: the body carries the SOAP response (or the WSDL).' },
  'http.status.202': { title: '202 Accepted', explain: 'The service took the request and sends no response envelope (one-way operations).' },
  'http.status.400': { title: '400 Bad Request', explain: 'SOAP 1.2 sends Sender faults with 400: the request was wrong.' },
  'http.status.404': { title: '404 Not Found', explain: 'No service at this path. The Calendar service is at /soap/calendar.' },
  'http.status.405': { title: '405 Method Not Allowed', explain: 'SOAP endpoints take POST (and GET for ?wsdl).' },
  'http.status.408': { title: '408 Request Timeout', explain: 'The client did not finish its request in time. The lab closes such connections so that slow clients cannot hold every connection slot.' },
  'http.status.411': { title: '411 Length Required', explain: 'The request had a body but no Content-Length.' },
  'http.status.413': { title: '413 Content Too Large', explain: 'The lab service refuses bodies over 1 MiB.' },
  'http.status.421': { title: '421 Misdirected Request', explain: 'The Host header names a host this server does not answer for. The lab refuses foreign names before any service runs (DNS rebinding protection).' },
  'http.status.415': { title: '415 Unsupported Media Type', explain: 'The Content-Type is neither text/xml (SOAP 1.1) nor application/soap+xml (SOAP 1.2).' },
  'http.status.500': { title: '500 Internal Server Error', explain: 'SOAP 1.1 sends every fault with 500; SOAP 1.2 uses it for all faults except Sender.' },
  'http.status.505': { title: '505 HTTP Version Not Supported', explain: 'The server does not speak the HTTP version in the request line.' },
  'http.status.1xx': { title: 'Informational', explain: 'An interim response; the final one follows.' },
  'http.status.2xx': { title: 'Success', explain: 'The request was received and processed.' },
  'http.status.3xx': { title: 'Redirection', explain: 'The client should look elsewhere.' },
  'http.status.4xx': { title: 'Client error', explain: 'The request was wrong.' },
  'http.status.5xx': { title: 'Server error', explain: 'The server failed (SOAP faults travel with 500).' },
  // ── WSDL ──
  'wsdl.definitions': { title: 'WSDL definitions', explain: 'The root of a WSDL 1.1 document. targetNamespace is the service’s namespace: the operation elements live in it.' },
  'wsdl.documentation': { title: 'documentation', explain: 'Human-readable notes for tools and people.' },
  'wsdl.types': { title: 'types', explain: 'An XML Schema declaring every element that may appear in a Body: the operation wrappers, their responses and the fault detail.' },
  'wsdl.message': { title: 'message', explain: 'An abstract message: named parts, each pointing at a schema element. In document/literal wrapped style a single part called "parameters".' },
  'wsdl.part': { title: 'part', explain: 'One piece of a message, typed by a schema element or type.' },
  'wsdl.portType': { title: 'portType', explain: 'The abstract interface: operations with their input, output and fault messages. No wire format yet.' },
  'wsdl.operation': { title: 'operation', explain: 'One operation: request/response when it has both input and output.' },
  'wsdl.input': { title: 'input', explain: 'The request message of an operation.' },
  'wsdl.output': { title: 'output', explain: 'The response message of an operation.' },
  'wsdl.fault': { title: 'fault', explain: 'A fault message the operation may return in its detail.' },
  'wsdl.binding': { title: 'binding', explain: 'Makes a portType concrete: which protocol (SOAP 1.1 or 1.2 over HTTP), which style (document) and each operation’s SOAPAction.' },
  'wsdl.service': { title: 'service', explain: 'A set of ports: where the service can be reached.' },
  'wsdl.port': { title: 'port', explain: 'One endpoint: a binding plus an address. This service has one port per SOAP version at the same URL.' },
  'wsdl.soap.binding': { title: 'SOAP binding', explain: 'style="document" and transport=HTTP. The namespace of this element (…/wsdl/soap/ or …/wsdl/soap12/) picks SOAP 1.1 or 1.2.' },
  'wsdl.soap.operation': { title: 'soapAction', explain: 'The value a client puts in SOAPAction (1.1) or the action parameter (1.2) for this operation.' },
  'wsdl.soap.body': { title: 'soap:body use="literal"', explain: 'The Body contains the schema elements as declared, with no SOAP encoding.' },
  'wsdl.soap.fault': { title: 'soap:fault', explain: 'How a declared fault is carried: as literal detail.' },
  'wsdl.soap.address': { title: 'address', explain: 'The endpoint URL clients POST envelopes to.' },
  'wsdl.xsd.element': { title: 'schema element', explain: 'A declared element: with a complexType/sequence it is a wrapper whose children are the parameters, each with an XSD type.' },
};
