import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, catalogueOf, diffCatalogues, type Catalogue, type CallNode, type CatalogueService } from './extract.ts';

const GOLDEN = path.join(REPO_ROOT, 'tests/golden/gateway/catalogue-v1.json');

function catalogue(version: string): Catalogue {
  const result = catalogueOf(version);
  if (!result.ok) throw new Error(`${result.error} ${JSON.stringify(result.problems)}`);
  return result.catalogue;
}

function service(cat: Catalogue, id: string): CatalogueService {
  const found = cat.services.find((s) => s.id === id);
  if (!found) throw new Error(`no service ${id} in ${cat.version}`);
  return found;
}

/** Every path from the handler down, as "Class.method" chains. */
function chains(nodes: CallNode[], prefix: string[] = []): string[] {
  return nodes.flatMap((n) => {
    const here = [...prefix, `${n.class ?? ''}.${n.method}`];
    return n.calls.length === 0 ? [here.join(' → ')] : chains(n.calls, here);
  });
}

describe('catalogue extraction (v1)', () => {
  it('matches the golden catalogue of v1', () => {
    const actual = `${JSON.stringify(catalogue('v1'), null, 2)}\n`;
    // UPDATE_GOLDEN=1 rewrites the file after a deliberate change to the services; review its diff.
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, actual);
    expect(actual).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });

  it('lists the fifteen REST routes in table order, then the two WSDL operations of the calendar', () => {
    const ids = catalogue('v1').services.map((s) => `${s.protocol} ${s.method} ${s.uriTemplate} ${s.id}`);
    expect(ids).toEqual([
      'rest GET /api/courses courses.list',
      'rest GET /api/courses/{courseId} courses.get',
      'rest POST /api/courses/{courseId}/enrolments courses.enrol',
      'rest DELETE /api/courses/{courseId}/enrolments/{student} courses.withdraw',
      'rest GET /api/library/books library.search',
      'rest GET /api/library/books/{isbn} library.book',
      'rest GET /api/library/books/{isbn}/cover library.cover',
      'rest POST /api/library/loans library.borrow',
      'rest POST /api/library/loans/{loanId}/return library.return',
      'rest GET /api/grades/{student} grades.transcript',
      'rest PUT /api/grades/{student}/{courseId} grades.record',
      'rest GET /api/grade-distributions/{courseId} grades.distribution',
      'rest GET /api/accounts/me accounts.me',
      'rest PATCH /api/accounts/me accounts.update',
      'rest GET /api/accounts/{username} accounts.get',
      'soap POST /soap/calendar soap.calendar.getMonth',
      'soap POST /soap/calendar soap.calendar.getYear',
    ]);
  });

  it('names the handler of courses.enrol, its types, its errors and its calls down to the repository', () => {
    const enrol = service(catalogue('v1'), 'courses.enrol');
    const { line, ...where } = enrol.handler;
    expect(where).toEqual({ class: 'CoursesController', method: 'enrol', file: 'servers/gateway/services/courses/controller.ts' });
    expect(Number.isInteger(line) && line > 0).toBe(true);
    expect(enrol.status).toBe(201);
    expect(enrol.request).toEqual({ name: 'CourseRef', array: false, fields: [{ name: 'courseId', type: 'string', optional: false }] });
    expect(enrol.reply.name).toBe('Enrolment');
    expect(enrol.reply.fields.map((f) => f.name)).toEqual(['courseId', 'student', 'since']);
    expect(enrol.errors).toContainEqual({ name: 'CourseFullError', status: 409, code: 'course-full' });
    expect(enrol.errors.map((e) => e.name)).toEqual(['BadRequestError', 'NotOwnerError', 'CourseNotFoundError', 'AlreadyEnrolledError', 'CourseFullError']);
    expect(chains(enrol.calls)).toContain('.requireUser');
    expect(chains(enrol.calls)).toContain('CourseService.enrol → CourseRepository.insertEnrolment');
    expect(chains(enrol.calls)).toContain('CourseService.enrol → CourseService.require → CourseRepository.findById');
    const serviceNode = enrol.calls.find((n) => n.class === 'CourseService');
    expect(serviceNode).toMatchObject({ method: 'enrol', layer: 'service', file: 'servers/gateway/services/courses/service.ts' });
    expect(serviceNode?.calls.find((n) => n.method === 'insertEnrolment')).toMatchObject({ class: 'CourseRepository', layer: 'repository' });
  });

  it('follows a call into another area: grades.transcript reads course titles through CourseService', () => {
    const transcript = service(catalogue('v1'), 'grades.transcript');
    expect(chains(transcript.calls)).toContain('GradeService.transcript → CourseService.require → CourseRepository.findById');
    expect(chains(transcript.calls)).toContain('GradeService.transcript → GradeRepository.findByStudent');
  });

  it('resolves array replies and optional query fields', () => {
    const list = service(catalogue('v1'), 'courses.list');
    expect(list.request.fields).toEqual([{ name: 'term', type: 'string', optional: true }]);
    expect(list.reply).toMatchObject({ name: 'CourseSummary[]', array: true });
    expect(list.reply.fields.map((f) => f.name)).toEqual(['id', 'title', 'term', 'seatsLeft']);
  });

  it('catalogues the binary cover service with its BinaryBody reply', () => {
    const cover = service(catalogue('v1'), 'library.cover');
    expect(cover.reply.name).toBe('BinaryBody');
    expect(cover.reply.fields.map((f) => f.name)).toEqual(['contentType', 'bytes']);
  });

  it('catalogues the SOAP calendar by its WSDL operations', () => {
    const getMonth = service(catalogue('v1'), 'soap.calendar.getMonth');
    expect(getMonth.handler).toMatchObject({ class: 'CALENDAR_OPERATIONS', method: 'getMonth', file: 'servers/soap/wsdl.ts' });
    expect(getMonth.request.fields).toEqual([
      { name: 'year', type: 'xsd:int', optional: false },
      { name: 'month', type: 'xsd:int', optional: false },
    ]);
    expect(getMonth.reply).toEqual({ name: 'getMonthResponse', array: false, fields: [{ name: 'calendar', type: 'xsd:string', optional: false }] });
    expect(getMonth.errors).toEqual([
      { name: 'CalendarFault', status: 500, code: 'soap-fault (SOAP 1.1)' },
      { name: 'CalendarFault', status: 400, code: 'soap-fault (SOAP 1.2 Sender)' },
    ]);
  });
});

