// Whole WS-* exchanges through the HTTP SOAP dissector, golden-like: an RM 1.1 sequence, an RM 1.0 sequence and
// the MessageAddressingHeaderRequired fault, each giving the same transcript however the bytes are split.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { createSoapDissector } from './dissector.ts';
import { ANONYMOUS, NS, missingHeaderFault12, rmFault12, soap12, wsaReply, wsaRequest } from './ws-envelopes.ts';

const enc = new TextEncoder();
const PATH = '/soap/orders';
const ORDER = `<o:placeOrder xmlns:o="${NS.orders}"><o:item>pen</o:item></o:placeOrder>`;
const ORDER_OK = `<o:placeOrderResponse xmlns:o="${NS.orders}"><o:id>1</o:id></o:placeOrderResponse>`;

const post = (action: string, envelope: string) =>
  `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/soap+xml; charset=utf-8; action="${action}"\r\nContent-Length: ${Buffer.byteLength(envelope)}\r\n\r\n${envelope}`;
const ok = (envelope: string, status = '200 OK') => `HTTP/1.1 ${status}\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(envelope)}\r\n\r\n${envelope}`;
const accepted = 'HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n';

const seqHeader = (id: string, n: number, last = '') => `<wsrm:Sequence S:mustUnderstand="1"><wsrm:Identifier>${id}</wsrm:Identifier><wsrm:MessageNumber>${n}</wsrm:MessageNumber>${last}</wsrm:Sequence>`;
const ackHeader = (id: string, upper: number, final = '') => `<wsrm:SequenceAcknowledgement><wsrm:Identifier>${id}</wsrm:Identifier><wsrm:AcknowledgementRange Lower="1" Upper="${upper}"/>${final}</wsrm:SequenceAcknowledgement>`;

/** One RM exchange, both directions: CreateSequence → Response → message in the sequence → ack → TerminateSequence. */
function rmExchange(version: '1.1' | '1.0'): Record<StreamDir, string> {
  const rm = version === '1.1' ? NS.rm11 : NS.rm10;
  const id = `urn:uuid:seq-${version}`;
  const act = (name: string) => `${rm}/${name}`;
  const client = [
    post(act('CreateSequence'), soap12(wsaRequest(act('CreateSequence'), 'urn:uuid:m0'), `<wsrm:CreateSequence><wsrm:AcksTo><wsa:Address>${ANONYMOUS}</wsa:Address></wsrm:AcksTo></wsrm:CreateSequence>`, rm)),
    post(`${NS.orders}/placeOrder`, soap12(seqHeader(id, 1) + wsaRequest(`${NS.orders}/placeOrder`, 'urn:uuid:m1'), ORDER, rm)),
    version === '1.1'
      ? post(act('TerminateSequence'), soap12(wsaRequest(act('TerminateSequence'), 'urn:uuid:m2'), `<wsrm:TerminateSequence><wsrm:Identifier>${id}</wsrm:Identifier><wsrm:LastMsgNumber>1</wsrm:LastMsgNumber></wsrm:TerminateSequence>`, rm))
      : post(act('LastMessage'), soap12(seqHeader(id, 2, '<wsrm:LastMessage/>') + wsaRequest(act('LastMessage'), 'urn:uuid:m2'), '', rm))
        + post(act('TerminateSequence'), soap12(wsaRequest(act('TerminateSequence'), 'urn:uuid:m3'), `<wsrm:TerminateSequence><wsrm:Identifier>${id}</wsrm:Identifier></wsrm:TerminateSequence>`, rm)),
  ].join('');
  const server = [
    ok(soap12(wsaReply(act('CreateSequenceResponse'), 'urn:uuid:m0'), `<wsrm:CreateSequenceResponse><wsrm:Identifier>${id}</wsrm:Identifier></wsrm:CreateSequenceResponse>`, rm)),
    ok(soap12(ackHeader(id, 1) + wsaReply(`${NS.orders}/placeOrderResponse`, 'urn:uuid:m1'), ORDER_OK, rm)),
    version === '1.1'
      ? ok(soap12(ackHeader(id, 1, '<wsrm:Final/>') + wsaReply(act('TerminateSequenceResponse'), 'urn:uuid:m2'), `<wsrm:TerminateSequenceResponse><wsrm:Identifier>${id}</wsrm:Identifier></wsrm:TerminateSequenceResponse>`, rm))
      : ok(soap12(ackHeader(id, 2) + wsaReply(act('SequenceAcknowledgement'), 'urn:uuid:m2'), '', rm)) + accepted,
  ].join('');
  return { client, server };
}

