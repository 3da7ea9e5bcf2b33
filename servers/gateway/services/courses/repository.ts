/** Data access for courses and enrolments: the bottom of the courses call hierarchy. */
import type { CourseRow, EnrolmentRow, Store } from '../store.ts';

export class CourseRepository {
  constructor(private readonly store: Store) {}

  findAll(term?: string): CourseRow[] {
    return [...this.store.courses.values()].filter((c) => term === undefined || c.term === term);
  }

  findById(id: string): CourseRow | undefined {
    return this.store.courses.get(id);
  }

  countEnrolments(courseId: string): number {
    return this.store.enrolments.filter((e) => e.courseId === courseId).length;
  }

  findEnrolment(courseId: string, student: string): EnrolmentRow | undefined {
    return this.store.enrolments.find((e) => e.courseId === courseId && e.student === student);
  }

  insertEnrolment(row: EnrolmentRow): void {
    this.store.enrolments.push(row);
  }

  deleteEnrolment(courseId: string, student: string): boolean {
    const at = this.store.enrolments.findIndex((e) => e.courseId === courseId && e.student === student);
    if (at < 0) return false;
    this.store.enrolments.splice(at, 1);
    return true;
  }
}
