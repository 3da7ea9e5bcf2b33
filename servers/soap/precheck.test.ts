import { describe, expect, it } from 'vitest';
import { faultEnvelope, faultStatus } from './faults.ts';
import { precheck, type PrecheckInput } from './precheck.ts';
import { CALENDAR_NS } from './wsdl.ts';

const S11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const S12 = 'http://www.w3.org/2003/05/soap-envelope';
const env = (ns: string, body: string, header?: string) =>
  `<s:Envelope xmlns:s="${ns}" xmlns:c="${CALENDAR_NS}">${header === undefined ? '' : `<s:Header>${header}</s:Header>`}<s:Body>${body}</s:Body></s:Envelope>`;
const op = '<c:getMonth><c:year>2003</c:year><c:month>1</c:month></c:getMonth>';
const v11 = (body: string, soapAction?: string): PrecheckInput => ({ contentType: 'text/xml; charset=utf-8', soapAction, contentEncoding: undefined, body });
const v12 = (body: string, action?: string): PrecheckInput => ({ contentType: `application/soap+xml${action ? `; action="${action}"` : ''}`, soapAction: undefined, contentEncoding: undefined, body });

describe('pre-check layer', () => {
  it.each([
    ['1.1 envelope as text/xml', v11(env(S11, op)), 'ok'],
    ['1.2 envelope as soap+xml', v12(env(S12, op), `${CALENDAR_NS}/getMonth`), 'ok'],
    ['1.1 with matching SOAPAction', v11(env(S11, op), `"${CALENDAR_NS}/getMonth"`), 'ok'],
    ['1.1 with empty SOAPAction', v11(env(S11, op), '""'), 'ok'],
    ['understood mustUnderstand delay', v12(env(S12, op, '<c:delay s:mustUnderstand="true">250</c:delay>')), 'ok'],
    ['mustUnderstand header for another role', v12(env(S12, op, '<x:a xmlns:x="urn:x" s:mustUnderstand="1" s:role="urn:someone-else"/>')), 'ok'],
    ['1.1 envelope on the 1.2 binding', v12(env(S11, op)), 'VersionMismatch'],
    ['1.2 envelope on the 1.1 binding', v11(env(S12, op)), 'VersionMismatch'],
    ['unknown envelope namespace', v11(env('urn:soap-2.0', op)), 'VersionMismatch'],
    ['unknown mustUnderstand header', v11(env(S11, op, '<x:a xmlns:x="urn:x" s:mustUnderstand="1"/>')), 'MustUnderstand'],
    ['DOCTYPE with external entity', v11(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${env(S11, op)}`), 'Client'],
    ['doctype in lower case', v11(`<!doctype x>${env(S11, op)}`), 'Client'],
    ['malformed XML', v11('<s:Envelope'), 'Client'],
    ['not an envelope', v11('<hello/>'), 'Client'],
    ['empty Body', v11(env(S11, '')), 'Client'],
    ['two operations', v11(env(S11, op + op)), 'Client'],
    ['unknown operation', v11(env(S11, '<c:getWeek/>')), 'Client'],
    ['operation in the wrong namespace', v11(env(S11, '<getMonth><year>1</year></getMonth>')), 'Client'],
    ['SOAPAction contradicting the Body', v11(env(S11, op), `"${CALENDAR_NS}/getYear"`), 'Client'],
    ['delay out of range', v11(env(S11, op, '<c:delay>99999</c:delay>')), 'Client'],
    ['not a SOAP media type', { ...v11(env(S11, op)), contentType: 'application/json' }, 'Client'],
    ['gzip body', { ...v11(env(S11, op)), contentEncoding: 'gzip' }, 'Client'],
  ])('%s → %s', (_name, input, expected) => {
    const result = precheck(input);
    expect(result.ok ? 'ok' : result.fault.cls).toBe(expected);
  });

  it('reads the think time from the delay header', () => {
    const result = precheck(v11(env(S11, op, '<c:delay>1500</c:delay>')));
    expect(result.ok && result.delayMs).toBe(1500);
  });

  it('answers a SOAP 1.1 envelope on the 1.2 binding with a SOAP 1.1 VersionMismatch naming SOAP 1.2 (SOAP 1.2 Part 1 Appendix A)', () => {
    const result = precheck(v12(env(S11, op)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.version).toBe('1.1');
    const xml = faultEnvelope(result.version, result.fault);
    expect(xml).toContain(`xmlns:soap="${S11}"`);
    expect(xml).toContain('<faultcode>soap:VersionMismatch</faultcode>');
    expect(xml).toContain(`<soap:Header><soap:Upgrade><soap:SupportedEnvelope qname="s12:Envelope" xmlns:s12="${S12}"/></soap:Upgrade></soap:Header>`);
    expect(faultStatus(result.version, result.fault)).toBe(500);
  });

  it('answers an unknown envelope on the 1.2 binding in SOAP 1.2, with the Upgrade block of §5.4.7', () => {
    const result = precheck(v12(env('urn:soap-2.0', op)));
    expect(!result.ok && result.version).toBe('1.2');
    if (result.ok) return;
    expect(faultEnvelope(result.version, result.fault)).toContain('<soap:SupportedEnvelope qname="soap:Envelope"/>');
  });

  it('refuses a SOAP 1.1 request over HTTP without SOAPAction (SOAP 1.1 §6.1.1); an empty one, or mail, is fine', () => {
    const missing = precheck({ ...v11(env(S11, op)), overHttp: true });
    expect(!missing.ok && missing.fault.cls).toBe('Client');
    if (!missing.ok) expect(missing.fault.reason).toMatch(/no SOAPAction header/);
    expect(precheck({ ...v11(env(S11, op), ''), overHttp: true }).ok).toBe(true);
    expect(precheck({ ...v11(env(S11, op), `"${CALENDAR_NS}/getMonth"`), overHttp: true }).ok).toBe(true);
    expect(precheck(v11(env(S11, op))).ok).toBe(true);
    expect(precheck({ ...v12(env(S12, op)), overHttp: true }).ok).toBe(true);
  });

  it.each([
    ['1.1', 'Client', 500],
    ['1.1', 'Server', 500],
    ['1.2', 'Client', 400],
    ['1.2', 'Server', 500],
    ['1.2', 'VersionMismatch', 500],
    ['1.2', 'MustUnderstand', 500],
  ] as const)('sends SOAP %s %s faults with HTTP %i', (version, cls, status) => {
    expect(faultStatus(version, { cls, reason: 'x' })).toBe(status);
  });

  it('escapes text in hand-written faults', () => {
    const xml = faultEnvelope('1.1', { cls: 'Client', reason: '<b>&"', detail: { argument: '<', value: '&', expected: '>' } });
    expect(xml).toContain('&lt;b&gt;&amp;&quot;');
    expect(xml).not.toContain('<b>');
  });
});