/** The policy-fault exchange: a call without addressing headers, then the same call outside a sequence. */
function faultExchange(): Record<StreamDir, string> {
  const bare = `<S:Envelope xmlns:S="${NS.s12}"><S:Body>${ORDER}</S:Body></S:Envelope>`;
  return {
    client: post(`${NS.orders}/placeOrder`, bare) + post(`${NS.orders}/placeOrder`, soap12(wsaRequest(`${NS.orders}/placeOrder`, 'urn:uuid:m9'), ORDER)),
    server: ok(missingHeaderFault12('wsa:Action'), '400 Bad Request') + ok(rmFault12(NS.rm11, 'WSRMRequired', 'The RM Destination requires the use of WSRM'), '400 Bad Request'),
  };
}

function run(parts: [StreamDir, Uint8Array][]): DissectedMessage[] {
  const d = createSoapDissector();
  const out: DissectedMessage[] = [];
  for (const [dir, data] of parts) out.push(...d.push(dir, data));
  out.push(...d.end());
  return out;
}
/** The client's bytes, then the server's, each cut where `cuts` says (sizes, cycled). */
function split(streams: Record<StreamDir, string>, cut: (dir: StreamDir, length: number) => number[]): [StreamDir, Uint8Array][] {
  const parts: [StreamDir, Uint8Array][] = [];
  for (const dir of ['client', 'server'] as const) {
    const bytes = enc.encode(streams[dir]);
    let at = 0;
    for (const size of cut(dir, bytes.length)) {
      parts.push([dir, bytes.subarray(at, at + size)]);
      at += size;
    }
    if (at < bytes.length) parts.push([dir, bytes.subarray(at)]);
  }
  return parts;
}
const whole = (streams: Record<StreamDir, string>) => run(split(streams, () => []));
const show = (out: DissectedMessage[]) => out.map((m) => [m.dir, m.kind, m.text, m.bytes, m.annotation?.key, m.annotation?.ref]);
const bodies = (out: DissectedMessage[]) => out.filter((m) => m.kind === 'body').map((m) => `${m.dir} ${m.text.replace(/^<\d+ bytes: /, '').replace(/>$/, '')}`);

/**
 * The split-at-every-byte tests dissect the whole exchange once per cut point (≈ 4,700 times for RM 1.1):
 * pure CPU, 4 s on an idle 2-core machine, past 40 s with two test suites sharing it. They get this long.
 */
const EVERY_CUT_MS = 120_000;

/** Same transcript for every single cut point in each direction, and one byte at a time. */
function expectSplitInvariant(streams: Record<StreamDir, string>): void {
  const reference = show(whole(streams));
  const expected = JSON.stringify(reference);
  expect(show(run(split(streams, (_dir, n) => Array.from({ length: n }, () => 1))))).toEqual(reference);
  for (const dir of ['client', 'server'] as const) {
    const n = enc.encode(streams[dir]).length;
    for (let at = 1; at < n; at++) {
      const got = show(run(split(streams, (d) => (d === dir ? [at] : []))));
      if (JSON.stringify(got) !== expected) expect({ dir, at, got }).toEqual({ dir, at, got: reference });
    }
  }
}

