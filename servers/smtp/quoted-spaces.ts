/**
 * Spaces in a quoted local part, as RFC 5321 §4.1.2 allows them (`"John Smith"@example.com`: qtextSMTP
 * includes the space). smtp-server 3.21.x splits MAIL and RCPT at whitespace before it reads the path, so
 * such an address came back 501 "bad address syntax" and never reached the lab's directory. The lab hides
 * those spaces from the library's parser and puts them back in the address it returns.
 * Pinned to smtp-server 3.21.x: re-check `_parseAddressCommand` when upgrading.
 */
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** Stands in for a space while the library parses: a private-use character no client has reason to send. */
const HIDDEN = '\uE000';

/**
 * The command with each space inside a path's leading Quoted-string (`<"…"@`) replaced by HIDDEN, or null
 * when there is nothing to hide (no quoted local part, no space in it, or HIDDEN itself in the command).
 */
export function hideQuotedSpaces(command: string): string | null {
  if (command.includes(HIDDEN)) return null;
  // Only the path right after "FROM:" / "TO:", never a parameter after it.
  const path = /^[^:]*:\s*<"/.exec(command);
  if (!path) return null;
  const open = path[0].length - 2;
  let out = command.slice(0, open + 2);
  for (let i = open + 2; i < command.length; i++) {
    const c = command[i];
    if (c === '\\' && i + 1 < command.length) {
      // A quoted-pair: its character is taken as it is (a space too).
      out += c + (command[i + 1] === ' ' ? HIDDEN : command[i + 1]);
      i++;
    } else if (c === '"') {
      const rest = command.slice(i);
      return out.includes(HIDDEN) ? out + rest : null;
    } else out += c === ' ' ? HIDDEN : c;
  }
  // A quote never closed: the library refuses it as it stands.
  return null;
}

/** Gives one connection the quoted-spaces reading of MAIL FROM and RCPT TO, as an own property. */
export function quotedSpacesConnection(connection: SMTPConnection): void {
  const library = connection._parseAddressCommand;
  connection._parseAddressCommand = function (this: SMTPConnection, name: string, command: Buffer | string) {
    const hidden = hideQuotedSpaces(command.toString());
    const parsed = library.call(this, name, hidden ?? command);
    if (hidden !== null && parsed && parsed.address) parsed.address = parsed.address.replaceAll(HIDDEN, ' ');
    return parsed;
  };
}
