/** The courses controller: the entry of each courses route, handing parsed input to CourseService. */
import { requireUser, type Caller } from '../kit.ts';
import type { AppServices } from '../app.ts';
import type { CourseService } from './service.ts';
import type { CourseDetail, CourseListQuery, CourseRef, CourseSummary, Enrolment, EnrolmentRef, Withdrawal } from './types.ts';

export class CoursesController {
  private readonly courses: CourseService;

  constructor(services: AppServices) {
    this.courses = services.courses;
  }

  async list(input: CourseListQuery): Promise<CourseSummary[]> {
    return this.courses.list(input.term);
  }

  async get(input: CourseRef): Promise<CourseDetail> {
    return this.courses.detail(input.courseId);
  }

  async enrol(input: CourseRef, caller: Caller): Promise<Enrolment> {
    return this.courses.enrol(input.courseId, requireUser(caller));
  }

  async withdraw(input: EnrolmentRef, caller: Caller): Promise<Withdrawal> {
    return this.courses.withdraw(input.courseId, input.student, requireUser(caller));
  }
}
