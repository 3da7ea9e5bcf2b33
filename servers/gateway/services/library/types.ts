/** The library area's request and reply types, its declared errors and its input parsers. */
import { BadRequestError, ServiceError, bodyString, param, queryString, type ServiceRequest } from '../kit.ts';

export interface BookSearchQuery {
  /** Words to find in the title or the author; all books when absent. */
  q?: string;
}

export interface IsbnRef {
  isbn: string;
}

export interface BorrowRequest {
  isbn: string;
}

export interface LoanRef {
  loanId: number;
}

export interface BookSummary {
  isbn: string;
  title: string;
  author: string;
  year: number;
  available: number;
}

export interface BookDetail extends BookSummary {
  copies: number;
  onLoan: number;
}

export interface Loan {
  id: number;
  isbn: string;
  borrower: string;
  due: string;
  returned: boolean;
  renewals: number;
}

export class BookNotFoundError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'book-not-found';
}

export class NoCopyAvailableError extends ServiceError {
  static override readonly status: number = 409;
  static override readonly code: string = 'no-copy-available';
}

export class LoanNotFoundError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'loan-not-found';
}

export class LoanClosedError extends ServiceError {
  static override readonly status: number = 409;
  static override readonly code: string = 'loan-closed';
}

export class RenewalLimitError extends ServiceError {
  static override readonly status: number = 409;
  static override readonly code: string = 'renewal-limit';
}

const ISBN13 = /^97[89]\d{10}$/;

export function parseBookSearch(req: ServiceRequest): BookSearchQuery {
  const q = queryString(req, 'q', 80);
  return q === undefined ? {} : { q };
}

export function parseIsbnRef(req: ServiceRequest): IsbnRef {
  return { isbn: param(req, 'isbn', ISBN13, 'an ISBN-13 of 13 digits starting 978 or 979') };
}

export function parseBorrow(req: ServiceRequest): BorrowRequest {
  const isbn = bodyString(req.body, 'isbn', 13);
  if (!ISBN13.test(isbn)) throw new BadRequestError('Body field "isbn" must be an ISBN-13 of 13 digits starting 978 or 979.');
  return { isbn };
}

export function parseLoanRef(req: ServiceRequest): LoanRef {
  return { loanId: Number(param(req, 'loanId', /^[1-9]\d{0,8}$/, 'a loan number')) };
}
