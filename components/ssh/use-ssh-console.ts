'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useConsoleGate } from '@/components/lab/console-gate';
import { useLabSocket } from '@/components/lab/lab-socket';
import { useConsole } from '@/components/lab/use-console';
import type { RawTerminalHandle } from '@/components/terminal/raw-terminal';
import type { HostKeyHint } from './handshake-steps';

/** Where the browser SSH terminal is: loading, at the local `$ ` prompt, connecting, or in a session. */
export type SshConsolePhase = 'starting' | 'prompt' | 'connecting' | 'open';

const MAX_PENDING = 256 * 1024;

/** What the terminal printed about the host key since the last connect (OpenSSH's words). */
export function hostKeyHintOf(text: string): HostKeyHint | undefined {
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(text)) return 'changed';
  if (/Host key verification failed/.test(text)) return 'refused';
  if (/Permanently added/.test(text)) return 'added';
  if (/continue connecting \(yes\/no/.test(text)) return 'asking';
  if (/'s password:|Welcome|Permission denied|Connection to .* closed/.test(text)) return 'matched';
  return undefined;
}

/**
 * The daemon's SSH console (servers/ssh/lab/console.ts) wired to a RawTerminal: output is
 * buffered until xterm has loaded, keystrokes and resizes go straight to the daemon, and the
 * host-key verdict the client printed is kept for the handshake timeline.
 */
export function useSshConsole() {
  const { connected } = useLabSocket();
  const termRef = useRef<RawTerminalHandle | null>(null);
  const ready = useRef(false);
  const pending = useRef<string[]>([]);
  const sinceConnect = useRef('');
  const [hint, setHint] = useState<HostKeyHint | undefined>();
  const [phase, setPhase] = useState<SshConsolePhase>('starting');

  const console_ = useConsole('ssh', {
    // Its greeting and help are folded to the terminal's width: open at the real size, not the default.
    waitForSize: true,
    // A lesson's Start over ends the session and opens a fresh terminal at its prompt (startOver below).
    afresh: true,
    onOutput: (data) => {
      if (ready.current && termRef.current) termRef.current.write(data);
      else if (pending.current.reduce((n, s) => n + s.length, 0) < MAX_PENDING) pending.current.push(data);
      sinceConnect.current = (sinceConnect.current + data).slice(-8000);
      setHint(hostKeyHintOf(sinceConnect.current));
      setPhase((p) => (p === 'starting' ? 'prompt' : p));
    },
  });

  // Every status message from the daemon is a new object; the initial one is the hook's default.
  const initial = useRef(console_.status);
  useEffect(() => {
    const status = console_.status;
    if (status === initial.current) return;
    if (status.state === 'connecting') {
      sinceConnect.current = '';
      setHint(undefined);
      setPhase('connecting');
    } else if (status.state === 'open') setPhase('open');
    else setPhase('prompt');
  }, [console_.status]);

  useEffect(() => {
    if (!connected) setPhase('starting');
  }, [connected]);

  const onReady = useCallback(() => {
    ready.current = true;
    for (const chunk of pending.current.splice(0)) termRef.current?.write(chunk);
  }, []);

  const { sendInput } = console_;
  /** Presses Enter at the local prompt: runs `ssh student@127.0.0.1 -p PORT`. */
  const connect = useCallback(() => {
    sendInput('\r');
    termRef.current?.focus();
  }, [sendInput]);

  const { startAfresh } = useConsoleGate();
  /** A lesson's Start over: the old session and its screen go, a fresh terminal greets at its prompt. */
  const startOver = useCallback(() => {
    termRef.current?.clear();
    sinceConnect.current = '';
    setHint(undefined);
    startAfresh();
  }, [startAfresh]);

  return { ...console_, termRef, onReady, hint, phase, connect, startOver };
}
