'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleStatus } from '@/lib/daemon/console.ts';
import type { Protocol } from '@/lib/wire/event.ts';
import { useLabSocket } from './lab-socket';

/** A browser console run by the daemon (see lib/daemon/console.ts): open, send lines, reconnect. */
export function useConsole(protocol: Protocol) {
  const { send, subscribe, connected } = useLabSocket();
  const [consoleId] = useState(() => `${protocol}-${Math.random().toString(36).slice(2, 10)}`);
  const [status, setStatus] = useState<ConsoleStatus>({ state: 'connecting' });
  const [conn, setConn] = useState<string | null>(null);
  const opened = useRef(false);

  useEffect(
    () =>
      subscribe((message) => {
        if (message.type !== 'console' || message.consoleId !== consoleId) return;
        setStatus(message.status);
        if (message.status.state === 'open') setConn(message.status.conn);
      }),
    [consoleId, subscribe],
  );

  const open = useCallback(() => send({ type: 'console.open', consoleId, protocol, cols: 100, rows: 30 }), [consoleId, protocol, send]);

  // Open once the socket is up; the daemon closes consoles when the socket drops, so reopen then.
  useEffect(() => {
    if (!connected) {
      opened.current = false;
      return;
    }
    if (!opened.current) {
      opened.current = true;
      open();
    }
  }, [connected, open]);

  return {
    consoleId,
    status,
    conn,
    sendLine: useCallback((line: string) => send({ type: 'console.send', consoleId, line }), [consoleId, send]),
    close: useCallback(() => send({ type: 'console.close', consoleId }), [consoleId, send]),
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
