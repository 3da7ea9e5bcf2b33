/** Data access for accounts: the bottom of the accounts call hierarchy, and read by other areas. */
import type { AccountRow, Store } from '../store.ts';

export class AccountRepository {
  constructor(private readonly store: Store) {}

  findByUsername(username: string): AccountRow | undefined {
    return this.store.accounts.get(username);
  }

  updateDisplayName(username: string, displayName: string): AccountRow | undefined {
    const row = this.store.accounts.get(username);
    if (row) row.displayName = displayName;
    return row;
  }
}
