/** The own-client recipes' words for a client that asks about the lab's self-signed TLS certificate. */

/** What a mail or FTP client's certificate question should be answered with: the lab's self-signed certificate's fingerprint. */
export function certificateCheck(fingerprint: string | undefined): string {
  if (!fingerprint) return `Accept the lab's self-signed certificate when asked (the lab signed it itself; no CA vouches for it).`;
  return `Accept the lab's self-signed certificate when asked if its SHA-256 fingerprint is\n  ${fingerprint}`;
}
