/**
 * User authentication (RFC 4252): password for the lab user, and publickey against the sandbox's
 * authorized_keys (query → PK_OK, then a signature over the session identifier is verified).
 */
import ssh2, { type AuthContext, type ParsedKey } from 'ssh2';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import { fingerprintOfBlob } from '../../lib/protocols/ssh/fingerprint.ts';

/** Methods offered after a failure ("methods that can continue", RFC 4252 §5.1). */
export const AUTH_METHODS = ['publickey', 'password'] as const;

/** The outcome of one USERAUTH_REQUEST, for the endpoint view. */
export interface AuthOutcome {
  outcome: 'success' | 'failure' | 'pk-ok';
  keyType?: string;
  keyFingerprint?: string;
  signed?: boolean;
}

/** Parses authorized_keys lines (OpenSSH format), skipping comments and junk. */
export function parseAuthorizedKeys(lines: readonly string[]): ParsedKey[] {
  const keys: ParsedKey[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const parsed = ssh2.utils.parseKey(trimmed);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key && !(key instanceof Error)) keys.push(key);
  }
  return keys;
}

/**
 * Decides one request and answers it through `ctx`. `mayLogIn` is asked before a login succeeds
 * (the lab's sandbox policy, resolved again once the user is known); false refuses it.
 */
export function authenticate(
  ctx: AuthContext,
  credentials: { user: string; password: string },
  authorizedKeys: () => readonly string[],
  mayLogIn: (user: string) => boolean = () => true,
): AuthOutcome {
  const rightUser = ctx.username === credentials.user;
  const refuse = (details: Omit<AuthOutcome, 'outcome'> = {}): AuthOutcome => {
    ctx.reject([...AUTH_METHODS]);
    return { outcome: 'failure', ...details };
  };
  if (ctx.method === 'password') {
    // Constant time, whatever was typed (the one comparison every lab server uses).
    if (rightUser && sameSecret(ctx.password, credentials.password) && mayLogIn(ctx.username)) {
      ctx.accept();
      return { outcome: 'success' };
    }
    return refuse();
  }
  if (ctx.method === 'publickey') {
    const details = { keyType: ctx.key.algo, keyFingerprint: fingerprintOfBlob(ctx.key.data), signed: ctx.signature !== undefined };
    const key = rightUser ? parseAuthorizedKeys(authorizedKeys()).find((k) => k.getPublicSSH().equals(ctx.key.data)) : undefined;
    if (!key) return refuse(details);
    if (!ctx.signature || !ctx.blob) {
      ctx.accept();
      return { outcome: 'pk-ok', ...details };
    }
    if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true && mayLogIn(ctx.username)) {
      ctx.accept();
      return { outcome: 'success', ...details };
    }
    return refuse(details);
  }
  return refuse();
}
