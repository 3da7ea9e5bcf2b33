/**
 * What the XML body annotators share: the summary of a body, the rendering context, the child-rule
 * signature (how an element annotates its children) and prefix resolution for QName-valued text
 * (fault codes such as wsa:MessageAddressingHeaderRequired, ProblemHeaderQName). Split from envelope.ts
 * so the SOAP, WSDL/policy and WS-* rules can live in their own files.
 */
import type { Annotation, Field } from '../../wire/event.ts';
import type { PolicyRegistry } from '../../policy/model.ts';
import type { DissectedMessage } from '../types.ts';
import type { SoapVersion } from './versions.ts';
import { XML_NS, childElements, type XmlElement } from './xml.ts';
import type { RmVersion } from './ws-tables.ts';

/** What the WS-* headers and bodies said, for the one-line description. */
export interface WsSummary {
  /** The RM version, told by the namespace of the first RM element or fault code. */
  rm?: RmVersion;
  /** The first RM element (header or body) seen. */
  rmMessage?: string;
  /** The message named by a known wsa:Action (RM, MEX), which wins over rmMessage. */
  actionName?: string;
  /** The Sequence header's MessageNumber. */
  messageNumber?: string;
  mex?: boolean;
  /** A WS-Addressing or WS-RM fault subcode (SOAP 1.2) or faultcode (SOAP 1.1), as written. */
  faultSubcode?: string;
}

/** What the body turned out to be, for summaries and correlation tables. */
export interface EnvelopeSummary {
  kind: 'soap' | 'wsdl' | 'xml' | 'refused' | 'malformed' | 'empty';
  version: SoapVersion | null;
  operation?: { name: string; ns: string | undefined };
  fault?: { code: string; reason: string };
  headerBlocks: { name: string; ns: string | undefined; mustUnderstand: boolean }[];
  problem?: string;
  ws?: WsSummary;
}

export interface Ctx {
  dir: 'client' | 'server';
  version: SoapVersion | null;
  lines: DissectedMessage[];
  summary: EnvelopeSummary;
  /** The document's root, once parsed (for policy references and prefix scopes). */
  root?: XmlElement;
  /** In-scope namespace declarations per element, built on first use. */
  scopes?: WeakMap<XmlElement, ReadonlyMap<string, string>>;
  /** The document's identified policies, built on first use (null: the document has none usable). */
  policies?: PolicyRegistry | null;
}

/** An element's annotation, its fields, and how to annotate its children. */
export type RuleResult = [Annotation | undefined, Field[] | undefined, ChildRule];
/** Decides the annotation of a child element, or null for "nothing special". */
export type ChildRule = (ctx: Ctx, el: XmlElement, parent: XmlElement) => RuleResult | null;

export const plain: ChildRule = () => null;

/** The WS-* part of the summary, created on first use. */
export function wsSummary(ctx: Ctx): WsSummary {
  ctx.summary.ws ??= {};
  return ctx.summary.ws;
}

/** Every element's in-scope prefixes (one walk, bounded by the reader's size and depth caps). */
function buildScopes(root: XmlElement): WeakMap<XmlElement, ReadonlyMap<string, string>> {
  const scopes = new WeakMap<XmlElement, ReadonlyMap<string, string>>();
  const stack: [XmlElement, ReadonlyMap<string, string>][] = [[root, new Map([['xml', XML_NS]])]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [el, parentScope] = item;
    let scope = parentScope;
    for (const a of el.attrs) {
      if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
    }
    scopes.set(el, scope);
    for (const child of childElements(el)) stack.push([child, scope]);
  }
  return scopes;
}

/** Resolves a QName written as text inside `el` ("wsa:Action") to its namespace and local name. */
export function resolveQName(ctx: Ctx, el: XmlElement, text: string): { ns: string | undefined; local: string; prefix: string } {
  const value = text.trim();
  const colon = value.indexOf(':');
  const prefix = colon < 0 ? '' : value.slice(0, colon);
  const local = colon < 0 ? value : value.slice(colon + 1);
  if (!ctx.scopes && ctx.root) ctx.scopes = buildScopes(ctx.root);
  const scope = ctx.scopes?.get(el);
  return { ns: scope?.get(prefix) || undefined, local, prefix };
}
