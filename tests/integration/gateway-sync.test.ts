/**
 * The catalogue through the lab's API: listed with the products that include each service, and Sync
 * to the second version of the sources — the diff names the added route, the host serves it, the
 * interceptor knows it, and it is reachable once a feature includes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessContracts as c } from '../../servers/gateway/lab/contracts.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { curl, demoModel } from './gateway-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

describe('the catalogue and Sync', () => {
  it('lists each service with its method, URI template, handler and the products that include it', async () => {
    const catalogue = await lab.api(c.catalogue);
    expect(catalogue).toMatchObject({ revision: 1, version: 'v1' });
    expect(catalogue.services.length).toBeGreaterThanOrEqual(12);
    const search = catalogue.services.find((s) => s.id === 'library.search');
    expect(search).toMatchObject({ method: 'GET', uriTemplate: '/api/library/books', handler: { class: 'LibraryController', method: 'search' } });
    expect(search?.products.sort()).toEqual(['basic', 'premium']);
    expect(catalogue.services.find((s) => s.id === 'library.borrow')?.products).toEqual(['premium']);
    expect(catalogue.services.filter((s) => s.protocol === 'soap').every((s) => s.uriTemplate === '/soap/calendar' && s.products.join() === 'premium')).toBe(true);
  });

  it('syncs to v2: the diff names the new route, which is then served but in no feature until an admin adds it', async () => {
    const before = await curl(lab, 'POST', '/api/library/loans/1/renewal', { user: 'alice' });
    expect(before.status).toBe(404);
    expect(JSON.parse(before.body).title).toBe('No such service');

    const { catalogue, diff } = await lab.api(c.sync, { body: { version: 'v2' } });
    expect(catalogue).toMatchObject({ revision: 2, version: 'v2' });
    expect(diff.from).toEqual({ revision: 1, version: 'v1' });
    expect(diff.added).toContain('library.renew');
    expect(diff.removed).toContain('accounts.update');
    const renew = catalogue.services.find((s) => s.id === 'library.renew')!;
    expect(renew.products).toEqual([]);

    const denied = await curl(lab, 'POST', renew.uriTemplate.replace('{loanId}', '1'), { user: 'alice' });
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body).detail).toMatch(/No feature includes it/);

    const model = await demoModel(lab);
    const write = model.features.find((f) => f.name === 'library-write')!;
    await lab.api(c.features.update, { params: { id: write.id }, body: { name: write.name, description: write.description, services: [...write.services, 'library.renew'] } });
    const reached = await curl(lab, 'POST', renew.uriTemplate.replace('{loanId}', '1'), { user: 'alice' });
    // The handler answered (whatever it thinks of loan 1): the interceptor let it through.
    expect(JSON.parse(reached.body).title).not.toBe('Access denied');
    const { decisions } = await lab.api(c.decisions, { query: { limit: 1 } });
    expect(decisions[0]).toMatchObject({ outcome: 'permit', service: 'library.renew', user: 'alice', status: reached.status });
  });
});
