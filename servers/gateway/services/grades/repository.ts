/** Data access for grades: the bottom of the grades call hierarchy. */
import type { GradeRow, Store } from '../store.ts';

export class GradeRepository {
  constructor(private readonly store: Store) {}

  findByStudent(student: string): GradeRow[] {
    return this.store.grades.filter((g) => g.student === student);
  }

  findByCourse(courseId: string): GradeRow[] {
    return this.store.grades.filter((g) => g.courseId === courseId);
  }

  /** Sets a grade and returns the one it replaced, if any. */
  upsert(row: GradeRow): GradeRow | undefined {
    const at = this.store.grades.findIndex((g) => g.student === row.student && g.courseId === row.courseId);
    if (at < 0) {
      this.store.grades.push({ ...row });
      return undefined;
    }
    const previous = this.store.grades[at];
    this.store.grades[at] = { ...row };
    return previous;
  }
}
