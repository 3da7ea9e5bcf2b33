/**
 * The interceptor's decision as a note on the HTTP connection's transcript (endpoint view): one
 * line saying what was decided, and the trace user → groups → subscriptions → products → features
 * → service in the explanation, the broken link marked.
 */
import type { Annotation } from '../../../lib/wire/event.ts';
import type { DecisionRecord } from '../lab/contracts.ts';

const TITLES: Record<DecisionRecord['outcome'], string> = {
  permit: 'Interceptor: permitted',
  deny: 'Interceptor: denied',
  unauthenticated: 'Interceptor: not authenticated',
  'unknown-route': 'Interceptor: no such service',
};

const REFS: Record<DecisionRecord['outcome'], string> = {
  permit: 'RFC 9110 §11',
  deny: 'RFC 9457 §3',
  unauthenticated: 'RFC 9110 §11.6.1',
  'unknown-route': 'RFC 9110 §15.5.5',
};

/** The note's own wording of each title ("Interceptor permitted: …"). */
const TEXT_TITLES = Object.fromEntries(Object.entries(TITLES).map(([outcome, title]) => [outcome, title.replace('Interceptor: ', 'Interceptor ')])) as Record<DecisionRecord['outcome'], string>;

/**
 * The annotation of each decision the decision point has cached, by its trace (a cache hit hands back the
 * cached trace itself): built once, not on every request, and one object the store's writer clones once
 * per batch. The explanation is the whole trace, the longest string the interceptor writes.
 */
const annotationByTrace = new WeakMap<DecisionRecord['trace'], { outcome: DecisionRecord['outcome']; reason: string; annotation: Annotation }>();

/** The note text and its annotation for one decision. */
export function decisionNote(record: DecisionRecord): { text: string; annotation: Annotation } {
  const who = record.user ? `${record.user}${record.via === 'api-key' ? ' (X-Api-Key)' : ' (Basic)'}` : 'nobody identified';
  const what = record.service ?? `${record.method} ${record.path}`;
  const cache = record.trace.length ? `, decision cache ${record.cache}, ${record.decisionUs} µs, model generation ${record.generation}` : '';
  return { text: `${TEXT_TITLES[record.outcome]}: ${who} → ${what}${cache}`, annotation: annotationOf(record) };
}

function annotationOf(record: DecisionRecord): Annotation {
  if (record.trace.length === 0) return traceAnnotation(record);
  const made = annotationByTrace.get(record.trace);
  if (made && made.outcome === record.outcome && made.reason === record.reason) return made.annotation;
  const annotation = traceAnnotation(record);
  annotationByTrace.set(record.trace, { outcome: record.outcome, reason: record.reason, annotation });
  return annotation;
}

function traceAnnotation(record: DecisionRecord): Annotation {
  const trace = record.trace.map((step) => `${step.ok ? '✓' : '✗'} ${step.step}: ${step.items.length ? `${step.items.join('; ')} — ` : ''}${step.note}`);
  const explain = [record.reason, ...trace].join('\n');
  const level = record.outcome === 'permit' ? 'info' : record.outcome === 'deny' ? 'warn' : 'error';
  return { key: `access.${record.outcome}`, title: TITLES[record.outcome], explain, ref: REFS[record.outcome], level };
}
