/**
 * SOAP 1.1 and 1.2 side by side, as data: envelope namespaces, media types, fault code names
 * and the HTTP status a fault travels with. The service host, the pre-check layer and the
 * dissector all read this table, so the lab can never teach one rule and enforce another.
 */

export type SoapVersion = '1.1' | '1.2';

/** The four fault classes both versions share; each version names them its own way. */
export type FaultClass = 'VersionMismatch' | 'MustUnderstand' | 'Client' | 'Server';

export interface SoapVersionRow {
  version: SoapVersion;
  key: string;
  /** The Envelope element's namespace: the only thing that tells the versions apart on the wire. */
  envelopeNs: string;
  /** The HTTP media type of a request/response. */
  mediaType: string;
  /** How the intent (the operation) travels in HTTP. */
  actionCarrier: 'SOAPAction header' | 'action parameter of Content-Type';
  faultCodes: Record<FaultClass, string>;
  /** HTTP status of a fault of each class. */
  faultStatus: Record<FaultClass, number>;
  ref: string;
}

export const SOAP_VERSIONS: Readonly<Record<SoapVersion, SoapVersionRow>> = {
  '1.1': {
    version: '1.1',
    key: 'soap.version.1.1',
    envelopeNs: 'http://schemas.xmlsoap.org/soap/envelope/',
    mediaType: 'text/xml',
    actionCarrier: 'SOAPAction header',
    faultCodes: { VersionMismatch: 'VersionMismatch', MustUnderstand: 'MustUnderstand', Client: 'Client', Server: 'Server' },
    // SOAP 1.1 §6.2: "the SOAP HTTP server MUST issue an HTTP 500 Internal Server Error response" for any fault.
    faultStatus: { VersionMismatch: 500, MustUnderstand: 500, Client: 500, Server: 500 },
    ref: 'SOAP 1.1 (W3C Note 2000) §4, §6',
  },
  '1.2': {
    version: '1.2',
    key: 'soap.version.1.2',
    envelopeNs: 'http://www.w3.org/2003/05/soap-envelope',
    mediaType: 'application/soap+xml',
    actionCarrier: 'action parameter of Content-Type',
    faultCodes: { VersionMismatch: 'VersionMismatch', MustUnderstand: 'MustUnderstand', Client: 'Sender', Server: 'Receiver' },
    // SOAP 1.2 Part 2 §7.5.2.2 (table 20): Sender → 400 Bad Request, every other fault → 500.
    faultStatus: { VersionMismatch: 500, MustUnderstand: 500, Client: 400, Server: 500 },
    ref: 'SOAP 1.2 Part 1 §5.4, Part 2 §7',
  },
};

/** The SOAP 1.2 upgrade header block namespace prefix target (SOAP 1.2 Part 1 §5.4.7). */
export const UPGRADE_NOTE_REF = 'SOAP 1.2 Part 1 §5.4.7';

/** Which version an Envelope namespace belongs to, or null for anything else (→ VersionMismatch). */
export function versionOfNamespace(ns: string | undefined): SoapVersion | null {
  if (ns === SOAP_VERSIONS['1.1'].envelopeNs) return '1.1';
  if (ns === SOAP_VERSIONS['1.2'].envelopeNs) return '1.2';
  return null;
}

/** Which version an HTTP Content-Type announces (by media type), or null. */
export function versionOfMediaType(contentType: string | undefined): SoapVersion | null {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === SOAP_VERSIONS['1.1'].mediaType) return '1.1';
  if (media === SOAP_VERSIONS['1.2'].mediaType) return '1.2';
  return null;
}

/** Reads one parameter (e.g. `action`, `charset`) from a Content-Type value, quotes removed (RFC 9110 §5.6.6). */
export function mediaTypeParameter(contentType: string | undefined, name: string): string | undefined {
  const params = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of (contentType ?? '').matchAll(params)) {
    if (match[1].toLowerCase() !== name.toLowerCase()) continue;
    const value = match[2].trim();
    return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
  }
  return undefined;
}

/** The version-specific name of a fault class: ('1.2', 'Client') → 'Sender'. */
export function faultCodeName(version: SoapVersion, fault: FaultClass): string {
  return SOAP_VERSIONS[version].faultCodes[fault];
}

/** Maps a fault code local name of either version back to its class ('Sender' → 'Client'). */
export function faultClassOf(localName: string): FaultClass | null {
  for (const row of Object.values(SOAP_VERSIONS)) {
    for (const [cls, name] of Object.entries(row.faultCodes)) if (name === localName) return cls as FaultClass;
  }
  if (localName === 'DataEncodingUnknown') return 'Client';
  return null;
}

/** What the value of a SOAP-bearing header says, for its annotation (undefined: nothing beyond the header's prose). */
export function soapHeaderValueNote(lowerName: string, value: string): string | undefined {
  if (lowerName === 'content-type') {
    const version = versionOfMediaType(value);
    const action = mediaTypeParameter(value, 'action');
    if (version) return `Here: SOAP ${version}${action ? `, action "${action}"` : ''}.`;
    return /xml/i.test(value) ? 'Here: XML, but neither SOAP media type.' : undefined;
  }
  // SOAP 1.1 §6.1.1: "" says the intent is the request URI; no value at all says nothing about the intent.
  if (lowerName === 'soapaction') return value === '""' ? 'Empty string: the intent is the request URI.' : value === '' ? 'No value: no indication of the intent.' : `Here: ${value}.`;
  return undefined;
}
