import { describe, expect, it } from 'vitest';
import type { AccessModel, DecisionRecord } from '../lab/contracts.ts';
import { DecisionPoint } from './decide.ts';
import { DecisionLog } from './log.ts';
import { decisionNote } from './note.ts';

/** Alice's club subscribes to a product with the library feature; Bob is in no group. */
function model(): AccessModel {
  return {
    features: [{ id: 1, name: 'library', description: '', services: ['library.book'] }],
    products: [{ id: 1, name: 'reader', description: '', features: [1] }],
    communities: [{ id: 1, name: 'campus', description: '' }],
    clubs: [{ id: 1, name: 'readers', description: '', community: 1 }],
    users: [
      { id: 1, name: 'alice', apiKey: 'ka', communities: [], clubs: [1] },
      { id: 2, name: 'bob', apiKey: 'kb', communities: [], clubs: [] },
    ],
    subscriptions: [{ id: 1, group: { kind: 'club', id: 1 }, product: 1, state: 'active' }],
    blacklist: [],
  };
}

describe('decision cache', () => {
  it('walks once per user and service, answers later asks from the cache, and walks again after a change', () => {
    let current = model();
    const point = new DecisionPoint(() => current);
    const alice = point.user('local', { name: 'alice' })!;
    const bob = point.user('local', { apiKey: 'kb' })!;
    const first = point.decide('local', alice, 'library.book');
    expect({ permit: first.permit, cache: first.cache }).toEqual({ permit: true, cache: 'miss' });
    const again = point.decide('local', alice, 'library.book');
    expect({ permit: again.permit, cache: again.cache, reason: again.reason }).toEqual({ permit: true, cache: 'hit', reason: first.reason });
    // Another user of the same service and the same user of another service are decisions of their own.
    expect(point.decide('local', bob, 'library.book')).toMatchObject({ permit: false, cache: 'miss' });
    expect(point.decide('local', alice, 'grades.list')).toMatchObject({ permit: false, cache: 'miss' });
    current = { ...model(), blacklist: [{ id: 1, user: 1, reason: 'test', since: 0 }] };
    point.invalidate('local', 'alice blacklisted');
    const after = point.decide('local', point.user('local', { name: 'alice' })!, 'library.book');
    expect({ permit: after.permit, cache: after.cache, generation: after.generation }).toEqual({ permit: false, cache: 'miss', generation: first.generation + 1 });
  });

  it("shares one note annotation among a cached decision's requests, and builds another for another decision", () => {
    const point = new DecisionPoint(() => model());
    const alice = point.user('local', { name: 'alice' })!;
    const record = (n: number, service: string): DecisionRecord => {
      const d = point.decide('local', alice, service);
      return { id: n, at: 0, conn: 'c', method: 'GET', path: '/', service, user: 'alice', via: 'basic', outcome: d.permit ? 'permit' : 'deny', status: 200, reason: d.reason, trace: d.trace, cache: d.cache, decisionUs: d.decisionUs, generation: d.generation };
    };
    const one = decisionNote(record(1, 'library.book'));
    const two = decisionNote(record(2, 'library.book'));
    expect(two.annotation).toBe(one.annotation);
    expect(one.annotation.explain).toContain('✓ service: library.book');
    const denied = decisionNote(record(3, 'grades.list'));
    expect(denied.annotation).not.toBe(one.annotation);
    expect(denied.annotation.level).toBe('warn');
    expect(two.text).toContain('decision cache hit');
  });
});

describe('decision log', () => {
  const entry = (id: number, conn: string): DecisionRecord => ({ id, at: id, conn, method: 'GET', path: '/', service: null, user: null, via: null, outcome: 'unknown-route', status: 404, reason: '', trace: [], cache: 'miss', decisionUs: 0, generation: 0 });

  it('keeps the newest 500 of a sandbox: recent newest first, a connection oldest first', () => {
    const log = new DecisionLog();
    for (let id = 1; id <= 1234; id++) log.add('local', entry(id, id % 2 ? 'odd' : 'even'));
    log.add('other', entry(9999, 'odd'));
    expect(log.recent('local', 3).map((r) => r.id)).toEqual([1234, 1233, 1232]);
    expect(log.recent('local', 10_000).map((r) => r.id)).toEqual(Array.from({ length: 500 }, (_, i) => 1234 - i));
    expect(log.recent('local', 0)).toEqual([]);
    const even = log.ofConnection('local', 'even').map((r) => r.id);
    expect(even).toEqual(Array.from({ length: 250 }, (_, i) => 736 + 2 * i));
    expect(log.recent('other', 5).map((r) => r.id)).toEqual([9999]);
    log.forget('local');
    expect(log.recent('local', 5)).toEqual([]);
  });
});
