/**
 * Safe XML reading for envelopes: refuses any DOCTYPE before a parser sees the text (so
 * external entities and entity expansion can never happen), checks well-formedness, then
 * parses with fast-xml-parser (`processEntities: false`) into a small namespace-resolved tree.
 * Never throws: every failure is a typed result the caller turns into a fault or a note.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badReference } from './xml-references.ts';

/** Bodies larger than this are refused (the service) or shown in part (the dissector). */
export const MAX_XML_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused: no SOAP message needs it and it guards the stack. */
export const MAX_XML_DEPTH = 64;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlElement {
  type: 'element';
  /** The qualified name as written: 'soap:Envelope'. */
  name: string;
  prefix: string;
  local: string;
  /** The resolved namespace URI, undefined when unqualified (no default namespace). */
  ns: string | undefined;
  attrs: { name: string; local: string; ns: string | undefined; value: string }[];
  children: XmlNode[];
}
export type XmlNode =
  | XmlElement
  | { type: 'text'; text: string }
  | { type: 'cdata'; text: string }
  | { type: 'comment'; text: string }
  | { type: 'pi'; name: string; attrs: { name: string; value: string }[] };

export type XmlProblem = 'doctype' | 'too-large' | 'malformed' | 'empty' | 'too-deep';

export type XmlReadResult =
  | { ok: true; root: XmlElement; prolog: XmlNode[] }
  | { ok: false; problem: XmlProblem; message: string; line?: number; col?: number };

const DOCTYPE = /<!DOCTYPE/i;
const ENTITY_DECL = /<!ENTITY/i;

/** True if the text contains a document type (or entity) declaration anywhere. */
export function hasDoctype(xml: string): boolean {
  return DOCTYPE.test(xml) || ENTITY_DECL.test(xml);
}

// One parser configuration for all envelope reading; created lazily (nothing at import time).
let parser: XMLParser | null = null;
function getParser(): XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: false,
    ignorePiTags: false,
    commentPropName: '#comment',
    cdataPropName: '#cdata',
  });
  return parser;
}

type Raw = Record<string, unknown>;

/** Reads `xml` safely into a tree, or says why not. */
export function readXml(xml: string): XmlReadResult {
  if (Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) {
    return { ok: false, problem: 'too-large', message: `The document is larger than ${MAX_XML_BYTES} bytes.` };
  }
  if (hasDoctype(xml)) {
    return { ok: false, problem: 'doctype', message: 'The document contains a document type declaration (<!DOCTYPE …>); DTDs are not allowed in SOAP messages.' };
  }
  if (xml.trim() === '') return { ok: false, problem: 'empty', message: 'The body is empty: there is no envelope.' };
  try {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) return { ok: false, problem: 'malformed', ...describeInvalid(valid.err, xml) };
    const reference = badReference(xml);
    if (reference) {
      const message =
        reference.reference === '&'
          ? 'A bare "&" is not allowed: write it as &amp;.'
          : `${reference.reference} names an entity that is not declared: XML predefines only &amp; &lt; &gt; &quot; &apos; and character references such as &#233;, and DTDs (where others are declared) are refused here.`;
      return { ok: false, problem: 'malformed', message, line: reference.line, col: reference.col };
    }
    const raw = getParser().parse(xml) as Raw[];
    const prolog: XmlNode[] = [];
    const roots: XmlElement[] = [];
    for (const node of convert(raw, new Map([['xml', XML_NS]]), 0)) {
      if (node.type === 'element') roots.push(node);
      else if (node.type !== 'text' || node.text.trim() !== '') prolog.push(node);
    }
    if (roots.length !== 1) {
      return { ok: false, problem: 'malformed', message: roots.length === 0 ? 'No root element.' : 'More than one root element.' };
    }
    return { ok: true, root: roots[0], prolog };
  } catch (err) {
    if (err instanceof DepthError) return { ok: false, problem: 'too-deep', message: err.message };
    // fast-xml-parser refuses names like __proto__ by throwing; report, never crash.
    return { ok: false, problem: 'malformed', message: err instanceof Error ? err.message.slice(0, 200) : 'Unreadable XML.' };
  }
}

