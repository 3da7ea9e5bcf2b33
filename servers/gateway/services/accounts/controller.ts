/** The accounts controller: the caller's own profile and others' public ones. */
import { requireUser, type Caller } from '../kit.ts';
import type { AppServices } from '../app.ts';
import type { AccountService } from './service.ts';
import type { NoInput, Profile, ProfileUpdate, PublicProfile, UsernameRef } from './types.ts';

export class AccountsController {
  private readonly accounts: AccountService;

  constructor(services: AppServices) {
    this.accounts = services.accounts;
  }

  async me(_input: NoInput, caller: Caller): Promise<Profile> {
    return this.accounts.profile(requireUser(caller));
  }

  async updateMe(input: ProfileUpdate, caller: Caller): Promise<Profile> {
    return this.accounts.rename(requireUser(caller), input.displayName);
  }

  async get(input: UsernameRef): Promise<PublicProfile> {
    return this.accounts.publicProfile(input.username);
  }
}
