'use client';

import { useEffect, useRef } from 'react';
import type { Terminal } from '@xterm/xterm';
import type { FitAddon } from '@xterm/addon-fit';
import { loadTerminal } from './load-terminal';

/**
 * The frame around a terminal: its border and padding. `hostRef` goes on an element inside it, with
 * none: the fit addon sizes the terminal to its host's height without subtracting the host's own
 * padding, so a padded host got a row more than it shows (the prompt, cut in half at the bottom).
 */
export const TERMINAL_FRAME = 'h-full min-h-0 w-full overflow-hidden rounded-md border border-slate-800 bg-[#020617] p-2';

export interface XtermOptions {
  fontSize: number;
  scrollback: number;
  allowProposedApi?: boolean;
  /** Reflow the cursor's line too on a resize (xterm leaves it to a shell that redraws its prompt). */
  reflowCursorLine?: boolean;
  /** Runs once the terminal is open and fitted (attach input handlers, write what is pending). */
  onOpen?(term: Terminal): void;
}

/**
 * The one xterm.js bootstrap of the app: creates the terminal in the browser only (inside
 * useEffect), fits it to its host and keeps it fitted as the host resizes, follows the display's
 * font size, and disposes it on unmount. Attach `hostRef` to the element the terminal fills.
 */
export function useXterm(options: XtermOptions) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  // Where the cursor belongs in the last line while the write that puts it there is still queued.
  const cursorOffset = useRef<number | null>(null);
  const refit = () => {
    const term = termRef.current;
    // xterm reflows the cursor's line on request but leaves the cursor where it was (xterm.js #5295).
    const offset = term && optionsRef.current.reflowCursorLine ? (cursorOffset.current ?? cursorOffsetInLastLine(term)) : null;
    try {
      fitRef.current?.fit();
    } catch {
      // Hidden (zero-size) host: nothing to fit.
    }
    // The grid on the host (data-cols, data-rows): the width a student reads at, for the layout tests to measure.
    if (term) {
      hostRef.current?.setAttribute('data-cols', String(term.cols));
      hostRef.current?.setAttribute('data-rows', String(term.rows));
    }
    if (term && offset !== null) {
      cursorOffset.current = offset;
      placeCursorInLastLine(term, offset, () => {
        if (cursorOffset.current === offset) cursorOffset.current = null;
      });
    }
  };

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    const host = hostRef.current;
    if (!host) return;
    const { fontSize, scrollback, allowProposedApi, reflowCursorLine } = optionsRef.current;
    void loadTerminal(host, { fontSize, scrollback, allowProposedApi, reflowCursorLine }).then(({ term, fit }) => {
      if (disposed || !hostRef.current) {
        term.dispose();
        return;
      }
      // The display settings (Presenter's size) may have loaded while xterm itself was loading:
      // the effect below ran with no terminal then, so take the latest size now.
      term.options.fontSize = optionsRef.current.fontSize;
      termRef.current = term;
      fitRef.current = fit;
      refit();
      optionsRef.current.onOpen?.(term);
      observer = new ResizeObserver(refit);
      observer.observe(hostRef.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      termRef.current?.dispose();
      termRef.current = null;
      fitRef.current = null;
    };
  }, []);

  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.fontSize = options.fontSize;
    refit();
  }, [options.fontSize]);

  return { hostRef, termRef };
}

/**
 * How many cells into its (wrapped) line the cursor stands, when that line is the last one written
 * and holds text: a prompt waiting for an answer. Null otherwise (nothing to put back).
 */
function cursorOffsetInLastLine(term: Terminal): number | null {
  const buffer = term.buffer.active;
  if (buffer.type !== 'normal') return null;
  const row = buffer.baseY + buffer.cursorY;
  for (let below = row + 1; below < buffer.length; below++) if (buffer.getLine(below)?.translateToString(true)) return null;
  let start = row;
  while (start > 0 && buffer.getLine(start)?.isWrapped) start--;
  let text = '';
  for (let r = start; r <= row; r++) text += buffer.getLine(r)?.translateToString(true) ?? '';
  return text ? (row - start) * term.cols + buffer.cursorX : null;
}

/** The cursor back at `offset` cells into the last written line, after a resize reflowed it; `done` once xterm has moved it. */
function placeCursorInLastLine(term: Terminal, offset: number, done: () => void): void {
  const buffer = term.buffer.active;
  let last = buffer.length - 1;
  while (last > 0 && !buffer.getLine(last)?.isWrapped && !buffer.getLine(last)?.translateToString(true)) last--;
  let start = last;
  while (start > 0 && buffer.getLine(start)?.isWrapped) start--;
  const row = Math.min(start + Math.floor(offset / term.cols) - buffer.baseY, term.rows - 1);
  term.write(row >= 0 ? `\x1b[${row + 1};${(offset % term.cols) + 1}H` : '', done);
}
