'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { messageIdParts, type LabMessage } from '@/lib/wire/event.ts';
import { messageParam, moveTo, parseMessageParam, playDelay } from './timeline';

export type Move = Parameters<typeof moveTo>[2];
export type Pace = number | 'recorded';

/** Where the player stands in a timeline, and how it moves. */
export interface Position {
  /** Index of the selected message, -1 while the timeline is empty. */
  index: number;
  selected: LabMessage | undefined;
  /** At the newest message and staying there as new ones arrive (a live connection). */
  following: boolean;
  go(move: Move): void;
  select(id: string): void;
  playing: boolean;
  play(): void;
  pause(): void;
  pace: Pace;
  setPace(pace: Pace): void;
  /** Said when the URL named a message the transcript does not have. */
  notice: string | null;
}

/**
 * The player's position: opens at the message the URL names (`?msg=<seq>`, or `<child>:<seq>` for a
 * data connection's), else at the newest message, following new ones; writes the position back
 * into the URL; steps with ←/→, Home and End; plays forward at a pace. With `at` (a seq of `conn`:
 * where a teacher rewound the class) it opens there instead and leaves the page's URL alone.
 */
export function usePosition(conn: string, messages: readonly LabMessage[], options: { loaded: boolean; startedAt(conn: string): number; at?: number }): Position {
  const [chosen, setChosen] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [pending, setPending] = useState<{ conn: string; seq: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [pace, setPace] = useState<Pace>(800);

  const at = options.at;
  useEffect(() => {
    const value = at === undefined ? new URLSearchParams(window.location.search).get('msg') : String(at);
    const target = parseMessageParam(conn, value);
    if (target) {
      setPending(target);
      setFollowing(false);
    } else if (value) setNotice(`“${value}” names no message; showing the newest.`);
  }, [conn, at]);

  // The named message is selected as soon as it has loaded; if the whole transcript came without it, say so.
  useEffect(() => {
    if (!pending) return;
    const hit = messages.find((m) => m.conn === pending.conn && m.seq === pending.seq);
    if (hit) {
      setChosen(hit.id);
      setPending(null);
    } else if (options.loaded) {
      setNotice(`Message ${pending.seq} is not in this transcript (not stored, or in another view); showing the newest.`);
      setPending(null);
      setFollowing(true);
    }
  }, [pending, messages, options.loaded]);

  const last = messages.length - 1;
  const found = chosen === null ? -1 : messages.findIndex((m) => m.id === chosen);
  // A message hidden by the view (endpoint vs wire) falls back to the nearest earlier shown one.
  const index = following || pending ? (pending ? -1 : last) : found >= 0 ? found : Math.min(last, Math.max(0, nearestBefore(messages, chosen)));
  const selected = index >= 0 ? messages[index] : undefined;

  const go = useCallback(
    (move: Move) => {
      const next = moveTo(index, messages.length, move);
      if (next < 0) return;
      setChosen(messages[next].id);
      setFollowing(next === messages.length - 1 && move === 'end');
      setPending(null);
    },
    [index, messages],
  );
  const select = useCallback((id: string) => {
    setChosen(id);
    setFollowing(false);
    setPending(null);
  }, []);

  // The URL names the selected message (replaceState: no history entry per step).
  useEffect(() => {
    if (!selected || pending || at !== undefined) return;
    const url = `${window.location.pathname}?msg=${encodeURIComponent(messageParam(conn, selected))}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, '', url);
  }, [conn, selected, pending, at]);

  // ←/→ step, Home/End jump; not while typing in a field or on the scrubber, which moves itself.
  useEffect(() => {
    const keys: Record<string, Move> = { ArrowLeft: 'back', ArrowRight: 'forward', Home: 'home', End: 'end' };
    const onKey = (event: KeyboardEvent) => {
      const move = keys[event.key];
      const target = event.target as HTMLElement | null;
      if (!move || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (isTyping(target)) return;
      event.preventDefault();
      setPlaying(false);
      go(move);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  // Play: one message at a time at the pace; at the end it stops (and a live connection keeps following).
  const startedAt = options.startedAt;
  useEffect(() => {
    if (!playing) return;
    if (index >= last) {
      setPlaying(false);
      setFollowing(true);
      return;
    }
    const timer = setTimeout(() => go('forward'), playDelay(pace, messages[index], messages[index + 1], startedAt));
    return () => clearTimeout(timer);
  }, [playing, index, last, pace, messages, go, startedAt]);

  const play = useCallback(() => {
    // From the end, Play starts over.
    if (index >= last) go('home');
    setPlaying(true);
  }, [index, last, go]);
  const pause = useCallback(() => setPlaying(false), []);

  return { index, selected, following, go, select, playing, play, pause, pace, setPace, notice };
}

/** Index of the last message before `id`'s place by message id order, for a selection the view hides. */
function nearestBefore(messages: readonly LabMessage[], id: string | null): number {
  if (!id) return messages.length - 1;
  const parts = messageIdParts(id);
  const [conn, seq] = [parts?.conn ?? id, Number(parts?.seq)];
  let best = 0;
  messages.forEach((m, i) => {
    if (m.conn === conn && m.seq <= seq) best = i;
  });
  return best;
}

/** Keys go to a field being typed in (or a slider) rather than the player; the read-only terminal's own textarea is not one. */
function isTyping(target: HTMLElement | null): boolean {
  if (!target || target.closest('.xterm')) return false;
  if (target.closest('textarea, select, [contenteditable]')) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}
