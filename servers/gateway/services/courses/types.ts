/** The courses area's request and reply types, its declared errors and its input parsers. */
import { ServiceError, param, queryString, type ServiceRequest } from '../kit.ts';

export interface CourseListQuery {
  /** Only the courses of this term, e.g. "2025-spring". */
  term?: string;
}

export interface CourseRef {
  courseId: string;
}

export interface EnrolmentRef {
  courseId: string;
  student: string;
}

export interface CourseSummary {
  id: string;
  title: string;
  term: string;
  seatsLeft: number;
}

export interface CourseDetail extends CourseSummary {
  teacher: string;
  capacity: number;
  enrolled: number;
}

export interface Enrolment {
  courseId: string;
  student: string;
  since: string;
}

export interface Withdrawal {
  courseId: string;
  student: string;
  withdrawn: boolean;
}

export class CourseNotFoundError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'course-not-found';
}

export class CourseFullError extends ServiceError {
  static override readonly status: number = 409;
  static override readonly code: string = 'course-full';
}

export class AlreadyEnrolledError extends ServiceError {
  static override readonly status: number = 409;
  static override readonly code: string = 'already-enrolled';
}

export class NotEnrolledError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'not-enrolled';
}

const COURSE_ID = /^[A-Z]{2,4}\d{3}$/;
const COURSE_ID_LOOKS = 'a course code like NET101';
const USERNAME = /^[a-z][a-z0-9_-]{0,31}$/;

export function parseCourseList(req: ServiceRequest): CourseListQuery {
  const term = queryString(req, 'term', 20);
  return term === undefined ? {} : { term };
}

export function parseCourseRef(req: ServiceRequest): CourseRef {
  return { courseId: param(req, 'courseId', COURSE_ID, COURSE_ID_LOOKS) };
}

export function parseEnrolmentRef(req: ServiceRequest): EnrolmentRef {
  return {
    courseId: param(req, 'courseId', COURSE_ID, COURSE_ID_LOOKS),
    student: param(req, 'student', USERNAME, 'a user name'),
  };
}

export const USERNAME_PATTERN = USERNAME;
