'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { useLabSocket } from '@/components/lab/lab-socket';
import type { Protocol } from '@/lib/wire/event.ts';

/** Sends one line into a console, as if typed and Enter pressed. */
export type SendLine = (line: string) => void;

/** A line waiting for its pattern's console, whose tab Send has just shown (the console connects on its first visit). */
interface Waiting {
  protocol: Protocol;
  panel: string;
  line: string;
}

/** Which of a console id's parts match a step: `<protocol>-<random>`, or `<protocol>-<kind>-<random>`. */
function takes(parts: string[], protocol: string, panel: string | undefined): boolean {
  return parts[0] === protocol && (parts.length === 2 || parts[1] === panel);
}

/**
 * The consoles this page has open or at their own prompt, as the lab socket reports them (`console` status messages come
 * only for this page's own consoles), so a lesson can send a step's `try` line into the lab's
 * console the way the quick-insert row under it does. Subscribe from the start (the dock mounts
 * with the page), or the first `open` would be missed.
 */
export function usePageConsoles(): (protocol: Protocol, panel?: string, show?: () => void) => SendLine | null {
  const { subscribe, send } = useLabSocket();
  // Open console ids, oldest first.
  const [open, setOpen] = useState<string[]>([]);
  // Lines whose tab Send showed; what the console then prints (or its Connecting…) is on screen in that tab.
  const queue = useRef<Waiting[]>([]);

  useEffect(
    () =>
      subscribe((message) => {
        if (message.type !== 'console') return;
        const id = message.consoleId;
        // Open, or at its own prompt (the SSH terminal before `ssh …`): it takes a line.
        const takesLines = message.status.state === 'open' || message.status.state === 'prompt';
        setOpen((ids) => {
          const rest = ids.filter((other) => other !== id);
          return takesLines ? [...rest, id] : rest.length === ids.length ? ids : rest;
        });
        if (!takesLines || queue.current.length === 0) return;
        const parts = id.split('-');
        const ready = queue.current.filter((w) => takes(parts, w.protocol, w.panel));
        if (ready.length === 0) return;
        queue.current = queue.current.filter((w) => !ready.includes(w));
        for (const w of ready) send({ type: 'console.send', consoleId: id, line: w.line });
      }),
    [subscribe, send],
  );

  /**
   * The sender for the console a step's lines go to, or null while none is open (the lesson then
   * offers Copy only). Console ids are `<protocol>-<random>`, or `<protocol>-<kind>-<random>` for a lab
   * with several (ZeroMQ's pattern tabs: components/lab/use-console.ts). A step names its panel: the
   * console of that kind takes its lines; a lab's single console takes every step's; a line for a
   * pattern whose tab is not open goes nowhere rather than into another pattern's socket. With `show`
   * (the step's panel is a tab), Send shows that tab and the line waits for the console it opens.
   */
  return useCallback(
    (protocol: Protocol, panel?: string, show?: () => void) => {
      const mine = open.map((consoleId) => consoleId.split('-')).filter((parts) => parts[0] === protocol);
      const target = mine.findLast((parts) => parts.length === 3 && parts[1] === panel) ?? mine.findLast((parts) => parts.length === 2);
      if (target) {
        const consoleId = target.join('-');
        return (line: string) => send({ type: 'console.send', consoleId, line });
      }
      if (!show || !panel) return null;
      return (line: string) => {
        queue.current = [...queue.current, { protocol, panel, line }];
        show();
      };
    },
    [open, send],
  );
}
