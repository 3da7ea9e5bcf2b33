/**
 * The search box's query language, read into a tree (filter.ts matches messages against it).
 * Like a display filter, shortened for a class:
 *
 *   smtp.reply.5xx            an annotation key and everything under it (x = any digit, * = anything)
 *   smtp                      a namespace: the protocol, or any key under smtp.
 *   warn · level:warn         how alarming the lab found it (info, warn, error)
 *   dir:client · view:wire    who sent it; endpoint or eavesdropper view
 *   kind:reply · phase:auth · proto:ftp · conn:<id> · key:<pattern>
 *   injected · edited         made by a scripted fault; changed by hold-edit-release
 *   relay · "relaying denied" free text (quoted: a phrase, or a word this list would read otherwise)
 *
 * Terms side by side must all match; `or` between them offers alternatives (and binds looser);
 * `not`, `-` or `!` negates what follows; parentheses group. A query that cannot be read is
 * reported in words with the place it went wrong — the parser never throws.
 */
import type { Dir, Level, Protocol, View } from '../wire/event.ts';
import { PROTOCOLS } from '../wire/event.ts';
import { KEY_NAMESPACES, compileKeyPattern, looksLikeKey, type KeyPattern } from './key-pattern.ts';

/** One condition on a message. */
export type Term =
  | { op: 'text'; value: string }
  | { op: 'key'; pattern: KeyPattern }
  /** A bare namespace word (`smtp`): the protocol, or any key under it. */
  | { op: 'namespace'; name: string }
  | { op: 'level'; value: Level }
  | { op: 'dir'; value: Dir }
  | { op: 'view'; value: View }
  | { op: 'kind'; value: string }
  | { op: 'phase'; value: string }
  | { op: 'protocol'; value: Protocol }
  | { op: 'conn'; value: string }
  | { op: 'flag'; value: 'injected' | 'edited' };

/** The query as a tree. */
export type QueryNode = Term | { op: 'and'; items: QueryNode[] } | { op: 'or'; items: QueryNode[] } | { op: 'not'; item: QueryNode };

/** What reading a query gives: a tree, or why not (in words, with the 1-based character it concerns). */
export type ParsedQuery = { ok: true; node: QueryNode } | { ok: false; error: string; at: number };

/** Longest query read (the search route refuses longer ones before parsing). */
export const MAX_QUERY_LENGTH = 500;
const MAX_DEPTH = 24;

type Token =
  | { type: 'word'; text: string; at: number; quoted?: undefined }
  | { type: 'field'; field: string; value: string; quoted: boolean; at: number }
  | { type: 'phrase'; text: string; at: number }
  | { type: 'or' | 'and' | 'not' | '(' | ')'; at: number };

class QueryError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const LEVELS: Record<string, Level> = { info: 'info', warn: 'warn', warning: 'warn', error: 'error' };
const DIRS: Record<string, Dir> = { client: 'client', server: 'server', note: 'note', lab: 'note' };
const VIEWS: Record<string, View> = { endpoint: 'endpoint', wire: 'wire' };
const FIELDS = ['level', 'dir', 'view', 'kind', 'phase', 'proto', 'protocol', 'conn', 'key', 'text'] as const;
type Field = (typeof FIELDS)[number];
const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

