'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { StepState } from '@/lib/bus/events.ts';
import { setPageBrowser } from '@/lib/http/contract.ts';
import type { ClientMessage, ServerMessage } from '@/lib/http/ws-protocol.ts';
import type { Protocol } from '@/lib/wire/event.ts';

type Listener = (message: ServerMessage) => void;

/** The page's one WebSocket to the daemon (/ws): live events in, console and step commands out. */
export interface LabSocket {
  connected: boolean;
  /** The socket was open and dropped (false while the page's first connection is still being made). */
  lost: boolean;
  send(message: ClientMessage): void;
  subscribe(listener: Listener): () => void;
  /** This browser's own step state per protocol (the daemon sends no other browser's). */
  step: Partial<Record<Protocol, StepState>>;
  /** The sandbox the daemon put this browser in (null until it said). */
  sandbox: string | null;
  /** The daemon's last error message for this page, shown in the UI. */
  lastError: string | null;
  /** Now on the daemon's clock (as its connections are stamped), from this page's clock and the offset `hello` told. */
  daemonNow(): number;
}


const LabSocketContext = createContext<LabSocket | null>(null);

/** Opens /ws, reconnects with backoff, and fans messages out to subscribers. */
export function LabSocketProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const [lost, setLost] = useState(false);
  const [step, setStep] = useState<Partial<Record<Protocol, StepState>>>({});
  const [lastError, setLastError] = useState<string | null>(null);
  const [sandbox, setSandbox] = useState<string | null>(null);
  const socketRef = useRef<WebSocket | null>(null);
  const listeners = useRef(new Set<Listener>());
  const outbox = useRef<ClientMessage[]>([]);
  /** How far the daemon's clock is ahead of this page's (a laptop in a classroom can be minutes off); latency ignored. */
  const offset = useRef(0);

  useEffect(() => {
    let stopped = false;
    let openedOnce = false;
    let retry = 250;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
      const socket = new WebSocket(url);
      socketRef.current = socket;
      socket.onopen = () => {
        retry = 250;
        openedOnce = true;
        setConnected(true);
        setLost(false);
        for (const message of outbox.current.splice(0)) socket.send(JSON.stringify(message));
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as ServerMessage;
        if (message.type === 'hello') {
          // API calls from now on carry this id, so what a route opens for this page is its own.
          setPageBrowser(message.browser);
          offset.current = message.now - Date.now();
          setSandbox(message.sandbox);
          setStep(Object.fromEntries(message.step.map((s) => [s.protocol, s])));
        }
        if (message.type === 'events') {
          const steps = message.events.filter((e) => e.type === 'step');
          if (steps.length) setStep((prev) => ({ ...prev, ...Object.fromEntries(steps.map((e) => [e.state.protocol, e.state])) }));
        }
        if (message.type === 'error') setLastError(message.message);
        for (const listener of listeners.current) listener(message);
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        // Lost only once a socket had opened; before that the page is still connecting.
        if (openedOnce) setLost(true);
        timer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, 5000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socketRef.current?.close();
    };
  }, []);

  const send = useCallback((message: ClientMessage) => {
    const socket = socketRef.current;
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else outbox.current.push(message);
  }, []);
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const daemonNow = useCallback(() => Date.now() + offset.current, []);
  const value = useMemo(() => ({ connected, lost, send, subscribe, step, sandbox, lastError, daemonNow }), [connected, lost, send, subscribe, step, sandbox, lastError, daemonNow]);
  return <LabSocketContext.Provider value={value}>{children}</LabSocketContext.Provider>;
}

export function useLabSocket(): LabSocket {
  const value = useContext(LabSocketContext);
  if (!value) throw new Error('useLabSocket outside LabSocketProvider');
  return value;
}
