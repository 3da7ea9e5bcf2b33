import type { IncomingMessage } from 'node:http';
import { HttpError } from '../../lib/http/api-kit.ts';
import { BROWSER_HEADER, BROWSER_ID, BROWSER_PARAM } from '../../lib/http/contract.ts';
import type { ConnectionOwner } from '../../lib/wire/step.ts';
import type { SandboxResolver, SocketInfo } from '../../lib/wire/tap.ts';
import { ClientAddressBook } from '../../lib/sandbox/address-book.ts';
import type { SandboxDirectory } from '../../lib/sandbox/directory.ts';
import { cookieOf, labCookie } from './cookies.ts';

/**
 * The daemon's sandbox policy: the only code that decides which sandbox a browser and a
 * connection belong to (DESIGN.md "Sandboxes"). A single-user install has one sandbox; the
 * classroom mode replaces this policy (a cookie per browser, per-sandbox credentials).
 */
export interface SandboxPolicy {
  /** The sandbox of a browser request: its WebSocket and every API call it makes. */
  ofRequest(req: IncomingMessage): string;
  /**
   * The sandbox of a connection the tap accepts (a console carries its browser's sandbox in `own`);
   * one accepted unfiled is filed later by its login (admitLogin, servers/daemon/logins.ts).
   */
  ofConnection: SandboxResolver;
  /** Where a client with no login on the wire (HTTP, ZMTP) from this address is filed. */
  clientSandboxOf(address: string): string;
}

/** Everyone in one sandbox (today's policy): external clients land there, consoles keep their browser's. */
export function singleSandbox(sandbox: string): SandboxPolicy {
  return {
    ofRequest: () => sandbox,
    ofConnection: (socket: SocketInfo) => socket.own?.sandbox ?? sandbox,
    clientSandboxOf: () => sandbox,
  };
}

/** The cookie that holds a browser's sandbox token (HttpOnly, SameSite=Strict: no other site's page sends it). */
export const SANDBOX_COOKIE = 'lab_sandbox';
/** A browser keeps its sandbox for a term unless it leaves it. */
const COOKIE_MAX_AGE_S = 120 * 24 * 3600;

/** The Set-Cookie header that gives a browser its sandbox token (or, with null, takes it away). */
export const sandboxCookie = (token: string | null): string => labCookie(SANDBOX_COOKIE, token, COOKIE_MAX_AGE_S);

/** The sandbox token a request's Cookie header carries, or undefined. */
export const sandboxTokenOf = (req: IncomingMessage): string | undefined => cookieOf(req, SANDBOX_COOKIE);

/** Protocols whose clients log in, so their login can say whose sandbox a connection is. */
const LOGIN_PROTOCOLS: ReadonlySet<string> = new Set(['smtp', 'ftp', 'ssh']);

/**
 * The machine owner's own browser: one at this machine's keyboard reaches the lab from 127.0.0.1.
 * Any other address is another machine (a classroom LAN; tests play one on 127.0.0.2).
 */
const isOwnerAddress = (address: string | undefined): boolean => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/**
 * The lab's policy (DESIGN.md "Sandboxes"): a browser is in the sandbox its cookie names, or the
 * default one; an external client of a protocol with a login is filed by its login once students
 * have sandboxes (until then, and without a login, it is the default sandbox's). A client with no
 * login on the wire (HTTP, ZMTP) from another machine is filed in the sandbox whose page that
 * machine has open, if exactly one (`addresses`). A browser on another machine (a classroom LAN)
 * has no default: it must open or join a sandbox first.
 */
export function directorySandboxes(
  directory: Pick<SandboxDirectory, 'ofToken' | 'hasStudents' | 'defaultSandbox' | 'exists'>,
  isTeacher: (req: IncomingMessage) => boolean = () => false,
  addresses: ClientAddressBook = new ClientAddressBook(),
): SandboxPolicy {
  const fallback = directory.defaultSandbox;
  const clientSandboxOf = (address: string): string => {
    const vouched = isOwnerAddress(address) ? null : addresses.sandboxOf(address);
    return vouched !== null && directory.exists(vouched) ? vouched : fallback;
  };
  return {
    clientSandboxOf,
    ofRequest(req) {
      const token = sandboxTokenOf(req);
      const sandbox = token === undefined ? null : directory.ofToken(token);
      const address = req.socket.remoteAddress;
      if (sandbox !== null) {
        if (address !== undefined && !isOwnerAddress(address)) addresses.saw(address, sandbox);
        return sandbox;
      }
      // The machine owner: at its keyboard, or the teacher signed in from another machine.
      if (isOwnerAddress(address) || isTeacher(req)) return fallback;
      throw new HttpError(401, 'Open the lab page first: it gives this browser its own sandbox (or join a class with its code).');
    },
    ofConnection(socket) {
      if (socket.own) return socket.own.sandbox ?? fallback;
      if (LOGIN_PROTOCOLS.has(socket.protocol)) return directory.hasStudents() ? { unfiled: { fallback } } : fallback;
      return clientSandboxOf(socket.remoteAddress);
    },
  };
}

/**
 * Refuses (403, in words) a request from every sandbox but the machine owner's: for routes that change
 * one server every sandbox shares. `shared` names it and ends in its verb: "The REP's think time is".
 */
export function requireOwnerSandbox(policy: SandboxPolicy, req: IncomingMessage, ownerSandbox: string, shared: string): void {
  if (policy.ofRequest(req) !== ownerSandbox) throw new HttpError(403, `${shared} shared by every sandbox: only the machine owner (the teacher) changes it.`);
}

/** A sandbox's mail domain: `lab.test` for the machine owner's, `<id>.lab.test` for a student's. */
export const sandboxMailDomain = (sandbox: string, ownerSandbox: string): string => (sandbox === ownerSandbox ? 'lab.test' : `${sandbox}.lab.test`);

/**
 * Whom a connection opened for an API request belongs to: the request's sandbox, and the browser
 * that says it sent it (BROWSER_HEADER, set by callRoute). The header is trusted only inside the
 * request's own sandbox: at most it lets a page of that sandbox name another page of it.
 */
export function ownerOfRequest(policy: SandboxPolicy, req: IncomingMessage): ConnectionOwner {
  const sandbox = policy.ofRequest(req);
  // A plain link (a download) cannot send the header; it names the browser in the query instead.
  const browser = req.headers[BROWSER_HEADER] ?? new URL(req.url ?? '/', 'http://lab').searchParams.get(BROWSER_PARAM) ?? undefined;
  if (browser === undefined) return { sandbox };
  if (typeof browser !== 'string' || !BROWSER_ID.test(browser)) throw new HttpError(400, `${BROWSER_HEADER} must be the id the lab's WebSocket said hello with.`);
  return { sandbox, browser };
}