// Every cut point of a few kilobytes, each a whole run: 3–8 s a test on an idle 2-core machine, four times that under
// a load near 16, past the suite's 30 s.
describe('WS-* exchanges through the HTTP SOAP dissector', { timeout: 120_000 }, () => {
  it('RM 1.1: CreateSequence → CreateSequenceResponse → message #1 → SequenceAcknowledgement → TerminateSequence, split at every byte', () => {
    const streams = rmExchange('1.1');
    const out = whole(streams);
    expect(bodies(out)).toEqual([
      'client SOAP 1.2 CreateSequence (RM 1.1)',
      'client SOAP 1.2 placeOrder (RM 1.1 #1)',
      'client SOAP 1.2 TerminateSequence (RM 1.1)',
      'server SOAP 1.2 CreateSequenceResponse (RM 1.1)',
      'server SOAP 1.2 placeOrderResponse (RM 1.1)',
      'server SOAP 1.2 TerminateSequenceResponse (RM 1.1)',
    ]);
    const rmLines = out.filter((m) => m.annotation?.key?.startsWith('soap.wsrm.'));
    expect(rmLines.every((m) => / \(RM 1\.1\)$/.test(m.annotation?.title ?? '') && m.annotation?.ref?.startsWith('WS-ReliableMessaging 1.1 §'))).toBe(true);
    expect(new Set(rmLines.map((m) => m.annotation?.key))).toEqual(new Set([
      'soap.wsrm.CreateSequence', 'soap.wsrm.AcksTo', 'soap.wsrm.CreateSequenceResponse', 'soap.wsrm.Identifier', 'soap.wsrm.Sequence', 'soap.wsrm.MessageNumber',
      'soap.wsrm.SequenceAcknowledgement', 'soap.wsrm.AcknowledgementRange', 'soap.wsrm.Final', 'soap.wsrm.TerminateSequence', 'soap.wsrm.LastMsgNumber', 'soap.wsrm.TerminateSequenceResponse',
    ]));
    expectSplitInvariant(streams);
  }, EVERY_CUT_MS);

  it('RM 1.0: CreateSequence → Response → message #1 → LastMessage #2 with its acknowledgement → one-way TerminateSequence, split at every byte', () => {
    const streams = rmExchange('1.0');
    const out = whole(streams);
    expect(bodies(out)).toEqual([
      'client SOAP 1.2 CreateSequence (RM 1.0)',
      'client SOAP 1.2 placeOrder (RM 1.0 #1)',
      'client SOAP 1.2 LastMessage (RM 1.0 #2)',
      'client SOAP 1.2 TerminateSequence (RM 1.0)',
      'server SOAP 1.2 CreateSequenceResponse (RM 1.0)',
      'server SOAP 1.2 placeOrderResponse (RM 1.0)',
      'server SOAP 1.2 SequenceAcknowledgement (RM 1.0)',
    ]);
    const rmLines = out.filter((m) => m.annotation?.key?.startsWith('soap.wsrm.'));
    expect(rmLines.every((m) => / \(RM 1\.0\)$/.test(m.annotation?.title ?? '') && m.annotation?.ref?.startsWith('WS-ReliableMessaging 1.0 §'))).toBe(true);
    expect(rmLines.map((m) => m.annotation?.key)).toContain('soap.wsrm.LastMessage');
    expect(out.filter((m) => m.kind === 'status-line').map((m) => m.text)).toContain('HTTP/1.1 202 Accepted');
    expectSplitInvariant(streams);
  }, EVERY_CUT_MS);

  it('the policy faults: MessageAddressingHeaderRequired, then WSRMRequired, split at every byte', () => {
    const streams = faultExchange();
    const out = whole(streams);
    expect(bodies(out)).toEqual([
      'client SOAP 1.2 placeOrder',
      'client SOAP 1.2 placeOrder',
      'server SOAP 1.2 Fault S:Sender wsa:MessageAddressingHeaderRequired',
      'server SOAP 1.2 Fault S:Sender wsrm:WSRMRequired (RM 1.1)',
    ]);
    const mahr = out.find((m) => m.annotation?.key === 'soap.wsa.fault.MessageAddressingHeaderRequired');
    expect(mahr?.annotation).toMatchObject({ level: 'error', ref: 'WS-Addressing 1.0 SOAP Binding §6.4.2' });
    expect(out.find((m) => m.annotation?.key === 'soap.wsa.ProblemHeaderQName')?.fields).toContainEqual({ name: 'header', value: 'wsa:Action' });
    expect(out.find((m) => m.annotation?.key === 'soap.wsrm.fault.WSRMRequired')?.annotation?.ref).toBe('WS-ReliableMessaging 1.1 §4.9');
    expectSplitInvariant(streams);
  }, EVERY_CUT_MS);

  it('covers every byte exactly and never throws for any split of WS-* traffic', () => {
    const all = [rmExchange('1.1'), rmExchange('1.0'), faultExchange()];
    const streams = { client: all.map((s) => s.client).join(''), server: all.map((s) => s.server).join('') };
    const lengths = { client: enc.encode(streams.client).length, server: enc.encode(streams.server).length };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 40 }), (cuts) => {
        const out = run(split(streams, (_dir, n) => {
          const sizes: number[] = [];
          for (let at = 0, i = 0; at < n; i++) {
            sizes.push(cuts[i % cuts.length]);
            at += cuts[i % cuts.length];
          }
          return sizes;
        }));
        for (const dir of ['client', 'server'] as const) expect(out.filter((m) => m.dir === dir).reduce((n, m) => n + m.bytes, 0)).toBe(lengths[dir]);
        expect(out.filter((m) => m.kind === 'body')).toHaveLength(17);
      }),
      { numRuns: 100 },
    );
  });
});
