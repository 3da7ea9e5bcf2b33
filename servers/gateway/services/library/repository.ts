/** Data access for books and loans: the bottom of the library call hierarchy. */
import type { BookRow, LoanRow, Store } from '../store.ts';

export class BookRepository {
  constructor(private readonly store: Store) {}

  search(words: string[]): BookRow[] {
    return [...this.store.books.values()].filter((b) => {
      const text = `${b.title} ${b.author}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }

  findByIsbn(isbn: string): BookRow | undefined {
    return this.store.books.get(isbn);
  }
}

export class LoanRepository {
  constructor(private readonly store: Store) {}

  countOpen(isbn: string): number {
    let n = 0;
    for (const loan of this.store.loans.values()) if (loan.isbn === isbn && !loan.returned) n++;
    return n;
  }

  findById(id: number): LoanRow | undefined {
    return this.store.loans.get(id);
  }

  insert(row: Omit<LoanRow, 'id'>): LoanRow {
    const loan = { id: this.store.nextLoanId++, ...row };
    this.store.loans.set(loan.id, loan);
    return loan;
  }

  update(row: LoanRow): void {
    this.store.loans.set(row.id, row);
  }
}
