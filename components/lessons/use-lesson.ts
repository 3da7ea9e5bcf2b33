'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { evaluateLesson, type LessonAnswer } from '@/lib/lessons/evaluate.ts';
import type { Lesson, StepStatus } from '@/lib/lessons/types.ts';
import { useConsoleGate } from '@/components/lab/console-gate';
import { lessonApi, type LessonState } from './lesson-api';
import { mergeStatus, protocolsOf } from './lesson-status';
import { useLessonMessages } from './use-lesson-messages';

/** A lesson open in the panel: the lesson, each step's state (live), and what the student can do. */
export interface OpenLesson {
  lesson: Lesson | null;
  /** When this sandbox started it (null until the start is confirmed). */
  startedAt: number | null;
  status: StepStatus[];
  error: string | null;
  /** Starts over: done steps and answers are cleared, only new messages count. */
  restart(): Promise<boolean>;
  answer(step: string, given: string): Promise<void>;
}

/** Stored progress is refreshed this long after the live view changes (the transcript writer lags a little). */
const REFRESH_MS = [1000, 4000];

/**
 * Loads a lesson and this sandbox's stored progress (starting the lesson if it never was, so the
 * student's first messages count), then evaluates it live in the browser on the lab feed with the
 * same function the daemon uses (lib/lessons/evaluate.ts). Whatever the live view proves, the stored
 * progress is refreshed after it, so the daemon keeps it (a step once done stays done).
 */
export function useLesson(id: string): OpenLesson {
  const [state, setState] = useState<LessonState | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Answers given from this page, with where they were given, for the live evaluation.
  const [answers, setAnswers] = useState<Record<string, LessonAnswer>>({});
  // Each start begins a new generation: a reply to a call made before it is stale and dropped.
  const generation = useRef(0);

  useEffect(() => {
    let stopped = false;
    const asked = ++generation.current;
    setState(null);
    setError(null);
    setAnswers({});
    lessonApi
      .get(id)
      .then((got) => (got.startedAt === null ? lessonApi.start(id) : got))
      .then((got) => !stopped && asked === generation.current && setState(got))
      .catch((e: Error) => !stopped && setError(e.message));
    return () => {
      stopped = true;
    };
  }, [id]);

  const lesson = state?.lesson ?? null;
  const startedAt = state?.startedAt ?? null;

  // The page's consoles wait for the start, so the greeting counts (components/lab/console-gate.tsx).
  const { release: releaseConsoles } = useConsoleGate();
  useEffect(() => {
    if (startedAt !== null || error !== null) releaseConsoles();
  }, [startedAt, error, releaseConsoles]);
  const messages = useLessonMessages(useMemo(() => (lesson ? protocolsOf(lesson) : []), [lesson]), startedAt);
  const live = useMemo(() => (lesson ? evaluateLesson(lesson, messages, answers) : []), [lesson, messages, answers]);
  const status = useMemo(() => mergeStatus(state?.status ?? [], live), [state, live]);

  const refresh = useCallback((lessonId: string) => {
    const asked = generation.current;
    void lessonApi.get(lessonId).then((got) => asked === generation.current && setState(got), () => {});
  }, []);

  // Whatever the live view newly proves, let the daemon evaluate and keep it too.
  const liveKey = live.map((s) => `${s.done ? 1 : 0}${s.whatIfSeen ? 1 : 0}${s.answer?.actual ?? '-'}`).join('');
  const refreshed = useRef(liveKey);
  useEffect(() => {
    if (!lesson || liveKey === refreshed.current) return;
    refreshed.current = liveKey;
    const timers = REFRESH_MS.map((ms) => setTimeout(() => refresh(lesson.id), ms));
    return () => timers.forEach(clearTimeout);
  }, [lesson, liveKey, refresh]);

  const latest = useRef(messages);
  latest.current = messages;

  const restart = useCallback(async () => {
    setError(null);
    const asked = ++generation.current;
    try {
      const started = await lessonApi.start(id);
      if (asked !== generation.current) return false;
      setAnswers({});
      setState(started);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  }, [id]);

  const answer = useCallback(
    async (step: string, given: string) => {
      // The held message is released after the answer: the newest message now comes before it.
      const after = latest.current.at(-1)?.id ?? null;
      const next = await lessonApi.answer(id, step, given);
      setAnswers((prev) => ({ ...prev, [step]: { given, after } }));
      setState(next);
    },
    [id],
  );

  return { lesson, startedAt, status, error, restart, answer };
}
