/**
 * Annotation rules for the WS-* vocabulary in a SOAP envelope: WS-Addressing headers and endpoint
 * references, WS-ReliableMessaging headers and bodies (every one labelled "RM 1.1" or "RM 1.0" by its
 * namespace and cited in that version), WS-MetadataExchange requests and responses, and the WS-Addressing
 * and WS-RM fault codes and details. envelope.ts asks these first and falls back to its plain SOAP rules.
 */
import type { Annotation, Field } from '../../wire/event.ts';
import { annotate } from './annotate.ts';
import { plain, resolveQName, wsSummary, type ChildRule, type Ctx, type RuleResult } from './rules.ts';
import {
  MEX_ACTIONS, MEX_DIALECTS, MEX_ELEMENTS, MEX_NS, RM_ACTIONS, RM_ELEMENTS, RM_FAULTS, RM_NAMESPACES, RM_NOT_IN_VERSION, WSA_ANONYMOUS,
  WSA_ELEMENTS, WSA_FAULTS, WSA_MISC, WSA_NONE, WSA_NS, WSA_REPLY, rmRef, rmVersionOf, type RmRow, type RmVersion,
} from './ws-tables.ts';
import { policyChild, wsdlChild } from './wsdl-rules.ts';
import { WSDL_NS } from './tables.ts';
import { decodeXmlText, textContent, type XmlElement } from './xml.ts';
import { isPolicyNs } from '../../policy/model.ts';

const text = (el: XmlElement): string => decodeXmlText(textContent(el)).trim();
const attr = (el: XmlElement, local: string): string | undefined => el.attrs.find((a) => a.local === local && a.ns === undefined)?.value;
const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

// ── WS-Addressing ──

/** What a known wsa:Action value names, or undefined for an application's own action. */
export function describeAction(uri: string): { name: string; extra: string; rm?: RmVersion; mex?: boolean } | undefined {
  for (const version of ['1.1', '1.0'] as const) {
    const prefix = `${RM_NAMESPACES[version]}/`;
    if (uri.startsWith(prefix) && RM_ACTIONS[version].includes(uri.slice(prefix.length))) {
      const name = uri.slice(prefix.length);
      return { name, rm: version, extra: `This action is the RM ${version} ${name} message.` };
    }
  }
  if (uri === MEX_ACTIONS.request) return { name: 'GetMetadata', mex: true, extra: 'This action is a WS-MetadataExchange GetMetadata request.' };
  if (uri === MEX_ACTIONS.response) return { name: 'GetMetadataResponse', mex: true, extra: 'This action is a WS-MetadataExchange GetMetadata response.' };
  if (uri === `${WSA_NS}/fault` || uri === `${WSA_NS}/soap/fault`) return { name: 'fault', extra: annotate(WSA_MISC.faultAction.key).explain };
  return undefined;
}

/** The annotation of an address value: anonymous and none have their own meaning. */
function addressNote(address: string): string | undefined {
  if (address === WSA_ANONYMOUS) return annotate(WSA_MISC.anonymous.key).explain;
  if (address === WSA_NONE) return annotate(WSA_MISC.none.key).explain;
  return undefined;
}

/** Children of an endpoint reference (ReplyTo, FaultTo, From, AcksTo, Offer/Endpoint …). */
const eprChild: ChildRule = (ctx, el) => {
  if (el.ns !== WSA_NS) return null;
  if (el.local === 'Address') {
    const address = text(el);
    const key = address === WSA_ANONYMOUS ? WSA_MISC.anonymous.key : address === WSA_NONE ? WSA_MISC.none.key : WSA_ELEMENTS.Address.key;
    return [annotate(key, { title: `wsa:Address ${address.slice(0, 80)}` }), [{ name: 'address', value: address }], plain];
  }
  if (el.local === 'ReferenceParameters') return [annotate(WSA_ELEMENTS.ReferenceParameters.key), undefined, plain];
  if (el.local === 'Metadata') return [annotate(WSA_ELEMENTS.Metadata.key), undefined, policyChild];
  return null;
};

