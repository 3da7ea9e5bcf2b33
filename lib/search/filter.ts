/**
 * Search and filter over transcripts: a query in the display-filter-like language of query.ts,
 * matched against LabMessages. Pure and cheap per message, so the daemon can run it over stored
 * transcripts and a page over what it already holds. `compileFilter` never throws: a query it
 * cannot read gives `{ ok: false, error }` in words for the search box to show.
 */
import type { LabMessage } from '../wire/event.ts';
import { matchesKey } from './key-pattern.ts';
import { parseQuery, type QueryNode, type Term } from './query.ts';

export { MAX_QUERY_LENGTH, parseQuery, type ParsedQuery, type QueryNode, type Term } from './query.ts';

/** A query ready to test messages with, and what it means in words. */
export interface MessageFilter {
  test(message: LabMessage): boolean;
  /** The query read back in words ("annotation key smtp.reply.5xx and not from the client"). */
  description: string;
  node: QueryNode;
}

export type CompiledFilter = ({ ok: true } & MessageFilter) | { ok: false; error: string; at: number };

/** Whether free text occurs in what a reader sees of the message: its text, annotation title and key, field values. */
function containsText(m: LabMessage, needle: string): boolean {
  const n = needle.toLowerCase();
  if (m.text.toLowerCase().includes(n)) return true;
  if (m.annotation && (m.annotation.title.toLowerCase().includes(n) || (m.annotation.key?.toLowerCase().includes(n) ?? false))) return true;
  if (m.injected?.title.toLowerCase().includes(n)) return true;
  return m.fields?.some((f) => f.value.toLowerCase().includes(n) || f.name.toLowerCase().includes(n)) ?? false;
}

function matchesTerm(term: Term, m: LabMessage): boolean {
  switch (term.op) {
    case 'text':
      return containsText(m, term.value);
    case 'key':
      return matchesKey(term.pattern, m.annotation?.key);
    case 'namespace': {
      const key = m.annotation?.key?.toLowerCase();
      return m.protocol === term.name || (key !== undefined && (key === term.name || key.startsWith(`${term.name}.`)));
    }
    case 'level':
      return m.annotation?.level === term.value;
    case 'dir':
      return m.dir === term.value;
    case 'view':
      return m.view === term.value;
    case 'kind':
      return m.kind.toLowerCase() === term.value.toLowerCase();
    case 'phase':
      return m.phase?.toLowerCase() === term.value.toLowerCase();
    case 'protocol':
      return m.protocol === term.value;
    case 'conn':
      return m.conn === term.value;
    case 'flag':
      return term.value === 'injected' ? m.injected !== undefined : m.edited !== undefined;
  }
}

/** Whether a message satisfies a query tree. */
export function matchesQuery(node: QueryNode, m: LabMessage): boolean {
  switch (node.op) {
    case 'and':
      return node.items.every((item) => matchesQuery(item, m));
    case 'or':
      return node.items.some((item) => matchesQuery(item, m));
    case 'not':
      return !matchesQuery(node.item, m);
    default:
      return matchesTerm(node, m);
  }
}

const DIR_WORDS = { client: 'from the client', server: 'from the server', note: 'a lab note' } as const;

function describeTerm(term: Term): string {
  switch (term.op) {
    case 'text':
      return `text "${term.value}"`;
    case 'key':
      return `annotation key ${term.pattern.source}`;
    case 'namespace':
      return `${term.name} (protocol or key)`;
    case 'level':
      return `level ${term.value}`;
    case 'dir':
      return DIR_WORDS[term.value];
    case 'view':
      return term.value === 'wire' ? 'seen on the wire' : 'in the endpoint view';
    case 'protocol':
      return `protocol ${term.value}`;
    case 'flag':
      return term.value === 'injected' ? 'injected by a fault' : 'edited before release';
    default:
      return `${term.op} ${term.value}`;
  }
}

/** The query read back in words, so a user sees how it was understood. */
export function describeQuery(node: QueryNode, nested = false): string {
  switch (node.op) {
    case 'and':
      return wrap(node.items.map((i) => describeQuery(i, true)).join(' and '), nested);
    case 'or':
      return wrap(node.items.map((i) => describeQuery(i, true)).join(' or '), nested);
    case 'not':
      return `not ${describeQuery(node.item, true)}`;
    default:
      return describeTerm(node);
  }
}

const wrap = (text: string, nested: boolean) => (nested ? `(${text})` : text);

/** Reads a query and readies it for testing messages; a query it cannot read is reported, never thrown. */
export function compileFilter(query: string): CompiledFilter {
  const parsed = parseQuery(query);
  if (!parsed.ok) return parsed;
  const node = parsed.node;
  return { ok: true, node, description: describeQuery(node), test: (m) => matchesQuery(node, m) };
}
