/**
 * The WS-* vocabulary the WS-Policy lab puts on the wire, as data: WS-Addressing 1.0 headers and faults,
 * WS-ReliableMessaging 1.1 and 1.0 messages and faults, WS-MetadataExchange (2004/09) and the WS-Policy
 * elements a WSDL carries. Each row is an annotation key (prose in ws-text.en.ts) and the section that
 * defines it. An RM row cites both versions ("1.1 …; 1.0 …"); rmRef picks the one the message speaks.
 */
import type { Level } from '../../wire/event.ts';
import type { FactRow } from './tables.ts';

const row = (key: string, ref: string, level?: Level): FactRow => ({ key, ref, level });

// ── WS-Addressing 1.0 ──

export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** The predefined [address] values (WS-Addressing 1.0 Core §2.1, Table 2-1). */
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';
export const WSA_NONE = 'http://www.w3.org/2005/08/addressing/none';
/** The default RelationshipType of RelatesTo (Core §3.1). */
export const WSA_REPLY = 'http://www.w3.org/2005/08/addressing/reply';

/** Message addressing headers, EPR parts and the addresses with a fixed meaning. */
export const WSA_ELEMENTS: Readonly<Record<string, FactRow>> = {
  To: row('soap.wsa.To', 'WS-Addressing 1.0 Core §3.1, §3.2'),
  From: row('soap.wsa.From', 'WS-Addressing 1.0 Core §3.1, §3.2'),
  ReplyTo: row('soap.wsa.ReplyTo', 'WS-Addressing 1.0 Core §3.1, §3.2; WS-Addressing 1.0 SOAP Binding §5.1, §5.2'),
  FaultTo: row('soap.wsa.FaultTo', 'WS-Addressing 1.0 Core §3.1, §3.2'),
  Action: row('soap.wsa.Action', 'WS-Addressing 1.0 Core §3.1, §3.2; WS-Addressing 1.0 SOAP Binding §3.5, §4.2'),
  MessageID: row('soap.wsa.MessageID', 'WS-Addressing 1.0 Core §3.1, §3.2'),
  RelatesTo: row('soap.wsa.RelatesTo', 'WS-Addressing 1.0 Core §3.1, §3.2, §3.4'),
  ReferenceParameters: row('soap.wsa.ReferenceParameters', 'WS-Addressing 1.0 Core §2.1, §2.2; WS-Addressing 1.0 SOAP Binding §3.4'),
  Address: row('soap.wsa.Address', 'WS-Addressing 1.0 Core §2.1, §2.2'),
  Metadata: row('soap.wsa.Metadata', 'WS-Addressing 1.0 Core §2.1, §2.2'),
  FaultDetail: row('soap.wsa.FaultDetail', 'WS-Addressing 1.0 SOAP Binding §6.2'),
  ProblemHeaderQName: row('soap.wsa.ProblemHeaderQName', 'WS-Addressing 1.0 SOAP Binding §6.3.1'),
  ProblemHeader: row('soap.wsa.ProblemHeader', 'WS-Addressing 1.0 SOAP Binding §6.4.1'),
  ProblemIRI: row('soap.wsa.ProblemIRI', 'WS-Addressing 1.0 SOAP Binding §6.3.2'),
  ProblemAction: row('soap.wsa.ProblemAction', 'WS-Addressing 1.0 SOAP Binding §6.3.3'),
  RetryAfter: row('soap.wsa.RetryAfter', 'WS-Addressing 1.0 SOAP Binding §6.3.4'),
  SoapAction: row('soap.wsa.SoapAction', 'WS-Addressing 1.0 SOAP Binding §6.3.3'),
};

/** Attributes and address values with their own explanation. */
export const WSA_MISC: Readonly<Record<string, FactRow>> = {
  IsReferenceParameter: row('soap.wsa.IsReferenceParameter', 'WS-Addressing 1.0 SOAP Binding §3.3, §3.4'),
  RelationshipType: row('soap.wsa.RelationshipType', 'WS-Addressing 1.0 Core §3.1, §3.2'),
  anonymous: row('soap.wsa.anonymous', 'WS-Addressing 1.0 Core §2.1; WS-Addressing 1.0 SOAP Binding §5.1'),
  none: row('soap.wsa.none', 'WS-Addressing 1.0 Core §2.1'),
  faultAction: row('soap.wsa.fault-action', 'WS-Addressing 1.0 SOAP Binding §6'),
};