/** fast-xml-parser's report of elements never closed, e.g. "Invalid '[    \"a\",    \"b\"]' found." at line 1, column 1. */
const UNCLOSED = /^Invalid '(\[[\s\S]*\])' found\.$/;

/**
 * The validator's error in a student's words. For a document that ends inside elements it names
 * them as JSON at line 1, column 1; the lab names the elements and points at the end of the document.
 */
function describeInvalid(err: { code: string; msg: string; line: number; col?: number }, xml: string): { message: string; line: number; col?: number } {
  const unclosed = err.code === 'InvalidXml' ? UNCLOSED.exec(err.msg) : null;
  let names: unknown = null;
  try {
    names = unclosed ? JSON.parse(unclosed[1]) : null;
  } catch {
    // Not the list this message usually holds: pass the validator's words on.
  }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) return { message: err.msg, line: err.line, col: err.col };
  const lines = xml.split('\n');
  const list = names.map((n) => `<${n}>`).join(', ');
  return { message: `The document ends before ${list} ${names.length === 1 ? 'is' : 'are'} closed (no end tag).`, line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
}

class DepthError extends Error {}

function convert(nodes: Raw[], scope: Map<string, string>, depth: number): XmlNode[] {
  if (depth > MAX_XML_DEPTH) throw new DepthError(`Elements are nested deeper than ${MAX_XML_DEPTH} levels.`);
  const out: XmlNode[] = [];
  for (const node of nodes) {
    const attrsRaw = (node[':@'] ?? {}) as Record<string, string>;
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') out.push({ type: 'text', text: String(value) });
      else if (key === '#comment') out.push({ type: 'comment', text: textOf(value) });
      else if (key === '#cdata') out.push({ type: 'cdata', text: textOf(value) });
      else if (key.startsWith('?')) {
        out.push({ type: 'pi', name: key.slice(1), attrs: Object.entries(attrsRaw).map(([name, v]) => ({ name, value: String(v) })) });
      } else out.push(element(key, attrsRaw, Array.isArray(value) ? (value as Raw[]) : [], scope, depth));
    }
  }
  return out;
}

function textOf(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => textOf((v as Raw)['#text'] ?? '')).join('');
  return String(value ?? '');
}

function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  return colon < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

function element(name: string, attrsRaw: Record<string, string>, kids: Raw[], parentScope: Map<string, string>, depth: number): XmlElement {
  let scope = parentScope;
  for (const [attr, value] of Object.entries(attrsRaw)) {
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      scope.set(attr === 'xmlns' ? '' : attr.slice(6), String(value));
    }
  }
  const { prefix, local } = splitName(name);
  const attrs = Object.entries(attrsRaw).map(([attrName, value]) => {
    const parts = splitName(attrName);
    // Unprefixed attributes are in no namespace (Namespaces in XML §6.3).
    return { name: attrName, local: parts.local, ns: parts.prefix ? scope.get(parts.prefix) : undefined, value: String(value) };
  });
  return { type: 'element', name, prefix, local, ns: scope.get(prefix) || undefined, attrs, children: convert(kids, scope, depth + 1), };
}

/** The element children of an element. */
export function childElements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => c.type === 'element');
}

/** The concatenated character content of an element (entities left as written). */
export function textContent(element: XmlElement): string {
  return element.children.map((c) => (c.type === 'text' || c.type === 'cdata' ? c.text : c.type === 'element' ? textContent(c) : '')).join('');
}

/** An attribute by local name and (optional) namespace. */
export function attribute(element: XmlElement, local: string, ns?: string): string | undefined {
  return element.attrs.find((a) => a.local === local && (ns === undefined || a.ns === ns))?.value;
}

/** Decodes the five predefined entities and character references — never DTD-defined ones. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref === 'amp') return '&';
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Escapes text for element content or attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
