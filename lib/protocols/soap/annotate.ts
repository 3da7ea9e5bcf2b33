/**
 * Joins a fact row (tables.ts, versions.ts) with its prose (text.en.ts) into an Annotation with the
 * protocol kit's annotator. Call sites pass a key; its source and level come from the fact tables.
 * Unknown keys fall back to the key itself, so a missing text never breaks a transcript.
 */
import type { Annotation } from '../../wire/event.ts';
import { createAnnotator, type AnnotateOptions, type Fact } from '../kit/prose.ts';
import { ALL_FACTS, type FactRow } from './tables.ts';
import { TEXT_EN } from './text.en.ts';
import { SOAP_VERSIONS } from './versions.ts';

const VERSION_FACTS = new Map<string, FactRow>(Object.values(SOAP_VERSIONS).map((v) => [v.key, { key: v.key, ref: v.ref }]));

const base = createAnnotator({ prose: TEXT_EN, facts: (key) => ALL_FACTS.get(key) ?? VERSION_FACTS.get(key) });

/** Builds the annotation for `key`; `extra` is appended to the explanation (the concrete case); `ref` overrides the source. */
export function annotate(fact: Fact | string, options: AnnotateOptions = {}): Annotation {
  const a = base(fact, options);
  // An entry with nothing to say still says which key it is.
  return a.explain ? a : { ...a, explain: a.key ?? '' };
}
