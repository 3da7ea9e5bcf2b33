/**
 * One reply-table lookup for the three-digit protocols (SMTP RFC 5321 §4.2, FTP RFC 959 §4.2,
 * HTTP status codes RFC 9110 §15): rows by code, rows whose meaning depends on what the reply
 * answers, first-digit class rows, and one row for a code outside every class.
 * Lookup order: (context, code, enhanced code) → (context, code) → code → class → unknown.
 */
import type { Level } from '../../wire/event.ts';

/** One reply row: annotation key, source, and how alarming it is (4xx warn, 5xx error). */
export interface ReplyRow {
  key: string;
  ref: string;
  level: Level;
}

/** A row that applies only after a given command (and, optionally, with a given enhanced code). */
export interface ContextReplyRow extends ReplyRow {
  /** What the reply answers: a command verb, or a protocol's marker such as 'CONNECT' (the greeting). */
  after: string;
  code: number;
  /** SMTP enhanced status code (RFC 3463), e.g. '5.7.1'. */
  enhanced?: string;
}

/** A protocol's reply codes as data. */
export interface ReplyTable {
  codes: Readonly<Record<number, ReplyRow>>;
  context?: readonly ContextReplyRow[];
  /** Rows by first digit ('2' → the 2xx row): a client reads a code it does not know by its first digit alone. */
  classes: Readonly<Record<string, ReplyRow>>;
  /** A code no class covers. */
  unknown: ReplyRow;
}

/** The level a reply code implies: 5xx error, 4xx warn, others info. */
export const levelOfCode = (code: number): Level => (code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info');

/** Finds the most specific row for a reply: context + enhanced code, context, code, class, unknown. */
export function lookupReplyIn(table: ReplyTable, code: number, after?: string, enhanced?: string): ReplyRow {
  if (after !== undefined && table.context) {
    const inContext = table.context.filter((row) => row.after === after && row.code === code);
    const specific = inContext.find((row) => row.enhanced !== undefined && row.enhanced === enhanced);
    if (specific) return specific;
    const plain = inContext.find((row) => row.enhanced === undefined);
    if (plain) return plain;
  }
  if (Object.hasOwn(table.codes, code)) return table.codes[code];
  const klass = String(Math.floor(code / 100));
  return (Number.isInteger(code) && Object.hasOwn(table.classes, klass) ? table.classes[klass] : undefined) ?? table.unknown;
}

/** Row builders for a protocol's tables: `row(250, ref)` is `<protocol>.reply.250`, its level from the code. */
export function replyRowsFor(protocol: string) {
  const row = (code: number, ref: string, level: Level = levelOfCode(code)): ReplyRow => ({ key: `${protocol}.reply.${code}`, ref, level });
  /** A context row `<protocol>.reply.<code>.<name>`, for a reply to `after` (and an enhanced code, if given). */
  const inContext = (after: string, code: number, name: string, ref: string, level: Level = levelOfCode(code), enhanced?: string): ContextReplyRow =>
    enhanced === undefined ? { after, code, key: `${protocol}.reply.${code}.${name}`, ref, level } : { after, code, enhanced, key: `${protocol}.reply.${code}.${name}`, ref, level };
  return { row, inContext };
}
