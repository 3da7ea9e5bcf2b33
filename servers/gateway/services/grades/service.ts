/** The grades rules: a transcript is its student's or staff's to read; only staff record grades, only for enrolled students. */
import type { AccountRepository } from '../accounts/repository.ts';
import { NotEnrolledError } from '../courses/types.ts';
import type { CourseRepository } from '../courses/repository.ts';
import type { CourseService } from '../courses/service.ts';
import { NotOwnerError } from '../kit.ts';
import type { GradeRepository } from './repository.ts';
import { GRADES, StaffOnlyError, StudentNotFoundError, type Grade, type GradeDistribution, type GradeRecord, type Transcript } from './types.ts';

export class GradeService {
  constructor(
    private readonly grades: GradeRepository,
    private readonly enrolments: CourseRepository,
    private readonly accounts: AccountRepository,
    private readonly courses: CourseService,
  ) {}

  transcript(student: string, caller: string): Transcript {
    this.requireStudent(student);
    if (caller !== student && !this.isStaff(caller)) throw new NotOwnerError(`Only ${student} or a member of staff may read ${student}'s grades.`);
    const lines = this.grades.findByStudent(student).map((g) => ({
      courseId: g.courseId,
      title: this.courses.require(g.courseId).title,
      grade: g.grade as Grade,
    }));
    return { student, lines };
  }

  record(student: string, courseId: string, grade: Grade, caller: string): GradeRecord {
    if (!this.isStaff(caller)) throw new StaffOnlyError('Only staff record grades.');
    this.requireStudent(student);
    this.courses.require(courseId);
    if (!this.enrolments.findEnrolment(courseId, student)) throw new NotEnrolledError(`${student} is not enrolled in ${courseId}.`);
    const previous = this.grades.upsert({ student, courseId, grade });
    return { student, courseId, grade, previous: (previous?.grade as Grade | undefined) ?? null };
  }

  distribution(courseId: string): GradeDistribution {
    this.courses.require(courseId);
    const counts = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
    for (const row of this.grades.findByCourse(courseId)) counts[row.grade as Grade]++;
    return { courseId, counts };
  }

  private requireStudent(student: string): void {
    if (this.accounts.findByUsername(student)?.role !== 'student') throw new StudentNotFoundError(`No student ${student}.`);
  }

  private isStaff(username: string): boolean {
    return this.accounts.findByUsername(username)?.role === 'staff';
  }
}
