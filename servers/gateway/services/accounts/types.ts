/** The accounts area's request and reply types, its declared errors and its input parsers. */
import { ServiceError, bodyString, param, type ServiceRequest } from '../kit.ts';
import { USERNAME_PATTERN } from '../courses/types.ts';

/** A route that acts on the caller takes no input of its own. */
export type NoInput = Record<string, never>;

export interface UsernameRef {
  username: string;
}

export interface ProfileUpdate {
  displayName: string;
}

export interface Profile {
  username: string;
  displayName: string;
  email: string;
  role: 'student' | 'staff';
}

export interface PublicProfile {
  username: string;
  displayName: string;
  role: 'student' | 'staff';
}

export class AccountNotFoundError extends ServiceError {
  static override readonly status: number = 404;
  static override readonly code: string = 'account-not-found';
}

export function parseNoInput(): NoInput {
  return {};
}

export function parseUsernameRef(req: ServiceRequest): UsernameRef {
  return { username: param(req, 'username', USERNAME_PATTERN, 'a user name') };
}

export function parseProfileUpdate(req: ServiceRequest): ProfileUpdate {
  return { displayName: bodyString(req.body, 'displayName', 60) };
}