describe('catalogue v1 → v2', () => {
  it('names exactly the route added, the route removed and the route changed', () => {
    const diff = diffCatalogues(catalogue('v1'), catalogue('v2'));
    expect(diff.from).toBe('v1');
    expect(diff.to).toBe('v2');
    expect(diff.added).toEqual(['library.renew']);
    expect(diff.removed).toEqual(['accounts.update']);
    expect(diff.changed).toEqual([
      { id: 'grades.record', changes: [{ field: 'uriTemplate', before: '/api/grades/{student}/{courseId}', after: '/api/students/{student}/grades/{courseId}' }] },
    ]);
  });

  it('resolves v2’s renew on the subclass and the inherited actions on the class that declares them', () => {
    const v2 = catalogue('v2');
    const renew = service(v2, 'library.renew');
    expect(renew.handler).toMatchObject({ class: 'LibraryControllerV2', method: 'renew', file: 'servers/gateway/services/v2/library-controller.ts' });
    expect(chains(renew.calls)).toContain('LibraryService.renew → LibraryService.requireOpenLoan → LoanRepository.findById');
    expect(chains(renew.calls)).toContain('LibraryService.renew → LoanRepository.update');
    expect(renew.errors.map((e) => e.code)).toContain('renewal-limit');
  });

  it('an identical catalogue has an empty diff', () => {
    expect(diffCatalogues(catalogue('v1'), catalogue('v1'))).toEqual({ from: 'v1', to: 'v1', added: [], removed: [], changed: [] });
  });
});

describe('catalogueOf', () => {
  it('reuses the result while the sources are unchanged', () => {
    catalogueOf('v1');
    const again = catalogueOf('v1');
    expect(again.stats.cached).toBe(true);
    expect(again.ok).toBe(true);
  });

  it('answers an unknown or malformed version with an error value', () => {
    expect(catalogueOf('v9')).toMatchObject({ ok: false, error: expect.stringContaining('No route table') });
    expect(catalogueOf('../../etc')).toMatchObject({ ok: false, error: expect.stringContaining('Unknown version') });
  });
});