/** The predefined WS-Addressing faults (subcodes of S:Sender / S:Receiver, or the SOAP 1.1 faultcode). */
export const WSA_FAULTS: Readonly<Record<string, FactRow>> = {
  InvalidAddressingHeader: row('soap.wsa.fault.InvalidAddressingHeader', 'WS-Addressing 1.0 SOAP Binding §6.4.1', 'error'),
  InvalidAddress: row('soap.wsa.fault.InvalidAddress', 'WS-Addressing 1.0 SOAP Binding §6.4.1.1', 'error'),
  InvalidEPR: row('soap.wsa.fault.InvalidEPR', 'WS-Addressing 1.0 SOAP Binding §6.4.1.2', 'error'),
  InvalidCardinality: row('soap.wsa.fault.InvalidCardinality', 'WS-Addressing 1.0 SOAP Binding §6.4.1.3', 'error'),
  MissingAddressInEPR: row('soap.wsa.fault.MissingAddressInEPR', 'WS-Addressing 1.0 SOAP Binding §6.4.1.4', 'error'),
  DuplicateMessageID: row('soap.wsa.fault.DuplicateMessageID', 'WS-Addressing 1.0 SOAP Binding §6.4.1.5', 'error'),
  ActionMismatch: row('soap.wsa.fault.ActionMismatch', 'WS-Addressing 1.0 SOAP Binding §6.4.1.6', 'error'),
  OnlyAnonymousAddressSupported: row('soap.wsa.fault.OnlyAnonymousAddressSupported', 'WS-Addressing 1.0 SOAP Binding §6.4.1.7', 'error'),
  OnlyNonAnonymousAddressSupported: row('soap.wsa.fault.OnlyNonAnonymousAddressSupported', 'WS-Addressing 1.0 SOAP Binding §6.4.1.8', 'error'),
  MessageAddressingHeaderRequired: row('soap.wsa.fault.MessageAddressingHeaderRequired', 'WS-Addressing 1.0 SOAP Binding §6.4.2', 'error'),
  DestinationUnreachable: row('soap.wsa.fault.DestinationUnreachable', 'WS-Addressing 1.0 SOAP Binding §6.4.3', 'error'),
  ActionNotSupported: row('soap.wsa.fault.ActionNotSupported', 'WS-Addressing 1.0 SOAP Binding §6.4.4', 'error'),
  EndpointUnavailable: row('soap.wsa.fault.EndpointUnavailable', 'WS-Addressing 1.0 SOAP Binding §6.4.5', 'error'),
};

// ── WS-ReliableMessaging 1.1 (OASIS, 200702) and 1.0 (February 2005) ──

export type RmVersion = '1.1' | '1.0';
export const RM_NAMESPACES: Readonly<Record<RmVersion, string>> = {
  '1.1': 'http://docs.oasis-open.org/ws-rx/wsrm/200702',
  '1.0': 'http://schemas.xmlsoap.org/ws/2005/02/rm',
};

/** Which RM version a namespace is ("RM 1.1" vs "RM 1.0" is told by the namespace alone). */
export function rmVersionOf(ns: string | undefined): RmVersion | null {
  if (ns === RM_NAMESPACES['1.1']) return '1.1';
  if (ns === RM_NAMESPACES['1.0']) return '1.0';
  return null;
}

/** An RM fact: one ref per version that defines the element; a version without a ref lacks it. */
export interface RmRow extends FactRow {
  v11?: string;
  v10?: string;
}
const rm = (key: string, v11: string | undefined, v10: string | undefined, level?: Level): RmRow => ({
  key,
  ref: [v11, v10].filter(Boolean).join('; '),
  level,
  v11,
  v10,
});

