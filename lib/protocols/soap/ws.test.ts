// The WS-* vocabulary in the SOAP body annotator: one test per message type, envelopes shaped like the specs' examples.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../types.ts';
import { annotateSoapEnvelope, describeEnvelope } from './envelope.ts';
import { ANONYMOUS, NS, ORDERS_WSDL, missingHeaderFault11, missingHeaderFault12, rmFault12, soap12, wsaReply, wsaRequest } from './ws-envelopes.ts';

const read = (xml: string) => annotateSoapEnvelope(xml, { dir: 'client' });
const keysOf = (lines: DissectedMessage[]) => lines.map((m) => m.annotation?.key).filter(Boolean);
const first = (lines: DissectedMessage[], key: string) => {
  const found = lines.find((m) => m.annotation?.key === key);
  if (!found) throw new Error(`no line annotated ${key}: ${keysOf(lines).join(' ')}`);
  return found;
};
const field = (m: DissectedMessage, name: string) => m.fields?.find((f) => f.name === name)?.value;
const ORDER = `<o:placeOrder xmlns:o="${NS.orders}"><o:item>pen</o:item></o:placeOrder>`;

describe('WS-Addressing headers', () => {
  it('annotates the headers of Core Example 1-1 (MessageID, ReplyTo, To, Action)', () => {
    const xml = soap12(wsaRequest('http://example.com/fabrikam/SubmitPO', 'http://example.com/6B29FC40-CA47-1067-B31D-00DD010662DA', 'http://example.com/fabrikam/Purchasing', 'http://example.com/business/client1'), ORDER);
    const { lines, summary } = read(xml);
    expect(keysOf(lines)).toEqual(expect.arrayContaining(['soap.wsa.Action', 'soap.wsa.MessageID', 'soap.wsa.ReplyTo', 'soap.wsa.Address', 'soap.wsa.To']));
    const action = first(lines, 'soap.wsa.Action');
    expect(field(action, 'action')).toBe('http://example.com/fabrikam/SubmitPO');
    expect(action.annotation?.ref).toContain('WS-Addressing 1.0 Core §3.1, §3.2');
    expect(action.annotation?.explain).toMatch(/service itself/);
    expect(field(first(lines, 'soap.wsa.ReplyTo'), 'address')).toBe('http://example.com/business/client1');
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 placeOrder');
  });

  it('explains the anonymous ReplyTo and the none FaultTo', () => {
    const xml = soap12(`${wsaRequest('urn:a', 'urn:uuid:1')}<wsa:FaultTo><wsa:Address>${NS.wsa}/none</wsa:Address></wsa:FaultTo>`, ORDER);
    const { lines } = read(xml);
    expect(first(lines, 'soap.wsa.ReplyTo').annotation?.explain).toMatch(/HTTP response of this request/);
    expect(first(lines, 'soap.wsa.anonymous').text).toContain(ANONYMOUS);
    expect(first(lines, 'soap.wsa.none').annotation?.ref).toBe('WS-Addressing 1.0 Core §2.1');
    expect(first(lines, 'soap.wsa.FaultTo').annotation?.explain).toMatch(/discarded/);
  });

  it('gives RelatesTo its default relationship, or the one written', () => {
    const plainReply = read(soap12(wsaReply('urn:r', 'urn:uuid:1'), '')).lines;
    expect(field(first(plainReply, 'soap.wsa.RelatesTo'), 'relationship')).toBe(`${NS.wsa}/reply (default)`);
    const typed = read(soap12('<wsa:RelatesTo RelationshipType="urn:x:other">urn:uuid:1</wsa:RelatesTo>', '')).lines;
    expect(field(first(typed, 'soap.wsa.RelatesTo'), 'relationship')).toBe('urn:x:other');
  });

  it('names a header copied from reference parameters', () => {
    const xml = soap12(`<c:CartId xmlns:c="urn:shop" wsa:IsReferenceParameter="true">42</c:CartId>${wsaRequest('urn:a', 'urn:uuid:2')}`, ORDER);
    const line = first(read(xml).lines, 'soap.wsa.IsReferenceParameter');
    expect(line.annotation?.title).toBe('Reference parameter c:CartId');
    expect(line.annotation?.ref).toBe('WS-Addressing 1.0 SOAP Binding §3.3, §3.4');
  });
});

