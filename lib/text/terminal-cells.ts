/**
 * Where text lands on a terminal's rows, cell by cell, as xterm.js (and most terminals) lay it out:
 * wide East Asian characters take two cells (Markus Kuhn's wcwidth, xterm.js's default Unicode 6
 * table), combining marks none; a wide character that does not fit in a row's last cell starts the
 * next row; a full row waits to wrap until the next character comes. A line editor that redraws what
 * it echoed (the lab's console prompt, the simulated SSH shell) needs this once a line is longer than
 * a row: `\b` and `\r` never go up a row, and `\b \b` erases one cell of a two-cell character.
 */

function isWide(cp: number): boolean {
  return (
    cp >= 0x1100 &&
    (cp <= 0x115f ||
      cp === 0x2329 ||
      cp === 0x232a ||
      (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe10 && cp <= 0xfe19) ||
      (cp >= 0xfe30 && cp <= 0xfe6f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x2fffd) ||
      (cp >= 0x30000 && cp <= 0x3fffd))
  );
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Cells one character takes on a terminal row. */
export function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
}

/** A place on the rows, counted from where the text began; `col` equal to the width is a full row waiting to wrap. */
export interface Cell {
  row: number;
  col: number;
}

/** Writes `text` (no escape sequences, no controls) from `from` on rows `cols` wide; `starts` gets where each character began. */
export function layOut(text: string, cols: number, from: Cell = { row: 0, col: 0 }, starts?: (start: Cell) => void): Cell {
  const width = Math.max(1, cols);
  let at = from;
  for (const ch of text) {
    const cells = charWidth(ch);
    if (cells > 0 && at.col + cells > width) at = { row: at.row + 1, col: 0 };
    starts?.(at);
    at = { row: at.row, col: at.col + cells };
  }
  return at;
}

/**
 * What a line editor writes to change the line it echoed after `lead` (its prompt, written from a row's
 * first column) from `shown` to `next`, with the cursor at the end of `shown`: up to where the two part,
 * erase from there down, then the rest of `next`. The cursor ends where writing `lead` and `next` would
 * have left it, a full last row included (waiting to wrap), so the next retype starts from the same place.
 */
export function retype(lead: string, shown: string, next: string, cols: number): string {
  const width = Math.max(1, cols);
  const shownChars = [...shown];
  const nextChars = [...next];
  let same = 0;
  while (same < shownChars.length && same < nextChars.length && shownChars[same] === nextChars[same]) same++;
  const rest = nextChars.slice(same).join('');
  if (same === shownChars.length) return rest;
  const start = layOut(lead, width);
  const end = layOut(shown, width, start);
  const kept = shownChars.slice(0, same).join('');
  const part = layOut(kept, width, start);
  const goTo = (to: Cell) => {
    const up = Math.max(0, end.row - to.row);
    return `${up > 0 ? `\x1b[${up}A` : ''}\r${to.col > 0 ? `\x1b[${to.col}C` : ''}`;
  };
  if (part.col < width) {
    // On one row, as shells send it: back over the cells, erase to the row's end.
    if (end.row === part.row && end.col < width) return `${'\b'.repeat(end.col - part.col)}\x1b[K${rest}`;
    return `${goTo(part)}\x1b[J${rest}`;
  }
  // What is kept ends a full row: erase from the next row's start, then write the row's last character
  // again, which leaves the cursor waiting to wrap there as the first time.
  const last = lastCharacter(lead + kept);
  return `${goTo({ row: part.row + 1, col: 0 })}\x1b[J\x1b[A\r\x1b[${width - widthOf(last)}C${last}${rest}`;
}

/** The last character that takes a cell, with the combining marks after it. */
function lastCharacter(text: string): string {
  const chars = [...text];
  let from = chars.length - 1;
  while (from > 0 && charWidth(chars[from]) === 0) from--;
  return chars.slice(from).join('');
}

function widthOf(text: string): number {
  let cells = 0;
  for (const ch of text) cells += charWidth(ch);
  return cells;
}
