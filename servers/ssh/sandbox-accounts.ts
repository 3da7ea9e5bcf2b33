/**
 * The SSH lab's accounts: every login opens a sandbox, by the one rule of servers/daemon/logins.ts.
 * A password login is admitLogin's (a student's id and password, or the lab's own credentials); a
 * publickey login names its sandbox by its user name (a student's id, or the lab user for the
 * default sandbox) and proves it with a key from that sandbox's authorized_keys. Either files an
 * unfiled connection in that sandbox; the session then sees that sandbox's files.
 */
import { Jail, sandboxRoot } from '../../lib/sandbox/jail.ts';
import { seedSandbox } from '../../lib/sandbox/seed.ts';
import type { Tap, TappedConnection } from '../../lib/wire/tap.ts';
import { admitLogin, mayLogIn, type LoginVerdict, type SandboxLogins } from '../daemon/logins.ts';
import type { SshAccount, SshAccounts } from './auth.ts';

type Logins = Pick<SandboxLogins, 'sandboxOfLogin' | 'loginOf' | 'exists' | 'defaultSandbox'>;

/**
 * admitLogin for a login that names its sandbox without a password (a verified SSH key of that
 * sandbox): admitLogin itself, told which sandbox the login opens, so the rule stays one.
 */
export function admitSandbox(logins: Logins, tap: Parameters<typeof admitLogin>[1], connection: TappedConnection | undefined, sandbox: string): LoginVerdict {
  const named: Logins = {
    defaultSandbox: logins.defaultSandbox,
    sandboxOfLogin: () => sandbox,
    loginOf: (other) => logins.loginOf(other),
    exists: (other) => logins.exists(other),
  };
  return admitLogin(named, tap, connection, { user: sandbox, password: '' });
}

/** The sandbox an SSH user name names: the lab user's is the default sandbox, a student's id its own. */
export function sandboxOfUser(logins: Logins, user: string): string | null {
  if (user === logins.loginOf(logins.defaultSandbox)?.user) return logins.defaultSandbox;
  // The default sandbox's id is no user name: its login is the lab user.
  return user !== logins.defaultSandbox && logins.exists(user) ? user : null;
}

/** What the lab's accounts need: the logins, its tap, each sandbox's authorized_keys and jail. */
export interface SandboxAccountDeps {
  logins: Logins;
  /** The SSH tap (null until it is open: nothing can log in before). */
  tap(): Tap | null;
  authorizedKeys(sandbox: string): readonly string[];
  jailOf(sandbox: string): Promise<Jail>;
}

/** The lab's SSH accounts: one per sandbox, filed and jailed by the login. */
export function sandboxAccounts(deps: SandboxAccountDeps): SshAccounts {
  const { logins } = deps;
  const connectionOf = (remotePort: number) => deps.tap()?.byUpstreamPort(remotePort);
  // The verdict is given (and the connection filed) in the request's own tick; the jail may take a moment.
  const open = async (user: string, verdict: LoginVerdict): Promise<SshAccount | null> => (verdict.ok ? { user, jail: await deps.jailOf(verdict.sandbox) } : null);
  const refused: LoginVerdict = { ok: false, reason: 'other-sandbox' };
  return {
    password(user, password, remotePort) {
      const tap = deps.tap();
      return open(user, tap ? admitLogin(logins, tap, connectionOf(remotePort), { user, password }) : refused);
    },
    authorizedKeys(user, remotePort) {
      const sandbox = sandboxOfUser(logins, user);
      // No PK_OK for a key that could not log in here: the connection is another sandbox's.
      return sandbox !== null && mayLogIn(logins, connectionOf(remotePort), sandbox) ? deps.authorizedKeys(sandbox) : [];
    },
    publickey(user, remotePort) {
      const tap = deps.tap();
      const sandbox = sandboxOfUser(logins, user);
      return open(user, tap && sandbox !== null ? admitSandbox(logins, tap, connectionOf(remotePort), sandbox) : refused);
    },
  };
}

/**
 * One Jail per sandbox, opened on first login (seeded with the starter files if empty) under the
 * sandbox quota, which binds SFTP and the shell as it binds FTP (one account per sandbox root).
 */
export class SandboxJails {
  private readonly jails = new Map<string, Promise<Jail>>();

  constructor(
    private readonly options: {
      dataDir: string;
      quotaBytes: number;
      /** Whether a sandbox still exists: an expired one's jail is let go (servers/daemon/sandbox-expiry.ts). */
      exists(sandbox: string): boolean;
    },
  ) {}

  jailOf(sandbox: string): Promise<Jail> {
    let jail = this.jails.get(sandbox);
    if (!jail) {
      for (const known of this.jails.keys()) if (!this.options.exists(known)) this.jails.delete(known);
      const root = sandboxRoot(this.options.dataDir, sandbox);
      jail = seedSandbox(root).then(() => Jail.open(root, { quotaBytes: this.options.quotaBytes }));
      // A failed open (disk trouble) is tried again by the next login, not cached.
      jail.catch(() => this.jails.delete(sandbox));
      this.jails.set(sandbox, jail);
    }
    return jail;
  }

  /** Lets go of an expired sandbox's jail (a session still open holds its own reference to it). */
  forget(sandbox: string): void {
    this.jails.delete(sandbox);
  }
}