describe('WS-Addressing faults', () => {
  it('MessageAddressingHeaderRequired over SOAP 1.2: subcode, ProblemHeaderQName, one-line summary', () => {
    const { lines, summary } = read(missingHeaderFault12('wsa:Action'));
    const sub = first(lines, 'soap.wsa.fault.MessageAddressingHeaderRequired');
    expect(sub.annotation).toMatchObject({ level: 'error', ref: 'WS-Addressing 1.0 SOAP Binding §6.4.2', title: 'Subcode wsa:MessageAddressingHeaderRequired' });
    expect(field(sub, 'namespace')).toBe(NS.wsa);
    const detail = first(lines, 'soap.wsa.ProblemHeaderQName');
    expect(detail.annotation?.explain).toContain('the WS-Addressing header wsa:Action');
    expect(first(lines, 'soap.wsa.Action').annotation?.explain).toMatch(/every WS-Addressing fault/);
    expect(keysOf(lines)).not.toContain('soap.fault.detail.entry');
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 Fault S:Sender wsa:MessageAddressingHeaderRequired');
  });

  it('MessageAddressingHeaderRequired over SOAP 1.1: the faultcode, and the detail in a wsa:FaultDetail header', () => {
    const { lines, summary } = read(missingHeaderFault11('wsa:To'));
    expect(first(lines, 'soap.wsa.fault.MessageAddressingHeaderRequired').annotation?.title).toBe('Fault code wsa:MessageAddressingHeaderRequired');
    expect(first(lines, 'soap.wsa.FaultDetail').annotation?.ref).toBe('WS-Addressing 1.0 SOAP Binding §6.2');
    expect(first(lines, 'soap.wsa.ProblemHeaderQName').annotation?.explain).toContain('wsa:To');
    expect(summary.fault?.code).toBe('wsa:MessageAddressingHeaderRequired');
    expect(describeEnvelope(summary)).toBe('SOAP 1.1 Fault wsa:MessageAddressingHeaderRequired');
  });

  it.each([
    ['InvalidAddressingHeader', '<S:Subcode><S:Value>a:InvalidCardinality</S:Value></S:Subcode>', '<a:ProblemHeaderQName>a:To</a:ProblemHeaderQName>', ['soap.wsa.fault.InvalidCardinality', 'soap.wsa.ProblemHeaderQName']],
    ['DestinationUnreachable', '', '<a:ProblemIRI>http://elsewhere.test/x</a:ProblemIRI>', ['soap.wsa.ProblemIRI']],
    ['ActionNotSupported', '', '<a:ProblemAction><a:Action>urn:nope</a:Action></a:ProblemAction>', ['soap.wsa.ProblemAction', 'soap.wsa.Action']],
    ['EndpointUnavailable', '', '<a:RetryAfter>5000</a:RetryAfter>', ['soap.wsa.RetryAfter']],
  ])('%s: the subcode by its namespace (any prefix), and its detail', (name, subsub, detail, keys) => {
    const xml = `<e:Envelope xmlns:e="${NS.s12}"><e:Body><e:Fault xmlns:S="${NS.s12}" xmlns:a="${NS.wsa}"><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>a:${name}</e:Value>${subsub}</e:Subcode></e:Code><e:Reason><e:Text xml:lang="en">x</e:Text></e:Reason><e:Detail>${detail}</e:Detail></e:Fault></e:Body></e:Envelope>`;
    const lines = read(xml.replace(/<S:/g, '<e:').replace(/<\/S:/g, '</e:')).lines;
    expect(first(lines, `soap.wsa.fault.${name}`).annotation?.level).toBe('error');
    expect(keysOf(lines)).toEqual(expect.arrayContaining(keys));
  });

  it('does not take a look-alike subcode in another namespace for a WS-Addressing fault', () => {
    const xml = missingHeaderFault12().replace('<S:Value>wsa:MessageAddressingHeaderRequired', '<S:Value xmlns:wsa="urn:not-addressing">wsa:MessageAddressingHeaderRequired');
    const { lines, summary } = read(xml);
    expect(keysOf(lines)).not.toContain('soap.wsa.fault.MessageAddressingHeaderRequired');
    expect(keysOf(lines)).toContain('soap.fault.Subcode.Value');
    expect(summary.ws?.faultSubcode).toBeUndefined();
  });
});

