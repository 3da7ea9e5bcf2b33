/** The courses business rules: seats, enrolment, and who may withdraw whom. */
import { NotOwnerError } from '../kit.ts';
import type { AccountRepository } from '../accounts/repository.ts';
import { STORE_TODAY, type CourseRow } from '../store.ts';
import type { CourseRepository } from './repository.ts';
import {
  AlreadyEnrolledError,
  CourseFullError,
  CourseNotFoundError,
  NotEnrolledError,
  type CourseDetail,
  type CourseSummary,
  type Enrolment,
  type Withdrawal,
} from './types.ts';

export class CourseService {
  constructor(
    private readonly courses: CourseRepository,
    private readonly accounts: AccountRepository,
  ) {}

  list(term?: string): CourseSummary[] {
    return this.courses.findAll(term).map((c) => this.summarise(c));
  }

  detail(courseId: string): CourseDetail {
    const course = this.require(courseId);
    return { ...this.summarise(course), teacher: course.teacher, capacity: course.capacity, enrolled: this.courses.countEnrolments(courseId) };
  }

  enrol(courseId: string, student: string): Enrolment {
    const course = this.require(courseId);
    if (this.courses.findEnrolment(courseId, student)) throw new AlreadyEnrolledError(`${student} is already enrolled in ${courseId}.`);
    if (this.courses.countEnrolments(courseId) >= course.capacity) throw new CourseFullError(`${courseId} has no seat left.`);
    const row = { courseId, student, since: STORE_TODAY };
    this.courses.insertEnrolment(row);
    return { ...row };
  }

  /** A student withdraws themself; staff may withdraw anyone. */
  withdraw(courseId: string, student: string, caller: string): Withdrawal {
    this.require(courseId);
    if (caller !== student && this.accounts.findByUsername(caller)?.role !== 'staff') {
      throw new NotOwnerError(`Only ${student} or a member of staff may withdraw ${student}.`);
    }
    if (!this.courses.deleteEnrolment(courseId, student)) throw new NotEnrolledError(`${student} is not enrolled in ${courseId}.`);
    return { courseId, student, withdrawn: true };
  }

  /** The course, or CourseNotFoundError: other areas check courses through this too. */
  require(courseId: string): CourseRow {
    const course = this.courses.findById(courseId);
    if (!course) throw new CourseNotFoundError(`No course ${courseId}.`);
    return course;
  }

  private summarise(c: CourseRow): CourseSummary {
    return { id: c.id, title: c.title, term: c.term, seatsLeft: Math.max(0, c.capacity - this.courses.countEnrolments(c.id)) };
  }
}