function wsaHeader(ctx: Ctx, el: XmlElement): RuleResult | null {
  const row = own(WSA_ELEMENTS, el.local);
  if (!row) return null;
  const fields: Field[] = [];
  let extra: string | undefined;
  let children: ChildRule = plain;
  switch (el.local) {
    case 'Action': {
      const uri = text(el);
      fields.push({ name: 'action', value: uri });
      const known = describeAction(uri);
      if (known) {
        const ws = wsSummary(ctx);
        ws.actionName = known.name;
        if (known.rm) ws.rm ??= known.rm;
        if (known.mex) ws.mex = true;
      }
      extra = known?.extra ?? 'An action of the service itself, as its WSDL declares.';
      break;
    }
    case 'To':
    case 'MessageID': {
      const value = text(el);
      fields.push({ name: el.local === 'To' ? 'destination' : 'message id', value });
      extra = addressNote(value);
      break;
    }
    case 'RelatesTo': {
      const type = attr(el, 'RelationshipType');
      fields.push({ name: 'relates to', value: text(el) }, { name: 'relationship', value: type ?? `${WSA_REPLY} (default)` });
      break;
    }
    case 'ReplyTo':
    case 'FaultTo':
    case 'From': {
      const address = el.children.find((c): c is XmlElement => c.type === 'element' && c.ns === WSA_NS && c.local === 'Address');
      if (address) {
        fields.push({ name: 'address', value: text(address) });
        extra = addressNote(text(address));
      }
      children = eprChild;
      break;
    }
    case 'FaultDetail':
      children = wsDetailChild;
      break;
    default:
      return null;
  }
  return [annotate(row.key, { title: `wsa:${el.local}`, extra }), fields.length ? fields : undefined, children];
}

// ── WS-ReliableMessaging ──

/** An RM element's annotation, cited in the version its namespace names; the other version's words warn. */
function rmAnnotation(row: RmRow | undefined, local: string, version: RmVersion, extra?: string): Annotation {
  const ref = row ? rmRef(row, version) : undefined;
  if (!row || !ref) {
    const other = version === '1.1' ? '1.0' : '1.1';
    const note = row ? `${local} belongs to RM ${other}, not to RM ${version}.` : `RM ${version} defines no element ${local}.`;
    return annotate(RM_NOT_IN_VERSION.key, { title: `${local} (RM ${version})`, extra: note });
  }
  return annotate({ key: row.key, ref, level: row.level }, { title: `${local} (RM ${version})`, extra });
}