/** Reads a quoted phrase starting at `start` (the opening quote); returns its text and the index after it. */
function readQuoted(q: string, start: number): { text: string; end: number } {
  let text = '';
  for (let i = start + 1; i < q.length; i++) {
    if (q[i] === '\\' && i + 1 < q.length) text += q[++i];
    else if (q[i] === '"') return { text, end: i + 1 };
    else text += q[i];
  }
  throw new QueryError(`The quote opened at character ${start + 1} is never closed.`, start + 1);
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === '(' || c === ')') {
      tokens.push({ type: c, at });
      i++;
      continue;
    }
    if (c === '"') {
      const { text, end } = readQuoted(q, i);
      tokens.push({ type: 'phrase', text, at });
      i = end;
      continue;
    }
    // A leading - or ! negates what follows it (`-level:info`, `!edited`), as `not` does.
    if ((c === '-' || c === '!') && i + 1 < q.length && !isSpace(q[i + 1]) && q[i + 1] !== ')') {
      tokens.push({ type: 'not', at });
      i++;
      continue;
    }
    let end = i;
    while (end < q.length && !isSpace(q[end]) && q[end] !== '(' && q[end] !== ')' && q[end] !== '"') end++;
    const word = q.slice(i, end);
    i = end;
    const lower = word.toLowerCase();
    if (lower === 'or' || word === '||' || word === '|') tokens.push({ type: 'or', at });
    else if (lower === 'and' || word === '&&' || word === '&') tokens.push({ type: 'and', at });
    else if (lower === 'not') tokens.push({ type: 'not', at });
    else if (word.endsWith(':') && q[i] === '"') {
      // field:"a quoted value"
      const { text, end: after } = readQuoted(q, i);
      tokens.push({ type: 'field', field: lower.slice(0, -1), value: text, quoted: true, at });
      i = after;
    } else if (/^[a-z]+:/i.test(word) && !word.includes('://')) {
      const colon = word.indexOf(':');
      tokens.push({ type: 'field', field: lower.slice(0, colon), value: word.slice(colon + 1), quoted: false, at });
    } else tokens.push({ type: 'word', text: word, at });
  }
  return tokens;
}

function oneOf<T>(table: Record<string, T>, value: string, field: string, at: number): T {
  const found = Object.hasOwn(table, value.toLowerCase()) ? table[value.toLowerCase()] : undefined;
  if (found === undefined) throw new QueryError(`${field}: takes ${Object.keys(table).join(', ')}${value ? `, not "${value}"` : ''}.`, at);
  return found;
}

function keyTerm(source: string, at: number): Term {
  const pattern = compileKeyPattern(source);
  if (!pattern) throw new QueryError(`"${source}" is not an annotation key: write dotted names such as smtp.reply.5xx.`, at);
  return { op: 'key', pattern };
}

function fieldTerm(token: Extract<Token, { type: 'field' }>): Term {
  const { field, value, at } = token;
  if (!isField(field)) {
    throw new QueryError(`Unknown field "${field}:" — use one of ${FIELDS.map((f) => `${f}:`).join(' ')} (or put the text in quotes).`, at);
  }
  if (value === '') throw new QueryError(`${field}: needs a value after the colon.`, at);
  switch (field) {
    case 'level':
      return { op: 'level', value: oneOf(LEVELS, value, field, at) };
    case 'dir':
      return { op: 'dir', value: oneOf(DIRS, value, field, at) };
    case 'view':
      return { op: 'view', value: oneOf(VIEWS, value, field, at) };
    case 'proto':
    case 'protocol':
      return { op: 'protocol', value: oneOf(Object.fromEntries(PROTOCOLS.map((p) => [p, p])), value, field, at) };
    case 'kind':
    case 'phase':
    case 'conn':
      return { op: field, value };
    case 'key':
      return keyTerm(value, at);
    case 'text':
      return { op: 'text', value };
  }
}

function wordTerm(token: Extract<Token, { type: 'word' }>): Term {
  const lower = token.text.toLowerCase();
  if (lower === 'injected' || lower === 'edited') return { op: 'flag', value: lower };
  if (Object.hasOwn(LEVELS, lower)) return { op: 'level', value: LEVELS[lower] };
  if (KEY_NAMESPACES.has(lower) || (PROTOCOLS as readonly string[]).includes(lower)) return { op: 'namespace', name: lower };
  if (looksLikeKey(token.text)) return keyTerm(token.text, token.at);
  return { op: 'text', value: token.text };
}

