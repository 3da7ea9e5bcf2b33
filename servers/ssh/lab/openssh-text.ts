/**
 * What OpenSSH 9.2's `ssh` prints at each step, word for word, so the browser terminal teaches
 * the same messages students will meet with the real client. `host` is the known_hosts name:
 * `[127.0.0.1]:2222` for a non-default port, as OpenSSH writes it.
 */
import { keyTypeLabel } from '../../../lib/protocols/ssh/fingerprint.ts';

const CRLF = '\r\n';
const lines = (...text: string[]) => text.join(CRLF) + CRLF;

/** The known_hosts name of host:port. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** First contact with an unknown host key. */
export function firstContact(hostName: string, keyType: string, fingerprint: string): string {
  return (
    lines(
      `The authenticity of host '${hostName} (${hostName})' can't be established.`,
      `${keyTypeLabel(keyType)} key fingerprint is ${fingerprint}.`,
      'This key is not known by any other names.',
    ) + 'Are you sure you want to continue connecting (yes/no/[fingerprint])? '
  );
}

export const PLEASE_TYPE = "Please type 'yes', 'no' or the fingerprint: ";

export function permanentlyAdded(hostName: string, keyType: string): string {
  return lines(`Warning: Permanently added '${hostName}' (${keyTypeLabel(keyType)}) to the list of known hosts.`);
}

export const VERIFICATION_FAILED = lines('Host key verification failed.');

/** The changed-key banner; `line` is the offending known_hosts line number. */
export function hostKeyChanged(hostName: string, keyType: string, fingerprint: string, line: number): string {
  const label = keyTypeLabel(keyType);
  return lines(
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host is`,
    `${fingerprint}.`,
    'Please contact your system administrator.',
    'Add correct host key in ~/.ssh/known_hosts to get rid of this message.',
    `Offending ${label} key in ~/.ssh/known_hosts:${line}`,
    '  remove with:',
    `  ssh-keygen -f "~/.ssh/known_hosts" -R "${hostName}"`,
    `Host key for ${hostName} has changed and you have requested strict checking.`,
    'Host key verification failed.',
  );
}

/**
 * The lab's own note (not OpenSSH's words) under the changed-key banner when the new key is the lab
 * server's own: the lab rotated it (Failures tab, or the ssh.hostkey-change fault a lesson's what-if
 * arms, perhaps in an earlier lesson), so a student meeting it elsewhere learns why and how to recover.
 */
export function labRotatedKey(hostName: string): string {
  return (
    `(Lab note: this is the lab server's own new key. The lab rotated its host keys — the Failures tab's Rotate host key, ` +
    `or the host-key what-if of the lesson "Host keys and a man in the middle" — and this terminal's known_hosts still holds the old one. ` +
    `Compare the fingerprint above with the Keys & known_hosts tab, then remove the old line there or type: ssh-keygen -R "${hostName}")`
  );
}

export function passwordPrompt(user: string, host: string): string {
  return `${user}@${host}'s password: `;
}

export const TRY_AGAIN = lines('Permission denied, please try again.');

export function permissionDenied(user: string, host: string, methods: string): string {
  return lines(`${user}@${host}: Permission denied (${methods}).`);
}

export function connectionRefused(host: string, port: number): string {
  return lines(`ssh: connect to host ${host} port ${port}: Connection refused`);
}

export function cannotResolve(host: string): string {
  return lines(`ssh: Could not resolve hostname ${host}: Name or service not known`);
}

export function unableToNegotiate(host: string, port: number, what: string, offer: string): string {
  return lines(`Unable to negotiate with ${host} port ${port}: ${what}. Their offer: ${offer}`);
}

export function connectionClosed(host: string): string {
  return lines(`Connection to ${host} closed.`);
}

export function receivedDisconnect(host: string, port: number, code: number, text: string): string {
  return lines(`Received disconnect from ${host} port ${port}:${code}: ${text}`, `Disconnected from ${host} port ${port}`);
}

/** `ssh-keygen -R` output. */
export function keygenRemoved(hostName: string, lineNumbers: number[]): string {
  if (lineNumbers.length === 0) return lines(`Host ${hostName} not found in ~/.ssh/known_hosts`);
  return lines(
    ...lineNumbers.map((n) => `# Host ${hostName} found: line ${n}`),
    '~/.ssh/known_hosts updated.',
    'Original contents retained as ~/.ssh/known_hosts.old',
  );
}

/** OpenSSH's warning for an `-i` file it cannot read; it then goes on without that key. */
export function identityNotAccessible(file: string): string {
  return lines(`Warning: Identity file ${file} not accessible: No such file or directory.`);
}

/** The lab's own hint (not OpenSSH's words): a generated key is used only when the user asks for it. */
export function keysNotOffered(names: string[], user: string, port: number): string {
  return `\x1b[2m(Your key ${names.join(', ')} is not offered unless you ask: ssh -i ${names[0]} ${user}@127.0.0.1 -p ${port})\x1b[0m\r\n`;
}

/** How OpenSSH names what a negotiation found nothing common in, by the words of ssh2's error. */
const NEGOTIATION_WORDING: [RegExp, string, NegotiationCategory][] = [
  [/key exchange/i, 'no matching key exchange method found', 'kex'],
  [/host key/i, 'no matching host key type found', 'hostkey'],
  [/cipher/i, 'no matching cipher found', 'cipher'],
  [/MAC/, 'no matching MAC found', 'mac'],
];

export type NegotiationCategory = 'kex' | 'hostkey' | 'cipher' | 'mac';

/** What OpenSSH's ssh prints when the connection fails (ssh2's error in its words); `serverOffer` lists what the server offered. */
export function connectFailure(err: Error & { level?: string; code?: string | number }, host: string, port: number, serverOffer: (category: NegotiationCategory) => readonly string[]): string {
  if (err.code === 'ECONNREFUSED') return connectionRefused(host, port);
  if (/Handshake failed: no matching/i.test(err.message)) {
    const match = NEGOTIATION_WORDING.find(([re]) => re.test(err.message));
    const [, wording, category] = match ?? [undefined, 'no matching key exchange method found', 'kex' as const];
    return unableToNegotiate(host, port, wording, serverOffer(category).join(','));
  }
  if (typeof err.code === 'number') return receivedDisconnect(host, port, err.code, err.message.replace(/[\x00-\x1f\x7f-\x9f]/g, '?'));
  return `ssh: ${err.message.replace(/[\x00-\x1f\x7f-\x9f]/g, '?')}\r\n`;
}
