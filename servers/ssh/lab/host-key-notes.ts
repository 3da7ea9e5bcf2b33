/** The browser SSH terminal's note on what its client decided about the server's host key. */
export type HostKeyVerdict = 'known' | 'accepted' | 'refused' | 'changed';

/** What the client decided about the server's host key, and why it matters (RFC 4251 §4.1, §9.3.4). */
export const HOST_KEY_NOTES: Record<HostKeyVerdict, { title: string; explain: string; ref: string; level?: 'warn' | 'error' }> = {
  known: {
    title: 'matches known_hosts',
    explain: 'The key the server signed the exchange hash with is the one recorded on first contact, so this is the same server.',
    ref: 'RFC 4251 §4.1',
  },
  accepted: {
    title: 'first contact, accepted by the user',
    explain: 'No key was recorded for this host; the user compared the fingerprint and answered yes, so it was added to known_hosts (trust on first use).',
    ref: 'RFC 4251 §4.1',
    level: 'warn',
  },
  refused: {
    title: 'first contact, refused by the user',
    explain: 'The user did not accept the unknown host key, so the client disconnected before sending any credentials.',
    ref: 'RFC 4251 §4.1',
  },
  changed: {
    title: 'DIFFERENT from known_hosts: connection refused',
    explain: 'The server presented another key than the one recorded. That is what a man-in-the-middle looks like (or a reinstalled server); the client stops before logging in.',
    ref: 'RFC 4251 §9.3.4',
    level: 'error',
  },
};
