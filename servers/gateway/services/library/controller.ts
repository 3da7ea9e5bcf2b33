/** The library controller: catalogue search, covers (binary) and loans. */
import { requireUser, type BinaryBody, type Caller } from '../kit.ts';
import type { AppServices } from '../app.ts';
import type { LibraryService } from './service.ts';
import type { BookDetail, BookSearchQuery, BookSummary, BorrowRequest, IsbnRef, Loan, LoanRef } from './types.ts';

export class LibraryController {
  protected readonly library: LibraryService;

  constructor(services: AppServices) {
    this.library = services.library;
  }

  async search(input: BookSearchQuery): Promise<BookSummary[]> {
    return this.library.search(input.q);
  }

  async get(input: IsbnRef): Promise<BookDetail> {
    return this.library.detail(input.isbn);
  }

  async cover(input: IsbnRef): Promise<BinaryBody> {
    return this.library.cover(input.isbn);
  }

  async borrow(input: BorrowRequest, caller: Caller): Promise<Loan> {
    return this.library.borrow(input.isbn, requireUser(caller));
  }

  async giveBack(input: LoanRef, caller: Caller): Promise<Loan> {
    return this.library.giveBack(input.loanId, requireUser(caller));
  }
}
