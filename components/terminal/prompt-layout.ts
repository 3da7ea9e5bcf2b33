/**
 * Where a console's prompt line sits once it wraps past the terminal's width. The line editor redraws
 * the prompt on every key; erasing only the cursor's own row left the rows above it behind, one more
 * copy of the line's start per key typed. xterm.js writes asynchronously, so the cursor cannot be read
 * back before the next key: the rows are worked out from the text instead, with the widths xterm's
 * default Unicode 6 table gives (wide East Asian characters two cells, combining marks none).
 */

/** Markus Kuhn's wcwidth wide ranges, which xterm.js's Unicode 6 provider uses. */
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

/** Goes from the prompt's row the cursor was left on to the prompt's first cell, and erases it and all below it (and `rowsAbove` more, a status line). */
export function erasePrompt(cursorRow: number, rowsAbove = 0): string {
  const up = cursorRow + rowsAbove;
  return `${up > 0 ? `\x1b[${up}A` : ''}\r\x1b[J`;
}

interface Cell {
  row: number;
  col: number;
}

/**
 * After writing a prompt from a row's first column (its first `startCol` cells its sign, then the typed
 * text split at the cursor), puts the cursor back where the editor has it (←/→ editing) and says on
 * which of the prompt's rows it is left, for the next erasePrompt. Rows fill as xterm fills them: a wide
 * character that does not fit in a row's last cell goes to the next row, and a full row waits to wrap.
 */
export function placeCursor(beforeCursor: string, afterCursor: string, cols: number, startCol = 0): { sequence: string; cursorRow: number } {
  const width = Math.max(1, cols);
  let at: Cell = { row: 0, col: startCol };
  const write = (ch: string): Cell => {
    const cells = charWidth(ch);
    if (cells > 0 && at.col + cells > width) at = { row: at.row + 1, col: 0 };
    const start = at;
    at = { row: at.row, col: at.col + cells };
    return start;
  };
  for (const ch of beforeCursor) write(ch);
  let target: Cell | undefined;
  for (const ch of afterCursor) {
    const start = write(ch);
    target ??= start;
  }
  if (!target) return { sequence: '', cursorRow: at.row };
  const up = at.row - target.row;
  return { sequence: `${up > 0 ? `\x1b[${up}A` : ''}\r${target.col > 0 ? `\x1b[${target.col}C` : ''}`, cursorRow: target.row };
}
