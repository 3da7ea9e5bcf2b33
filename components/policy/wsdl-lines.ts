/**
 * The provider's WSDL as lines to read: one element per line, indented, long start tags broken after each
 * attribute, and every WS-Policy attachment (an inline wsp:Policy, a wsp:PolicyReference, or a policy defined
 * by wsu:Id and referenced from elsewhere) tagged with its scope: service, endpoint, operation or message
 * (WS-PolicyAttachment 1.5 §3–4). Pure: the page and its unit test use it.
 */
import type { ScopeRow, Subject } from './types';

export type { Subject };

export interface WsdlLine {
  depth: number;
  text: string;
  /** Set on every line of a policy attachment. */
  scope?: Subject;
  /** On the first line of an attachment: where it attaches and how, e.g. `wsdl:port OrdersPort · by reference`. */
  label?: string;
  /**
   * An attribute of a long start tag on a line of its own, indented under the tag by the viewer. Not by leading
   * spaces: a wrapping line breaks after them when the attribute is longer than the pane, which showed a blank line.
   */
  attribute?: true;
}

const WSP_NS = 'http://www.w3.org/ns/ws-policy';
/** Start tags longer than this are written one attribute per line. */
const WRAP_AT = 96;
const TOKEN = /<\?[^]*?\?>|<!--[^]*?-->|<(?:"[^"]*"|'[^']*'|[^'">])*>|[^<]+/g;
const NAME = /^<\/?([^\s/>]+)/;
const ATTR = /([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/g;

/** WSDL 1.1 element (local name) → the policy subject an attachment there belongs to (WS-PolicyAttachment §4). */
const SUBJECT_OF: Record<string, Subject> = {
  service: 'service',
  port: 'endpoint',
  binding: 'endpoint',
  portType: 'endpoint',
  operation: 'operation',
  input: 'message',
  output: 'message',
  fault: 'message',
  message: 'message',
};

interface Open {
  name: string;
  local: string;
  attrs: Record<string, string>;
}

const localOf = (name: string) => name.slice(name.indexOf(':') + 1);

function attrsOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(ATTR)) out[m[1]] = m[2].slice(1, -1);
  return out;
}

/** `<a x="1" y="2">` split into `<a`, `x="1"`, `y="2">` when it is too long to read on one line. */
function wrapTag(tag: string): string[] {
  if (tag.length <= WRAP_AT) return [tag];
  const name = NAME.exec(tag)?.[0] ?? tag;
  const attrs = [...tag.matchAll(ATTR)].map((m) => m[0]);
  if (attrs.length < 2) return [tag];
  const end = tag.endsWith('/>') ? '/>' : '>';
  return [name, ...attrs.map((a, i) => `${a}${i === attrs.length - 1 ? end : ''}`)];
}

/** The attaching element as the page's scope rows name it: `wsdl:binding/wsdl:operation placeOrder`. */
function elementPath(stack: Open[]): { element: string; name: string } {
  // From the child of wsdl:definitions down to the attaching element.
  const path = stack.slice(1);
  const named = [...path].reverse().find((o) => o.attrs.name !== undefined);
  return { element: path.map((o) => o.name).join('/'), name: named?.attrs.name ?? '' };
}

/** Lines of `wsdl` with its policy attachments tagged; `scopes` say which subject references a wsu:Id policy. */
export function wsdlLines(wsdl: string, scopes: readonly ScopeRow[]): WsdlLine[] {
  const lines: WsdlLine[] = [];
  const stack: Open[] = [];
  let wspPrefix = 'wsp';
  let policyDepth = -1;
  let current: Subject | undefined;
  const tokens = wsdl.match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith('<')) {
      if (token.trim()) lines.push({ depth: stack.length, text: token.trim(), scope: current });
      continue;
    }
    if (token.startsWith('<?') || token.startsWith('<!--')) {
      lines.push({ depth: stack.length, text: token, scope: current });
      continue;
    }
    const name = NAME.exec(token)?.[1] ?? '';
    if (token.startsWith('</')) {
      stack.pop();
      lines.push({ depth: stack.length, text: token, scope: current });
      if (stack.length === policyDepth) {
        policyDepth = -1;
        current = undefined;
      }
      continue;
    }
    const attrs = attrsOf(token);
    if (stack.length === 0) {
      const declared = Object.entries(attrs).find(([k, v]) => k.startsWith('xmlns:') && v === WSP_NS);
      if (declared) wspPrefix = declared[0].slice('xmlns:'.length);
    }
    const selfClosing = token.endsWith('/>');
    let label: string | undefined;
    if (policyDepth < 0 && (name === `${wspPrefix}:Policy` || name === `${wspPrefix}:PolicyReference`)) {
      const parent = stack.at(-1);
      const id = attrs['wsu:Id'];
      if (parent && stack.length === 1 && id) {
        // A policy defined once by wsu:Id: its scope is that of the elements that reference it.
        const users = scopes.filter((s) => s.ref === id);
        current = users[0]?.subject;
        label = `wsu:Id="${id}" · referenced from ${users.map((u) => `${u.element} ${u.name}`).join(', ') || 'nowhere now'}`;
      } else if (parent) {
        const { element, name: owner } = elementPath(stack);
        current = SUBJECT_OF[parent.local] ?? 'service';
        const how = name.endsWith('PolicyReference') ? `by reference to ${attrs.URI ?? '?'}` : 'inline';
        label = `${element} ${owner} · ${how}`;
      }
      if (current) policyDepth = stack.length;
    }
    // An element holding only text reads on one line: <a>text</a>.
    const next = tokens[i + 1];
    const close = tokens[i + 2];
    if (!selfClosing && next && !next.startsWith('<') && close === `</${name}>`) {
      lines.push({ depth: stack.length, text: `${token}${next.trim()}${close}`, scope: current, ...(label && { label }) });
      i += 2;
      if (policyDepth === stack.length) {
        policyDepth = -1;
        current = undefined;
      }
      continue;
    }
    wrapTag(token).forEach((text, k) =>
      lines.push({ depth: stack.length, text, scope: current, ...(k === 0 ? label && { label } : { attribute: true as const }) }),
    );
    if (selfClosing) {
      if (policyDepth === stack.length) {
        policyDepth = -1;
        current = undefined;
      }
    } else {
      stack.push({ name, local: localOf(name), attrs });
    }
  }
  return lines;
}
