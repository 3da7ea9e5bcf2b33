import type { Lesson } from '../../../lib/lessons/types.ts';

/** The WSDL: the service's own description, read by hand and by a client library that builds calls from it. */
export const soapWsdl: Lesson = {
  id: 'soap-wsdl',
  lab: 'soap',
  title: 'The WSDL',
  summary: 'Fetch the Calendar service\'s WSDL, find its operations, bindings and address, then let a client library build a call from it.',
  minutes: 10,
  order: 3,
  goal:
    'Read a WSDL 1.1 document: types and messages (what is sent), portType (the operations), binding (SOAP 1.1 or 1.2, and each operation\'s soapAction), service and port (the address to POST to). A SOAP toolkit reads the same document to build its requests.',
  steps: [
    {
      id: 'fetch',
      title: 'GET ?wsdl',
      do:
        'Fetch the WSDL: the WSDL tab, or `curl -s \'http://{{host}}:{{port soap}}/soap/calendar?wsdl\'`. In the transcript follow it top down: wsdl:definitions, then the portType with the operations getMonth and getYear, two bindings (one SOAP 1.1, one SOAP 1.2) whose soap:operation gives each operation\'s soapAction, and the service whose soap:address is the URL to POST to (WSDL 1.1 §2.4–§2.7, §3.4, §3.8).',
      panel: 'wsdl',
      shell: ["curl -s 'http://{{host}}:{{port soap}}/soap/calendar?wsdl'"],
      proof: {
        all: [
          { dir: 'client', key: 'http.method.GET', text: '\\?wsdl' },
          { dir: 'server', key: 'wsdl.definitions' },
          { dir: 'server', key: 'wsdl.portType' },
          { dir: 'server', key: 'wsdl.binding' },
          { dir: 'server', key: 'wsdl.soap.operation' },
          { dir: 'server', key: 'wsdl.service' },
          { dir: 'server', key: 'wsdl.soap.address' },
        ],
      },
      hints: ['SoapUI and Postman import the same URL.', 'The soapAction of a binding operation is what a SOAP 1.1 client puts in its SOAPAction header.'],
      ref: 'RFC 9110 §9.3.1; SOAP 1.2 Part 2 §6.5',
    },
    {
      id: 'generated-call',
      title: 'Let a toolkit build the call from the WSDL',
      do:
        'A SOAP toolkit turns the WSDL into functions. With Node\'s soap package:\n\nconst client = await soap.createClientAsync(\'http://{{host}}:{{port soap}}/soap/calendar?wsdl\'); await client.getYearAsync({ year: 2003 });\n\n(Python: zeep.Client(url).service.getYear(2003).) The toolkit first GETs the WSDL, then POSTs an envelope it built: the SOAPAction is the WSDL\'s soapAction for getYear, the address is the soap:address.',
      panel: 'wsdl',
      proof: {
        all: [
          { dir: 'server', key: 'wsdl.soap.operation', text: 'getYear' },
          { dir: 'client', key: 'http.header.SOAPAction', text: 'getYear' },
          { dir: 'client', key: 'soap.operation', field: { name: 'operation', value: 'getYear' } },
          { dir: 'server', key: 'soap.operation.response', field: { name: 'response to', value: 'getYear' } },
        ],
        anyConnection: true,
      },
      hints: ['The Own client tab has the Python recipe.', 'Compare the generated envelope with the one you typed: same Body, the toolkit\'s own namespace prefixes.'],
      ref: 'SOAP 1.2 Part 2 §6.5, §7.4',
    },
  ],
};
