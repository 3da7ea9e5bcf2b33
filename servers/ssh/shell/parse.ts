/**
 * The simulated shell's command-line parser, POSIX-like: words with single and double quotes and
 * backslash escapes; `>`, `>>` and `<` redirections; pipelines (`|`); lists joined by `;`, `&&`
 * and `||`; `#` comments. Operators inside quotes are plain text. No globbing, variables,
 * subshells or background jobs — the shell says so rather than guessing.
 */

/** A file a command's output goes to. */
export interface Redirect {
  path: string;
  append: boolean;
}

/** One command of a pipeline. */
export interface SimpleCommand {
  argv: string[];
  /** `> file` or `>> file`. */
  redirect?: Redirect;
  /** `< file`. */
  input?: string;
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
type Token = { word: string } | { op: Op };

const MAX_COMMANDS = 64;

/** Splits a line into words and operators; quotes make operator characters plain text. */
export function tokenize(line: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    const next = line[i + 1];
    if (ch === ' ' || ch === '\t') {
      flush();
      i++;
    } else if (ch === '#' && !inWord) {
      break;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { error: 'syntax error: unterminated quoted string' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      i++;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) i++;
        word += line[i++];
      }
      if (i >= line.length) return { error: 'syntax error: unterminated quoted string' };
      i++;
    } else if (ch === '\\') {
      if (i + 1 < line.length) word += next;
      inWord = true;
      i += 2;
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
      word += ch;
      inWord = true;
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