/** RM elements, in bodies and header blocks; rows without a 1.0 (or 1.1) ref exist in one version only. */
export const RM_ELEMENTS: Readonly<Record<string, RmRow>> = {
  CreateSequence: rm('soap.wsrm.CreateSequence', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  CreateSequenceResponse: rm('soap.wsrm.CreateSequenceResponse', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  AcksTo: rm('soap.wsrm.AcksTo', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  Offer: rm('soap.wsrm.Offer', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  Accept: rm('soap.wsrm.Accept', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  Expires: rm('soap.wsrm.Expires', 'WS-ReliableMessaging 1.1 §3.4', 'WS-ReliableMessaging 1.0 §3.4'),
  Endpoint: rm('soap.wsrm.Endpoint', 'WS-ReliableMessaging 1.1 §3.4', undefined),
  IncompleteSequenceBehavior: rm('soap.wsrm.IncompleteSequenceBehavior', 'WS-ReliableMessaging 1.1 §3.4', undefined),
  Identifier: rm('soap.wsrm.Identifier', 'WS-ReliableMessaging 1.1 §3.4, §3.7', 'WS-ReliableMessaging 1.0 §3.1, §3.4'),
  CloseSequence: rm('soap.wsrm.CloseSequence', 'WS-ReliableMessaging 1.1 §3.5', undefined),
  CloseSequenceResponse: rm('soap.wsrm.CloseSequenceResponse', 'WS-ReliableMessaging 1.1 §3.5', undefined),
  LastMsgNumber: rm('soap.wsrm.LastMsgNumber', 'WS-ReliableMessaging 1.1 §3.5, §3.6', undefined),
  TerminateSequence: rm('soap.wsrm.TerminateSequence', 'WS-ReliableMessaging 1.1 §3.6', 'WS-ReliableMessaging 1.0 §3.5'),
  TerminateSequenceResponse: rm('soap.wsrm.TerminateSequenceResponse', 'WS-ReliableMessaging 1.1 §3.6', undefined),
  Sequence: rm('soap.wsrm.Sequence', 'WS-ReliableMessaging 1.1 §3.7', 'WS-ReliableMessaging 1.0 §3.1'),
  MessageNumber: rm('soap.wsrm.MessageNumber', 'WS-ReliableMessaging 1.1 §3.7', 'WS-ReliableMessaging 1.0 §3.1, §3.3'),
  LastMessage: rm('soap.wsrm.LastMessage', undefined, 'WS-ReliableMessaging 1.0 §3.1'),
  AckRequested: rm('soap.wsrm.AckRequested', 'WS-ReliableMessaging 1.1 §3.8', 'WS-ReliableMessaging 1.0 §3.3'),
  SequenceAcknowledgement: rm('soap.wsrm.SequenceAcknowledgement', 'WS-ReliableMessaging 1.1 §3.9', 'WS-ReliableMessaging 1.0 §3.2'),
  AcknowledgementRange: rm('soap.wsrm.AcknowledgementRange', 'WS-ReliableMessaging 1.1 §3.9', 'WS-ReliableMessaging 1.0 §3.2'),
  Nack: rm('soap.wsrm.Nack', 'WS-ReliableMessaging 1.1 §3.9', 'WS-ReliableMessaging 1.0 §3.2'),
  None: rm('soap.wsrm.None', 'WS-ReliableMessaging 1.1 §3.9', undefined),
  Final: rm('soap.wsrm.Final', 'WS-ReliableMessaging 1.1 §3.9', undefined),
  SequenceFault: rm('soap.wsrm.SequenceFault', 'WS-ReliableMessaging 1.1 §4, §4.1', 'WS-ReliableMessaging 1.0 §4'),
  FaultCode: rm('soap.wsrm.FaultCode', 'WS-ReliableMessaging 1.1 §4, §4.1', 'WS-ReliableMessaging 1.0 §4'),
};

/** RM fault subcodes (SOAP 1.2 Subcode value, SOAP 1.1 faultcode). */
export const RM_FAULTS: Readonly<Record<string, RmRow>> = {
  SequenceTerminated: rm('soap.wsrm.fault.SequenceTerminated', 'WS-ReliableMessaging 1.1 §4.3', 'WS-ReliableMessaging 1.0 §4.1', 'error'),
  UnknownSequence: rm('soap.wsrm.fault.UnknownSequence', 'WS-ReliableMessaging 1.1 §4.4', 'WS-ReliableMessaging 1.0 §4.2', 'error'),
  InvalidAcknowledgement: rm('soap.wsrm.fault.InvalidAcknowledgement', 'WS-ReliableMessaging 1.1 §4.5', 'WS-ReliableMessaging 1.0 §4.3', 'error'),
  MessageNumberRollover: rm('soap.wsrm.fault.MessageNumberRollover', 'WS-ReliableMessaging 1.1 §4.6', 'WS-ReliableMessaging 1.0 §4.4', 'error'),
  LastMessageNumberExceeded: rm('soap.wsrm.fault.LastMessageNumberExceeded', undefined, 'WS-ReliableMessaging 1.0 §4.5', 'error'),
  CreateSequenceRefused: rm('soap.wsrm.fault.CreateSequenceRefused', 'WS-ReliableMessaging 1.1 §4.7', 'WS-ReliableMessaging 1.0 §4.6', 'error'),
  SequenceClosed: rm('soap.wsrm.fault.SequenceClosed', 'WS-ReliableMessaging 1.1 §4.8', undefined, 'error'),
  WSRMRequired: rm('soap.wsrm.fault.WSRMRequired', 'WS-ReliableMessaging 1.1 §4.9', undefined, 'error'),
};

/** An element of the other version's vocabulary, or one neither version defines. */
export const RM_NOT_IN_VERSION = row('soap.wsrm.not-in-version', 'WS-ReliableMessaging 1.1 §3; WS-ReliableMessaging 1.0 §3', 'warn');

/** The ref of `r` for the version spoken, or undefined when that version does not define it. */
export function rmRef(r: RmRow, version: RmVersion): string | undefined {
  return version === '1.1' ? r.v11 : r.v10;
}

/** The wsa:Action values of RM messages: the namespace, a slash and the message name. */
export const RM_ACTIONS: Readonly<Record<RmVersion, readonly string[]>> = {
  '1.1': [
    'CreateSequence', 'CreateSequenceResponse', 'CloseSequence', 'CloseSequenceResponse', 'TerminateSequence',
    'TerminateSequenceResponse', 'SequenceAcknowledgement', 'AckRequested', 'fault',
  ],
  '1.0': ['CreateSequence', 'CreateSequenceResponse', 'TerminateSequence', 'SequenceAcknowledgement', 'AckRequested', 'LastMessage'],
};

// ── WS-MetadataExchange (2004/09), cited by element: its section numbers differ between its editions ──

export const MEX_NS = 'http://schemas.xmlsoap.org/ws/2004/09/mex';
export const MEX_ACTIONS = {
  request: 'http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Request',
  response: 'http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Response',
} as const;

export const MEX_ELEMENTS: Readonly<Record<string, FactRow>> = {
  GetMetadata: row('soap.mex.GetMetadata', 'WS-MetadataExchange (September 2004), mex:GetMetadata request'),
  Dialect: row('soap.mex.Dialect', 'WS-MetadataExchange (September 2004), mex:GetMetadata/mex:Dialect'),
  Identifier: row('soap.mex.Identifier', 'WS-MetadataExchange (September 2004), mex:GetMetadata/mex:Identifier'),
  Metadata: row('soap.mex.Metadata', 'WS-MetadataExchange (September 2004), mex:Metadata'),
  MetadataSection: row('soap.mex.MetadataSection', 'WS-MetadataExchange (September 2004), mex:MetadataSection'),
  MetadataReference: row('soap.mex.MetadataReference', 'WS-MetadataExchange (September 2004), mex:MetadataReference'),
  Location: row('soap.mex.Location', 'WS-MetadataExchange (September 2004), mex:Location'),
};

/** Well-known MetadataSection dialects, by URI. */
export const MEX_DIALECTS: Readonly<Record<string, string>> = {
  'http://schemas.xmlsoap.org/wsdl/': 'WSDL 1.1',
  'http://www.w3.org/2001/XMLSchema': 'XML Schema',
  'http://www.w3.org/ns/ws-policy': 'WS-Policy 1.5',
  'http://schemas.xmlsoap.org/ws/2004/09/policy': 'WS-Policy 1.2',
  'http://schemas.xmlsoap.org/ws/2004/09/mex': 'WS-MetadataExchange',
};

// ── WS-Policy 1.5 / 1.2 and WS-PolicyAttachment (policy inside a WSDL) ──

export const WSP_ELEMENTS: Readonly<Record<string, FactRow>> = {
  Policy: row('soap.wsp.Policy', 'WS-Policy 1.5 Framework §4.1, §4.3'),
  ExactlyOne: row('soap.wsp.ExactlyOne', 'WS-Policy 1.5 Framework §4.3.3'),
  All: row('soap.wsp.All', 'WS-Policy 1.5 Framework §4.3.3'),
  PolicyReference: row('soap.wsp.PolicyReference', 'WS-Policy 1.5 Framework §4.3.4, §4.3.5'),
  assertion: row('soap.wsp.assertion', 'WS-Policy 1.5 Framework §3.1; WS-PolicyAttachment 1.5 §4.1'),
  optional: row('soap.wsp.Optional', 'WS-Policy 1.5 Framework §4.3.1'),
  ignorable: row('soap.wsp.Ignorable', 'WS-Policy 1.5 Framework §4.4'),
};

/** Assertion namespaces the lab's WSDL uses, named for the reader. */
export const POLICY_ASSERTION_NAMESPACES: Readonly<Record<string, string>> = {
  'http://www.w3.org/2007/05/addressing/metadata': 'WS-Addressing Metadata',
  'http://docs.oasis-open.org/ws-rx/wsrmp/200702': 'WS-RM Policy 1.1 (RM 1.1)',
  'http://schemas.xmlsoap.org/ws/2005/02/rm/policy': 'WS-RM Policy 1.0 (RM 1.0)',
  'http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization': 'MTOM serialization policy',
};

/** Every row above, for the SOAP lab's fact map. */
export const WS_FACT_TABLES: readonly Readonly<Record<string, FactRow>>[] = [
  WSA_ELEMENTS, WSA_MISC, WSA_FAULTS, RM_ELEMENTS, RM_FAULTS, { notInVersion: RM_NOT_IN_VERSION }, MEX_ELEMENTS, WSP_ELEMENTS,
];
