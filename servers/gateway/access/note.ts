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

/** The note text and its annotation for one decision. */
export function decisionNote(record: DecisionRecord): { text: string; annotation: Annotation } {
  const who = record.user ? `${record.user}${record.via === 'api-key' ? ' (X-Api-Key)' : ' (Basic)'}` : 'nobody identified';
  const what = record.service ?? `${record.method} ${record.path}`;
  const cache = record.trace.length ? `, decision cache ${record.cache}, ${record.decisionUs} µs, model generation ${record.generation}` : '';
  const text = `${TITLES[record.outcome].replace('Interceptor: ', 'Interceptor ')}: ${who} → ${what}${cache}`;
  const trace = record.trace.map((step) => `${step.ok ? '✓' : '✗'} ${step.step}: ${step.items.length ? `${step.items.join('; ')} — ` : ''}${step.note}`);
  const explain = [record.reason, ...trace].join('\n');
  const level = record.outcome === 'permit' ? 'info' : record.outcome === 'deny' ? 'warn' : 'error';
  return { text, annotation: { key: `access.${record.outcome}`, title: TITLES[record.outcome], explain, ref: REFS[record.outcome], level } };
}
