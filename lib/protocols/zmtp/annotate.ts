import { createAnnotator } from '../kit/prose.ts';
import { factOf } from './tables.ts';
import { TEXT } from './text.en.ts';

/** The ZMTP annotator: prose from text.en.ts, references from tables.ts. */
export const annotate = createAnnotator({ prose: TEXT, facts: factOf });
