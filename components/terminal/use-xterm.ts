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

  const refit = () => {
    try {
      fitRef.current?.fit();
    } catch {
      // Hidden (zero-size) host: nothing to fit.
    }
  };

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    const host = hostRef.current;
    if (!host) return;
    const { fontSize, scrollback, allowProposedApi } = optionsRef.current;
    void loadTerminal(host, { fontSize, scrollback, allowProposedApi }).then(({ term, fit }) => {
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
