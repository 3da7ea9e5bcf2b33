/**
 * The demo model every sandbox starts with (issue 12), so the lab teaches at once. Features are cut
 * from the catalogue by area: `<area>-read` (GET services) and `<area>-write` (the others), and
 * `calendar` (the SOAP calendar's operations). Product `basic` is every read feature; `premium` is
 * every feature, so it has what basic lacks (writes, the calendar). Community `university` has a club
 * `netclub`; `university` subscribes to basic, `netclub` to premium. alice is in netclub (and so in
 * university: basic and premium), bob in university only (basic), mallory in netclub but
 * blacklisted (nothing).
 */
import type { CatalogueService } from '../catalogue/types.ts';
import type { AccessStore } from './store.ts';

/** The demo users, as the tests and the page's recipes name them. */
export const DEMO_USERS = ['alice', 'bob', 'mallory'] as const;

/** The area of a service: `courses` of `courses.enrol`, `calendar` of `soap.calendar.getMonth`. */
export function areaOf(service: Pick<CatalogueService, 'id' | 'protocol'>): string {
  const parts = service.id.split('.');
  return service.protocol === 'soap' ? (parts.length > 2 ? parts[1] : parts[0]) : parts[0];
}

/** Writes the demo model of `sandbox` from the catalogue in force (once; `store.seed` marks it). */
export function writeDemo(store: AccessStore, sandbox: string, services: readonly CatalogueService[]): void {
  store.seed(sandbox, () => {
    const areas = [...new Set(services.map(areaOf))];
    const readIds: number[] = [];
    const allIds: number[] = [];
    for (const area of areas) {
      const inArea = services.filter((s) => areaOf(s) === area);
      if (inArea.every((s) => s.protocol === 'soap')) {
        const f = store.createFeature(sandbox, { name: area, description: `The SOAP ${area} service's operations.`, services: inArea.map((s) => s.id) }, true);
        allIds.push(f.id);
        continue;
      }
      const reads = inArea.filter((s) => s.method === 'GET');
      const writes = inArea.filter((s) => s.method !== 'GET');
      if (reads.length) {
        const f = store.createFeature(sandbox, { name: `${area}-read`, description: `Reading ${area}.`, services: reads.map((s) => s.id) }, true);
        readIds.push(f.id);
        allIds.push(f.id);
      }
      if (writes.length) {
        const f = store.createFeature(sandbox, { name: `${area}-write`, description: `Changing ${area}.`, services: writes.map((s) => s.id) }, true);
        allIds.push(f.id);
      }
    }
    const basic = store.createProduct(sandbox, { name: 'basic', description: 'Read everything.', features: readIds }, true);
    const premium = store.createProduct(sandbox, { name: 'premium', description: 'Read and change everything, and the SOAP calendar.', features: allIds }, true);
    const university = store.createCommunity(sandbox, { name: 'university', description: 'Everyone at the university.' }, true);
    const netclub = store.createClub(sandbox, { name: 'netclub', description: 'The networking club.', community: university.id }, true);
    store.createSubscription(sandbox, { group: { kind: 'community', id: university.id }, product: basic.id, state: 'active' }, true);
    store.createSubscription(sandbox, { group: { kind: 'club', id: netclub.id }, product: premium.id, state: 'active' }, true);
    store.createUser(sandbox, { name: 'alice', communities: [], clubs: [netclub.id] }, true);
    store.createUser(sandbox, { name: 'bob', communities: [university.id], clubs: [] }, true);
    const mallory = store.createUser(sandbox, { name: 'mallory', communities: [], clubs: [netclub.id] }, true);
    store.createBlacklist(sandbox, { user: mallory.id, reason: 'abused the loans service' }, true);
  });
}
