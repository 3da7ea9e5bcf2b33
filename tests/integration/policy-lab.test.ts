/**
 * The WS-Policy lab against the real service host: WS-MEX GetMetadata by raw HTTP (curl) and the `soap` package
 * reading the WSDL (by GET and from the MEX answer); the provider's enforcement (MessageAddressingHeaderRequired,
 * WSRMRequired); the client's refresh flow end to end (provider drops RM 1.0 → the cached client faults →
 * refresh → retry in RM 1.1, every exchange in the SOAP transcript); the empty ExactlyOne; the dispatch rule;
 * strict vs lax with the ignorable assertion traced to its scope.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as soap from 'soap';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { MAX_XML_BYTES } from '../../lib/protocols/soap/xml.ts';
import { policyContracts as c } from '../../servers/policy/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { tool } from '../helpers/tools.ts';

let lab: TestLab;
let endpoint: string;
beforeAll(async () => {
  lab = await startTestLab();
  endpoint = `http://127.0.0.1:${lab.port('soap')}/soap/orders`;
});
afterAll(async () => {
  await lab?.stop();
});
beforeEach(async () => {
  await lab.api(c.provider, { body: { addressing: true, rm: 'both', empty: false } });
  await lab.api(c.client, { body: { addressing: true, rm: ['1.1', '1.0'], mtom: false, logging: false, mode: 'lax', via: 'get', dispatch: false } });
});

const MEX_REQUEST = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:mex="http://schemas.xmlsoap.org/ws/2004/09/mex">
<s:Header><a:Action s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Request</a:Action><a:MessageID>urn:uuid:7d3a2f0e-0000-4000-8000-000000000001</a:MessageID><a:To>ENDPOINT</a:To></s:Header>
<s:Body><mex:GetMetadata/></s:Body></s:Envelope>`;

/** curl POSTs `body` as SOAP 1.2, or as `contentType` (async: the daemon answering it runs in this process). */
function curlPost(body: string, action?: string, contentType = `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const args = ['-s', '-m', '20', '-w', '\n%{http_code}', '-H', `Content-Type: ${contentType}`, '--data-binary', '@-', endpoint];
    const child = execFile(tool('curl'), args, { encoding: 'utf8' }, (err, out) => {
      if (err) return reject(err);
      const at = out.lastIndexOf('\n');
      resolve({ status: Number(out.slice(at + 1)), body: out.slice(0, at) });
    });
    child.stdin?.end(body);
  });
}

async function transcript(conn: string | null): Promise<string> {
  expect(conn).toBeTruthy();
  const reply = await lab.api<{ connection: { protocol: string; sandbox: string }; messages: LabMessage[] }>(`/api/connections/${conn}`);
  expect(reply.connection.protocol).toBe('soap');
  return reply.messages.map((m) => `${m.text} ${m.annotation?.title ?? ''}`).join('\n');
}

describe('the provider', () => {
  it('refuses a body over the XML limit with a 413 Sender fault, and answers the next request', async () => {
    const oversize = await curlPost('<'.padEnd(MAX_XML_BYTES + 1, 'x'));
    expect(oversize.status).toBe(413);
    expect(oversize.body).toContain(`The request body is larger than ${MAX_XML_BYTES} bytes.`);
    expect(oversize.body).toMatch(/<(\w+:)?Value>(\w+:)?Sender</);
    const next = await curlPost(MEX_REQUEST.replace('ENDPOINT', endpoint));
    expect(next.status).toBe(200);
  });

  it('answers WS-MEX GetMetadata (curl) with one WSDL MetadataSection carrying its policies inline', async () => {
    const reply = await curlPost(MEX_REQUEST.replace('ENDPOINT', endpoint));
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<wsa:Action>http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Response</wsa:Action>');
    expect(reply.body).toContain('<wsa:RelatesTo>urn:uuid:7d3a2f0e-0000-4000-8000-000000000001</wsa:RelatesTo>');
    expect(reply.body).toMatch(/<mex:MetadataSection Dialect="http:\/\/schemas\.xmlsoap\.org\/wsdl\/"[^>]*><wsdl:definitions/);
    expect(reply.body).toContain('<wsp:Policy wsu:Id="AddressingPolicy"><wsam:Addressing><wsp:Policy><wsam:AnonymousResponses/>');
    expect(reply.body).toContain('<wsrmp:RMAssertion>');
    expect(reply.body).toContain('<wsrm10p:RMAssertion>');
  });

  it('serves a WSDL the soap package reads, by GET ?wsdl and from the MEX answer', async () => {
    const byGet = await soap.createClientAsync(`${endpoint}?wsdl`);
    const described = byGet.describe() as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(described.OrdersService.OrdersPort).sort()).toEqual(['cancelOrder', 'getOrder', 'placeOrder']);

    const mex = (await curlPost(MEX_REQUEST.replace('ENDPOINT', endpoint))).body;
    const wsdl = mex.slice(mex.indexOf('<wsdl:definitions'), mex.indexOf('</wsdl:definitions>') + '</wsdl:definitions>'.length);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-mex-')), 'orders.wsdl');
    fs.writeFileSync(file, wsdl);
    const byMex = await soap.createClientAsync(file);
    expect(Object.keys((byMex.describe() as typeof described).OrdersService.OrdersPort).sort()).toEqual(['cancelOrder', 'getOrder', 'placeOrder']);
  });

  it('faults wsa:MessageAddressingHeaderRequired without WS-Addressing, and wsrm:WSRMRequired outside a sequence', async () => {
    const bare = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><o:placeOrder xmlns:o="urn:protocol-lab:orders"><o:item>pen</o:item><o:quantity>1</o:quantity></o:placeOrder></s:Body></s:Envelope>`;
    const noWsa = await curlPost(bare, 'urn:protocol-lab:orders/placeOrder');
    expect(noWsa.status).toBe(400);
    expect(noWsa.body).toContain('<soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value>wsa:MessageAddressingHeaderRequired</soap:Value>');
    expect(noWsa.body).toContain('<wsa:ProblemHeaderQName>wsa:Action</wsa:ProblemHeaderQName>');

    const withWsa = bare.replace('<s:Body>', `<s:Header><a:Action xmlns:a="http://www.w3.org/2005/08/addressing">urn:protocol-lab:orders/placeOrder</a:Action><a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">urn:uuid:1</a:MessageID></s:Header><s:Body>`);
    const noSequence = await curlPost(withWsa);
    expect(noSequence.status).toBe(400);
    expect(noSequence.body).toContain('<soap:Value>wsrm:WSRMRequired</soap:Value>');
    expect(noSequence.body).toContain('The RM Destination requires the use of WSRM');
  });

  it('a MessageAddressingHeaderRequired fault to a request with a MessageID carries one wsa:Action and relates to it', async () => {
    const onlyId = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">urn:uuid:5</a:MessageID></s:Header><s:Body><o:placeOrder xmlns:o="urn:protocol-lab:orders"><o:item>pen</o:item><o:quantity>1</o:quantity></o:placeOrder></s:Body></s:Envelope>`;
    const reply = await curlPost(onlyId, 'urn:protocol-lab:orders/placeOrder');
    expect(reply.body).toContain('<wsa:ProblemHeaderQName>wsa:Action</wsa:ProblemHeaderQName>');
    expect(reply.body).toContain('<wsa:RelatesTo>urn:uuid:5</wsa:RelatesTo>');
    expect(reply.body.match(/<wsa:Action>/g)).toHaveLength(1);
  });

  it('faults wsa:InvalidAddressingHeader / InvalidCardinality when a message carries wsa:Action or wsa:MessageID twice', async () => {
    // What zeep sends with its WsAddressingPlugin on a WSDL that declares wsam:Action: every header twice.
    const a = (local: string, text: string) => `<a:${local} xmlns:a="http://www.w3.org/2005/08/addressing">${text}</a:${local}>`;
    const twice = (headers: string) =>
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>${headers}</s:Header><s:Body><o:placeOrder xmlns:o="urn:protocol-lab:orders"><o:item>pen</o:item><o:quantity>1</o:quantity></o:placeOrder></s:Body></s:Envelope>`;
    const action = a('Action', 'urn:protocol-lab:orders/placeOrder');
    const actions = await curlPost(twice(`${action}${a('MessageID', 'urn:uuid:2')}${action}`));
    expect(actions.status).toBe(400);
    expect(actions.body).toContain('<soap:Value>wsa:InvalidAddressingHeader</soap:Value><soap:Subcode><soap:Value>wsa:InvalidCardinality</soap:Value>');
    expect(actions.body).toContain('<wsa:ProblemHeaderQName>wsa:Action</wsa:ProblemHeaderQName>');
    const ids = await curlPost(twice(`${action}${a('MessageID', 'urn:uuid:3')}${a('MessageID', 'urn:uuid:4')}`));
    expect(ids.body).toContain('<wsa:ProblemHeaderQName>wsa:MessageID</wsa:ProblemHeaderQName>');
    // Neither MessageID populates [message id]: the fault relates to none (SOAP Binding §3.2.2).
    expect(ids.body).not.toContain('RelatesTo');
  });

  it('answers garbage and a SOAP 1.1 envelope with faults, not a crash', async () => {
    expect((await curlPost('<<<not xml')).body).toContain('soap:Sender');
    expect((await curlPost('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).body).toContain('DTDs are not allowed');
    const v11 = await curlPost('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>');
    expect(v11.body).toContain('VersionMismatch');
  });

  it('faults MustUnderstand only for a mandatory header block targeted at it, not one for role none or another role (SOAP 1.2 Part 1 §2.4, §5.4.8)', async () => {
    const withHeader = (role: string | undefined) =>
      MEX_REQUEST.replace('ENDPOINT', endpoint).replace('</s:Header>', `<x:Audit xmlns:x="urn:example:audit" s:mustUnderstand="true"${role ? ` s:role="${role}"` : ''}/></s:Header>`);
    const mine = await curlPost(withHeader(undefined));
    expect(mine.status).toBe(500);
    expect(mine.body).toContain('<soap:Value>soap:MustUnderstand</soap:Value>');
    expect((await curlPost(withHeader('http://www.w3.org/2003/05/soap-envelope/role/next'))).body).toContain('soap:MustUnderstand');
    for (const role of ['http://www.w3.org/2003/05/soap-envelope/role/none', 'urn:example:some-intermediary']) {
      const reply = await curlPost(withHeader(role));
      expect(reply.status, role).toBe(200);
      expect(reply.body, role).toContain('mex:Metadata');
    }
  });

  it('a VersionMismatch fault carries the Upgrade header block naming the SOAP 1.2 envelope it supports (SOAP 1.2 Part 1 §5.4.7)', async () => {
    const v11 = await curlPost('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>', undefined, 'text/xml; charset=utf-8');
    expect(v11.body).toContain('<faultcode>soap:VersionMismatch</faultcode>');
    expect(v11.body).toMatch(/<(\w+):Upgrade><\1:SupportedEnvelope qname="s12:Envelope" xmlns:s12="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"\/><\/\1:Upgrade>/);
    const other = await curlPost('<e:Envelope xmlns:e="urn:not-soap"><e:Body/></e:Envelope>');
    expect(other.body).toContain('<soap:Value>soap:VersionMismatch</soap:Value>');
    expect(other.body).toContain('<soap:Header><soap:Upgrade><soap:SupportedEnvelope qname="soap:Envelope"/></soap:Upgrade></soap:Header>');
  });

  it('refuses an envelope sent as another media type with 415 and a Sender fault (SOAP 1.2 Part 2 §7.5.2.1), before reading it', async () => {
    const getOrder = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action>urn:protocol-lab:orders/getOrder</a:Action><a:MessageID>urn:uuid:7d3a2f0e-0000-4000-8000-000000000002</a:MessageID></s:Header><s:Body><o:getOrder xmlns:o="urn:protocol-lab:orders"><o:id>1</o:id></o:getOrder></s:Body></s:Envelope>`;
    // curl's default for --data, a script's text/plain, a JSON client, and SOAP 1.1's text/xml around a 1.2 envelope.
    for (const contentType of ['application/x-www-form-urlencoded', 'text/plain', 'application/json', 'text/xml; charset=utf-8']) {
      const reply = await curlPost(getOrder, undefined, contentType);
      expect(reply.status, contentType).toBe(415);
      expect(reply.body, contentType).toMatch(/<soap:Value>soap:Sender<\/soap:Value>/);
      expect(reply.body, contentType).toContain('application/soap+xml');
    }
    // A SOAP 1.1 envelope as text/xml is still answered with SOAP 1.1's VersionMismatch (Part 1 §5.4.7).
    const v11 = await curlPost('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>', undefined, 'text/xml; charset=utf-8');
    expect(v11.status).toBe(500);
    expect(v11.body).toContain('<faultcode>soap:VersionMismatch</faultcode>');
  });
});

