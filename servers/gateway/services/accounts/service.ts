/** The accounts rules: a profile is read whole by its owner, in part by anyone. */
import type { AccountRow } from '../store.ts';
import type { AccountRepository } from './repository.ts';
import { AccountNotFoundError, type Profile, type PublicProfile } from './types.ts';

export class AccountService {
  constructor(private readonly accounts: AccountRepository) {}

  profile(username: string): Profile {
    return { ...this.require(username) };
  }

  publicProfile(username: string): PublicProfile {
    const { displayName, role } = this.require(username);
    return { username, displayName, role };
  }

  rename(username: string, displayName: string): Profile {
    this.require(username);
    const row = this.accounts.updateDisplayName(username, displayName);
    if (!row) throw new AccountNotFoundError(`No account ${username}.`);
    return { ...row };
  }

  private require(username: string): AccountRow {
    const row = this.accounts.findByUsername(username);
    if (!row) throw new AccountNotFoundError(`No account ${username}.`);
    return row;
  }
}
