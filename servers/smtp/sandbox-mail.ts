/**
 * The SMTP lab's sandboxes: whose mail a session carries, by the one rule of servers/daemon/logins.ts.
 * AUTH files the session where its login points (admitLogin): a student's sandbox id and password
 * open that sandbox, the lab's own login the default one, and all the session's mail goes there.
 * Without AUTH, the first recipient files it: `<id>.lab.test` is that sandbox's, lab.test and
 * localhost the default sandbox's. A session is one sandbox's: a recipient naming another is refused.
 */
import type { Tap } from '../../lib/wire/tap.ts';
import { admitLogin, type LoginVerdict, type SandboxLogins } from '../daemon/logins.ts';
import type { Refusal } from './directory.ts';
import { SMTP_SERVER_TEXT, type SmtpServerOptions } from './index.ts';

/** The lab's reply texts for a session's sandbox, each after its RFC 3463 enhanced status code. */
export const SANDBOX_MAIL_TEXT = {
  otherSandbox: '5.7.8 Authentication credentials invalid here: this session already belongs to another sandbox; open a new connection to log in as this one',
  loginNotNow: '4.7.0 Temporary authentication failure: this login cannot open its sandbox now; try again later',
  noSandbox: (address: string) => `5.1.2 <${address}>: no such sandbox here; your lab page shows your sandbox's mail domain`,
  oneSandbox: (address: string) =>
    `5.7.1 <${address}>: this session's mail already goes to another sandbox (one sandbox per session); send mail for this one on a new connection`,
  notFiled: '4.3.0 Could not file this session in its sandbox now; try again later',
  mailboxFull: (max: number) => `5.2.2 Mailbox full: this sandbox holds ${max} mails, as many as it may (LAB_SANDBOX_MAX_MAILS)`,
} as const;

type Refused = Extract<LoginVerdict, { ok: false }>['reason'];

/** An AUTH refusal as an SMTP reply: wrong login, or a login for another sandbox than the session's (RFC 4954 §6: 535 and 454). */
function authRefusal(reason: Refused): Refusal {
  switch (reason) {
    case 'credentials':
      return { code: 535, text: SMTP_SERVER_TEXT.authInvalid };
    case 'other-sandbox':
      return { code: 535, text: SANDBOX_MAIL_TEXT.otherSandbox };
    default:
      // Nothing wrong with the login itself: the sandbox cannot take the session now.
      return { code: 454, text: SANDBOX_MAIL_TEXT.loginNotNow };
  }
}

/** What the lab's SMTP server asks about sandboxes: its logins and its tap (null until it is open). */
export interface SandboxMailDeps {
  logins: Pick<SandboxLogins, 'sandboxOfLogin' | 'loginOf' | 'exists' | 'defaultSandbox'>;
  tap(): Tap | null;
  /** A student sandbox's mail limit (LAB_SANDBOX_MAX_MAILS) and how many it holds; the default sandbox has none. */
  mailLimit?: { max: number; count(sandbox: string): number };
}

/** The server options that file each session in its sandbox (its AUTH login, else its first recipient's domain). */
export function sandboxMail(deps: SandboxMailDeps): Required<Pick<SmtpServerOptions, 'authenticate' | 'routeRecipient'>> {
  const { logins } = deps;
  return {
    authenticate(login, remotePort) {
      const tap = deps.tap();
      const verdict: LoginVerdict = tap ? admitLogin(logins, tap, tap.byUpstreamPort(remotePort), login) : { ok: false, reason: 'other-sandbox' };
      return verdict.ok ? null : authRefusal(verdict.reason);
    },
    routeRecipient(recipient, session) {
      const refused = route(recipient, session);
      if (refused || !deps.mailLimit) return refused;
      // Accepted: refused after all if its sandbox is full (RFC 3463 X.2.2 mailbox full; 552 is one of RCPT's replies, RFC 5321 §4.3.2).
      const sandbox = deps.tap()?.byUpstreamPort(session.remotePort)?.owner.sandbox;
      const { max, count } = deps.mailLimit;
      return sandbox && sandbox !== logins.defaultSandbox && count(sandbox) >= max ? { code: 552, text: SANDBOX_MAIL_TEXT.mailboxFull(max) } : null;
    },
  };

  /** Which sandbox the recipient's mail goes to, filing an unfiled session by it; a refusal when it cannot. */
  function route({ address, sandbox: named }: Recipient, session: RecipientSession): Refusal | null {
    // The default sandbox's domain is lab.test: `<default>.lab.test` names no student's sandbox.
    if (named !== null && (named === logins.defaultSandbox || !logins.exists(named))) return { code: 550, text: SANDBOX_MAIL_TEXT.noSandbox(address) };
    // AUTH filed the session: whatever lab address it names, its mail is its login's sandbox's.
    if (session.authenticated) return null;
    const tap = deps.tap();
    const connection = tap?.byUpstreamPort(session.remotePort);
    if (!tap || !connection) return { code: 451, text: SANDBOX_MAIL_TEXT.notFiled };
    if (connection.recorder.isUnfiled) return tap.file(connection, named ?? logins.defaultSandbox) ? null : { code: 451, text: SANDBOX_MAIL_TEXT.notFiled };
    // Filed (by an earlier recipient, or at accept: the lab's own consoles): the plain domains mean its own sandbox.
    return named === null || named === connection.owner.sandbox ? null : { code: 550, text: SANDBOX_MAIL_TEXT.oneSandbox(address) };
  }
}

type RouteRecipient = NonNullable<SmtpServerOptions['routeRecipient']>;
type Recipient = Parameters<RouteRecipient>[0];
type RecipientSession = Parameters<RouteRecipient>[1];
