/**
 * The lab's mail directory as data: which domains are local, which mailboxes exist there,
 * and the demo mailing list EXPN expands. Everything else is somebody else's mail: refused.
 * Each student sandbox has its own domain, `<id>.lab.test`, which takes mail for every name (a
 * catch-all: its mailbox is the sandbox's, and a student may make addresses up); the directory only
 * reads the sandbox id off it, whether that sandbox exists is the lab's say.
 */
import { leastQuoted, readLocalPart } from '../../lib/protocols/smtp/local-part.ts';

/** Domains the lab delivers for (RFC 5321 §2.3.5); mail to any other domain would be relaying. */
export const LOCAL_DOMAINS = ['lab.test', 'localhost'] as const;

/** A sandbox's own mail domain: one DNS label (its id) under the lab's main domain. */
const SANDBOX_DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\.lab\.test$/;

/**
 * Known mailboxes (local parts), with the display names VRFY answers with (RFC 5321 §3.5.1).
 * A Map, not an object literal: names come from the wire, and `constructor` or `__proto__`
 * must not be found on Object.prototype (issue 8 #12).
 */
export const MAILBOXES: ReadonlyMap<string, string> = new Map([
  ['student', 'Student'],
  ['teacher', 'Teacher'],
  ['alice', 'Alice Example'],
  ['bob', 'Bob Example'],
  ['postmaster', 'Postmaster'], // RFC 5321 §4.5.1: every domain must accept postmaster
  ['calendar', 'Calendar Service (SOAP over SMTP)'],
]);

/** Mailing lists EXPN can expand (RFC 5321 §3.5.4): members are local parts. */
export const LISTS: ReadonlyMap<string, readonly string[]> = new Map([['class', ['student', 'alice', 'bob', 'teacher']]]);

/** A refusal as an SMTP reply: code, enhanced status code (RFC 3463) and text. */
export interface Refusal {
  code: number;
  text: string;
}

export type RecipientVerdict =
  | {
      ok: true;
      localPart: string;
      isList: boolean;
      /** The sandbox an `<id>.lab.test` address names; null for the plain lab domains (lab.test, localhost). */
      sandbox: string | null;
      /** The address as stored: lower-cased, `localhost` as `lab.test`. */
      canonical: string;
    }
  | { ok: false; refusal: Refusal };

// Forms nmap's smtp-open-relay probe uses to sneak mail past naive domain checks.
const RELAY_TRICKS: { pattern: RegExp; why: string }[] = [
  { pattern: /^@/, why: 'source route (@host:user@domain, RFC 5321 §4.1.2 says ignore, we refuse)' },
  { pattern: /%/, why: 'percent hack (user%domain@relay)' },
  { pattern: /!/, why: 'UUCP bang path (domain!user@relay)' },
  { pattern: /@.*@/, why: 'two @ signs (user@domain@relay)' },
  { pattern: /^".*@.*"@/, why: 'quoted local part hiding an address ("user@domain"@relay)' },
];

/** Splits an address at its last '@' into a lower-cased local part and domain. */
export function splitAddress(address: string): { local: string; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

export function isLocalDomain(domain: string): boolean {
  return (LOCAL_DOMAINS as readonly string[]).includes(domain.toLowerCase());
}

/** A domain the lab delivers for: a plain one (sandbox null) or a sandbox's `<id>.lab.test`; null for anyone else's. */
export function labDomainOf(domain: string): { sandbox: string | null; canonical: string } | null {
  const lower = domain.toLowerCase();
  if (isLocalDomain(lower)) return { sandbox: null, canonical: LOCAL_DOMAINS[0] };
  const sandbox = SANDBOX_DOMAIN.exec(lower)?.[1];
  return sandbox ? { sandbox, canonical: lower } : null;
}

/**
 * Decides RCPT TO: a known mailbox or list at lab.test/localhost, or every name at a sandbox's domain →
 * accept; an unknown name at lab.test → 550 5.1.1; every other domain → relay denied.
 */
export function checkRecipient(address: string): RecipientVerdict {
  for (const trick of RELAY_TRICKS) {
    if (trick.pattern.test(address)) {
      return { ok: false, refusal: { code: 550, text: `5.7.1 <${address}>: relaying denied (${trick.why})` } };
    }
  }
  // RFC 5321 §4.5.1: "postmaster" without a domain MUST be accepted (§4.1.1.3 allows it).
  if (address.toLowerCase() === 'postmaster') return { ok: true, localPart: 'postmaster', isList: false, sandbox: null, canonical: labAddress('postmaster') };
  const parts = splitAddress(address);
  if (!parts) return { ok: false, refusal: { code: 501, text: '5.1.3 Bad recipient address syntax' } };
  const domain = labDomainOf(parts.domain);
  if (!domain) {
    return { ok: false, refusal: { code: 550, text: `5.7.1 <${address}>: relaying denied` } };
  }
  // RFC 5321 §4.1.2: "all quoted forms MUST be treated as equivalent", so "alice" is alice. The disguises
  // above were looked for in the raw address, quotes and all: a route or an address in quotes is refused too.
  const local = readLocalPart(parts.local);
  if (!local.ok) return { ok: false, refusal: { code: 501, text: `5.1.3 <${address}>: bad local part, ${local.why} (RFC 5321 §4.1.2)` } };
  const accepted = { localPart: local.value, sandbox: domain.sandbox, canonical: `${leastQuoted(local.value)}@${domain.canonical}` };
  // Subaddressing (RFC 5233): alice+news@lab.test is delivered to alice.
  const base = local.value.split('+')[0];
  if (LISTS.has(base)) return { ok: true, isList: true, ...accepted };
  if (MAILBOXES.has(base) || domain.sandbox !== null) return { ok: true, isList: false, ...accepted };
  return { ok: false, refusal: { code: 550, text: `5.1.1 <${address}>: no such mailbox here` } };
}

/** The canonical address of a local part in the lab's main domain. */
export function labAddress(localPart: string): string {
  return `${localPart}@${LOCAL_DOMAINS[0]}`;
}
