import { describe, expect, it } from 'vitest';
import { catalogueOf } from '../catalogue/extract.ts';
import { SERVICE_VERSIONS, matchService, servicesOf, type MountedService, type ServiceReply, type ServiceVersion } from './index.ts';

async function call(services: MountedService[], method: string, path: string, user: string | null, body?: unknown, query: Record<string, string> = {}) {
  const hit = matchService(services, method, path);
  if (!hit) return { name: null, reply: null };
  const reply = await hit.service.dispatch({ method, path, params: hit.params, query, body, user });
  return { name: hit.service.name, reply };
}

function json(reply: ServiceReply | null): unknown {
  if (!reply || typeof reply.body !== 'string') throw new Error('expected a text body');
  return JSON.parse(reply.body);
}

describe('service host routes', () => {
  it('prefers a literal segment to a template variable: /api/accounts/me is the caller, not a user named me', async () => {
    const v1 = servicesOf('v1');
    const me = await call(v1, 'GET', '/api/accounts/me', 'alice');
    expect(me.name).toBe('accounts.me');
    expect(json(me.reply)).toEqual({ username: 'alice', displayName: 'Alice', email: 'alice@university.test', role: 'student' });
    const other = await call(v1, 'GET', '/api/accounts/carol', 'alice');
    expect(other.name).toBe('accounts.get');
    expect(json(other.reply)).toEqual({ username: 'carol', displayName: 'Carol', role: 'staff' });
  });

  it('enrols until the course is full, then answers a 409 problem naming the declared error', async () => {
    const v1 = servicesOf('v1');
    const first = await call(v1, 'POST', '/api/courses/NET101/enrolments', 'mallory');
    expect(first.reply).toMatchObject({ status: 201, contentType: 'application/json' });
    expect(json(first.reply)).toEqual({ courseId: 'NET101', student: 'mallory', since: '2025-03-03' });
    const full = await call(v1, 'POST', '/api/courses/NET101/enrolments', 'carol');
    expect(full.reply).toMatchObject({ status: 409, contentType: 'application/problem+json' });
    expect(json(full.reply)).toEqual({ type: 'tag:protocol-lab.local,2025:services/course-full', title: 'Course full', status: 409, detail: 'NET101 has no seat left.', service: 'courses.enrol' });
  });

  it('answers bad input with a 400 problem naming the field', async () => {
    const v1 = servicesOf('v1');
    const bad = await call(v1, 'POST', '/api/library/loans', 'bob', { isbn: 42 });
    expect(bad.reply?.status).toBe(400);
    expect(json(bad.reply)).toMatchObject({ detail: 'Body field "isbn" must be a non-empty string.' });
    const badParam = await call(v1, 'GET', '/api/courses/net-101', 'bob');
    expect(json(badParam.reply)).toMatchObject({ status: 400, detail: 'Path parameter "courseId" must be a course code like NET101.' });
    const badEscape = matchService(v1, 'GET', '/api/courses/%E0%A4%A');
    expect(badEscape).toBeNull();
  });

  it('serves a book cover as BMP bytes', async () => {
    const cover = await call(servicesOf('v1'), 'GET', '/api/library/books/9780132126953/cover', 'bob');
    expect(cover.reply).toMatchObject({ status: 200, contentType: 'image/bmp' });
    const bytes = cover.reply?.body as Uint8Array;
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('BM');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(2, true)).toBe(bytes.length);
  });

  it('lets only staff record grades and only the student or staff read a transcript', async () => {
    const v1 = servicesOf('v1');
    expect((await call(v1, 'PUT', '/api/grades/bob/NET101', 'bob', { grade: 'A' })).reply?.status).toBe(403);
    const recorded = await call(v1, 'PUT', '/api/grades/bob/NET101', 'carol', { grade: 'A' });
    expect(json(recorded.reply)).toEqual({ student: 'bob', courseId: 'NET101', grade: 'A', previous: 'B' });
    expect(json((await call(v1, 'GET', '/api/grades/alice', 'bob')).reply)).toMatchObject({ status: 403, type: 'tag:protocol-lab.local,2025:services/not-owner' });
    expect(json((await call(v1, 'GET', '/api/grades/bob', 'bob')).reply)).toEqual({ student: 'bob', lines: [{ courseId: 'NET101', title: 'Computer networks', grade: 'A' }] });
  });

  it('gives each servicesOf call its own store', async () => {
    const a = servicesOf('v1');
    await call(a, 'PATCH', '/api/accounts/me', 'bob', { displayName: 'Robert' });
    expect(json((await call(a, 'GET', '/api/accounts/me', 'bob')).reply)).toMatchObject({ displayName: 'Robert' });
    expect(json((await call(servicesOf('v1'), 'GET', '/api/accounts/me', 'bob')).reply)).toMatchObject({ displayName: 'Bob' });
  });

  it('v2 renews a loan twice and then refuses, moved grades.record, and has no profile update', async () => {
    const v2 = servicesOf('v2');
    const loan = json((await call(v2, 'POST', '/api/library/loans', 'alice', { isbn: '9780201633467' })).reply) as { id: number; due: string };
    expect(loan.due).toBe('2025-03-17');
    expect(json((await call(v2, 'POST', `/api/library/loans/${loan.id}/renewal`, 'alice')).reply)).toMatchObject({ due: '2025-03-31', renewals: 1 });
    expect(json((await call(v2, 'POST', `/api/library/loans/${loan.id}/renewal`, 'bob')).reply)).toMatchObject({ status: 403, type: 'tag:protocol-lab.local,2025:services/not-owner' });
    await call(v2, 'POST', `/api/library/loans/${loan.id}/renewal`, 'alice');
    expect(json((await call(v2, 'POST', `/api/library/loans/${loan.id}/renewal`, 'alice')).reply)).toMatchObject({ status: 409, type: 'tag:protocol-lab.local,2025:services/renewal-limit' });
    expect((await call(v2, 'PUT', '/api/students/bob/grades/NET101', 'carol', { grade: 'C' })).name).toBe('grades.record');
    expect((await call(v2, 'PUT', '/api/grades/bob/NET101', 'carol', { grade: 'C' })).name).toBeNull();
    expect((await call(v2, 'PATCH', '/api/accounts/me', 'bob', { displayName: 'X' })).name).toBeNull();
  });

  it.each(SERVICE_VERSIONS)('mounts exactly the REST routes the static catalogue of %s lists', (version: ServiceVersion) => {
    const result = catalogueOf(version);
    if (!result.ok) throw new Error(result.error);
    const statics = result.catalogue.services.filter((s) => s.protocol === 'rest').map((s) => `${s.id} ${s.method} ${s.uriTemplate}`);
    expect(servicesOf(version).map((s) => `${s.name} ${s.method} ${s.uriTemplate}`)).toEqual(statics);
  });
});
