'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  value: T | null;
  /** The last read's error in words (the API's own text); the last good value stays. */
  error: string | null;
  /** Reads again now (after an action changed what the read shows). */
  refresh(): void;
}

/**
 * Reads `load` now and again every `intervalMs` while `again(value)` says so (a roster: always; a
 * transcript: while its connection is live). A new `load` (keep it stable, e.g. useCallback)
 * starts over; null reads nothing. A read is never started before the previous one answered.
 */
export function usePoll<T>(load: ((signal: AbortSignal) => Promise<T>) | null, intervalMs: number, again: (value: T) => boolean = () => true): Polled<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const againRef = useRef(again);
  againRef.current = again;

  useEffect(() => {
    setValue(null);
    setError(null);
  }, [load]);

  useEffect(() => {
    if (!load) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const next = await load(abort.signal);
        if (abort.signal.aborted) return;
        setValue(next);
        setError(null);
        if (!againRef.current(next)) return;
      } catch (err) {
        if (abort.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
      }
      timer = setTimeout(() => void read(), intervalMs);
    };
    void read();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [load, intervalMs, round]);

  const refresh = useCallback(() => setRound((r) => r + 1), []);
  return { value, error, refresh };
}
