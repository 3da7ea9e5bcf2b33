'use client';

import { useImperativeHandle, useRef, type Ref } from 'react';
import { TERMINAL_FRAME, useXterm } from './use-xterm';

/** What a parent can do with a RawTerminal. */
export interface RawTerminalHandle {
  /** Writes output that is already safe for xterm (the daemon filters escape sequences). */
  write(data: string): void;
  focus(): void;
  /** Empties the screen and its scrollback (a fresh start). */
  clear(): void;
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
  const propsRef = useRef(props);
  propsRef.current = props;
  const { hostRef, termRef } = useXterm({
    fontSize: props.fontSize,
    scrollback: 5_000,
    // xterm leaves the cursor's line unreflowed, for shells that redraw their prompt on a resize; the lab's
    // prompts (the host-key question, the simulated shell's) do not, so a narrower terminal (Presenter mode)
    // would cut the question's middle off.
    reflowCursorLine: true,
    onOpen: (term) => {
      term.onData((data) => propsRef.current.onData(data));
      term.onResize(({ cols, rows }) => propsRef.current.onResize?.(cols, rows));
      propsRef.current.onResize?.(term.cols, term.rows);
      propsRef.current.onReady?.();
    },
  });

  useImperativeHandle(
    props.ref,
    () => ({
      write: (data: string) => termRef.current?.write(data),
      focus: () => termRef.current?.focus(),
      clear: () => termRef.current?.write('\x1b[H\x1b[2J\x1b[3J'),
    }),
    [termRef],
  );

  return (
    <div role="log" aria-label={props.label} data-testid="ssh-terminal" className={TERMINAL_FRAME}>
      <div ref={hostRef} className="h-full w-full" />
    </div>
  );
}
