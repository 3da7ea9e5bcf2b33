/**
 * Turns table rows (commands.ts, replies.ts) and prose (text.en.ts) into annotations.
 */
import type { Annotation, Level } from '../../wire/event.ts';
import { ftpText } from './text.en.ts';

/** Builds the annotation for `key`, citing `ref`. */
export function ftpAnnotation(key: string, ref: string, level: Level = 'info'): Annotation {
  const { title, explain } = ftpText(key);
  return { key, title, explain, ref, level };
}
