/**
 * The patterns `grep` understands: a subset of POSIX basic regular expressions (literal
 * characters, `.`, `*`, `[…]` and `[^…]` with ranges, `^`, `$`, `\` escapes), matched by
 * simulating the automaton (Thompson), so the time is linear in the line: no pattern a student
 * types can stall the lab, as a backtracking RegExp could (ReDoS).
 */

interface Atom {
  test(ch: string): boolean;
  star: boolean;
}

/** A compiled pattern. */
export interface Pattern {
  /** True when the line matches; throws PatternBudgetExceeded past the step budget. */
  test(line: string): boolean;
}

const MAX_PATTERN = 256;
/** Automaton steps one grep may take: linear is still slow on 1 MB × 256 states, so stop and say so. */
const STEP_BUDGET = 5_000_000;

/** The input and pattern together need more work than one command may take. */
export class PatternBudgetExceeded extends Error {
  constructor() {
    super('pattern too costly for this input (the simulated shell bounds the work of one grep)');
  }
}

function parseClass(source: string, start: number, fold: (c: string) => string): { test: (ch: string) => boolean; end: number } | null {
  let i = start + 1;
  const negate = source[i] === '^';
  if (negate) i++;
  const ranges: [string, string][] = [];
  let first = true;
  while (i < source.length && (source[i] !== ']' || first)) {
    first = false;
    const lo = source[i];
    if (source[i + 1] === '-' && source[i + 2] !== undefined && source[i + 2] !== ']') {
      ranges.push([lo, source[i + 2]]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  if (i >= source.length) return null;
  const folded = ranges.map(([lo, hi]) => [fold(lo), fold(hi)] as const);
  return {
    test: (ch) => {
      const c = fold(ch);
      return folded.some(([lo, hi]) => c >= lo && c <= hi) !== negate;
    },
    end: i + 1,
  };
}

/** Compiles a pattern; an error message for a malformed one. */
export function compilePattern(source: string, options: { ignoreCase?: boolean; fixed?: boolean } = {}): Pattern | { error: string } {
  if (source.length > MAX_PATTERN) return { error: 'pattern too long' };
  const fold = options.ignoreCase ? (c: string) => c.toLowerCase() : (c: string) => c;
  if (options.fixed) {
    const needle = fold(source);
    return { test: (line) => fold(line).includes(needle) };
  }
  const atoms: Atom[] = [];
  let anchorStart = false;
  let anchorEnd = false;
  let i = 0;
  if (source[0] === '^') {
    anchorStart = true;
    i = 1;
  }
  while (i < source.length) {
    const ch = source[i];
    if (ch === '$' && i === source.length - 1) {
      anchorEnd = true;
      i++;
    } else if (ch === '*' && atoms.length > 0 && !atoms[atoms.length - 1].star) {
      atoms[atoms.length - 1].star = true;
      i++;
    } else if (ch === '.') {
      atoms.push({ test: () => true, star: false });
      i++;
    } else if (ch === '[') {
      const parsed = parseClass(source, i, fold);
      if (!parsed) return { error: 'Unmatched [ in pattern' };
      atoms.push({ test: parsed.test, star: false });
      i = parsed.end;
    } else {
      const literal = ch === '\\' && i + 1 < source.length ? source[++i] : ch;
      const want = fold(literal);
      atoms.push({ test: (c) => fold(c) === want, star: false });
      i++;
    }
  }
  const budget = { steps: STEP_BUDGET };
  return { test: (line) => run(atoms, anchorStart, anchorEnd, Array.from(line), budget) };
}

/** Adds state `s` and every state reachable from it by skipping starred atoms. */
function addState(atoms: Atom[], set: Set<number>, s: number): void {
  while (!set.has(s)) {
    set.add(s);
    if (s >= atoms.length || !atoms[s].star) return;
    s++;
  }
}

function run(atoms: Atom[], anchorStart: boolean, anchorEnd: boolean, chars: string[], budget: { steps: number }): boolean {
  let current = new Set<number>();
  addState(atoms, current, 0);
  for (let pos = 0; ; pos++) {
    if (current.has(atoms.length) && (!anchorEnd || pos === chars.length)) return true;
    if (pos === chars.length) return false;
    const next = new Set<number>();
    budget.steps -= current.size;
    if (budget.steps < 0) throw new PatternBudgetExceeded();
    for (const s of current) {
      if (s >= atoms.length || !atoms[s].test(chars[pos])) continue;
      addState(atoms, next, atoms[s].star ? s : s + 1);
    }
    // Unanchored: a match may also start at the next character.
    if (!anchorStart) addState(atoms, next, 0);
    current = next;
  }
}
