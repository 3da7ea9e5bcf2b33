'use client';

import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import type { Terminal } from '@xterm/xterm';
import type { FitAddon } from '@xterm/addon-fit';
import { loadTerminal } from './load-terminal';

/** What a parent can do with a RawTerminal. */
export interface RawTerminalHandle {
  /** Writes output that is already safe for xterm (the daemon filters escape sequences). */
  write(data: string): void;
  focus(): void;
}

export interface RawTerminalProps {
  /** Every keystroke, as xterm encodes it. */
  onData(data: string): void;
  /** The grid size after each fit (columns × rows). */
  onResize?(cols: number, rows: number): void;
  /** Called once xterm has loaded; output written before that is the parent's to buffer. */
  onReady?(): void;
  fontSize: number;
  /** Announced to screen readers and used by tests. */
  label: string;
  ref?: Ref<RawTerminalHandle>;
}

/**
 * A plain xterm.js terminal for character-at-a-time consoles (the SSH pty): it writes what it is
 * given and forwards keystrokes and size changes. No line editor, no local echo — the remote
 * side echoes, exactly as with a real ssh client.
 */
export function RawTerminal(props: RawTerminalProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  useImperativeHandle(
    props.ref,
    () => ({
      write: (data: string) => termRef.current?.write(data),
      focus: () => termRef.current?.focus(),
    }),
    [],
  );

  // Create the terminal once, in the browser only.
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    const host = hostRef.current;
    if (!host) return;
    void loadTerminal(host, { fontSize: propsRef.current.fontSize, scrollback: 5_000 }).then(({ term, fit }) => {
      if (disposed || !hostRef.current) {
        term.dispose();
        return;
      }
      // The display settings may have loaded (Presenter's size) while xterm itself was loading.
      term.options.fontSize = propsRef.current.fontSize;
      termRef.current = term;
      fitRef.current = fit;
      term.onData((data) => propsRef.current.onData(data));
      term.onResize(({ cols, rows }) => propsRef.current.onResize?.(cols, rows));
      const refit = () => {
        try {
          fit.fit();
        } catch {
          // Hidden (zero-size) host: nothing to fit.
        }
      };
      refit();
      propsRef.current.onResize?.(term.cols, term.rows);
      observer = new ResizeObserver(refit);
      observer.observe(hostRef.current);
      propsRef.current.onReady?.();
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      termRef.current?.dispose();
      termRef.current = null;
    };
  }, []);

  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.fontSize = props.fontSize;
    fitRef.current?.fit();
  }, [props.fontSize]);

  return (
    <div
      ref={hostRef}
      role="log"
      aria-label={props.label}
      data-testid="ssh-terminal"
      className="h-full min-h-0 w-full overflow-hidden rounded-md border border-slate-800 bg-[#020617] p-2"
    />
  );
}
