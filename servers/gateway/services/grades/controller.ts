/** The grades controller: transcripts, recording a grade, a course's distribution. */
import { requireUser, type Caller } from '../kit.ts';
import type { AppServices } from '../app.ts';
import type { CourseRef } from '../courses/types.ts';
import type { GradeService } from './service.ts';
import type { GradeDistribution, GradeRecord, RecordGradeRequest, StudentRef, Transcript } from './types.ts';

export class GradesController {
  private readonly grades: GradeService;

  constructor(services: AppServices) {
    this.grades = services.grades;
  }

  async transcript(input: StudentRef, caller: Caller): Promise<Transcript> {
    return this.grades.transcript(input.student, requireUser(caller));
  }

  async record(input: RecordGradeRequest, caller: Caller): Promise<GradeRecord> {
    return this.grades.record(input.student, input.courseId, input.grade, requireUser(caller));
  }

  async distribution(input: CourseRef): Promise<GradeDistribution> {
    return this.grades.distribution(input.courseId);
  }
}
