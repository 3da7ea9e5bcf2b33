import type { Lesson } from '../../../lib/lessons/types.ts';

/** A SOAP message's anatomy, and what changes between SOAP 1.1 and 1.2 on the wire. */
export const soapEnvelopes: Lesson = {
  id: 'soap-envelopes',
  lab: 'soap',
  title: 'Envelope anatomy: SOAP 1.1 vs 1.2',
  summary: 'Call the Calendar service with a SOAP 1.1 and a SOAP 1.2 envelope and spot the three differences: namespace, Content-Type, and where the action goes.',
  minutes: 10,
  order: 1,
  goal:
    'Read a SOAP message: an HTTP POST whose body is an Envelope with an optional Header and a Body holding the operation. Tell the versions apart by the envelope namespace, the Content-Type (text/xml vs application/soap+xml) and the action (a SOAPAction header vs an action parameter).',
  steps: [
    {
      id: 'soap11',
      title: 'A SOAP 1.1 call',
      do:
        'In the HTTP tab, choose getMonth, version 1.1, and send; or create getMonth11.xml with the Own client tab\'s "curl · SOAP 1.1" recipe and post it with the curl line below.\n\nRead the request top down: POST, Content-Type text/xml, a SOAPAction header naming the operation, then the Envelope in the namespace http://schemas.xmlsoap.org/soap/envelope/, its Body, and the operation element getMonth inside.',
      panel: 'http',
      shell: ['curl -s http://{{host}}:{{port soap}}/soap/calendar -H \'Content-Type: text/xml; charset=utf-8\' -H \'SOAPAction: "http://lab.test/soap/calendar/getMonth"\' --data-binary @getMonth11.xml'],
      proof: {
        all: [
          { dir: 'client', key: 'http.header.Content-Type', text: 'text/xml' },
          { dir: 'client', key: 'http.header.SOAPAction' },
          { dir: 'client', key: 'soap.envelope', field: { name: 'version', value: 'SOAP 1.1' } },
          { dir: 'client', key: 'soap.body' },
          { dir: 'client', key: 'soap.operation' },
          { dir: 'server', key: 'http.status.200' },
          { dir: 'server', key: 'soap.operation.response' },
        ],
      },
      hints: ['The Own client tab\'s "curl · SOAP 1.1" recipe writes the whole envelope to getMonth11.xml.', 'A 1.1 request without a SOAPAction header is refused with a Client fault: the SOAP 1.1 HTTP binding requires the header (SOAP 1.1 §6.1.1). An empty one (SOAPAction: "") is allowed.'],
      ref: 'SOAP 1.2 Part 1 §5.1, §5.3, Appendix A',
    },
    {
      id: 'soap12',
      title: 'The same call in SOAP 1.2',
      do:
        'Now send the same getMonth as version 1.2. Three things change:\n\n1. the Envelope\'s namespace is http://www.w3.org/2003/05/soap-envelope;\n2. the Content-Type is application/soap+xml (the media type SOAP 1.2 registered);\n3. there is no SOAPAction header: the action is a parameter of the Content-Type, action="http://lab.test/soap/calendar/getMonth".\n\nThe answer comes back as application/soap+xml too.',
      panel: 'http',
      proof: {
        all: [
          { dir: 'client', key: 'http.header.Content-Type', text: 'application/soap\\+xml.*action=' },
          { dir: 'client', key: 'soap.envelope', field: { name: 'version', value: 'SOAP 1.2' } },
          { dir: 'server', key: 'http.status.200' },
          { dir: 'server', key: 'http.header.Content-Type', text: 'application/soap\\+xml' },
        ],
      },
      hints: ['The action parameter is optional in SOAP 1.2, but the lab checks it against the operation when present.'],
      ref: 'SOAP 1.2 Part 2 §6.5, §7.1.4; SOAP 1.2 Part 1 §5.1',
    },
    {
      id: 'version-mismatch',
      title: 'Mix them up: VersionMismatch',
      do:
        'Send a SOAP 1.1 envelope (namespace http://schemas.xmlsoap.org/soap/envelope/) with the SOAP 1.2 Content-Type application/soap+xml. The 1.2 endpoint does not process a 1.1 envelope: it answers with a VersionMismatch fault — written as a SOAP 1.1 message (text/xml, faultcode soap:VersionMismatch), so the 1.1 sender can read it, with an Upgrade header block naming the SOAP 1.2 Envelope it could have used.\n\nThe envelope namespace is how a receiver knows which SOAP it is reading.',
      panel: 'http',
      proof: { all: [{ dir: 'client', key: 'http.header.Content-Type', text: 'application/soap\\+xml' }, { dir: 'server', key: 'soap.fault.VersionMismatch' }] },
      hints: ['In the HTTP tab, edit the envelope\'s namespace, or override the Content-Type.', 'A SOAP 1.2 node receiving a 1.1 message must either process it as 1.1 or answer VersionMismatch as a SOAP 1.1 message, preferably with an Upgrade block (SOAP 1.2 Part 1 Appendix A).'],
      ref: 'SOAP 1.2 Part 1 §5.4.7, Appendix A',
    },
  ],
};
