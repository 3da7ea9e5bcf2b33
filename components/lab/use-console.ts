'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleStatus } from '@/lib/http/ws-protocol.ts';
import type { Protocol } from '@/lib/wire/event.ts';
import { useConsoleGate } from './console-gate';
import { useLabSocket } from './lab-socket';

/** Optional hooks for character-at-a-time consoles (SSH): raw output and the terminal's size. */
export interface ConsoleOptions {
  /** Receives the daemon's `console.output` (already safe to write into xterm). */
  onOutput?: (data: string) => void;
  /** Which of the lab's consoles (a lab with several, e.g. ZeroMQ's per pattern); omitted: its default. */
  kind?: string;
  /**
   * Opens only once the terminal's size (resize) has settled: the daemon folds what it writes first
   * (the SSH terminal's greeting) to the size the console opened with, and a page still laying out
   * (Presenter mode's larger text) resizes its terminal more than once.
   */
  waitForSize?: boolean;
  /**
   * Reconnects when a lesson on the page starts over (console-gate.tsx), so the lesson sees its
   * handshake again: for consoles whose page keeps no session state of its own about them.
   */
  afresh?: boolean;
}

/** How long the terminal's size must stay the same before a console that waits for it opens. */
const SIZE_SETTLES_MS = 200;

/** A browser console run by the daemon (see servers/daemon/console.ts): open, send lines, reconnect. */
export function useConsole(protocol: Protocol, options: ConsoleOptions = {}) {
  const { send, subscribe, connected } = useLabSocket();
  // A lesson opening with the page holds its consoles until its start is recorded (console-gate.tsx).
  const { held, afresh } = useConsoleGate();
  const onOutput = useRef(options.onOutput);
  onOutput.current = options.onOutput;
  const size = useRef({ cols: 100, rows: 30 });
  // The id names the protocol and the console's kind (`zmq-sub-…`): a lesson sends a step's lines to the console of its panel.
  const [consoleId] = useState(() => [protocol, options.kind, Math.random().toString(36).slice(2, 10)].filter(Boolean).join('-'));
  const [status, setStatus] = useState<ConsoleStatus>({ state: 'connecting' });
  const [conn, setConn] = useState<string | null>(null);
  const opened = useRef(false);
  const [sized, setSized] = useState(!options.waitForSize);
  const settling = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(settling.current), []);

  useEffect(
    () =>
      subscribe((message) => {
        if (message.type === 'console.output' && message.consoleId === consoleId) onOutput.current?.(message.data);
        if (message.type !== 'console' || message.consoleId !== consoleId) return;
        setStatus(message.status);
        if (message.status.state === 'open') setConn(message.status.conn);
      }),
    [consoleId, subscribe],
  );

  const kind = options.kind;
  const open = useCallback(() => send({ type: 'console.open', consoleId, protocol, ...(kind ? { kind } : {}), ...size.current }), [consoleId, protocol, kind, send]);

  // Open once the socket is up (and the terminal's size known, if asked, and no lesson holds it); the
  // daemon closes consoles when the socket drops, so reopen then.
  useEffect(() => {
    if (!connected) {
      opened.current = false;
      return;
    }
    if (!opened.current && sized && !held) {
      opened.current = true;
      open();
    }
  }, [connected, sized, held, open]);

  const afreshSeen = useRef(afresh);
  const followsLesson = options.afresh ?? false;
  useEffect(() => {
    if (afresh === afreshSeen.current) return;
    afreshSeen.current = afresh;
    // A console not opened yet opens after the new start anyway.
    if (followsLesson && opened.current) open();
  }, [afresh, followsLesson, open]);

  return {
    consoleId,
    status,
    conn,
    sendLine: useCallback((line: string) => send({ type: 'console.send', consoleId, line }), [consoleId, send]),
    close: useCallback(() => send({ type: 'console.close', consoleId }), [consoleId, send]),
    /** Raw keystrokes (character-at-a-time consoles). */
    sendInput: useCallback((data: string) => send({ type: 'console.input', consoleId, data }), [consoleId, send]),
    /** The terminal's size; also used when the console is (re)opened. */
    resize: useCallback(
      (cols: number, rows: number) => {
        const next = { cols: Math.min(500, Math.max(10, cols)), rows: Math.min(500, Math.max(10, rows)) };
        if (!sized) {
          clearTimeout(settling.current);
          settling.current = setTimeout(() => setSized(true), SIZE_SETTLES_MS);
        }
        if (next.cols === size.current.cols && next.rows === size.current.rows) return;
        size.current = next;
        send({ type: 'console.resize', consoleId, ...next });
      },
      [consoleId, send, sized],
    ),
    reconnect: open,
  };
}

/** A short status line for the terminal. */
export function describeStatus(status: ConsoleStatus, connected: boolean): string | undefined {
  if (!connected) return 'Lost contact with the lab daemon — reconnecting…';
  if (status.state === 'connecting') return 'Connecting…';
  if (status.state === 'closed') return `${status.reason} Press Reconnect to start a new session.`;
  return undefined;
}
