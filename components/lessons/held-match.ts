/**
 * A held question against step mode's preview of the held message (StepState.next): whether it is
 * the message the question waits for, and its pattern as a student reads it.
 */
import type { HeldPreview } from '@/lib/bus/events.ts';
import { isQuestionMessage } from '@/lib/lessons/evaluate.ts';
import type { HeldQuestion } from '@/lib/lessons/types.ts';

/** Whether step mode holds the message a question waits for (its direction and text). */
export function holdsQuestion(question: HeldQuestion, next: HeldPreview | undefined): boolean {
  return next !== undefined && isQuestionMessage(question, next);
}

/** A `when` pattern as a student reads it: `^DATA\b` → `DATA`. */
export function readablePattern(source: string): string {
  return source.replace(/^\^/, '').replace(/\\b|\$$/g, '').replace(/\\s[+*]?/g, ' ').replace(/\\(.)/g, '$1') || source;
}
