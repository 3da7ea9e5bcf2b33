/** Version 2's library controller: everything version 1 had, and loan renewal. */
import { requireUser, type Caller } from '../kit.ts';
import { LibraryController } from '../library/controller.ts';
import type { Loan, LoanRef } from '../library/types.ts';

export class LibraryControllerV2 extends LibraryController {
  async renew(input: LoanRef, caller: Caller): Promise<Loan> {
    return this.library.renew(input.loanId, requireUser(caller));
  }
}
