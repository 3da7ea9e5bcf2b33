/**
 * Pretty-prints and annotates one XML body (a SOAP envelope, a WSDL, any XML) line by line,
 * Wireshark-style: the HTTP dissector and the SMTP dissector (for a DATA body) hand a body here
 * and append the lines it returns. Never throws; unparseable input is shown as is, with why.
 */
import type { Annotation, Field } from '../../wire/event.ts';
import { escapeControls } from '../../wire/escape.ts';
import type { DissectedMessage } from '../types.ts';
import { annotate } from './annotate.ts';
import {
  ENVELOPE_ATTRIBUTES, ENVELOPE_ELEMENTS, FAULT11_PARTS, FAULT_CODES, FAULT_DETAIL, FOREIGN_HEADERS, SOAP_MISC, SUBCODE_VALUE, WSDL_NS, WSSE_NS,
} from './tables.ts';
import { plain, type ChildRule, type Ctx, type EnvelopeSummary } from './rules.ts';
import { SOAP_VERSIONS, versionOfNamespace } from './versions.ts';
import { wsBody, wsDetailChild, wsFaultCode, wsHeader } from './ws-rules.ts';
import { wsdlChild } from './wsdl-rules.ts';
import { decodeXmlText, readXml, textContent, type XmlElement, type XmlNode } from './xml.ts';

export type { EnvelopeSummary, WsSummary } from './rules.ts';

export interface AnnotatedEnvelope {
  summary: EnvelopeSummary;
  /** Pretty-printed lines: `bytes: 0` each (the caller's own message covers the raw bytes). */
  lines: DissectedMessage[];
}

export interface AnnotateOptions {
  /** Who sent the body; default 'client'. */
  dir?: 'client' | 'server';
  /** At most this many lines are returned (default 400); the rest is summarised in one line. */
  maxLines?: number;
}

const MAX_LINE_CHARS = 4000;
const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Annotates an XML body. Contract for callers (the SMTP dissector hands off a DATA body here):
 * pass the decoded body (after Content-Transfer-Encoding), get back `lines` to append after
 * your own message that covers the raw bytes, and `summary` for one-line descriptions.
 */
export function annotateSoapEnvelope(xml: string | Uint8Array, options: AnnotateOptions = {}): AnnotatedEnvelope {
  const text = typeof xml === 'string' ? xml : decoder.decode(xml);
  const ctx: Ctx = { dir: options.dir ?? 'client', version: null, lines: [], summary: { kind: 'xml', version: null, headerBlocks: [] } };
  const maxLines = Math.max(1, options.maxLines ?? 400);
  try {
    const read = readXml(text);
    if (!read.ok) {
      const key = read.problem === 'doctype' ? 'xml.dtd.forbidden' : read.problem === 'too-large' ? 'xml.too-large' : 'xml.malformed';
      ctx.summary = { kind: read.problem === 'doctype' ? 'refused' : read.problem === 'empty' ? 'empty' : 'malformed', version: null, headerBlocks: [], problem: read.message };
      const where = read.line ? ` (line ${read.line}${read.col ? `, column ${read.col}` : ''})` : '';
      rawLines(ctx, text, annotate(key, { extra: `${read.message}${where}` }), read.problem === 'doctype');
    } else {
      for (const node of read.prolog) renderNode(ctx, node, 0, null);
      renderRoot(ctx, read.root);
    }
  } catch {
    // Defensive: a rendering bug must not break a transcript.
    ctx.lines = [];
    rawLines(ctx, text, annotate('xml.malformed', { extra: 'The lab could not render this body.' }));
  }
  if (ctx.lines.length > maxLines) {
    const hidden = ctx.lines.length - maxLines + 1;
    ctx.lines = ctx.lines.slice(0, maxLines - 1);
    push(ctx, `… ${hidden} more lines not shown`, undefined, undefined, 'note');
  }
  return { summary: ctx.summary, lines: ctx.lines };
}

