/**
 * Where a console's prompt line sits once it wraps past the terminal's width. The line editor redraws
 * the prompt on every key; erasing only the cursor's own row left the rows above it behind, one more
 * copy of the line's start per key typed. xterm.js writes asynchronously, so the cursor cannot be read
 * back before the next key: the rows are worked out from the text instead (lib/text/terminal-cells.ts).
 */
import { layOut, type Cell } from '@/lib/text/terminal-cells.ts';

/** Goes from the prompt's row the cursor was left on to the prompt's first cell, and erases it and all below it (and `rowsAbove` more, a status line). */
export function erasePrompt(cursorRow: number, rowsAbove = 0): string {
  const up = cursorRow + rowsAbove;
  return `${up > 0 ? `\x1b[${up}A` : ''}\r\x1b[J`;
}

/**
 * After writing a prompt from a row's first column (its first `startCol` cells its sign, then the typed
 * text split at the cursor), puts the cursor back where the editor has it (←/→ editing) and says on
 * which of the prompt's rows it is left, for the next erasePrompt.
 */
export function placeCursor(beforeCursor: string, afterCursor: string, cols: number, startCol = 0): { sequence: string; cursorRow: number } {
  const cursorAt = layOut(beforeCursor, cols, { row: 0, col: startCol });
  let target: Cell | undefined;
  const end = layOut(afterCursor, cols, cursorAt, (start) => (target ??= start));
  if (!target) return { sequence: '', cursorRow: end.row };
  const up = end.row - target.row;
  return { sequence: `${up > 0 ? `\x1b[${up}A` : ''}\r${target.col > 0 ? `\x1b[${target.col}C` : ''}`, cursorRow: target.row };
}
