/**
 * The simulated shell's command-line parser, POSIX-like: words with single and double quotes and
 * backslash escapes; `>`, `>>` and `<` redirections; pipelines (`|`); lists joined by `;`, `&&`
 * and `||`; `#` comments. Operators inside quotes are plain text. `$NAME`, `${NAME}`, `$?`, a
 * leading `~` and unquoted `*`, `?`, `[…]` are kept in the word and expanded when the command runs
 * (expand.ts). No assignments, subshells or background jobs — the shell says so rather than guessing.
 */

/** A piece of a word: text (whose `*`, `?` and `[` are wildcards when it was typed unquoted), or a variable. */
export type WordPart = { text: string; unquoted: boolean } | { variable: string };

/** A word with something to expand; a word without is a plain string. */
export interface ExpandableWord {
  parts: WordPart[];
}

export type Word = string | ExpandableWord;

/** A file a command's output goes to. */
export interface Redirect {
  path: Word;
  append: boolean;
}

/** One command of a pipeline. */
export interface SimpleCommand {
  argv: Word[];
  /** `> file` or `>> file`. */
  redirect?: Redirect;
  /** `< file`. */
  input?: Word;
}

/** One pipeline of a list, and when it runs: always (first, or after `;`), after success (`&&`) or after failure (`||`). */
export interface ListItem {
  when: 'always' | 'and' | 'or';
  pipeline: SimpleCommand[];
}

/** A parsed command line. */
export interface ParsedLine {
  list: ListItem[];
}

type Op = '|' | '||' | '&&' | ';' | '>' | '>>' | '<';
type Token = { word: Word } | { op: Op };

const MAX_COMMANDS = 64;
/** What may follow `$` as a variable's name (or `?`, the last status). */
const VARIABLE = /^(?:\{([A-Za-z_][A-Za-z0-9_]*|\?)\}|([A-Za-z_][A-Za-z0-9_]*|\?))/;
/** Characters that end a word where `~` stands alone. */
const TILDE_END = new Set([undefined, ' ', '\t', '/', ';', '|', '&', '<', '>']);
const WILDCARD = /[*?[]/;

/** Collects one word's parts; a word with nothing to expand comes out as a plain string. */
class WordBuilder {
  private parts: WordPart[] = [];
  started = false;

  text(text: string, unquoted: boolean): void {
    this.started = true;
    const last = this.parts.at(-1);
    if (last && 'text' in last && last.unquoted === unquoted) last.text += text;
    else this.parts.push({ text, unquoted });
  }

  variable(name: string): void {
    this.started = true;
    this.parts.push({ variable: name });
  }

  take(): Word {
    const parts = this.parts;
    this.parts = [];
    this.started = false;
    const plain = parts.every((p) => 'text' in p && !(p.unquoted && WILDCARD.test(p.text)));
    return plain ? parts.map((p) => ('text' in p ? p.text : '')).join('') : { parts };
  }
}

/** A `$…` at `line[i]`: the variable's name and the characters it took, or null for a plain dollar sign. */
function variableAt(line: string, i: number): { name: string; length: number } | null {
  const found = VARIABLE.exec(line.slice(i + 1, i + 66));
  return found ? { name: found[1] ?? found[2], length: found[0].length + 1 } : null;
}

/** The word as typed, variables written as `$NAME`: what a command that does not expand sees (scp's paths). */
export function wordText(word: Word): string {
  return typeof word === 'string' ? word : word.parts.map((p) => ('text' in p ? p.text : `$${p.variable}`)).join('');
}

/** Splits a line into words and operators; quotes make operator characters plain text. */
export function tokenize(line: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  const word = new WordBuilder();
  const flush = () => {
    if (word.started) tokens.push({ word: word.take() });
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    const next = line[i + 1];
    const variable = ch === '$' ? variableAt(line, i) : null;
    if (ch === ' ' || ch === '\t') {
      flush();
      i++;
    } else if (ch === '#' && !word.started) {
      break;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { error: 'syntax error: unterminated quoted string' };
      word.text(line.slice(i + 1, end), false);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      word.text('', false);
      while (i < line.length && line[i] !== '"') {
        const quoted = line[i] === '$' ? variableAt(line, i) : null;
        if (quoted) {
          word.variable(quoted.name);
          i += quoted.length;
          continue;
        }
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) i++;
        word.text(line[i++], false);
      }
      if (i >= line.length) return { error: 'syntax error: unterminated quoted string' };
      i++;
    } else if (ch === '\\') {
      word.text(next ?? '', false);
      i += 2;
    } else if (variable) {
      word.variable(variable.name);
      i += variable.length;
    } else if (ch === '~' && !word.started && TILDE_END.has(next)) {
      word.variable('HOME');
      i++;
    } else if (ch === '|' || ch === ';' || ch === '<' || ch === '>' || ch === '&') {
      flush();
      const pair = ch + (next ?? '');
      if (pair === '||' || pair === '&&' || pair === '>>') {
        tokens.push({ op: pair });
        i += 2;
      } else if (ch === '&') {
        return { error: `syntax error: '&' (background jobs) is not supported by this simulated shell` };
      } else if (pair === '>&' || pair === '<<' || pair === '<>' || pair === ';;' || pair === '|&') {
        return { error: `syntax error: '${pair}' is not supported by this simulated shell` };
      } else {
        tokens.push({ op: ch as Op });
        i++;
      }
    } else {
      word.text(ch, true);
      i++;
    }
  }
  flush();
  return tokens;
}

const unexpected = (token: Token | undefined) => ({
  error: `syntax error near unexpected token \`${token === undefined ? 'newline' : 'op' in token ? token.op : token.word}'`,
});

/** Parses one line into a list of pipelines; returns an error message for bad syntax. */
export function parseLine(line: string): ParsedLine | { error: string } {
  const tokens = tokenize(line);
  if ('error' in tokens) return tokens;
  const list: ListItem[] = [];
  let when: ListItem['when'] = 'always';
  let pipeline: SimpleCommand[] = [];
  let command: SimpleCommand = { argv: [] };
  let commands = 0;
  const isEmpty = (c: SimpleCommand) => c.argv.length === 0 && !c.redirect && c.input === undefined;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ('word' in token) {
      command.argv.push(token.word);
      continue;
    }
    const { op } = token;
    if (op === '>' || op === '>>' || op === '<') {
      const target = tokens[i + 1];
      if (target === undefined || !('word' in target)) return unexpected(target);
      i++;
      if (op === '<') command.input = target.word;
      else if (command.redirect) return { error: 'syntax error: only one output redirection per command' };
      else command.redirect = { path: target.word, append: op === '>>' };
      continue;
    }
    // A separator: the command before it must not be empty.
    if (isEmpty(command)) return unexpected(token);
    if (++commands > MAX_COMMANDS) return { error: `syntax error: more than ${MAX_COMMANDS} commands on one line` };
    pipeline.push(command);
    command = { argv: [] };
    if (op === '|') continue;
    list.push({ when, pipeline });
    pipeline = [];
    when = op === '&&' ? 'and' : op === '||' ? 'or' : 'always';
    // `a;` is complete; `a &&` and `a |` are not (a real shell would ask for more).
    if (i === tokens.length - 1 && op !== ';') return unexpected(undefined);
  }
  if (isEmpty(command)) {
    if (pipeline.length > 0) return unexpected(undefined);
  } else {
    if (++commands > MAX_COMMANDS) return { error: `syntax error: more than ${MAX_COMMANDS} commands on one line` };
    pipeline.push(command);
  }
  if (pipeline.length > 0) list.push({ when, pipeline });
  return { list };
}
