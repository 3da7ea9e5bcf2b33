/**
 * The request console's starting points: a concrete path and body for any catalogued service (the
 * services' seeded data, so a permitted call succeeds), and the ladder of one decided request.
 * Pure, so it is tested without a browser.
 */
import type { CatalogueServiceView, DecisionRecord } from './api';

/** Values from the services' seeded store (servers/gateway/services/store.ts), by field name. */
export const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  courseId: 'NET101',
  isbn: '9780132126953',
  loanId: '1',
  q: 'tcp',
  term: '2025-spring',
  grade: 'A',
  displayName: 'Alice L.',
};

/** Fields that name a person take the calling user's name (their own transcript, their own profile). */
const PERSON_FIELDS = new Set(['student', 'username']);

const templateNames = (template: string) => [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]);

function valueOf(name: string, user: string | null): string {
  if (PERSON_FIELDS.has(name)) return user ?? 'alice';
  return EXAMPLE_VALUES[name] ?? name;
}

/** A concrete path for `service` as `user`: template variables filled, a known query field added for a GET. */
export function examplePath(service: Pick<CatalogueServiceView, 'uriTemplate' | 'method' | 'protocol' | 'request'>, user: string | null): string {
  const path = service.uriTemplate.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_all, name: string) => encodeURIComponent(valueOf(name, user)));
  if (service.protocol !== 'rest' || service.method !== 'GET') return path;
  const inPath = new Set(templateNames(service.uriTemplate));
  const query = service.request.fields.filter((f) => !inPath.has(f.name) && EXAMPLE_VALUES[f.name] !== undefined);
  return query.length ? `${path}?${query.map((f) => `${f.name}=${encodeURIComponent(EXAMPLE_VALUES[f.name])}`).join('&')}` : path;
}

/** A JSON body for a REST service that reads one (the request type's fields not in the path), else undefined. */
export function exampleBody(service: Pick<CatalogueServiceView, 'uriTemplate' | 'method' | 'protocol' | 'request'>, user: string | null): string | undefined {
  if (service.protocol !== 'rest' || service.method === 'GET' || service.method === 'DELETE') return undefined;
  const inPath = new Set(templateNames(service.uriTemplate));
  const fields = service.request.fields.filter((f) => !inPath.has(f.name));
  if (fields.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, valueOf(f.name, user)])));
}

/** The ladder's four lifelines, in the order a request meets them. */
export const LANES = ['client', 'interceptor', 'decision point', 'handler'] as const;
export type Lane = (typeof LANES)[number];

/** One arrow of the ladder. */
export interface LadderArrow {
  from: Lane;
  to: Lane;
  label: string;
  /** A second, dimmer line under the label. */
  detail?: string;
  tone: 'request' | 'ask' | 'permit' | 'deny' | 'reply';
}

/**
 * The arrows of one decided request in the order they happened: the request reaches the
 * interceptor; unless it is refused before any decision (401, 404, 405), the interceptor asks the
 * decision point; a permitted request goes on to the handler and its reply comes back; then the
 * client gets the answer.
 */
export function ladderArrows(d: DecisionRecord, handler?: string): LadderArrow[] {
  const who = d.user ? `${d.user} · ${d.via === 'api-key' ? 'X-Api-Key' : 'Basic'}` : 'no known user';
  const arrows: LadderArrow[] = [{ from: 'client', to: 'interceptor', label: `${d.method} ${d.path}`, detail: who, tone: 'request' }];
  if (d.outcome === 'unauthenticated' || d.outcome === 'unknown-route') {
    arrows.push({ from: 'interceptor', to: 'client', label: `${d.status} ${d.outcome === 'unauthenticated' ? 'not authenticated' : 'no such service'}`, detail: d.reason, tone: 'deny' });
    return arrows;
  }
  const broken = d.trace.find((s) => !s.ok);
  arrows.push({ from: 'interceptor', to: 'decision point', label: `${d.service ?? '?'}?`, detail: `may ${d.user ?? '?'} call it?`, tone: 'ask' });
  arrows.push({
    from: 'decision point',
    to: 'interceptor',
    label: d.outcome === 'permit' ? 'permit' : `deny at ${broken?.step ?? '?'}`,
    detail: `cache ${d.cache} · ${d.decisionUs} µs`,
    tone: d.outcome === 'permit' ? 'permit' : 'deny',
  });
  if (d.outcome === 'permit') {
    // Class on the second line: a lane is too narrow for `LibraryController.search` on one.
    const dot = handler?.lastIndexOf('.') ?? -1;
    arrows.push(
      handler && dot > 0
        ? { from: 'interceptor', to: 'handler', label: `${handler.slice(dot + 1)}()`, detail: handler.slice(0, dot), tone: 'request' }
        : { from: 'interceptor', to: 'handler', label: d.service ?? 'handler', tone: 'request' },
    );
    arrows.push({ from: 'handler', to: 'interceptor', label: `${d.status}`, tone: 'reply' });
    arrows.push({ from: 'interceptor', to: 'client', label: `${d.status}`, detail: 'passed on', tone: 'reply' });
  } else {
    arrows.push({ from: 'interceptor', to: 'client', label: `${d.status} ${d.status === 403 ? 'problem+json' : 'SOAP Fault'}`, detail: d.reason, tone: 'deny' });
  }
  return arrows;
}

/**
 * The interceptor note's explanation as one line for the terminal: the trace's links joined by
 * arrows (`✓ user bob → … → ✗ service library.borrow`), so that the terminal, which prints an
 * explanation's first sentence, shows the whole chain; the prose of each link is in the trace panel.
 */
export function traceLine(explain: string): string | null {
  const links = explain
    .split('\n')
    .filter((line) => /^[✓✗] /.test(line))
    // `✓ step: items — note`; a link without items is `✓ step: note`, shown as its step alone.
    .map((line) => (line.includes(' — ') ? line.split(' — ')[0].replace(': ', ' ').replace(/;/g, ',') : line.split(':')[0]));
  return links.length ? links.join(' → ') : null;
}
