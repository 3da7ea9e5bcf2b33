/**
 * The lab's own console text (greetings, help lists, hints) folded to the terminal's width at spaces.
 * xterm wraps a long line at the last column, mid-word ("t|alking through the tap"), and a console is
 * about 60 columns wide at 1280×720 and fewer with larger text or in Presenter mode. Only text the lab
 * writes goes through here: a remote shell's output is the remote's to lay out.
 */

/** SGR and other CSI sequences take no column. */
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
/** The same, only where it is asked to look (sticky). */
const CSI_HERE = /\x1b\[[0-?]*[ -/]*[@-~]/y;

/** Columns `text` takes on screen (one per code point: the lab's own text has no wide characters). */
export function visibleWidth(text: string): number {
  return [...text.replace(CSI, '')].length;
}

/**
 * Where a help list's description starts: '  cmd [arg]   what it does' has two or more spaces
 * after the command; the column of its first character, or null for prose.
 */
function descriptionColumn(line: string): number | null {
  const match = /^(\s+\S.*?\s{2,})\S/.exec(line.replace(CSI, ''));
  return match ? visibleWidth(match[1]) : null;
}

/** Breaks one line (no CR/LF in it) at spaces into lines of at most `cols` columns. */
function wrapLine(line: string, cols: number, continuation?: string): string[] {
  if (visibleWidth(line) <= cols) return [line];
  if (continuation !== undefined) return wrapWords(line, cols, continuation);
  const leading = /^\s*/.exec(line.replace(CSI, ''))?.[0].length ?? 0;
  const column = descriptionColumn(line);
  // A help row: continuation lines under the description while that leaves it room; in a narrow
  // terminal the description goes on lines of its own under the command.
  if (column !== null && column > cols / 2) {
    const at = cutAt(line, column);
    const description = ' '.repeat(leading + 4) + line.slice(at);
    return [...wrapLine(line.slice(0, at).trimEnd(), cols), ...wrapWords(description, cols, ' '.repeat(leading + 4))];
  }
  const hanging = ' '.repeat(column ?? leading);
  return wrapWords(line, cols, hanging);
}

/** Words of `text` on lines of at most `cols` columns, every line after the first starting with `indent`. */
function wrapWords(text: string, cols: number, indent: string): string[] {
  const lines: string[] = [];
  let current = '';
  let width = 0;
  // Spaces stay with the word after them, so a line's own leading spaces and a help row's gap survive.
  for (const piece of text.match(/\s*\S+/g) ?? [text]) {
    const pieceWidth = visibleWidth(piece);
    if (width > 0 && width + pieceWidth > cols) {
      lines.push(current);
      const word = piece.trimStart();
      current = indent + word;
      width = indent.length + visibleWidth(word);
    } else {
      current += piece;
      width += pieceWidth;
    }
    // A word longer than a whole line is cut where it must be (a long path, a key).
    while (width > cols) {
      const cut = cutAt(current, cols);
      lines.push(current.slice(0, cut));
      current = indent + current.slice(cut);
      width = visibleWidth(current);
      if (indent.length >= cols) break;
    }
  }
  lines.push(current);
  return lines;
}

/** The index in `text` after which exactly `cols` visible columns have passed (escape sequences kept whole). */
function cutAt(text: string, cols: number): number {
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < cols) {
    CSI_HERE.lastIndex = i;
    const escape = CSI_HERE.exec(text);
    if (escape) {
      i += escape[0].length;
      continue;
    }
    const codePoint = text.codePointAt(i) ?? 0;
    i += codePoint > 0xffff ? 2 : 1;
    seen++;
  }
  return i;
}

/**
 * `text` (lines ending in LF or CRLF) laid out for a terminal `cols` wide, with CRLF line ends as a
 * terminal needs them. A folded line goes on under its own indent (a help row under its
 * description), or after `continuation` when given. Narrower than 20 columns it is left alone:
 * nothing reads well there anyway.
 */
export function wrapForTerminal(text: string, cols: number, continuation?: string): string {
  const lines = text.split(/\r?\n/);
  if (cols < 20) return lines.join('\r\n');
  return lines.flatMap((line) => wrapLine(line, cols, continuation)).join('\r\n');
}
