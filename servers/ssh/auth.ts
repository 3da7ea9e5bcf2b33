/**
 * User authentication (RFC 4252): password, and publickey against the authorized_keys of the
 * account the user name names (query → PK_OK, then a signature over the session identifier is
 * verified). Who may log in, and which files a login opens, is the accounts' say (SshAccounts):
 * one fixed account for a bare server, a sandbox per login in the lab (sandbox-accounts.ts).
 */
import ssh2, { type AuthContext, type ParsedKey } from 'ssh2';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import type { Jail } from '../../lib/sandbox/jail.ts';
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

/** What a successful login opens: the name its shell shows, and the files its shell and SFTP see. */
export interface SshAccount {
  user: string;
  jail: Jail;
}

/**
 * Who may log in, and to what. Each method gets the connection's `remotePort` (the tap's end:
 * the lab finds its tapped connection by it). A null account is an ordinary auth failure.
 */
export interface SshAccounts {
  /** A password login: its account, or null. */
  password(user: string, password: string, remotePort: number): Promise<SshAccount | null>;
  /** The authorized_keys lines a key must be among to log in as `user` on this connection (none: no PK_OK). */
  authorizedKeys(user: string, remotePort: number): readonly string[];
  /** A publickey login whose signature verified against one of those keys: its account, or null. */
  publickey(user: string, remotePort: number): Promise<SshAccount | null>;
}

/** A bare server's one account (benches, unit tests): one user, one password, one jail. */
export function singleAccount(credentials: { user: string; password: string }, jail: Jail, authorizedKeys: () => readonly string[]): SshAccounts {
  const account = async (user: string) => (user === credentials.user ? { user, jail } : null);
  return {
    // Constant time, whatever was typed (the one comparison every lab server uses).
    password: async (user, password) => (sameSecret(password, credentials.password) ? account(user) : null),
    authorizedKeys: (user) => (user === credentials.user ? authorizedKeys() : []),
    publickey: account,
  };
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

/** One decided request: its outcome for the endpoint view, and on success the account it opened. */
export type AuthDecision = AuthOutcome & { account?: SshAccount };

/** Decides one request and answers it through `ctx` (ssh2 lets the answer come later: the accounts may be async). */
export async function authenticate(ctx: AuthContext, accounts: SshAccounts, remotePort: number): Promise<AuthDecision> {
  const refuse = (details: Omit<AuthOutcome, 'outcome'> = {}): AuthDecision => {
    ctx.reject([...AUTH_METHODS]);
    return { outcome: 'failure', ...details };
  };
  const admit = (account: SshAccount, details: Omit<AuthOutcome, 'outcome'> = {}): AuthDecision => {
    ctx.accept();
    return { outcome: 'success', ...details, account };
  };
  const orNull = (account: Promise<SshAccount | null>) =>
    account.catch((err: unknown) => {
      console.error('[ssh] opening an account failed; login refused:', err);
      return null;
    });
  if (ctx.method === 'password') {
    const account = await orNull(accounts.password(ctx.username, ctx.password, remotePort));
    return account ? admit(account) : refuse();
  }
  if (ctx.method === 'publickey') {
    const details = { keyType: ctx.key.algo, keyFingerprint: fingerprintOfBlob(ctx.key.data), signed: ctx.signature !== undefined };
    const key = parseAuthorizedKeys(accounts.authorizedKeys(ctx.username, remotePort)).find((k) => k.getPublicSSH().equals(ctx.key.data));
    if (!key) return refuse(details);
    if (!ctx.signature || !ctx.blob) {
      ctx.accept();
      return { outcome: 'pk-ok', ...details };
    }
    if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return refuse(details);
    const account = await orNull(accounts.publickey(ctx.username, remotePort));
    return account ? admit(account, details) : refuse(details);
  }
  return refuse();
}
