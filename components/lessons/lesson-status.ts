/**
 * Pure helpers of the lesson panel: which protocols' messages a lesson reads, and one step state
 * from what the daemon kept and what the browser sees live.
 */
import type { Lesson, MessageMatch, StepStatus } from '@/lib/lessons/types.ts';
import type { Protocol } from '@/lib/wire/event.ts';

/** Every protocol a lesson's proofs read: its lab, and any other its matches name. */
export function protocolsOf(lesson: Lesson): Protocol[] {
  const found = new Set<Protocol>([lesson.lab]);
  const add = (matches: readonly MessageMatch[]) => matches.forEach((m) => m.protocol && found.add(m.protocol));
  for (const step of lesson.steps) {
    add(step.proof.all);
    if (step.whatIf) add(step.whatIf.proof.all);
    if (step.question) add([step.question.answer.from]);
  }
  return [...found];
}

/**
 * Stored and live, per step: done if either says so (the stored proof wins: it is the first one);
 * what-if seen if either; the answer with its real value from whichever has it.
 */
export function mergeStatus(stored: readonly StepStatus[], live: readonly StepStatus[]): StepStatus[] {
  const byStep = new Map(stored.map((s) => [s.step, s]));
  const steps = live.length > 0 ? live : stored;
  return steps.map((l) => {
    const s = byStep.get(l.step);
    if (!s) return l;
    const merged: StepStatus = {
      step: l.step,
      done: s.done || l.done,
      proof: s.done ? s.proof : l.proof,
    };
    if (s.whatIfSeen !== undefined || l.whatIfSeen !== undefined) merged.whatIfSeen = Boolean(s.whatIfSeen || l.whatIfSeen);
    const answer = l.answer?.actual != null ? l.answer : (s.answer ?? l.answer);
    if (answer) merged.answer = answer;
    return merged;
  });
}
