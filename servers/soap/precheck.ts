/**
 * The pre-check layer in front of the soap package: decides from the raw HTTP facts and the
 * body whether a request may reach the service, or which fault answers it. It runs before any
 * XML parser: a DOCTYPE is refused by a text scan, so external entities and entity expansion
 * never happen. Then it checks what the soap package would get wrong or answer with a leaked
 * JavaScript error: envelope version vs media type (VersionMismatch), mustUnderstand headers,
 * unknown operations, SOAPAction/action disagreeing with the Body.
 */
import { SOAP_VERSIONS, mediaTypeParameter, versionOfMediaType, versionOfNamespace, type SoapVersion } from '../../lib/protocols/soap/versions.ts';
import { unreadableCharset } from '../../lib/protocols/soap/charset.ts';
import { MAX_XML_BYTES, attribute, childElements, readXml, textContent, type XmlElement } from '../../lib/protocols/soap/xml.ts';
import type { FaultSpec } from './faults.ts';
import { CALENDAR_NS, CALENDAR_OPERATIONS, isCalendarOperation, soapActionOf, type CalendarOperation } from './wsdl.ts';

/** The header blocks this service understands (so mustUnderstand="1" on them is fine). */
export const UNDERSTOOD_HEADERS = [{ ns: CALENDAR_NS, local: 'delay' }] as const;
/** Largest think time a request may ask for with the delay header. */
export const MAX_DELAY_MS = 10_000;

/** The HTTP facts the pre-check needs; the mail binding fills them from mail headers. */
export interface PrecheckInput {
  contentType: string | undefined;
  /** SOAP 1.1 SOAPAction header as sent (quotes included), undefined if absent. */
  soapAction: string | undefined;
  contentEncoding: string | undefined;
  body: string;
  /**
   * The request came over HTTP, so the SOAP 1.1 HTTP binding's rules apply: a SOAP 1.1 request must carry a
   * SOAPAction header (SOAP 1.1 §6.1.1). The mail binding has no such header.
   */
  overHttp?: boolean;
}

export type PrecheckResult =
  | { ok: true; version: SoapVersion; operation: CalendarOperation; delayMs: number | undefined }
  | { ok: false; version: SoapVersion; fault: FaultSpec; operation?: string };

const ROLE_NEXT = { '1.1': 'http://schemas.xmlsoap.org/soap/actor/next', '1.2': 'http://www.w3.org/2003/05/soap-envelope/role/next' } as const;
const ROLE_ULTIMATE = 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver';

const client = (reason: string, extra: Partial<FaultSpec> = {}): FaultSpec => ({ cls: 'Client', reason, ...extra });

