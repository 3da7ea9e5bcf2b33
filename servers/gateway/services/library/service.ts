/** The library rules: availability, loans of 14 days, at most two renewals. */
import { BinaryBody, NotOwnerError } from '../kit.ts';
import { STORE_TODAY, type BookRow, type LoanRow } from '../store.ts';
import { coverBitmap } from './cover.ts';
import type { BookRepository, LoanRepository } from './repository.ts';
import {
  BookNotFoundError,
  LoanClosedError,
  LoanNotFoundError,
  NoCopyAvailableError,
  RenewalLimitError,
  type BookDetail,
  type BookSummary,
  type Loan,
} from './types.ts';

const LOAN_DAYS = 14;
const MAX_RENEWALS = 2;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export class LibraryService {
  constructor(
    private readonly books: BookRepository,
    private readonly loans: LoanRepository,
  ) {}

  search(q?: string): BookSummary[] {
    const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return this.books.search(words).map((b) => this.summarise(b));
  }

  detail(isbn: string): BookDetail {
    const book = this.requireBook(isbn);
    return { ...this.summarise(book), copies: book.copies, onLoan: this.loans.countOpen(isbn) };
  }

  cover(isbn: string): BinaryBody {
    this.requireBook(isbn);
    return new BinaryBody('image/bmp', coverBitmap(isbn));
  }

  borrow(isbn: string, borrower: string): Loan {
    const book = this.requireBook(isbn);
    if (this.loans.countOpen(isbn) >= book.copies) throw new NoCopyAvailableError(`Every copy of ${isbn} is on loan.`);
    return { ...this.loans.insert({ isbn, borrower, due: addDays(STORE_TODAY, LOAN_DAYS), returned: false, renewals: 0 }) };
  }

  giveBack(loanId: number, caller: string): Loan {
    const loan = this.requireOpenLoan(loanId, caller);
    const closed = { ...loan, returned: true };
    this.loans.update(closed);
    return { ...closed };
  }

  /** Pushes the due date on by one loan period (the second version's new route). */
  renew(loanId: number, caller: string): Loan {
    const loan = this.requireOpenLoan(loanId, caller);
    if (loan.renewals >= MAX_RENEWALS) throw new RenewalLimitError(`Loan ${loanId} was already renewed ${MAX_RENEWALS} times.`);
    const renewed = { ...loan, due: addDays(loan.due, LOAN_DAYS), renewals: loan.renewals + 1 };
    this.loans.update(renewed);
    return { ...renewed };
  }

  private requireBook(isbn: string): BookRow {
    const book = this.books.findByIsbn(isbn);
    if (!book) throw new BookNotFoundError(`No book with ISBN ${isbn}.`);
    return book;
  }

  private requireOpenLoan(loanId: number, caller: string): LoanRow {
    const loan = this.loans.findById(loanId);
    if (!loan) throw new LoanNotFoundError(`No loan ${loanId}.`);
    if (loan.borrower !== caller) throw new NotOwnerError(`Loan ${loanId} is not ${caller}'s.`);
    if (loan.returned) throw new LoanClosedError(`Loan ${loanId} was already returned.`);
    return loan;
  }

  private summarise(b: BookRow): BookSummary {
    return { isbn: b.isbn, title: b.title, author: b.author, year: b.year, available: Math.max(0, b.copies - this.loans.countOpen(b.isbn)) };
  }
}
