/**
 * One-click edits of the request envelope that provoke the service's faults: each is a pure
 * text transform so students see exactly what changed in the editor before they press Send.
 */
export type SoapVersion = '1.1' | '1.2';

/** The envelope namespace of each SOAP version (SOAP 1.1 §4.1.2, SOAP 1.2 Part 1 §5.1). */
export const ENVELOPE_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};

/** A named edit of the envelope and the fault it should provoke. */
export interface EnvelopeTweak {
  id: string;
  label: string;
  /** What the service will answer, shown as a tooltip. */
  expect: string;
  apply(envelope: string, version: SoapVersion): string;
}

/** The other version's namespace in the Envelope, sent with this version's HTTP headers. */
export function swapEnvelopeNamespace(envelope: string, version: SoapVersion): string {
  const other: SoapVersion = version === '1.1' ? '1.2' : '1.1';
  return envelope.split(ENVELOPE_NS[version]).join(ENVELOPE_NS[other]);
}

/** The prefix bound to the envelope namespace (`soap` in generated envelopes). */
export function envelopePrefix(envelope: string): string {
  const match = envelope.match(/<([\w.-]+):Envelope\b/);
  return match ? match[1] : 'soap';
}

/** Adds a header block the service does not know, marked mustUnderstand. */
export function addMustUnderstandHeader(envelope: string, version: SoapVersion): string {
  const p = envelopePrefix(envelope);
  const flag = version === '1.1' ? '1' : 'true';
  const block = `    <cal:audit ${p}:mustUnderstand="${flag}">lesson-1</cal:audit>\n`;
  const open = new RegExp(`<${p}:Header>[ \\t]*\\n?`);
  if (open.test(envelope)) return envelope.replace(open, (m) => `${m.trimEnd()}\n${block}`);
  return envelope.replace(new RegExp(`(\\s*)<${p}:Body>`), (_m, space: string) => `${space}<${p}:Header>\n${block}  </${p}:Header>${space}<${p}:Body>`);
}

/** Declares an external entity (XXE) in a DOCTYPE and uses it as the year. */
export function addDoctype(envelope: string): string {
  const doctype = '<!DOCTYPE getMonth [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n';
  const withDoctype = /^<\?xml[^>]*\?>\s*\n?/.test(envelope) ? envelope.replace(/^(<\?xml[^>]*\?>\s*\n?)/, `$1${doctype}`) : doctype + envelope;
  return withDoctype.replace(/(<(?:[\w.-]+:)?year>)[^<]*(<\/)/, '$1&xxe;$2');
}

/** Removes one argument element (the month, or else the year). */
export function removeArgument(envelope: string): string {
  const month = /\n?[ \t]*<([\w.-]+:)?month>[^<]*<\/([\w.-]+:)?month>/;
  if (month.test(envelope)) return envelope.replace(month, '');
  return envelope.replace(/\n?[ \t]*<([\w.-]+:)?year>[^<]*<\/([\w.-]+:)?year>/, '');
}

/** Drops the Body's end tag, so the XML is no longer well-formed. */
export function breakXml(envelope: string): string {
  const p = envelopePrefix(envelope);
  return envelope.replace(new RegExp(`\\n?[ \\t]*</${p}:Body>`), '');
}

/** The tweaks offered under the editor, in teaching order. */
export const ENVELOPE_TWEAKS: EnvelopeTweak[] = [
  { id: 'missing', label: 'Missing argument', expect: 'Client (1.1) / Sender (1.2) fault naming the argument', apply: (e) => removeArgument(e) },
  { id: 'version', label: 'Wrong envelope version', expect: 'VersionMismatch fault', apply: swapEnvelopeNamespace },
  { id: 'must', label: 'mustUnderstand header', expect: 'MustUnderstand fault: the service does not know cal:audit', apply: addMustUnderstandHeader },
  { id: 'doctype', label: 'DOCTYPE + entity (XXE)', expect: 'refused before parsing: SOAP forbids DTDs', apply: (e) => addDoctype(e) },
  { id: 'malformed', label: 'Malformed XML', expect: 'Client / Sender fault, never a crash', apply: (e) => breakXml(e) },
];