describe('the client', () => {
  it('computes per scope by MEX and calls placeOrder in RM 1.1 (newest wins), all in the SOAP transcript', async () => {
    const state = await lab.api(c.fetch, { body: { via: 'mex' } });
    expect(state.cache).toMatchObject({ cached: true, via: 'mex', url: endpoint });
    const endpointSubject = state.computation?.subjects.find((s) => s.kind === 'endpoint');
    expect(endpointSubject?.attachments).toContainEqual({ element: 'wsdl:port', name: 'OrdersPort', assertions: ['wsam:Addressing'] });
    expect(endpointSubject?.attachments).toContainEqual({ element: 'wsdl:binding', name: 'OrdersSoap12Binding', assertions: ['wsrmp:RMAssertion', 'wsrm10p:RMAssertion'] });
    const place = state.computation?.operations.find((o) => o.operation === 'placeOrder');
    expect(place?.chosen).toMatchObject({ rm: '1.1', addressing: true });
    expect(place?.chosen?.why).toMatch(/newest, RM 1\.1, wins/);
    expect(place?.pairs.some((p) => p.compatible && p.ignored.some((i) => i.assertion === 'log:Logging'))).toBe(true);

    const reply = await lab.api(c.call, { body: { operation: 'placeOrder', args: { item: 'pen', quantity: '3' } } });
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatch(/orderId=ORD-.* status=placed/);
    expect(reply.ladder.map((r) => r.kind)).toEqual(['create-sequence', 'call', 'terminate-sequence']);
    const call = await transcript(reply.ladder[1].conn);
    expect(call).toContain('http://docs.oasis-open.org/ws-rx/wsrm/200702');
    expect(call).toContain('MessageNumber');
  });

  it('reads quantity as an xsd:int: "1e2", "0x10" and "2.5" are InvalidArgument faults, " 7 " is seven', async () => {
    await lab.api(c.fetch, { body: {} });
    // Number() read "1e2" as 100 and "0x10" as 16, and the order was placed.
    for (const quantity of ['1e2', '0x10', '2.5']) {
      const reply = await lab.api(c.call, { body: { operation: 'placeOrder', args: { item: 'pen', quantity } } });
      expect(reply.ok, quantity).toBe(false);
      expect(reply.ladder.find((r) => r.kind === 'fault')?.fault).toMatchObject({ subcode: 'ord:InvalidArgument', reason: 'quantity must be an integer from 1 to 1000.' });
    }
    const seven = await lab.api(c.call, { body: { operation: 'placeOrder', args: { item: 'pen', quantity: ' 7 ' } } });
    expect(seven.ok).toBe(true);
  });

  it('strict mode names the unmatched ignorable assertion and the scope that attached it', async () => {
    const state = await lab.api(c.client, { body: { mode: 'strict' } });
    await lab.api(c.fetch, { body: {} });
    const place = (await lab.api(c.state)).computation?.operations.find((o) => o.operation === 'placeOrder');
    expect(state.client.mode).toBe('strict');
    expect(place?.chosen).toBeNull();
    expect(place?.error).toMatch(/log:Logging \(from wsdl:binding\/wsdl:operation placeOrder\).*ignorable, but strict mode requires every assertion to be matched/);
  });

  it('provider drops RM 1.0 → the cached client faults → refresh → retry succeeds in RM 1.1, all in the transcript', async () => {
    await lab.api(c.provider, { body: { rm: '1.0' } });
    const cached = await lab.api(c.fetch, { body: { via: 'get' } });
    expect(cached.computation?.operations.find((o) => o.operation === 'placeOrder')?.chosen?.rm).toBe('1.0');

    await lab.api(c.provider, { body: { rm: '1.1' } });
    const reply = await lab.api(c.call, { body: { operation: 'placeOrder', args: {} } });
    expect(reply.ok).toBe(true);
    expect(reply.ladder.map((r) => r.kind)).toEqual(['fault', 'refresh', 'fetch', 'retry', 'create-sequence', 'call', 'terminate-sequence']);
    expect(reply.ladder[0].fault?.subcode).toBe('wsa:ActionNotSupported');
    expect(reply.state.computation?.operations.find((o) => o.operation === 'placeOrder')?.chosen?.rm).toBe('1.1');
    expect(reply.state.cache.refresh).toBe(false);

    expect(await transcript(reply.ladder[0].conn)).toContain('http://schemas.xmlsoap.org/ws/2005/02/rm/CreateSequence');
    expect(await transcript(reply.ladder[0].conn)).toContain('ActionNotSupported');
    expect(await transcript(reply.ladder[2].conn)).toContain('GET /soap/orders?wsdl');
    expect(await transcript(reply.ladder[4].conn)).toContain('http://docs.oasis-open.org/ws-rx/wsrm/200702/CreateSequence');
  });

  it('an empty wsp:ExactlyOne: the cached call faults, the refresh finds nothing compatible, the client stops and says why', async () => {
    await lab.api(c.fetch, { body: {} });
    await lab.api(c.provider, { body: { empty: true } });
    const reply = await lab.api(c.call, { body: { operation: 'getOrder', args: { orderId: 'ORD-x' } } });
    expect(reply.ok).toBe(false);
    expect(reply.ladder.map((r) => r.kind)).toEqual(['fault', 'refresh', 'fetch', 'stop']);
    expect(reply.ladder[0].fault?.subcode).toBe('ord:NoPolicyAlternative');
    expect(reply.stopped).toMatch(/After the refresh: .*empty wsp:ExactlyOne at wsdl:binding OrdersSoap12Binding admits no behaviour/);
  });

  it('the dispatch-client rule: differing operation-scoped policies are a client-side error naming the operations', async () => {
    await lab.api(c.client, { body: { dispatch: true } });
    await lab.api(c.fetch, { body: {} });
    const reply = await lab.api(c.call, { body: { operation: 'cancelOrder', args: { orderId: 'ORD-x' } } });
    expect(reply.ok).toBe(false);
    expect(reply.ladder.map((r) => r.kind)).toEqual(['stop']);
    expect(reply.stopped).toMatch(/placeOrder: log:Logging; getOrder: .*mtom:MTOM.*; cancelOrder: none/);
  });

  it('refuses a bad call body with 400, not a crash', async () => {
    await expect(lab.api(c.call, { body: { operation: 'dropTables' as 'placeOrder', args: {} } })).rejects.toThrow(/^400/);
  });
});
