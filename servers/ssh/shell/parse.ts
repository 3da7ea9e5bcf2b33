/**
 * A small POSIX-like command-line parser for the simulated shell: words, single and double
 * quotes, backslash escapes, and output redirection (`>` and `>>`). No globbing, pipes or
 * variables — the shell says so rather than guessing.
 */

/** A parsed command line. */
export interface ParsedLine {
  argv: string[];
  redirect?: { path: string; append: boolean };
}

/** Parses one line; returns an error message for bad syntax. */
export function parseLine(line: string): ParsedLine | { error: string } {
  const words: string[] = [];
  const ops: { at: number; append: boolean }[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const flush = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      flush();
      i++;
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
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === '>') {
      flush();
      const append = line[i + 1] === '>';
      ops.push({ at: words.length, append });
      i += append ? 2 : 1;
    } else if (ch === '|' || ch === ';' || ch === '&' || ch === '<') {
      return { error: `syntax error: '${ch}' is not supported by this simulated shell` };
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  flush();
  if (ops.length > 1) return { error: 'syntax error: only one redirection per command' };
  if (ops.length === 0) return { argv: words };
  const { at, append } = ops[0];
  const path = words[at];
  if (path === undefined) return { error: "syntax error near unexpected token `newline'" };
  return { argv: [...words.slice(0, at), ...words.slice(at + 1)], redirect: { path, append } };
}
