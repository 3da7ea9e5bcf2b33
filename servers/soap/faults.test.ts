// Each child of a fault's detail gets its own note, in the envelopes this service really sends:
// the ones written before the service runs and the ones the SOAP toolkit serialises.
import { describe, expect, it } from 'vitest';
import { annotateSoapEnvelope } from '../../lib/protocols/soap/envelope.ts';
import { CalendarDispatcher } from './dispatch.ts';
import { faultEnvelope } from './faults.ts';
import { CALENDAR_NS } from './wsdl.ts';

const keysOf = (xml: string) => annotateSoapEnvelope(xml, { dir: 'server' }).lines.map((m) => m.annotation?.key).filter(Boolean);
const DETAIL_KEYS = ['soap.fault.detail.entry', 'soap.fault.detail.argument', 'soap.fault.detail.value', 'soap.fault.detail.expected'];

describe('fault detail annotations', () => {
  it.each(['1.1', '1.2'] as const)('explains every detail child of a SOAP %s fault written by the service', (version) => {
    const xml = faultEnvelope(version, { cls: 'Client', subcode: 'InvalidArgument', reason: 'month must be 1..12', detail: { argument: 'month', value: '13', expected: 'an integer from 1 to 12' } });
    const keys = keysOf(xml);
    expect(keys).toEqual(expect.arrayContaining(DETAIL_KEYS));
    if (version === '1.2') expect(keys).toContain('soap.fault.Subcode.Value');
    const value = annotateSoapEnvelope(xml).lines.find((m) => m.annotation?.key === 'soap.fault.detail.value');
    expect(value?.fields).toEqual([{ name: 'value', value: '13' }]);
  });

  it.each(['1.1', '1.2'] as const)('explains the detail of a SOAP %s fault serialised by the toolkit', async (version) => {
    const dispatcher = await CalendarDispatcher.create({ log: () => {}, internalError: () => {} });
    try {
      const ns = version === '1.1' ? 'http://schemas.xmlsoap.org/soap/envelope/' : 'http://www.w3.org/2003/05/soap-envelope';
      const body = `<s:Envelope xmlns:s="${ns}" xmlns:c="${CALENDAR_NS}"><s:Body><c:getMonth><c:year>2003</c:year><c:month>13</c:month></c:getMonth></s:Body></s:Envelope>`;
      const answer = await dispatcher.dispatch({
        contentType: version === '1.1' ? 'text/xml' : `application/soap+xml; action="${CALENDAR_NS}/getMonth"`,
        soapAction: version === '1.1' ? `"${CALENDAR_NS}/getMonth"` : undefined,
        contentEncoding: undefined,
        body,
      });
      expect(answer.fault).toBeDefined();
      expect(keysOf(answer.body)).toEqual(expect.arrayContaining(DETAIL_KEYS));
    } finally {
      dispatcher.close();
    }
  });
});
