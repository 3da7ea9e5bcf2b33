/**
 * Faults of the Calendar service, in either SOAP version: one description (`FaultSpec`), two
 * renderings — an object the `soap` package serialises when a service method throws it, and a
 * hand-written envelope for faults the pre-check layer answers before the package sees anything.
 */
import { SOAP_VERSIONS, faultCodeName, type FaultClass, type SoapVersion } from '../../lib/protocols/soap/versions.ts';
import { escapeXml } from '../../lib/protocols/soap/xml.ts';
import { CALENDAR_NS } from './wsdl.ts';

/** The service's own fault detail (declared in the WSDL as tns:CalendarFault). */
export interface CalendarFaultDetail {
  argument: string;
  value: string;
  expected: string;
}

/** Everything one fault says, independent of the SOAP version it will travel in. */
export interface FaultSpec {
  cls: FaultClass;
  /** SOAP 1.2 Subcode (local name in the service namespace), e.g. 'InvalidArgument'. */
  subcode?: string;
  /** Human-readable reason: faultstring (1.1) / Reason/Text (1.2). */
  reason: string;
  detail?: CalendarFaultDetail;
  /** MustUnderstand: the header blocks not understood (1.2 NotUnderstood headers). */
  notUnderstood?: { local: string; ns: string | undefined }[];
  /** VersionMismatch: add the SOAP 1.2 Upgrade header listing supported envelopes. */
  upgrade?: boolean;
  /** Overrides the HTTP status (413, 415); otherwise the version's rule decides. */
  httpStatus?: number;
}

/** The HTTP status a fault travels with: SOAP 1.1 → 500; SOAP 1.2 → 400 for Sender, else 500. */
export function faultStatus(version: SoapVersion, spec: FaultSpec): number {
  return spec.httpStatus ?? SOAP_VERSIONS[version].faultStatus[spec.cls];
}

/** The envelope prefix both renderings use ('soap', as the soap package does). */
const P = 'soap';

/** What a soap-package service method throws: `{ Fault: … }` with the HTTP status inside. */
export function packageFault(version: SoapVersion, spec: FaultSpec): { Fault: Record<string, unknown> } {
  const code = `${P}:${faultCodeName(version, spec.cls)}`;
  const detail = spec.detail
    ? { 'tns:CalendarFault': { 'tns:argument': spec.detail.argument, 'tns:value': spec.detail.value, 'tns:expected': spec.detail.expected } }
    : undefined;
  if (version === '1.1') {
    return { Fault: { faultcode: code, faultstring: spec.reason, ...(detail ? { detail } : {}), statusCode: faultStatus(version, spec) } };
  }
  return {
    Fault: {
      Code: { Value: code, ...(spec.subcode ? { Subcode: { Value: `tns:${spec.subcode}` } } : {}) },
      Reason: { Text: { attributes: { 'xml:lang': 'en' }, $value: spec.reason } },
      ...(detail ? { Detail: detail } : {}),
      statusCode: faultStatus(version, spec),
    },
  };
}

function detailXml(detail: CalendarFaultDetail): string {
  return (
    `<tns:CalendarFault><tns:argument>${escapeXml(detail.argument)}</tns:argument>` +
    `<tns:value>${escapeXml(detail.value)}</tns:value><tns:expected>${escapeXml(detail.expected)}</tns:expected></tns:CalendarFault>`
  );
}

function headerXml(version: SoapVersion, spec: FaultSpec): string {
  if (version === '1.1') {
    // SOAP 1.2 Part 1 Appendix A, Example 8: a SOAP/1.1 VersionMismatch fault whose Upgrade block names SOAP 1.2.
    return spec.upgrade
      ? `<${P}:Header><${P}:Upgrade><${P}:SupportedEnvelope qname="s12:Envelope" xmlns:s12="${SOAP_VERSIONS['1.2'].envelopeNs}"/></${P}:Upgrade></${P}:Header>`
      : '';
  }
  const blocks: string[] = [];
  if (spec.upgrade) {
    // SOAP 1.2 Part 1 §5.4.7: list the envelope versions we support, preferred first.
    blocks.push(
      `<${P}:Upgrade><${P}:SupportedEnvelope qname="${P}:Envelope"/>` +
        `<${P}:SupportedEnvelope qname="s11:Envelope" xmlns:s11="${SOAP_VERSIONS['1.1'].envelopeNs}"/></${P}:Upgrade>`,
    );
  }
  for (const block of spec.notUnderstood ?? []) {
    const ns = block.ns ? ` xmlns:nu="${escapeXml(block.ns)}"` : '';
    blocks.push(`<${P}:NotUnderstood qname="${block.ns ? 'nu:' : ''}${escapeXml(block.local)}"${ns}/>`);
  }
  return blocks.length ? `<${P}:Header>${blocks.join('')}</${P}:Header>` : '';
}

/** A complete fault envelope, for faults answered before the soap package runs. */
export function faultEnvelope(version: SoapVersion, spec: FaultSpec): string {
  const ns = SOAP_VERSIONS[version].envelopeNs;
  const code = `${P}:${faultCodeName(version, spec.cls)}`;
  let fault: string;
  if (version === '1.1') {
    fault =
      `<${P}:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(spec.reason)}</faultstring>` +
      (spec.detail ? `<detail>${detailXml(spec.detail)}</detail>` : '') +
      `</${P}:Fault>`;
  } else {
    const subcode = spec.subcode ? `<${P}:Subcode><${P}:Value>tns:${spec.subcode}</${P}:Value></${P}:Subcode>` : '';
    fault =
      `<${P}:Fault><${P}:Code><${P}:Value>${code}</${P}:Value>${subcode}</${P}:Code>` +
      `<${P}:Reason><${P}:Text xml:lang="en">${escapeXml(spec.reason)}</${P}:Text></${P}:Reason>` +
      (spec.detail ? `<${P}:Detail>${detailXml(spec.detail)}</${P}:Detail>` : '') +
      `</${P}:Fault>`;
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?><${P}:Envelope xmlns:${P}="${ns}" xmlns:tns="${CALENDAR_NS}">` +
    `${headerXml(version, spec)}<${P}:Body>${fault}</${P}:Body></${P}:Envelope>`
  );
}