/** Recursive descent over the tokens: or < and (juxtaposition) < not < primary. */
class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private where(): number {
    return this.peek()?.at ?? this.length + 1;
  }

  parse(): QueryNode {
    const node = this.or(0);
    const extra = this.peek();
    if (extra) throw new QueryError(`The ")" at character ${extra.at} closes nothing.`, extra.at);
    return node;
  }

  private or(depth: number): QueryNode {
    const items = [this.and(depth)];
    while (this.peek()?.type === 'or') {
      this.pos++;
      items.push(this.and(depth));
    }
    return items.length === 1 ? items[0] : { op: 'or', items };
  }

  private and(depth: number): QueryNode {
    const items: QueryNode[] = [];
    for (let t = this.peek(); t && t.type !== 'or' && t.type !== ')'; t = this.peek()) {
      if (t.type === 'and') {
        this.pos++;
        if (items.length === 0 || !this.startsTerm()) throw new QueryError(`"and" at character ${t.at} needs something on both sides.`, t.at);
        continue;
      }
      items.push(this.unary(depth));
    }
    if (items.length === 0) {
      const or = this.orAt();
      if (or !== undefined) throw new QueryError(`"or" at character ${or} needs something on both sides.`, or);
      const t = this.peek();
      if (t?.type === ')') throw new QueryError(`The ")" at character ${t.at} closes nothing.`, t.at);
      throw new QueryError('Type something to search for.', this.where());
    }
    return items.length === 1 ? items[0] : { op: 'and', items };
  }

  /** Where the `or` next to an empty side stands, if one does. */
  private orAt(): number | undefined {
    const before = this.tokens[this.pos - 1];
    if (before?.type === 'or') return before.at;
    const next = this.peek();
    return next?.type === 'or' ? next.at : undefined;
  }

  private startsTerm(): boolean {
    const t = this.peek();
    return t !== undefined && t.type !== 'or' && t.type !== ')' && t.type !== 'and';
  }

  private unary(depth: number): QueryNode {
    const t = this.peek();
    if (t?.type === 'not') {
      this.pos++;
      if (!this.startsTerm()) throw new QueryError(`"not" at character ${t.at} needs something after it.`, t.at);
      return { op: 'not', item: this.unary(depth + 1) };
    }
    return this.primary(depth);
  }

  private primary(depth: number): QueryNode {
    const t = this.tokens[this.pos++];
    if (depth > MAX_DEPTH) throw new QueryError(`The query nests deeper than ${MAX_DEPTH} levels.`, t.at);
    switch (t.type) {
      case '(': {
        if (this.peek()?.type === ')') throw new QueryError(`The parentheses at character ${t.at} hold nothing.`, t.at);
        if (!this.peek()) throw new QueryError(`The parenthesis opened at character ${t.at} is never closed.`, t.at);
        const inner = this.or(depth + 1);
        if (this.peek()?.type !== ')') throw new QueryError(`The parenthesis opened at character ${t.at} is never closed.`, t.at);
        this.pos++;
        return inner;
      }
      case 'phrase':
        return { op: 'text', value: t.text };
      case 'field':
        return fieldTerm(t);
      case 'word':
        return wordTerm(t);
      default:
        // 'or', 'and' and ')' never reach here: and() stops before them.
        throw new QueryError(`Unexpected "${t.type}" at character ${t.at}.`, t.at);
    }
  }
}

/** Reads a query; never throws: a query it cannot read comes back as `{ ok: false, error }` in words. */
export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) return { ok: false, error: `The query is longer than ${MAX_QUERY_LENGTH} characters.`, at: MAX_QUERY_LENGTH + 1 };
  try {
    return { ok: true, node: new Parser(tokenize(query), query.length).parse() };
  } catch (err) {
    if (err instanceof QueryError) return { ok: false, error: err.message, at: err.at };
    return { ok: false, error: 'The query could not be read.', at: 1 };
  }
}
