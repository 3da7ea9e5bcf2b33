/**
 * The Calendar service's WSDL 1.1 document: document/literal (wrapped) with one portType and
 * two bindings, SOAP 1.1 and SOAP 1.2, both served at the same address. The endpoint address
 * is filled in per request from the Host the client used (so the WSDL names the tap's port).
 */

/** The service's XML namespace (the operation elements and the fault detail live in it). */
export const CALENDAR_NS = 'http://lab.test/soap/calendar';
/** Where the service is mounted on the service host. */
export const CALENDAR_PATH = '/soap/calendar';
/** SOAPAction (1.1) / action parameter (1.2) of an operation. */
export const soapActionOf = (operation: string): string => `${CALENDAR_NS}/${operation}`;

/** The operations and their parts as data: the WSDL, the request generator and the pre-check read this. */
export const CALENDAR_OPERATIONS = {
  getMonth: {
    doc: 'One month as fixed-width text, Monday first (the seed article’s Listing 5 layout).',
    input: [
      { name: 'year', type: 'xsd:int', example: '2003' },
      { name: 'month', type: 'xsd:int', example: '1' },
    ],
    output: { name: 'calendar', type: 'xsd:string' },
  },
  getYear: {
    doc: 'All twelve months of one year as text.',
    input: [{ name: 'year', type: 'xsd:int', example: '2004' }],
    output: { name: 'calendar', type: 'xsd:string' },
  },
} as const;

export type CalendarOperation = keyof typeof CALENDAR_OPERATIONS;

export function isCalendarOperation(name: string): name is CalendarOperation {
  return Object.hasOwn(CALENDAR_OPERATIONS, name);
}

const OPERATION_NAMES = Object.keys(CALENDAR_OPERATIONS) as CalendarOperation[];

function schema(): string {
  const elements = OPERATION_NAMES.map((name) => {
    const op = CALENDAR_OPERATIONS[name];
    const parts = op.input.map((p) => `            <xsd:element name="${p.name}" type="${p.type}"/>`).join('\n');
    return `      <xsd:element name="${name}">
        <xsd:complexType>
          <xsd:sequence>
${parts}
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:element name="${name}Response">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="${op.output.name}" type="${op.output.type}"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>`;
  }).join('\n');
  return `    <xsd:schema targetNamespace="${CALENDAR_NS}" elementFormDefault="qualified">
${elements}
      <xsd:element name="CalendarFault">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="argument" type="xsd:string"/>
            <xsd:element name="value" type="xsd:string"/>
            <xsd:element name="expected" type="xsd:string"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
    </xsd:schema>`;
}

function binding(name: string, prefix: 'soap' | 'soap12'): string {
  const operations = OPERATION_NAMES.map(
    (op) => `    <wsdl:operation name="${op}">
      <${prefix}:operation soapAction="${soapActionOf(op)}" style="document"/>
      <wsdl:input><${prefix}:body use="literal"/></wsdl:input>
      <wsdl:output><${prefix}:body use="literal"/></wsdl:output>
      <wsdl:fault name="CalendarFault"><${prefix}:fault name="CalendarFault" use="literal"/></wsdl:fault>
    </wsdl:operation>`,
  ).join('\n');
  return `  <wsdl:binding name="${name}" type="tns:CalendarPortType">
    <${prefix}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
${operations}
  </wsdl:binding>`;
}

/** The WSDL with `location` (e.g. "http://127.0.0.1:8080/soap/calendar") as both ports' address. */
export function calendarWsdl(location: string): string {
  const messages = OPERATION_NAMES.flatMap((op) => [
    `  <wsdl:message name="${op}Request"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>`,
    `  <wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`,
  ]).join('\n');
  const portOps = OPERATION_NAMES.map(
    (op) => `    <wsdl:operation name="${op}">
      <wsdl:documentation>${CALENDAR_OPERATIONS[op].doc}</wsdl:documentation>
      <wsdl:input message="tns:${op}Request"/>
      <wsdl:output message="tns:${op}Response"/>
      <wsdl:fault name="CalendarFault" message="tns:CalendarFault"/>
    </wsdl:operation>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="Calendar" targetNamespace="${CALENDAR_NS}"
  xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
  xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
  xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:tns="${CALENDAR_NS}">
  <wsdl:documentation>Protocol Lab calendar service: the month layout of the 2003 SOAP-over-SMTP article.</wsdl:documentation>
  <wsdl:types>
${schema()}
  </wsdl:types>
${messages}
  <wsdl:message name="CalendarFault"><wsdl:part name="fault" element="tns:CalendarFault"/></wsdl:message>
  <wsdl:portType name="CalendarPortType">
${portOps}
  </wsdl:portType>
${binding('CalendarSoap11Binding', 'soap')}
${binding('CalendarSoap12Binding', 'soap12')}
  <wsdl:service name="CalendarService">
    <wsdl:port name="CalendarSoap11" binding="tns:CalendarSoap11Binding">
      <soap:address location="${location}"/>
    </wsdl:port>
    <wsdl:port name="CalendarSoap12" binding="tns:CalendarSoap12Binding">
      <soap12:address location="${location}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
