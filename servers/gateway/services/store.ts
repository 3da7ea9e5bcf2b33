/**
 * The services' data: an in-memory store seeded with the same university every time, so a reply and a
 * transcript are reproducible. Each mounted version gets its own store (see servicesOf); the
 * repositories are the only code that touches it.
 */

export interface CourseRow {
  id: string;
  title: string;
  term: string;
  teacher: string;
  capacity: number;
}

export interface EnrolmentRow {
  courseId: string;
  student: string;
  since: string;
}

export interface BookRow {
  isbn: string;
  title: string;
  author: string;
  year: number;
  copies: number;
}

export interface LoanRow {
  id: number;
  isbn: string;
  borrower: string;
  due: string;
  returned: boolean;
  renewals: number;
}

export interface GradeRow {
  student: string;
  courseId: string;
  grade: string;
}

export interface AccountRow {
  username: string;
  displayName: string;
  email: string;
  role: 'student' | 'staff';
}

/** The lab's fixed "today": loans fall due relative to it, so replies never depend on the clock. */
export const STORE_TODAY = '2025-03-03';

export class Store {
  readonly courses = new Map<string, CourseRow>();
  readonly enrolments: EnrolmentRow[] = [];
  readonly books = new Map<string, BookRow>();
  readonly loans = new Map<number, LoanRow>();
  readonly grades: GradeRow[] = [];
  readonly accounts = new Map<string, AccountRow>();
  nextLoanId = 1;

  constructor() {
    const courses: CourseRow[] = [
      { id: 'NET101', title: 'Computer networks', term: '2025-spring', teacher: 'carol', capacity: 3 },
      { id: 'SEC201', title: 'Network security', term: '2025-spring', teacher: 'carol', capacity: 2 },
      { id: 'DB110', title: 'Databases', term: '2025-autumn', teacher: 'dave', capacity: 30 },
    ];
    for (const c of courses) this.courses.set(c.id, c);
    this.enrolments.push(
      { courseId: 'NET101', student: 'alice', since: '2025-02-03' },
      { courseId: 'NET101', student: 'bob', since: '2025-02-04' },
      { courseId: 'SEC201', student: 'alice', since: '2025-02-03' },
    );
    const books: BookRow[] = [
      { isbn: '9780132126953', title: 'Computer Networks', author: 'Andrew S. Tanenbaum', year: 2010, copies: 2 },
      { isbn: '9780201633467', title: 'TCP/IP Illustrated, Volume 1', author: 'W. Richard Stevens', year: 1994, copies: 1 },
      { isbn: '9781593272203', title: 'The TCP/IP Guide', author: 'Charles M. Kozierok', year: 2005, copies: 1 },
    ];
    for (const b of books) this.books.set(b.isbn, b);
    this.grades.push(
      { student: 'alice', courseId: 'NET101', grade: 'A' },
      { student: 'bob', courseId: 'NET101', grade: 'B' },
    );
    const accounts: AccountRow[] = [
      { username: 'alice', displayName: 'Alice', email: 'alice@university.test', role: 'student' },
      { username: 'bob', displayName: 'Bob', email: 'bob@university.test', role: 'student' },
      { username: 'mallory', displayName: 'Mallory', email: 'mallory@university.test', role: 'student' },
      { username: 'carol', displayName: 'Carol', email: 'carol@university.test', role: 'staff' },
    ];
    for (const a of accounts) this.accounts.set(a.username, a);
  }
}
