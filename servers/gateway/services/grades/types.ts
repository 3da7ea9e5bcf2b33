/** The grades area's request and reply types, its declared errors and its input parsers. */
import { BadRequestError, ServiceError, bodyString, param, type ServiceRequest } from '../kit.ts';
import { USERNAME_PATTERN, parseCourseRef } from '../courses/types.ts';

export const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Grade = (typeof GRADES)[number];

export interface StudentRef {
  student: string;
}

export interface RecordGradeRequest {
  student: string;
  courseId: string;
  grade: Grade;
}

export interface GradeLine {
  courseId: string;
  title: string;
  grade: Grade;
}

export interface Transcript {
  student: string;
  lines: GradeLine[];
}

export interface GradeRecord {
  student: string;
  courseId: string;
  grade: Grade;
  previous: Grade | null;
}

export interface GradeDistribution {
  courseId: string;
  counts: Record<Grade, number>;
}

export class StudentNotFoundError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'student-not-found';
}

export class StaffOnlyError extends ServiceError {
  static override readonly status: number = 403;
  static override readonly code: string = 'staff-only';
}

function isGrade(value: string): value is Grade {
  return (GRADES as readonly string[]).includes(value);
}

export function parseStudentRef(req: ServiceRequest): StudentRef {
  return { student: param(req, 'student', USERNAME_PATTERN, 'a user name') };
}

export function parseRecordGrade(req: ServiceRequest): RecordGradeRequest {
  const { student } = parseStudentRef(req);
  const { courseId } = parseCourseRef(req);
  const grade = bodyString(req.body, 'grade', 1);
  if (!isGrade(grade)) throw new BadRequestError(`Body field "grade" must be one of ${GRADES.join(', ')}.`);
  return { student, courseId, grade };
}
