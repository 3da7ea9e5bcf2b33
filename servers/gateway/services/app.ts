/** The composition of one version's layers over one store: repositories → services, which the controllers receive. */
import { AccountRepository } from './accounts/repository.ts';
import { AccountService } from './accounts/service.ts';
import { CourseRepository } from './courses/repository.ts';
import { CourseService } from './courses/service.ts';
import { GradeRepository } from './grades/repository.ts';
import { GradeService } from './grades/service.ts';
import { BookRepository, LoanRepository } from './library/repository.ts';
import { LibraryService } from './library/service.ts';
import { Store } from './store.ts';

/** What a controller's constructor receives. */
export interface AppServices {
  courses: CourseService;
  library: LibraryService;
  grades: GradeService;
  accounts: AccountService;
}

/** A fresh store seeded with the demo university, and the services over it. */
export function buildServices(store = new Store()): AppServices {
  const accountRepo = new AccountRepository(store);
  const courseRepo = new CourseRepository(store);
  const courses = new CourseService(courseRepo, accountRepo);
  return {
    courses,
    library: new LibraryService(new BookRepository(store), new LoanRepository(store)),
    grades: new GradeService(new GradeRepository(store), courseRepo, accountRepo, courses),
    accounts: new AccountService(accountRepo),
  };
}
