import type { SmtpDirectory } from './connection-extensions.ts';
import { readLocalPart } from '../../lib/protocols/smtp/local-part.ts';
import { LISTS, MAILBOXES, isLocalDomain, labAddress, splitAddress } from './directory.ts';

function stripBrackets(argument: string): string {
  return argument.trim().replace(/^<(.*)>$/, '$1');
}

/**
 * Resolves a VRFY/EXPN argument ("student", "student@lab.test", "<\"student\"@lab.test>") to a local part,
 * its quoting taken off as RCPT's is (RFC 5321 §4.1.2).
 */
function localPartOf(argument: string): { local: string } | { foreign: string } {
  const bare = stripBrackets(argument);
  const unquoted = (local: string) => {
    const read = readLocalPart(local);
    return { local: read.ok ? read.value : local };
  };
  if (!bare.includes('@')) return unquoted(bare.toLowerCase());
  const parts = splitAddress(bare);
  if (parts && isLocalDomain(parts.domain)) return unquoted(parts.local);
  return { foreign: bare };
}

const mailboxLine = (local: string) => `${MAILBOXES.get(local) ?? local} <${labAddress(local)}>`;

/** VRFY and EXPN answers from the lab directory, worded as RFC 5321 §3.5 shows them. */
export const labDirectory: SmtpDirectory = {
  verify(argument) {
    const target = localPartOf(argument);
    if ('foreign' in target) {
      // We would not deliver there (no relaying), so we cannot even promise to try.
      return { code: 551, lines: [`5.1.6 <${target.foreign}>: user not local; this server does not relay`] };
    }
    if (MAILBOXES.has(target.local)) return { code: 250, lines: [`2.1.5 ${mailboxLine(target.local)}`] };
    if (LISTS.has(target.local)) {
      return { code: 550, lines: [`5.1.1 <${labAddress(target.local)}> is a mailing list; use EXPN to see its members`] };
    }
    return { code: 550, lines: [`5.1.1 <${stripBrackets(argument)}>: no such mailbox here`] };
  },
  expand(argument) {
    const target = localPartOf(argument);
    if ('foreign' in target) return { code: 550, lines: [`5.1.6 <${target.foreign}>: not a list here`] };
    const members = LISTS.get(target.local);
    if (!members) return { code: 550, lines: [`5.1.1 <${stripBrackets(argument)}>: no such mailing list here`] };
    return { code: 250, lines: members.map((m) => `2.1.5 ${mailboxLine(m)}`) };
  },
};