/** An RM element anywhere (header block, body, or inside either). */
function rmElement(ctx: Ctx, el: XmlElement, version: RmVersion): RuleResult {
  const ws = wsSummary(ctx);
  ws.rm ??= version;
  const fields: Field[] = [{ name: 'version', value: `WS-RM ${version}` }];
  let extra: string | undefined;
  const kids = el.children.filter((c): c is XmlElement => c.type === 'element' && c.ns === el.ns);
  const kid = (local: string) => kids.find((k) => k.local === local);
  switch (el.local) {
    case 'Sequence': {
      const n = kid('MessageNumber');
      if (n) ws.messageNumber ??= text(n);
      const id = kid('Identifier');
      if (id) fields.push({ name: 'sequence', value: text(id) });
      if (n) fields.push({ name: 'message number', value: text(n) });
      if (kid('LastMessage')) extra = 'Marked as the last message of the sequence.';
      break;
    }
    case 'SequenceAcknowledgement': {
      const ranges = kids.filter((k) => k.local === 'AcknowledgementRange').map((k) => `${attr(k, 'Lower') ?? '?'}–${attr(k, 'Upper') ?? '?'}`);
      const nacks = kids.filter((k) => k.local === 'Nack').map(text);
      const id = kid('Identifier');
      if (id) fields.push({ name: 'sequence', value: text(id) });
      fields.push({ name: 'acknowledged', value: kid('None') ? 'none' : ranges.join(', ') || '(no range)' });
      if (nacks.length) fields.push({ name: 'not received', value: nacks.join(', ') });
      if (kid('Final')) extra = 'Final: the sequence is closed, these ranges will not grow.';
      break;
    }
    case 'AcknowledgementRange':
      fields.push({ name: 'messages', value: `${attr(el, 'Lower') ?? '?'}–${attr(el, 'Upper') ?? '?'}` });
      break;
    case 'Identifier':
    case 'MessageNumber':
    case 'Nack':
    case 'Expires':
    case 'LastMsgNumber':
    case 'IncompleteSequenceBehavior':
      fields.push({ name: el.local, value: text(el) });
      break;
    case 'FaultCode': {
      const code = resolveQName(ctx, el, text(el));
      fields.push({ name: 'code', value: text(el) });
      const fault = rmVersionOf(code.ns) ? own(RM_FAULTS, code.local) : undefined;
      if (fault) extra = annotate(fault.key).explain;
      break;
    }
    default:
      break;
  }
  const row = own(RM_ELEMENTS, el.local);
  return [rmAnnotation(row, el.local, version, extra), fields, rmChild];
}

/** Children of RM elements: more RM elements, or the wsa:Address of an AcksTo / Endpoint. */
const rmChild: ChildRule = (ctx, el, parent) => {
  const version = rmVersionOf(el.ns);
  if (version) return rmElement(ctx, el, version);
  return eprChild(ctx, el, parent);
};

// ── WS-MetadataExchange ──

function mexElement(ctx: Ctx, el: XmlElement): RuleResult | null {
  const row = own(MEX_ELEMENTS, el.local);
  if (!row) return null;
  wsSummary(ctx).mex = true;
  const fields: Field[] = [];
  let title = `mex:${el.local}`;
  let extra: string | undefined;
  let children: ChildRule = mexChild;
  if (el.local === 'Dialect' || el.local === 'Identifier' || el.local === 'Location') {
    const value = text(el);
    fields.push({ name: el.local, value });
    if (el.local === 'Dialect' && MEX_DIALECTS[value]) extra = `Here: ${MEX_DIALECTS[value]}.`;
  } else if (el.local === 'MetadataSection') {
    const dialect = attr(el, 'Dialect') ?? '';
    const identifier = attr(el, 'Identifier');
    const kids = el.children.filter((c): c is XmlElement => c.type === 'element');
    const form = kids.some((k) => k.ns === MEX_NS && k.local === 'MetadataReference') ? 'by reference'
      : kids.some((k) => k.ns === MEX_NS && k.local === 'Location') ? 'by location' : kids.length ? 'inline' : 'empty';
    title = `MetadataSection ${own(MEX_DIALECTS, dialect) ?? dialect} (${form})`;
    fields.push({ name: 'Dialect', value: dialect }, ...(identifier ? [{ name: 'Identifier', value: identifier }] : []), { name: 'form', value: form });
    children = sectionChild;
  } else if (el.local === 'MetadataReference') {
    children = eprChild;
  }
  return [annotate(row.key, { title, extra }), fields.length ? fields : undefined, children];
}

const mexChild: ChildRule = (ctx, el) => (el.ns === MEX_NS ? mexElement(ctx, el) : null);

/** A MetadataSection's content: a MEX element, an inline WSDL, or an inline policy. */
const sectionChild: ChildRule = (ctx, el, parent) => {
  if (el.ns === MEX_NS) return mexElement(ctx, el);
  if (el.ns === WSDL_NS && el.local === 'definitions') return wsdlChild(ctx, el, parent);
  if (isPolicyNs(el.ns)) return policyChild(ctx, el, parent);
  return null;
};

// ── faults ──

