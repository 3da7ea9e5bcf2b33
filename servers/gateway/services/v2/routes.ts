/**
 * Version 2 of the service host's API, against version 1: loan renewal added (library.renew), the
 * profile update removed (accounts.update), and grades.record moved under the student
 * (/api/students/{student}/grades/{courseId}). A full literal table, like version 1's, so the
 * catalogue extractor reads it without running it.
 */
import type { AppServices } from '../app.ts';
import { AccountsController } from '../accounts/controller.ts';
import { AccountNotFoundError, parseNoInput, parseUsernameRef } from '../accounts/types.ts';
import { CoursesController } from '../courses/controller.ts';
import {
  AlreadyEnrolledError,
  CourseFullError,
  CourseNotFoundError,
  NotEnrolledError,
  parseCourseList,
  parseCourseRef,
  parseEnrolmentRef,
} from '../courses/types.ts';
import { GradesController } from '../grades/controller.ts';
import { StaffOnlyError, StudentNotFoundError, parseRecordGrade, parseStudentRef } from '../grades/types.ts';
import { LibraryController } from '../library/controller.ts';
import { LibraryControllerV2 } from './library-controller.ts';
import {
  BookNotFoundError,
  LoanClosedError,
  LoanNotFoundError,
  NoCopyAvailableError,
  RenewalLimitError,
  parseBookSearch,
  parseBorrow,
  parseIsbnRef,
  parseLoanRef,
} from '../library/types.ts';
import { BadRequestError, NotOwnerError, route, type RouteEntry } from '../kit.ts';
import { CALENDAR_OPERATIONS, CALENDAR_PATH } from '../../../soap/wsdl.ts';

export const ROUTES: readonly RouteEntry<AppServices>[] = [
  route({ name: 'courses.list', method: 'GET', path: '/api/courses', summary: 'List the courses, optionally of one term.', controller: CoursesController, action: 'list', parse: parseCourseList, errors: [BadRequestError] }),
  route({ name: 'courses.get', method: 'GET', path: '/api/courses/{courseId}', summary: 'One course with its seats.', controller: CoursesController, action: 'get', parse: parseCourseRef, errors: [BadRequestError, CourseNotFoundError] }),
  route({ name: 'courses.enrol', method: 'POST', path: '/api/courses/{courseId}/enrolments', summary: 'Enrol the caller in a course.', controller: CoursesController, action: 'enrol', parse: parseCourseRef, status: 201, errors: [BadRequestError, NotOwnerError, CourseNotFoundError, AlreadyEnrolledError, CourseFullError] }),
  route({ name: 'courses.withdraw', method: 'DELETE', path: '/api/courses/{courseId}/enrolments/{student}', summary: 'Withdraw a student from a course.', controller: CoursesController, action: 'withdraw', parse: parseEnrolmentRef, errors: [BadRequestError, NotOwnerError, CourseNotFoundError, NotEnrolledError] }),
  route({ name: 'library.search', method: 'GET', path: '/api/library/books', summary: 'Search the library by title or author.', controller: LibraryController, action: 'search', parse: parseBookSearch, errors: [BadRequestError] }),
  route({ name: 'library.book', method: 'GET', path: '/api/library/books/{isbn}', summary: 'One book and its copies on loan.', controller: LibraryController, action: 'get', parse: parseIsbnRef, errors: [BadRequestError, BookNotFoundError] }),
  route({ name: 'library.cover', method: 'GET', path: '/api/library/books/{isbn}/cover', summary: 'A book cover as a BMP image (binary).', controller: LibraryController, action: 'cover', parse: parseIsbnRef, errors: [BadRequestError, BookNotFoundError] }),
  route({ name: 'library.borrow', method: 'POST', path: '/api/library/loans', summary: 'Borrow a copy for 14 days.', controller: LibraryController, action: 'borrow', parse: parseBorrow, status: 201, errors: [BadRequestError, NotOwnerError, BookNotFoundError, NoCopyAvailableError] }),
  route({ name: 'library.return', method: 'POST', path: '/api/library/loans/{loanId}/return', summary: 'Give a borrowed copy back.', controller: LibraryController, action: 'giveBack', parse: parseLoanRef, errors: [BadRequestError, NotOwnerError, LoanNotFoundError, LoanClosedError] }),
  route({ name: 'library.renew', method: 'POST', path: '/api/library/loans/{loanId}/renewal', summary: 'Renew a loan for 14 more days (at most twice).', controller: LibraryControllerV2, action: 'renew', parse: parseLoanRef, errors: [BadRequestError, NotOwnerError, LoanNotFoundError, LoanClosedError, RenewalLimitError] }),
  route({ name: 'grades.transcript', method: 'GET', path: '/api/grades/{student}', summary: "A student's transcript.", controller: GradesController, action: 'transcript', parse: parseStudentRef, errors: [BadRequestError, NotOwnerError, StudentNotFoundError, CourseNotFoundError] }),
  route({ name: 'grades.record', method: 'PUT', path: '/api/students/{student}/grades/{courseId}', summary: "Record a student's grade (staff).", controller: GradesController, action: 'record', parse: parseRecordGrade, errors: [BadRequestError, NotOwnerError, StaffOnlyError, StudentNotFoundError, CourseNotFoundError, NotEnrolledError] }),
  route({ name: 'grades.distribution', method: 'GET', path: '/api/grade-distributions/{courseId}', summary: "How a course's grades are spread.", controller: GradesController, action: 'distribution', parse: parseCourseRef, errors: [BadRequestError, CourseNotFoundError] }),
  route({ name: 'accounts.me', method: 'GET', path: '/api/accounts/me', summary: "The caller's profile.", controller: AccountsController, action: 'me', parse: parseNoInput, errors: [NotOwnerError, AccountNotFoundError] }),
  route({ name: 'accounts.get', method: 'GET', path: '/api/accounts/{username}', summary: "Someone's public profile.", controller: AccountsController, action: 'get', parse: parseUsernameRef, errors: [BadRequestError, AccountNotFoundError] }),
];

/** The XML services of this version: the SOAP lab's calendar, catalogued by its WSDL operations. */
export const SOAP_SERVICES = [{ name: 'calendar', path: CALENDAR_PATH, operations: CALENDAR_OPERATIONS, fault: 'CalendarFault' }] as const;
