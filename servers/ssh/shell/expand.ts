/**
 * Expands a word when its command runs, as sh does: variables (a few fixed ones: the shell has no
 * assignments), then pathname expansion of the wildcards typed unquoted (`*`, `?`, `[…]`), matched
 * against the sandbox through the jail. A pattern that matches nothing stays as typed (POSIX), and
 * `*` does not match a leading dot. The matcher is linear per name (no backtracking RegExp), so no
 * pattern a student types can stall the lab.
 */
import fs from 'node:fs/promises';
import type { Jail } from '../../../lib/sandbox/jail.ts';
import { sandboxEntries } from './context.ts';
import type { Word } from './parse.ts';

export interface ExpansionContext {
  /** A variable's value; an unknown one expands to nothing, as in sh. */
  variable(name: string): string;
  jail: Jail;
  cwd: string;
}

/** One character of a pattern: itself, or a wildcard. */
type PatternChar = { char: string } | { oneChar: true } | { star: true } | { oneOf: (ch: string) => boolean };

/** Most names one pattern may expand to: a command line is not a way to list a huge tree. */
const MAX_MATCHES = 10_000;

/** The fields one word expands to: one, or (a pattern that matched) the sorted names. */
export async function expandWord(word: Word, context: ExpansionContext): Promise<string[]> {
  if (typeof word === 'string') return [word];
  const pattern: PatternChar[] = [];
  let text = '';
  for (const part of word.parts) {
    let value = 'variable' in part ? context.variable(part.variable) : part.text;
    // "$HOME/docs" and "~/docs" with HOME=/ read "/docs", not "//docs" (the same path either way).
    if (text.endsWith('/') && value.startsWith('/')) value = value.slice(1);
    text += value;
    if ('variable' in part || !part.unquoted) for (const char of value) pattern.push({ char });
    else pattern.push(...compile(value));
  }
  if (pattern.every((p) => 'char' in p)) return [text];
  const matches = await matchPaths(pattern, context);
  return matches.length > 0 ? matches : [text];
}

/** Unquoted text as pattern characters: `*`, `?`, and `[…]` / `[!…]` / `[^…]` with ranges; a `[` without `]` is itself. */
function compile(text: string): PatternChar[] {
  const out: PatternChar[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') out.push({ star: true });
    else if (ch === '?') out.push({ oneChar: true });
    else if (ch === '[') {
      const end = chars.indexOf(']', i + 2);
      if (end === -1) {
        out.push({ char: ch });
        continue;
      }
      const negated = chars[i + 1] === '!' || chars[i + 1] === '^';
      const set = chars.slice(negated ? i + 2 : i + 1, end);
      const inSet = (c: string) => set.some((s, k) => (set[k + 1] === '-' && k + 2 < set.length ? c >= s && c <= set[k + 2] : s === c));
      out.push({ oneOf: (c) => inSet(c) !== negated });
      i = end;
    } else out.push({ char: ch });
  }
  return out;
}

/** The paths matching the pattern, one directory level per segment, as the user wrote them (relative stays relative). */
async function matchPaths(pattern: PatternChar[], context: ExpansionContext): Promise<string[]> {
  const segments: PatternChar[][] = [[]];
  for (const p of pattern) {
    if ('char' in p && p.char === '/') segments.push([]);
    else segments[segments.length - 1].push(p);
  }
  // A leading slash leaves an empty first segment: the walk starts at the root.
  let found = [segments[0].length === 0 && segments.length > 1 ? '/' : ''];
  const start = found[0] === '/' ? 1 : 0;
  for (let s = start; s < segments.length; s++) {
    const segment = segments[s];
    const joined = (prefix: string, name: string) => (prefix === '' || prefix.endsWith('/') ? prefix + name : `${prefix}/${name}`);
    if (segment.every((p) => 'char' in p)) {
      const name = segment.map((p) => ('char' in p ? p.char : '')).join('');
      found = found.map((prefix) => joined(prefix, name));
      continue;
    }
    const next: string[] = [];
    for (const prefix of found) {
      for (const { name } of await sandboxEntries(context.jail, prefix === '' ? '.' : prefix, context.cwd)) {
        if (matches(segment, name)) next.push(joined(prefix, name));
        if (next.length > MAX_MATCHES) return [];
      }
    }
    found = next;
    if (found.length === 0) return [];
  }
  // Names read from directories exist; a literal part after the last wildcard may not (`*/notes.txt`).
  if (segments.at(-1)?.some((p) => !('char' in p))) return found.sort();
  const existing: string[] = [];
  for (const path of found) if (await exists(path, context)) existing.push(path);
  return existing.sort();
}

async function exists(path: string, context: ExpansionContext): Promise<boolean> {
  try {
    await fs.lstat(await context.jail.resolve(path, context.cwd));
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `name` matches one segment: the classic greedy match that backs up only to the last
 * star (O(name × pattern), never exponential). A leading dot must be matched literally.
 */
function matches(segment: PatternChar[], name: string): boolean {
  const chars = Array.from(name);
  const first = segment[0];
  const dotTyped = first !== undefined && 'char' in first && first.char === '.';
  if (chars[0] === '.' && !dotTyped) return false;
  let n = 0;
  let p = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < chars.length) {
    const token = segment[p];
    if (token && 'star' in token) {
      starAt = p++;
      resumeAt = n;
    } else if (token && ('oneChar' in token || ('char' in token ? token.char === chars[n] : token.oneOf(chars[n])))) {
      p++;
      n++;
    } else if (starAt !== -1) {
      p = starAt + 1;
      n = ++resumeAt;
    } else return false;
  }
  while (p < segment.length && 'star' in segment[p]) p++;
  return p === segment.length;
}