/** A WS-Addressing or WS-RM fault code (1.2 Subcode Value, 1.1 faultcode), or null for any other QName. */
export function wsFaultCode(ctx: Ctx, el: XmlElement, written: string, what: 'Subcode' | 'Fault code'): RuleResult | null {
  const q = resolveQName(ctx, el, written);
  const value = written.trim();
  const fields = [{ name: what === 'Subcode' ? 'subcode' : 'code', value }, { name: 'namespace', value: q.ns ?? '(undeclared prefix)' }];
  const ws = () => {
    const s = wsSummary(ctx);
    s.faultSubcode ??= value;
    return s;
  };
  const wsa = q.ns === WSA_NS ? own(WSA_FAULTS, q.local) : undefined;
  if (wsa) {
    ws();
    return [annotate(wsa.key, { title: `${what} ${value}` }), fields, plain];
  }
  const version = rmVersionOf(q.ns);
  const rmRow = version ? own(RM_FAULTS, q.local) : undefined;
  if (version && rmRow) {
    ws().rm ??= version;
    return [rmAnnotation(rmRow, q.local, version), fields, plain];
  }
  return null;
}

/** Entries of a SOAP 1.2 Detail or of a SOAP 1.1 wsa:FaultDetail header that WS-Addressing / WS-RM define. */
export const wsDetailChild: ChildRule = (ctx, el, parent) => {
  const version = rmVersionOf(el.ns);
  if (version) return rmElement(ctx, el, version);
  if (el.ns !== WSA_NS) return null;
  const row = own(WSA_ELEMENTS, el.local);
  if (!row) return null;
  const value = text(el);
  if (el.local === 'ProblemHeaderQName') {
    const q = resolveQName(ctx, el, value);
    const named = q.ns === WSA_NS ? `the WS-Addressing header wsa:${q.local}` : `{${q.ns ?? 'undeclared prefix'}}${q.local}`;
    return [annotate(row.key, { title: `wsa:ProblemHeaderQName ${value}`, extra: `Here: ${named}.` }), [{ name: 'header', value }, { name: 'namespace', value: q.ns ?? '(undeclared prefix)' }], plain];
  }
  if (el.local === 'ProblemAction') return [annotate(row.key), undefined, wsDetailChild];
  if (el.local === 'Action' && parent.local === 'ProblemAction') return [annotate(WSA_ELEMENTS.Action.key, { title: 'wsa:Action (rejected)' }), [{ name: 'action', value }], plain];
  if (el.local === 'ProblemHeader') return [annotate(row.key), undefined, plain];
  return [annotate(row.key), value ? [{ name: el.local, value }] : undefined, plain];
};

// ── entry points for envelope.ts ──

/** A header block from WS-Addressing or WS-RM (or one copied from reference parameters), else null. */
export function wsHeader(ctx: Ctx, el: XmlElement): RuleResult | null {
  if (el.ns === WSA_NS) return wsaHeader(ctx, el);
  const version = rmVersionOf(el.ns);
  if (version) {
    wsSummary(ctx).rmMessage ??= el.local;
    return rmElement(ctx, el, version);
  }
  const isRefParam = el.attrs.find((a) => a.ns === WSA_NS && a.local === 'IsReferenceParameter');
  if (isRefParam && (isRefParam.value.trim() === 'true' || isRefParam.value.trim() === '1')) {
    return [annotate(WSA_MISC.IsReferenceParameter.key, { title: `Reference parameter ${el.name}` }), [{ name: 'namespace', value: el.ns ?? '(none)' }], plain];
  }
  return null;
}

/** A Body child from WS-RM or WS-MetadataExchange, else null. */
export function wsBody(ctx: Ctx, el: XmlElement): RuleResult | null {
  const version = rmVersionOf(el.ns);
  if (version) {
    wsSummary(ctx).rmMessage ??= el.local;
    return rmElement(ctx, el, version);
  }
  if (el.ns === MEX_NS) return mexElement(ctx, el);
  return null;
}
