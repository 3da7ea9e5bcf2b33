/**
 * What changed between two catalogues, service by service (keyed by the route table's stable name).
 * Line numbers are left out of the comparison: moving code is not a change to the API.
 */
import type { Catalogue, CatalogueChange, CatalogueDiff, CatalogueService } from './types.ts';

const FIELDS: CatalogueChange['field'][] = ['protocol', 'method', 'uriTemplate', 'summary', 'status', 'handler', 'request', 'reply', 'errors', 'calls'];

/** JSON with `line` dropped at every depth and object keys sorted, so equal content compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (key === 'line') return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function changesOf(before: CatalogueService, after: CatalogueService): CatalogueChange[] {
  return FIELDS.filter((field) => canonical(before[field]) !== canonical(after[field])).map((field) => ({ field, before: before[field], after: after[field] }));
}

/** Services of `b` not in `a` (added), of `a` not in `b` (removed), and in both but different (changed). */
export function diffCatalogues(a: Catalogue, b: Catalogue): CatalogueDiff {
  const before = new Map(a.services.map((s) => [s.id, s]));
  const after = new Map(b.services.map((s) => [s.id, s]));
  const changed: CatalogueDiff['changed'] = [];
  for (const service of b.services) {
    const old = before.get(service.id);
    if (!old) continue;
    const changes = changesOf(old, service);
    if (changes.length > 0) changed.push({ id: service.id, changes });
  }
  return {
    from: a.version,
    to: b.version,
    added: b.services.filter((s) => !before.has(s.id)).map((s) => s.id),
    removed: a.services.filter((s) => !after.has(s.id)).map((s) => s.id),
    changed,
  };
}