/** Checks one request; pure and synchronous, never throws. */
export function precheck(input: PrecheckInput): PrecheckResult {
  const declared = versionOfMediaType(input.contentType);
  // Faults must be in some version: the declared one, else a guess from the body, else 1.1.
  const version: SoapVersion = declared ?? (input.body.includes(SOAP_VERSIONS['1.2'].envelopeNs) ? '1.2' : '1.1');
  const refuse = (fault: FaultSpec, operation?: string): PrecheckResult => ({ ok: false, version, fault, operation });

  if (!declared) {
    return refuse(client(`Content-Type ${input.contentType ? `"${input.contentType}"` : '(missing)'} is not a SOAP media type: use text/xml for SOAP 1.1 or application/soap+xml for SOAP 1.2.`, { httpStatus: 415 }));
  }
  if (input.contentEncoding && !/^identity$/i.test(input.contentEncoding.trim())) {
    return refuse(client(`Content-Encoding ${input.contentEncoding} is not accepted here; send the envelope uncompressed.`, { httpStatus: 415 }));
  }
  // Over HTTP the body was decoded by its charset; a mail's was decoded by the mail parser already.
  const unreadable = input.overHttp ? unreadableCharset(input.contentType) : undefined;
  if (unreadable) {
    return refuse(client(`The Content-Type says charset=${unreadable}, an encoding this service cannot read (XML 1.0 §4.3.3); send the envelope in UTF-8 (or UTF-16, ISO-8859-1) and say so.`, { httpStatus: 415 }));
  }
  if (Buffer.byteLength(input.body, 'utf8') > MAX_XML_BYTES) {
    return refuse(client(`The request body is larger than ${MAX_XML_BYTES} bytes.`, { httpStatus: 413 }));
  }

  const read = readXml(input.body);
  if (!read.ok) {
    if (read.problem === 'doctype') {
      return refuse(client('DTDs are not allowed in SOAP messages: the request contains <!DOCTYPE …>, so it was refused before any XML parsing (no entities were resolved).', { subcode: 'DTDNotSupported' }));
    }
    const where = read.line ? ` (line ${read.line}${read.col ? `, column ${read.col}` : ''})` : '';
    return refuse(client(`The body is not well-formed XML${where}: ${read.message}`, { subcode: 'MalformedXml' }));
  }

  const envelope = read.root;
  if (envelope.local !== 'Envelope') {
    return refuse(client(`The root element is <${envelope.name}>, not a SOAP Envelope.`, { subcode: 'NotAnEnvelope' }));
  }
  const envVersion = versionOfNamespace(envelope.ns);
  if (!envVersion || envVersion !== declared) {
    const what = envVersion ? `a SOAP ${envVersion} envelope` : `an Envelope in namespace ${envelope.ns ?? '(none)'}`;
    const how = declared === '1.2'
      ? 'This request was sent as application/soap+xml (SOAP 1.2), so the envelope must be in http://www.w3.org/2003/05/soap-envelope. Send SOAP 1.1 envelopes as text/xml with a SOAPAction header.'
      : 'This request was sent as text/xml (SOAP 1.1), so the envelope must be in http://schemas.xmlsoap.org/soap/envelope/. Send SOAP 1.2 envelopes as application/soap+xml.';
    // SOAP 1.2 Part 1 Appendix A: a SOAP/1.1 message gets its VersionMismatch as a SOAP/1.1 message, on the 1.1 binding.
    const faultVersion: SoapVersion = envVersion === '1.1' ? '1.1' : version;
    return { ok: false, version: faultVersion, fault: { cls: 'VersionMismatch', reason: `Got ${what}. ${how}`, upgrade: true } };
  }
  // SOAP 1.1 §6.1.1: an HTTP client MUST use SOAPAction in a SOAP 1.1 request; an empty value is allowed (no intent named).
  if (input.overHttp && version === '1.1' && input.soapAction === undefined) {
    return refuse(client(`This SOAP 1.1 request has no SOAPAction header. The SOAP 1.1 HTTP binding requires it (SOAP 1.1 §6.1.1): send SOAPAction: "${CALENDAR_NS}/<operation>" (the WSDL's soapAction), or SOAPAction: "" to name no intent.`, { subcode: 'SOAPActionMissing' }));
  }

  const parts = childElements(envelope);
  const envNs = SOAP_VERSIONS[version].envelopeNs;
  const header = parts[0]?.ns === envNs && parts[0].local === 'Header' ? parts[0] : undefined;
  const body = parts[header ? 1 : 0];
  if (!body || body.ns !== envNs || body.local !== 'Body' || parts.length !== (header ? 2 : 1)) {
    return refuse(client('An Envelope must contain an optional Header followed by exactly one Body, both in the envelope namespace.', { subcode: 'BadEnvelope' }));
  }

  const headerCheck = header ? checkHeaders(version, header) : { delayMs: undefined };
  if ('fault' in headerCheck) return refuse(headerCheck.fault);

  const ops = childElements(body);
  if (ops.length !== 1) {
    return refuse(client(`The Body must contain exactly one operation element (document/literal); it has ${ops.length}.`, { subcode: 'BadBody' }));
  }
  const op = ops[0];
  const offered = Object.keys(CALENDAR_OPERATIONS).join(', ');
  if (!isCalendarOperation(op.local)) {
    return refuse(client(`Unknown operation ${op.local}. This service offers ${offered} (see the WSDL at ?wsdl).`, { subcode: 'UnknownOperation' }), op.local);
  }
  if (op.ns !== CALENDAR_NS) {
    return refuse(client(`The operation element ${op.local} must be in the service namespace ${CALENDAR_NS}; it is in ${op.ns ?? 'no namespace'}.`, { subcode: 'WrongNamespace' }), op.local);
  }

  const action = version === '1.1' ? unquote(input.soapAction) : mediaTypeParameter(input.contentType, 'action');
  if (action && action !== soapActionOf(op.local) && action !== op.local) {
    const carrier = version === '1.1' ? 'The SOAPAction header' : 'The action parameter of Content-Type';
    return refuse(client(`${carrier} says "${action}" but the Body asks for ${op.local} (expected "${soapActionOf(op.local)}").`, { subcode: 'ActionMismatch' }), op.local);
  }
  return { ok: true, version, operation: op.local, delayMs: headerCheck.delayMs };
}

function unquote(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
}

/** Is this header block addressed to us (the ultimate receiver)? */
function targetsUs(version: SoapVersion, block: XmlElement): boolean {
  const envNs = SOAP_VERSIONS[version].envelopeNs;
  const role = attribute(block, version === '1.1' ? 'actor' : 'role', envNs);
  return role === undefined || role === ROLE_NEXT[version] || role === ROLE_ULTIMATE;
}

function checkHeaders(version: SoapVersion, header: XmlElement): { delayMs: number | undefined } | { fault: FaultSpec } {
  const envNs = SOAP_VERSIONS[version].envelopeNs;
  let delayMs: number | undefined;
  const notUnderstood: { local: string; ns: string | undefined }[] = [];
  for (const block of childElements(header)) {
    if (!targetsUs(version, block)) continue;
    const understood = UNDERSTOOD_HEADERS.some((h) => h.ns === block.ns && h.local === block.local);
    const mu = attribute(block, 'mustUnderstand', envNs);
    const mustUnderstand = mu === '1' || (version === '1.2' && mu === 'true');
    if (mu !== undefined && !['0', '1', ...(version === '1.2' ? ['true', 'false'] : [])].includes(mu)) {
      return { fault: client(`mustUnderstand="${mu}" is not a valid value (use ${version === '1.2' ? '"true"/"false" or "1"/"0"' : '"1" or "0"'}).`) };
    }
    if (mustUnderstand && !understood) notUnderstood.push({ local: block.local, ns: block.ns });
    if (understood && block.local === 'delay') {
      const raw = textContent(block).trim();
      if (!/^\d{1,6}$/.test(raw) || Number(raw) > MAX_DELAY_MS) {
        return { fault: client(`The delay header must be a number of milliseconds from 0 to ${MAX_DELAY_MS}; got "${raw.slice(0, 40)}".`, { detail: { argument: 'delay', value: raw.slice(0, 40), expected: `0..${MAX_DELAY_MS}` } }) };
      }
      delayMs = Number(raw);
    }
  }
  if (notUnderstood.length > 0) {
    const names = notUnderstood.map((b) => `{${b.ns ?? ''}}${b.local}`).join(', ');
    return { fault: { cls: 'MustUnderstand', reason: `Header block ${names} is marked mustUnderstand but this service does not understand it (it understands only {${CALENDAR_NS}}delay).`, notUnderstood } };
  }
  return { delayMs };
}
