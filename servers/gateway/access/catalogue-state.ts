/**
 * The catalogue in force and the services it describes, swapped together by Sync: extracting a
 * version's catalogue from its sources (no code run), mounting the same version's handlers, and
 * the routing table the interceptor identifies services by. Revisions count up from 1.
 */
import { HttpError } from '../../../lib/http/api-kit.ts';
import { catalogueOf, diffCatalogues } from '../catalogue/extract.ts';
import type { Catalogue, CatalogueDiff, ExtractStats } from '../catalogue/types.ts';
import { servicesOf, type MountedService, type ServiceVersion } from '../services/index.ts';
import { RouteTable } from './routing.ts';

export interface CatalogueRevision {
  revision: number;
  version: ServiceVersion;
  extractedAt: number;
  stats: ExtractStats;
  catalogue: Catalogue;
  routes: RouteTable;
  /** The version's handlers by service name. */
  handlers: Map<string, MountedService>;
}

function extract(version: ServiceVersion, revision: number): CatalogueRevision {
  const result = catalogueOf(version);
  if (!result.ok) {
    const where = result.problems.slice(0, 3).map((p) => `${p.file}:${p.line} ${p.message}`).join('; ');
    throw new HttpError(500, `Could not extract the ${version} catalogue: ${result.error}${where ? ` (${where})` : ''}`);
  }
  const services = result.catalogue.services;
  return {
    revision,
    version,
    extractedAt: Date.now(),
    stats: result.stats,
    catalogue: result.catalogue,
    routes: new RouteTable(services.map((s) => ({ id: s.id, method: s.method, uriTemplate: s.uriTemplate, protocol: s.protocol }))),
    handlers: new Map(servicesOf(version).map((m) => [m.name, m])),
  };
}

export class CatalogueState {
  private current: CatalogueRevision;

  constructor(version: ServiceVersion = 'v1') {
    this.current = extract(version, 1);
  }

  get now(): CatalogueRevision {
    return this.current;
  }

  /** Extracts `version` again and puts it in force; the diff is from the revision it replaces. */
  sync(version: ServiceVersion): { revision: CatalogueRevision; diff: CatalogueDiff } {
    const before = this.current;
    const after = extract(version, before.revision + 1);
    this.current = after;
    return { revision: after, diff: diffCatalogues(before.catalogue, after.catalogue) };
  }
}
