/**
 * Turns table rows (commands.ts, replies.ts) and prose (text.en.ts) into annotations with the
 * protocol kit's one annotator.
 */
import type { Annotation, Level } from '../../wire/event.ts';
import { createAnnotator } from '../kit/prose.ts';
import { FTP_TEXT } from './text.en.ts';

/** The FTP annotator: `annotate(row)` or `annotate({ key, ref, level })`. */
export const annotate = createAnnotator({ prose: FTP_TEXT });

/** Builds the annotation for `key`, citing `ref` (the positional form the FTP lab's server side uses). */
export function ftpAnnotation(key: string, ref: string, level: Level = 'info'): Annotation {
  return annotate({ key, ref, level });
}
