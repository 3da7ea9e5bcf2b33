/**
 * Request envelopes generated from the service's operation table: what the HTTP console puts
 * in its editor and what the SOAP-over-SMTP client mails. Pretty-printed on purpose — students
 * edit them — and with the HTTP headers each SOAP version needs.
 */
import { z } from 'zod';
import { escapeXml } from '../../../lib/protocols/soap/xml.ts';
import { SOAP_VERSIONS, type SoapVersion } from '../../../lib/protocols/soap/versions.ts';
import { CALENDAR_NS, CALENDAR_OPERATIONS, CALENDAR_PATH, soapActionOf, type CalendarOperation } from '../wsdl.ts';

export const OperationSchema = z.enum(Object.keys(CALENDAR_OPERATIONS) as [CalendarOperation, ...CalendarOperation[]]);
export const VersionSchema = z.enum(['1.1', '1.2']);

/** One generated request: the envelope and the HTTP header fields that go with it. */
export interface GeneratedRequest {
  operation: CalendarOperation;
  version: SoapVersion;
  envelope: string;
  /** Content-Type (and SOAPAction for 1.1) exactly as they must be sent. */
  headers: Record<string, string>;
}

/** Builds a request envelope; missing arguments get the WSDL table's examples. */
export function requestEnvelope(
  operation: CalendarOperation,
  version: SoapVersion,
  args: Partial<Record<string, string | number>> = {},
  options: { delayMs?: number } = {},
): GeneratedRequest {
  const ns = SOAP_VERSIONS[version].envelopeNs;
  const params = CALENDAR_OPERATIONS[operation].input
    .map((p) => `      <cal:${p.name}>${escapeXml(String(args[p.name] ?? p.example))}</cal:${p.name}>`)
    .join('\n');
  const header = options.delayMs === undefined ? '' : `  <soap:Header>\n    <cal:delay>${Math.max(0, Math.round(options.delayMs))}</cal:delay>\n  </soap:Header>\n`;
  const envelope = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="${ns}" xmlns:cal="${CALENDAR_NS}">
${header}  <soap:Body>
    <cal:${operation}>
${params}
    </cal:${operation}>
  </soap:Body>
</soap:Envelope>
`;
  const action = soapActionOf(operation);
  const headers: Record<string, string> =
    version === '1.1'
      ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }
      : { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` };
  return { operation, version, envelope, headers };
}

/** The complete HTTP/1.1 request text for an envelope (what the raw console would type). */
export function httpRequestText(host: string, headers: Record<string, string>, envelope: string): string {
  const body = envelope.replace(/\r?\n/g, '\r\n');
  const lines = [
    `POST ${CALENDAR_PATH} HTTP/1.1`,
    `Host: ${host}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
