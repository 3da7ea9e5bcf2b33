/**
 * One line of plain text (no escape sequences, no line breaks: escapeControls has run) as the rows a
 * terminal shows it on, broken where a reader expects it. xterm.js wraps a long line at whatever column
 * it reaches, inside a number ("(20" | ",013 bytes)") or a word, which a class reads badly on a
 * projector, and Presenter mode's larger text leaves fewer columns. Here a line breaks at spaces; a
 * token longer than a whole row (an SSH name-list, a path, a key=value list) also after `,` `;` `/`
 * `=` `&`; and only a token with none of those is cut, at the row's end. The spaces at a break are
 * not shown (they would end the row or open the next one, invisible either way), as in any word wrap.
 */
import { charWidth } from './terminal-cells.ts';

const TAB_STOP = 8;
/** Where a token longer than a row may break: after these (a list's separator, a path's slash). */
const BREAK_AFTER = new Set([',', ';', '/', '=', '&']);
const DIGIT = /^\d/;

/** A character with the combining marks after it: never split. */
interface Cluster {
  text: string;
  cells: number;
  blank: boolean;
}

function clustersOf(text: string): Cluster[] {
  const clusters: Cluster[] = [];
  for (const ch of text) {
    const blank = ch === ' ' || ch === '\t';
    const cells = blank ? 1 : charWidth(ch);
    const previous = clusters.at(-1);
    if (cells === 0 && previous && !previous.blank) previous.text += ch;
    else clusters.push({ text: ch, cells, blank });
  }
  return clusters;
}

/** For each cluster, whether the token (run of non-blanks) it is in is wider than `width`. */
function inLongToken(clusters: Cluster[], width: number): boolean[] {
  const long = new Array<boolean>(clusters.length).fill(false);
  let start = 0;
  while (start < clusters.length) {
    let end = start;
    let cells = 0;
    while (end < clusters.length && !clusters[end].blank) cells += clusters[end++].cells;
    if (cells > width) long.fill(true, start, end);
    start = Math.max(end, start + 1);
  }
  return long;
}

/**
 * Whether a row may end right after cluster `i`: a separator inside a long token, not the last of
 * its token, not a digit group's comma ("1,234") and not the first of a doubled one ("https://").
 */
function breaksAfter(clusters: Cluster[], i: number, long: boolean[]): boolean {
  const here = clusters[i].text;
  const next = clusters[i + 1];
  if (!long[i] || !BREAK_AFTER.has(here) || !next || next.blank || next.text === here) return false;
  return !(here === ',' && DIGIT.test(clusters[i - 1]?.text ?? '') && DIGIT.test(next.text));
}

/**
 * `line` as rows of at most `width` cells (wide characters take two, a tab runs to the next tab stop
 * counted from `startColumn`, the screen column every row starts at: after a "C: " prefix, 3).
 * Width 0 or less: the line as it is.
 */
export function breakIntoRows(line: string, width: number, startColumn = 0): string[] {
  if (width <= 0) return [line];
  const clusters = clustersOf(line);
  const long = inLongToken(clusters, width);
  const text = (from: number, to: number) => clusters.slice(from, to).map((c) => c.text).join('');
  const rows: string[] = [];
  let start = 0;
  while (start < clusters.length) {
    let column = 0;
    let i = start;
    // The last place this row could end, and where the next would start (after the blanks there).
    let lastBreak: { end: number; next: number } | null = null;
    for (; i < clusters.length; i++) {
      const cluster = clusters[i];
      if (cluster.blank && i > start && !clusters[i - 1].blank) {
        let next = i;
        while (next < clusters.length && clusters[next].blank) next++;
        lastBreak = { end: i, next };
      }
      const cells = cluster.text === '\t' ? TAB_STOP - ((startColumn + column) % TAB_STOP) : cluster.cells;
      if (column + cells > width) break;
      column += cells;
      if (breaksAfter(clusters, i, long)) lastBreak = { end: i + 1, next: i + 1 };
    }
    if (i === clusters.length) {
      rows.push(text(start, i));
      break;
    }
    if (lastBreak) {
      rows.push(text(start, lastBreak.end));
      start = lastBreak.next;
      continue;
    }
    // Nothing to break at: cut at the row's end (at least one character, should one be wider than the row).
    const end = Math.max(i, start + 1);
    rows.push(text(start, end));
    start = end;
  }
  return rows.length > 0 ? rows : [''];
}