function push(ctx: Ctx, text: string, annotation?: Annotation, fields?: Field[], dir: DissectedMessage['dir'] = ctx.dir): void {
  const safe = escapeControls(text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}…` : text);
  ctx.lines.push({ dir, kind: dir === 'note' ? 'note' : 'xml', text: safe, bytes: 0, annotation, fields, phase: 'envelope' });
}

/**
 * Shows an unparsed body as it is, `first` on its first line. For a refused DTD the explanation sits
 * on the line that has the DOCTYPE (not on an <?xml?> declaration before it), which gets its own note.
 */
function rawLines(ctx: Ctx, text: string, first: Annotation, doctype = false): void {
  const lines = text.split('\n').slice(0, 2000).map((line) => line.replace(/\r$/, ''));
  const at = doctype ? Math.max(0, lines.findIndex((line) => /<!DOCTYPE/i.test(line))) : 0;
  lines.forEach((line, i) => {
    if (i === at) push(ctx, line, first);
    else if (i === 0 && doctype && /^\s*<\?xml\s/.test(line)) push(ctx, line, annotate('xml.declaration'));
    else push(ctx, line);
  });
}

function renderRoot(ctx: Ctx, root: XmlElement): void {
  ctx.root = root;
  const version = root.local === 'Envelope' ? versionOfNamespace(root.ns) : null;
  if (root.local === 'Envelope' && version) {
    ctx.version = version;
    ctx.summary.kind = 'soap';
    ctx.summary.version = version;
    const row = SOAP_VERSIONS[version];
    renderElement(ctx, root, 0, annotate('soap.envelope', { extra: `${annotate(row.key).explain}` }), [
      { name: 'version', value: `SOAP ${version}` },
      { name: 'namespace', value: row.envelopeNs },
    ], envelopeChild);
  } else if (root.local === 'Envelope') {
    ctx.summary.kind = 'soap';
    ctx.summary.problem = `Unknown envelope namespace ${root.ns ?? '(none)'}`;
    renderElement(ctx, root, 0, annotate('soap.envelope.unknown-ns', { extra: `This one is ${root.ns ?? 'in no namespace'}.` }), undefined, () => null);
  } else if (root.ns === WSDL_NS) {
    ctx.summary.kind = 'wsdl';
    renderElement(ctx, root, 0, annotate('wsdl.definitions'), undefined, wsdlChild);
  } else {
    renderElement(ctx, root, 0, annotate(SOAP_MISC.notEnvelope.key, { extra: `The root element is <${root.name}>.` }), undefined, () => null);
  }
}

const envelopeChild: ChildRule = (ctx, el) => {
  const envNs = ctx.version ? SOAP_VERSIONS[ctx.version].envelopeNs : undefined;
  if (el.ns !== envNs) return null;
  if (el.local === 'Header') return [annotate('soap.header'), undefined, headerChild];
  if (el.local === 'Body') return [annotate('soap.body'), undefined, bodyChild];
  return null;
};

const headerChild: ChildRule = (ctx, el) => {
  const envNs = ctx.version ? SOAP_VERSIONS[ctx.version].envelopeNs : undefined;
  const mu = el.attrs.find((a) => a.local === 'mustUnderstand' && a.ns === envNs)?.value;
  const mustUnderstand = mu === '1' || mu === 'true';
  ctx.summary.headerBlocks.push({ name: el.local, ns: el.ns, mustUnderstand });
  const ws = el.ns === envNs ? null : wsHeader(ctx, el);
  if (ws) return [ws[0], [...(ws[1] ?? []), { name: 'namespace', value: el.ns ?? '(none)' }], ws[2]];
  const known = el.ns === envNs ? ENVELOPE_ELEMENTS[el.local] : undefined;
  const annotation = known
    ? annotate(known.key)
    : el.ns === WSSE_NS && el.local === 'Security'
      ? annotate(FOREIGN_HEADERS.wsse.key)
    : mustUnderstand
      ? annotate(ENVELOPE_ATTRIBUTES.mustUnderstand.key, { title: `Header block ${el.local} (mustUnderstand)` })
      : annotate(SOAP_MISC.headerBlock.key, { title: `Header block ${el.local}` });
  return [annotation, [{ name: 'namespace', value: el.ns ?? '(none)' }], plain];
};

const bodyChild: ChildRule = (ctx, el) => {
  const envNs = ctx.version ? SOAP_VERSIONS[ctx.version].envelopeNs : undefined;
  if (el.ns === envNs && el.local === 'Fault') {
    ctx.summary.fault = { code: '', reason: '' };
    return [annotate('soap.fault'), undefined, faultChild];
  }
  if (ctx.summary.operation) return null;
  ctx.summary.operation = { name: el.local, ns: el.ns };
  const ws = wsBody(ctx, el);
  if (ws) return ws;
  const isResponse = el.local.endsWith('Response');
  const fields = [
    { name: isResponse ? 'response to' : 'operation', value: isResponse ? el.local.slice(0, -'Response'.length) : el.local },
    { name: 'namespace', value: el.ns ?? '(none — an unqualified operation element will not match the WSDL)' },
  ];
  return [annotate(isResponse ? 'soap.operation.response' : 'soap.operation', { title: `${isResponse ? 'Response' : 'Operation'} ${el.local}` }), fields, plain];
};

const faultChild: ChildRule = (ctx, el, parent) => {
  const envNs = ctx.version ? SOAP_VERSIONS[ctx.version].envelopeNs : undefined;
  const fault = ctx.summary.fault ?? { code: '', reason: '' };
  const local = el.local;
  if (ctx.version === '1.1' && el.ns === undefined && FAULT11_PARTS[local]) {
    if (local === 'faultcode') {
      const ws = wsFaultCode(ctx, el, textContent(el), 'Fault code');
      if (ws) fault.code = textContent(el).trim();
      return ws ? [ws[0], ws[1], faultChild] : faultCodeAnnotation(fault, textContent(el));
    }
    if (local === 'faultstring') fault.reason = decodeXmlText(textContent(el));
    return [annotate(FAULT11_PARTS[local].key), undefined, local === 'detail' ? detailEntry : plain];
  }
  if (ctx.version === '1.2' && el.ns === envNs && ENVELOPE_ELEMENTS[local]) {
    if (local === 'Value' && !fault.code) return faultCodeAnnotation(fault, textContent(el));
    if (local === 'Value' && parent.local === 'Subcode') {
      const value = textContent(el).trim();
      const ws = wsFaultCode(ctx, el, value, 'Subcode');
      if (ws) return ws;
      return [annotate(SUBCODE_VALUE.key, { title: `Subcode ${value}` }), [{ name: 'subcode', value }], plain];
    }
    if (local === 'Text' && !fault.reason) fault.reason = decodeXmlText(textContent(el));
    return [annotate(ENVELOPE_ELEMENTS[local].key), undefined, local === 'Detail' ? detailEntry : faultChild];
  }
  return null;
};

/** A child of detail (1.1) / Detail (1.2): one detail entry, defined by the service, not by SOAP. */
const detailEntry: ChildRule = (ctx, el, parent) =>
  wsDetailChild(ctx, el, parent) ?? [annotate(FAULT_DETAIL.entry.key, { title: `Detail entry ${el.local}` }), [{ name: 'namespace', value: el.ns ?? '(none)' }], detailField];

/** A field inside a detail entry; the Calendar service's CalendarFault fields have their own words. */
const detailField: ChildRule = (_ctx, el, parent) => {
  const value = decodeXmlText(textContent(el)).trim();
  const own = parent.local === 'CalendarFault' && Object.hasOwn(FAULT_DETAIL, el.local) ? FAULT_DETAIL[el.local] : undefined;
  const row = own && own !== FAULT_DETAIL.entry && own !== FAULT_DETAIL.field ? own : FAULT_DETAIL.field;
  return [annotate(row.key, { title: `${el.local} "${value.slice(0, 60)}"` }), [{ name: el.local, value }], plain];
};

function faultCodeAnnotation(fault: { code: string; reason: string }, raw: string): ReturnType<ChildRule> {
  const code = raw.trim();
  fault.code = code;
  const local = code.slice(code.indexOf(':') + 1).split('.')[0];
  const row = FAULT_CODES[local];
  return [row ? annotate(row.key, { title: `Fault code ${code}` }) : annotate('soap.fault.Value', { title: `Fault code ${code}` }), [{ name: 'code', value: code }], faultChild];
}

function openTag(el: XmlElement, selfClose: boolean): string {
  const attrs = el.attrs.map((a) => ` ${a.name}="${a.value}"`).join('');
  return `<${el.name}${attrs}${selfClose ? '/>' : '>'}`;
}

function renderElement(
  ctx: Ctx,
  el: XmlElement,
  depth: number,
  annotation: Annotation | undefined,
  fields: Field[] | undefined,
  rule: ChildRule,
): void {
  const pad = '  '.repeat(Math.min(depth, 20));
  const content = el.children.filter((c) => !(c.type === 'text' && c.text.trim() === ''));
  if (content.length === 0) {
    push(ctx, pad + openTag(el, true), annotation, fields);
    return;
  }
  if (content.every((c) => c.type === 'text' || c.type === 'cdata')) {
    const body = content.map((c) => (c.type === 'cdata' ? `<![CDATA[${c.text}]]>` : c.type === 'text' ? c.text : '')).join('');
    const lines = `${openTag(el, false)}${body}</${el.name}>`.split('\n');
    lines.forEach((line, i) => push(ctx, (i === 0 ? pad : '') + line.replace(/\r$/, ''), i === 0 ? annotation : undefined, i === 0 ? fields : undefined));
    decodedNote(ctx, el, body);
    return;
  }
  push(ctx, pad + openTag(el, false), annotation, fields);
  for (const child of content) renderNode(ctx, child, depth + 1, { parent: el, rule });
  push(ctx, `${pad}</${el.name}>`);
}

/** When entity references hide a multi-line value (the calendar's &#xA;), show it decoded. */
function decodedNote(ctx: Ctx, el: XmlElement, raw: string): void {
  if (!raw.includes('&')) return;
  const decoded = decodeXmlText(raw);
  if (!decoded.includes('\n')) return;
  push(ctx, `decoded value of <${el.local}>:`, undefined, undefined, 'note');
  for (const line of decoded.replace(/\n$/, '').split('\n')) push(ctx, `  ${line}`, undefined, undefined, 'note');
}

function renderNode(ctx: Ctx, node: XmlNode, depth: number, within: { parent: XmlElement; rule: ChildRule } | null): void {
  const pad = '  '.repeat(Math.min(depth, 20));
  switch (node.type) {
    case 'element': {
      const decided = within ? within.rule(ctx, node, within.parent) : null;
      renderElement(ctx, node, depth, decided?.[0], decided?.[1], decided?.[2] ?? plain);
      return;
    }
    case 'text':
      for (const line of node.text.trim().split('\n')) push(ctx, pad + line.replace(/\r$/, ''));
      return;
    case 'cdata':
      push(ctx, `${pad}<![CDATA[${node.text}]]>`);
      return;
    case 'comment':
      push(ctx, `${pad}<!--${node.text}-->`, annotate('xml.comment'));
      return;
    case 'pi': {
      const attrs = node.attrs.map((a) => ` ${a.name}="${a.value}"`).join('');
      push(ctx, `${pad}<?${node.name}${attrs}?>`, node.name === 'xml' ? annotate('xml.declaration') : undefined);
      return;
    }
  }
}

/** The one-line description of a body, e.g. "SOAP 1.2 getMonth" or "SOAP 1.1 Fault soap:Client". */
export function describeEnvelope(summary: EnvelopeSummary): string {
  if (summary.kind === 'wsdl') return 'WSDL document';
  if (summary.kind === 'refused') return 'XML with a DOCTYPE (refused)';
  if (summary.kind === 'malformed') return 'malformed XML';
  if (summary.kind === 'empty') return 'empty body';
  if (summary.kind === 'xml') return 'XML (not a SOAP envelope)';
  const version = summary.version ? `SOAP ${summary.version}` : 'SOAP (unknown version)';
  const ws = summary.ws;
  // WS-* messages say which protocol and version they belong to: "(RM 1.1 #2)", "(WS-MEX)".
  const tag = ws?.rm ? ` (RM ${ws.rm}${ws.messageNumber && !summary.fault ? ` #${ws.messageNumber}` : ''})` : ws?.mex ? ' (WS-MEX)' : '';
  if (summary.fault) return `${version} Fault ${summary.fault.code}${ws?.faultSubcode && ws.faultSubcode !== summary.fault.code ? ` ${ws.faultSubcode}` : ''}${tag}`;
  const name = summary.operation?.name ?? ws?.actionName ?? ws?.rmMessage;
  return name ? `${version} ${name}${tag}` : `${version} envelope${tag}`;
}
