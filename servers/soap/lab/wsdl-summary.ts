/**
 * The WSDL viewer's data: the Calendar service's WSDL taken apart into types, messages,
 * portType, bindings and service/ports, each with the lab's explanation, plus the raw document.
 * Built from the same operation table the WSDL is generated from, so the two cannot disagree.
 */
import { annotate } from '../../../lib/protocols/soap/annotate.ts';
import { SOAP_VERSIONS } from '../../../lib/protocols/soap/versions.ts';
import { CALENDAR_NS, CALENDAR_OPERATIONS, calendarWsdl, soapActionOf, type CalendarOperation } from '../wsdl.ts';

const explain = (key: string) => {
  const a = annotate(key);
  return { key, title: a.title, explain: a.explain, ref: a.ref };
};

/** The WSDL summary served by GET /api/soap/wsdl. */
export function wsdlSummary(location: string) {
  const operations = (Object.keys(CALENDAR_OPERATIONS) as CalendarOperation[]).map((name) => {
    const op = CALENDAR_OPERATIONS[name];
    return {
      name,
      documentation: op.doc,
      soapAction: soapActionOf(name),
      input: { message: `tns:${name}Request`, element: `tns:${name}`, parts: op.input.map((p) => ({ name: p.name, type: p.type })) },
      output: { message: `tns:${name}Response`, element: `tns:${name}Response`, parts: [{ name: op.output.name, type: op.output.type }] },
      fault: { name: 'CalendarFault', message: 'tns:CalendarFault', element: 'tns:CalendarFault', parts: ['argument', 'value', 'expected'] },
    };
  });
  return {
    url: `${location}?wsdl`,
    targetNamespace: CALENDAR_NS,
    style: 'document/literal (wrapped)',
    operations,
    types: { ...explain('wsdl.types'), elements: operations.flatMap((o) => [o.input.element, o.output.element]).concat('tns:CalendarFault') },
    messages: { ...explain('wsdl.message'), names: operations.flatMap((o) => [o.input.message, o.output.message]).concat('tns:CalendarFault') },
    portType: { ...explain('wsdl.portType'), name: 'CalendarPortType', operations: operations.map((o) => o.name) },
    bindings: [
      { ...explain('wsdl.binding'), name: 'CalendarSoap11Binding', soapVersion: '1.1', namespace: 'http://schemas.xmlsoap.org/wsdl/soap/', transport: 'http://schemas.xmlsoap.org/soap/http', contentType: SOAP_VERSIONS['1.1'].mediaType, actionCarrier: SOAP_VERSIONS['1.1'].actionCarrier },
      { ...explain('wsdl.binding'), name: 'CalendarSoap12Binding', soapVersion: '1.2', namespace: 'http://schemas.xmlsoap.org/wsdl/soap12/', transport: 'http://schemas.xmlsoap.org/soap/http', contentType: SOAP_VERSIONS['1.2'].mediaType, actionCarrier: SOAP_VERSIONS['1.2'].actionCarrier },
    ],
    service: {
      ...explain('wsdl.service'),
      name: 'CalendarService',
      ports: [
        { ...explain('wsdl.port'), name: 'CalendarSoap11', binding: 'tns:CalendarSoap11Binding', address: location },
        { ...explain('wsdl.port'), name: 'CalendarSoap12', binding: 'tns:CalendarSoap12Binding', address: location },
      ],
    },
    wsdl: calendarWsdl(location),
  };
}