describe('WS-ReliableMessaging', () => {
  const createSequence = (rm: string, offer: string) =>
    soap12(wsaRequest(`${rm}/CreateSequence`, 'urn:uuid:cs'), `<wsrm:CreateSequence><wsrm:AcksTo><wsa:Address>${ANONYMOUS}</wsa:Address></wsrm:AcksTo><wsrm:Expires>PT0S</wsrm:Expires>${offer}</wsrm:CreateSequence>`, rm);

  it('CreateSequence in RM 1.1: version in every title, 1.1 sections, AcksTo anonymous, Offer with Endpoint', () => {
    const offer = `<wsrm:Offer><wsrm:Identifier>urn:uuid:offer</wsrm:Identifier><wsrm:Endpoint><wsa:Address>${ANONYMOUS}</wsa:Address></wsrm:Endpoint></wsrm:Offer>`;
    const { lines, summary } = read(createSequence(NS.rm11, offer));
    const cs = first(lines, 'soap.wsrm.CreateSequence');
    expect(cs.annotation).toMatchObject({ title: 'CreateSequence (RM 1.1)', ref: 'WS-ReliableMessaging 1.1 §3.4' });
    expect(field(cs, 'version')).toBe('WS-RM 1.1');
    for (const key of ['soap.wsrm.AcksTo', 'soap.wsrm.Offer', 'soap.wsrm.Endpoint', 'soap.wsrm.Expires', 'soap.wsrm.Identifier']) expect(first(lines, key).annotation?.title).toMatch(/\(RM 1\.1\)$/);
    expect(lines.filter((m) => m.annotation?.key === 'soap.wsa.anonymous')).toHaveLength(3);
    expect(first(lines, 'soap.wsa.Action').annotation?.explain).toContain('RM 1.1 CreateSequence message');
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 CreateSequence (RM 1.1)');
  });

  it('CreateSequence in RM 1.0: 1.0 sections, and Offer/Endpoint flagged as RM 1.1 only', () => {
    const offer = `<wsrm:Offer><wsrm:Identifier>urn:uuid:offer</wsrm:Identifier><wsrm:Endpoint><wsa:Address>${ANONYMOUS}</wsa:Address></wsrm:Endpoint></wsrm:Offer>`;
    const { lines, summary } = read(createSequence(NS.rm10, offer));
    expect(first(lines, 'soap.wsrm.CreateSequence').annotation).toMatchObject({ title: 'CreateSequence (RM 1.0)', ref: 'WS-ReliableMessaging 1.0 §3.4' });
    expect(first(lines, 'soap.wsrm.not-in-version').annotation).toMatchObject({ title: 'Endpoint (RM 1.0)', level: 'warn' });
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 CreateSequence (RM 1.0)');
  });

  it('CreateSequenceResponse with Identifier and Accept/AcksTo', () => {
    const xml = soap12(wsaReply(`${NS.rm11}/CreateSequenceResponse`, 'urn:uuid:cs'), `<wsrm:CreateSequenceResponse><wsrm:Identifier>urn:uuid:seq-1</wsrm:Identifier><wsrm:Accept><wsrm:AcksTo><wsa:Address>${ANONYMOUS}</wsa:Address></wsrm:AcksTo></wsrm:Accept></wsrm:CreateSequenceResponse>`);
    const { lines, summary } = read(xml);
    expect(field(first(lines, 'soap.wsrm.Identifier'), 'Identifier')).toBe('urn:uuid:seq-1');
    expect(first(lines, 'soap.wsrm.Accept').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §3.4');
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 CreateSequenceResponse (RM 1.1)');
  });

  it('Sequence header on an application message: identifier, number, and the number in the summary', () => {
    const xml = soap12(`<wsrm:Sequence S:mustUnderstand="1"><wsrm:Identifier>urn:uuid:seq-1</wsrm:Identifier><wsrm:MessageNumber>1</wsrm:MessageNumber></wsrm:Sequence>${wsaRequest(`${NS.orders}/placeOrder`, 'urn:uuid:m1')}`, ORDER);
    const { lines, summary } = read(xml);
    const seq = first(lines, 'soap.wsrm.Sequence');
    expect(seq.annotation).toMatchObject({ title: 'Sequence (RM 1.1)', ref: 'WS-ReliableMessaging 1.1 §3.7' });
    expect(field(seq, 'message number')).toBe('1');
    expect(field(seq, 'namespace')).toBe(NS.rm11);
    expect(summary.headerBlocks.find((h) => h.name === 'Sequence')?.mustUnderstand).toBe(true);
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 placeOrder (RM 1.1 #1)');
  });

  it('LastMessage is RM 1.0 (§3.1); in the RM 1.1 namespace it is flagged', () => {
    const seq = (rm: string) => soap12(`<wsrm:Sequence><wsrm:Identifier>urn:uuid:s</wsrm:Identifier><wsrm:MessageNumber>3</wsrm:MessageNumber><wsrm:LastMessage/></wsrm:Sequence><wsa:Action>${rm}/LastMessage</wsa:Action>`, '', rm);
    const v10 = read(seq(NS.rm10));
    expect(first(v10.lines, 'soap.wsrm.LastMessage').annotation).toMatchObject({ title: 'LastMessage (RM 1.0)', ref: 'WS-ReliableMessaging 1.0 §3.1' });
    expect(describeEnvelope(v10.summary)).toBe('SOAP 1.2 LastMessage (RM 1.0 #3)');
    expect(first(read(seq(NS.rm11)).lines, 'soap.wsrm.not-in-version').annotation?.explain).toContain('belongs to RM 1.0');
  });

  it('SequenceAcknowledgement: ranges, Nack, None and Final (RM 1.1)', () => {
    const ack = (inner: string) => read(soap12(`<wsrm:SequenceAcknowledgement><wsrm:Identifier>urn:uuid:s</wsrm:Identifier>${inner}</wsrm:SequenceAcknowledgement>`, ''));
    const ranges = ack('<wsrm:AcknowledgementRange Upper="2" Lower="1"/><wsrm:AcknowledgementRange Upper="5" Lower="4"/><wsrm:Final/>');
    const line = first(ranges.lines, 'soap.wsrm.SequenceAcknowledgement');
    expect(field(line, 'acknowledged')).toBe('1–2, 4–5');
    expect(line.annotation?.explain).toContain('Final');
    expect(first(ranges.lines, 'soap.wsrm.Final').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §3.9');
    expect(describeEnvelope(ranges.summary)).toBe('SOAP 1.2 SequenceAcknowledgement (RM 1.1)');
    expect(field(first(ack('<wsrm:None/>').lines, 'soap.wsrm.SequenceAcknowledgement'), 'acknowledged')).toBe('none');
    expect(field(first(ack('<wsrm:Nack>3</wsrm:Nack>').lines, 'soap.wsrm.SequenceAcknowledgement'), 'not received')).toBe('3');
  });

  it('AckRequested in both versions', () => {
    for (const [rm, ref] of [[NS.rm11, 'WS-ReliableMessaging 1.1 §3.8'], [NS.rm10, 'WS-ReliableMessaging 1.0 §3.3']]) {
      const { lines } = read(soap12('<wsrm:AckRequested><wsrm:Identifier>urn:uuid:s</wsrm:Identifier></wsrm:AckRequested>', '', rm));
      expect(first(lines, 'soap.wsrm.AckRequested').annotation?.ref).toBe(ref);
    }
  });

  it('CloseSequence and TerminateSequence with their responses; RM 1.0 has no TerminateSequenceResponse', () => {
    const body = (rm: string, el: string) => read(soap12('', `<wsrm:${el}><wsrm:Identifier>urn:uuid:s</wsrm:Identifier><wsrm:LastMsgNumber>2</wsrm:LastMsgNumber></wsrm:${el}>`, rm)).lines;
    expect(first(body(NS.rm11, 'CloseSequence'), 'soap.wsrm.CloseSequence').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §3.5');
    expect(first(body(NS.rm11, 'CloseSequenceResponse'), 'soap.wsrm.CloseSequenceResponse').annotation?.title).toBe('CloseSequenceResponse (RM 1.1)');
    expect(first(body(NS.rm11, 'TerminateSequence'), 'soap.wsrm.LastMsgNumber').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §3.5, §3.6');
    expect(first(body(NS.rm10, 'TerminateSequence'), 'soap.wsrm.TerminateSequence').annotation?.ref).toBe('WS-ReliableMessaging 1.0 §3.5');
    expect(first(body(NS.rm11, 'TerminateSequenceResponse'), 'soap.wsrm.TerminateSequenceResponse').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §3.6');
    expect(first(body(NS.rm10, 'TerminateSequenceResponse'), 'soap.wsrm.not-in-version').annotation?.explain).toContain('belongs to RM 1.1');
  });

  it('faults: WSRMRequired (1.1 only), UnknownSequence with its Identifier, each cited in its version', () => {
    const required = read(rmFault12(NS.rm11, 'WSRMRequired', 'The RM Destination requires the use of WSRM'));
    expect(first(required.lines, 'soap.wsrm.fault.WSRMRequired').annotation).toMatchObject({ level: 'error', ref: 'WS-ReliableMessaging 1.1 §4.9', title: 'WSRMRequired (RM 1.1)' });
    expect(describeEnvelope(required.summary)).toBe('SOAP 1.2 Fault S:Sender wsrm:WSRMRequired (RM 1.1)');
    const unknown = read(rmFault12(NS.rm10, 'UnknownSequence', 'no such sequence', '<wsrm:Identifier>urn:uuid:gone</wsrm:Identifier>'));
    expect(first(unknown.lines, 'soap.wsrm.fault.UnknownSequence').annotation?.ref).toBe('WS-ReliableMessaging 1.0 §4.2');
    expect(field(first(unknown.lines, 'soap.wsrm.Identifier'), 'Identifier')).toBe('urn:uuid:gone');
    expect(first(read(rmFault12(NS.rm10, 'WSRMRequired', 'x')).lines, 'soap.wsrm.not-in-version').annotation?.explain).toContain('belongs to RM 1.1, not to RM 1.0');
  });

  it('SOAP 1.1 RM fault: the faultcode and the SequenceFault header', () => {
    const xml = `<s:Envelope xmlns:s="${NS.s11}" xmlns:wsrm="${NS.rm11}"><s:Header><wsrm:SequenceFault><wsrm:FaultCode>wsrm:UnknownSequence</wsrm:FaultCode></wsrm:SequenceFault></s:Header><s:Body><s:Fault><faultcode>wsrm:UnknownSequence</faultcode><faultstring>unknown</faultstring></s:Fault></s:Body></s:Envelope>`;
    const { lines } = read(xml);
    expect(first(lines, 'soap.wsrm.SequenceFault').annotation?.ref).toBe('WS-ReliableMessaging 1.1 §4, §4.1');
    expect(first(lines, 'soap.wsrm.FaultCode').annotation?.explain).toMatch(/knows no sequence/);
    expect(first(lines, 'soap.wsrm.fault.UnknownSequence').annotation?.title).toBe('UnknownSequence (RM 1.1)');
  });
});

describe('WS-MetadataExchange and WS-Policy', () => {
  it('GetMetadata request: Dialect and Identifier, the MEX action', () => {
    const xml = soap12(wsaRequest('http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Request', 'urn:uuid:g'), `<mex:GetMetadata xmlns:mex="${NS.mex}"><mex:Dialect>http://schemas.xmlsoap.org/wsdl/</mex:Dialect><mex:Identifier>${NS.orders}</mex:Identifier></mex:GetMetadata>`);
    const { lines, summary } = read(xml);
    expect(first(lines, 'soap.mex.Dialect').annotation?.explain).toContain('Here: WSDL 1.1.');
    expect(field(first(lines, 'soap.mex.Identifier'), 'Identifier')).toBe(NS.orders);
    expect(first(lines, 'soap.wsa.Action').annotation?.explain).toContain('GetMetadata request');
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 GetMetadata (WS-MEX)');
  });

  it('GetMetadata response: an inline WSDL with its policies named by subject and summarised in normal form', () => {
    const sections = `<mex:MetadataSection Dialect="http://schemas.xmlsoap.org/wsdl/" Identifier="${NS.orders}">${ORDERS_WSDL}</mex:MetadataSection>`
      + `<mex:MetadataSection Dialect="http://www.w3.org/2001/XMLSchema"><mex:Location>http://127.0.0.1:8080/soap/orders?xsd=1</mex:Location></mex:MetadataSection>`
      + `<mex:MetadataSection Dialect="http://www.w3.org/ns/ws-policy"><mex:MetadataReference><wsa:Address>http://127.0.0.1:8080/soap/orders/policy</wsa:Address></mex:MetadataReference></mex:MetadataSection>`;
    const xml = soap12(wsaReply('http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Response', 'urn:uuid:g'), `<mex:Metadata xmlns:mex="${NS.mex}">${sections}</mex:Metadata>`);
    const { lines, summary } = read(xml);
    const titles = lines.filter((m) => m.annotation?.key === 'soap.mex.MetadataSection').map((m) => m.annotation?.title);
    expect(titles).toEqual(['MetadataSection WSDL 1.1 (inline)', 'MetadataSection XML Schema (by location)', 'MetadataSection WS-Policy 1.5 (by reference)']);
    expect(first(lines, 'wsdl.definitions')).toBeDefined();
    const policies = lines.filter((m) => m.annotation?.key === 'soap.wsp.Policy');
    expect(policies[0].annotation?.explain).toContain('no subject: a named policy');
    const binding = policies.find((m) => field(m, 'subject') === 'endpoint policy subject (binding)');
    expect(binding?.annotation?.explain).toContain('Normal form: 2 alternatives');
    expect(first(lines, 'soap.wsp.PolicyReference').annotation?.explain).toContain('operation policy subject');
    expect(lines.filter((m) => m.annotation?.key === 'soap.wsp.assertion').map((m) => m.annotation?.title)).toEqual(
      expect.arrayContaining(['Assertion wsam:Addressing', 'Assertion wsrmp:RMAssertion', 'Assertion rm10:RMAssertion']),
    );
    expect(describeEnvelope(summary)).toBe('SOAP 1.2 Metadata (WS-MEX)');
  });

  it('a WSDL fetched by GET: an empty ExactlyOne warns that nothing is acceptable', () => {
    const wsdl = ORDERS_WSDL.replace(/<wsp:ExactlyOne>.*?<\/wsp:ExactlyOne>/, '<wsp:ExactlyOne/>');
    const { lines } = read(wsdl);
    expect(first(lines, 'soap.wsp.ExactlyOne').annotation).toMatchObject({ level: 'warn', explain: expect.stringContaining('no configuration is acceptable') });
    expect(lines.some((m) => m.annotation?.explain.includes('Normal form: no alternative'))).toBe(true);
  });

  it('an exponential policy is summarised up to the cap, without throwing', () => {
    const choice = (i: number) => `<wsp:ExactlyOne><a:A${i}/><a:B${i}/></wsp:ExactlyOne>`;
    const wsdl = ORDERS_WSDL.replace(/<wsp:ExactlyOne>.*?<\/wsp:ExactlyOne>/, `<wsp:All xmlns:a="urn:a">${Array.from({ length: 24 }, (_, i) => choice(i)).join('')}</wsp:All>`);
    const { lines } = read(wsdl);
    expect(lines.some((m) => m.annotation?.explain.includes('could not be computed here'))).toBe(true);
  });
});

describe('robustness', () => {
  const samples = [
    missingHeaderFault12(), missingHeaderFault11(), rmFault12(NS.rm11, 'UnknownSequence', 'x', '<wsrm:Identifier>urn:uuid:s</wsrm:Identifier>'), ORDERS_WSDL,
    soap12('<wsrm:SequenceAcknowledgement><wsrm:Identifier>urn:uuid:s</wsrm:Identifier><wsrm:AcknowledgementRange Upper="2" Lower="1"/></wsrm:SequenceAcknowledgement>', '', NS.rm10),
    soap12(wsaRequest('http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Request', 'urn:uuid:g'), `<mex:GetMetadata xmlns:mex="${NS.mex}"/>`),
  ];
  it('renders mutated WS-* envelopes without a rendering failure (never throws, never the fallback)', () => {
    const alphabet = fc.constantFrom(...'<>/:="\' wsa:wsrm:S:Value Subcode Policy ExactlyOne 1 &amp; xmlns:p="urn:x"'.split(' '));
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), alphabet), { maxLength: 6 }), (sample, edits) => {
        let xml = sample;
        for (const [at, cut, insert] of edits) {
          const i = at % (xml.length + 1);
          xml = xml.slice(0, i) + insert + xml.slice(i + cut);
        }
        const { lines } = annotateSoapEnvelope(xml);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.some((m) => m.annotation?.explain.includes('could not render'))).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
