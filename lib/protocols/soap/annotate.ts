/**
 * Joins a fact row (tables.ts, versions.ts) with its prose (text.en.ts) into an Annotation.
 * Unknown keys fall back to the key itself, so a missing text never breaks a transcript.
 */
import type { Annotation, Level } from '../../wire/event.ts';
import { ALL_FACTS, type FactRow } from './tables.ts';
import { TEXT_EN } from './text.en.ts';
import { SOAP_VERSIONS } from './versions.ts';

const VERSION_FACTS = new Map<string, FactRow>(Object.values(SOAP_VERSIONS).map((v) => [v.key, { key: v.key, ref: v.ref }]));

/** Builds the annotation for `key`; `extra` is appended to the explanation (the concrete case); `ref` overrides the source. */
export function annotate(key: string, options: { level?: Level; extra?: string; title?: string; ref?: string } = {}): Annotation {
  const fact = ALL_FACTS.get(key) ?? VERSION_FACTS.get(key);
  const prose = TEXT_EN[key];
  const explain = [prose?.explain, options.extra].filter(Boolean).join(' ');
  return {
    key,
    title: options.title ?? prose?.title ?? key,
    explain: explain || key,
    ref: options.ref ?? fact?.ref,
    level: options.level ?? fact?.level ?? 'info',
  };
}
