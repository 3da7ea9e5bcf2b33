import type { Login } from '../../lib/sandbox/directory.ts';
import type { Tap, TappedConnection } from '../../lib/wire/tap.ts';

/** What a lab server asks about a login (the daemon's SandboxDirectory answers). */
export interface SandboxLogins {
  /** The sandbox a login opens: a student's sandbox id and password, or the lab's own credentials (the default sandbox). */
  sandboxOfLogin(user: string, password: string): string | null;
  /** What a sandbox's clients log in with (shown on its pages and in its recipes). */
  loginOf(sandbox: string): Login | null;
  /** Whether a sandbox exists (mail to `<id>.lab.test`). */
  exists(sandbox: string): boolean;
  readonly defaultSandbox: string;
}

/** Why a login was refused, in words a protocol reply can carry. */
export type LoginVerdict = { ok: true; sandbox: string } | { ok: false; reason: 'credentials' | 'other-sandbox' | 'sandbox-full' };

/** Each refusal in words a protocol reply can carry after its code. */
export const LOGIN_REFUSALS: Record<Extract<LoginVerdict, { ok: false }>['reason'], string> = {
  credentials: 'Login incorrect: use the login your lab page shows (your sandbox id and its password).',
  'other-sandbox': 'This session already belongs to another sandbox: open a new connection to log in as this one.',
  'sandbox-full': 'Your sandbox has as many connections open as it may (LAB_SANDBOX_MAX_CONNECTIONS): close one first.',
};

/**
 * The one rule every lab server applies when a client logs in (SMTP AUTH, FTP USER/PASS, SSH
 * userauth): the login names a sandbox; a connection accepted unfiled is filed there, one already
 * filed (the lab's own consoles, or every connection before students have sandboxes) stays where it
 * is and accepts its own sandbox's login or the lab's own credentials. A student's login never
 * opens a connection filed in another sandbox.
 */
export function admitLogin(logins: SandboxLogins, tap: Pick<Tap, 'file' | 'sandboxFull'>, connection: TappedConnection | undefined, login: Login): LoginVerdict {
  const sandbox = logins.sandboxOfLogin(login.user, login.password);
  if (sandbox === null) return { ok: false, reason: 'credentials' };
  // No tapped connection (a server reached around the tap cannot be, but never file on a guess).
  if (!connection) return { ok: false, reason: 'other-sandbox' };
  if (connection.recorder.isUnfiled) {
    if (tap.sandboxFull(sandbox)) return { ok: false, reason: 'sandbox-full' };
    return tap.file(connection, sandbox) ? { ok: true, sandbox } : { ok: false, reason: 'other-sandbox' };
  }
  return mayLogIn(logins, connection, sandbox) ? { ok: true, sandbox: connection.owner.sandbox } : { ok: false, reason: 'other-sandbox' };
}

/**
 * admitLogin's rule without filing anything (SSH asks it before it offers a key): an unfiled
 * connection may log into every sandbox; a filed one into its own, or with the lab's own login.
 */
export function mayLogIn(logins: Pick<SandboxLogins, 'defaultSandbox'>, connection: TappedConnection | undefined, sandbox: string): boolean {
  if (!connection) return false;
  if (connection.recorder.isUnfiled) return true;
  return connection.owner.sandbox === sandbox || sandbox === logins.defaultSandbox;
}
