import type { FitAddon } from '@xterm/addon-fit';
import type { Terminal } from '@xterm/xterm';

/** The one look of every terminal in the app (matches the slate theme in globals.css). */
const THEME = { background: '#020617', foreground: '#e2e8f0', cursor: '#7dd3fc', selectionBackground: '#334155' };
const FONT = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
/**
 * Rows a little taller than the font: at a line height of 1, xterm's rows cut off the underscore
 * of DejaVu Sans Mono at 14 px (the default), 19 and 23 px, so KEX_ECDH_INIT read "KEX ECDH INIT".
 */
const LINE_HEIGHT = 1.1;

/**
 * Loads xterm.js in the browser only (it touches the DOM at import time) and opens a terminal
 * with a fit addon in `host`. Callers create it inside useEffect and dispose it on unmount.
 */
export async function loadTerminal(
  host: HTMLElement,
  options: { fontSize: number; scrollback: number; allowProposedApi?: boolean; reflowCursorLine?: boolean },
): Promise<{ term: Terminal; fit: FitAddon }> {
  const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
  const term = new Terminal({ ...options, fontFamily: FONT, lineHeight: LINE_HEIGHT, theme: THEME, convertEol: false, cursorBlink: true });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  return { term, fit };
}
