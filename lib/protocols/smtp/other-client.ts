/**
 * Another protocol's client on the SMTP port (curl, ssh, lftp pointed at the wrong port), read from the
 * client's first command with the kit's otherClientOf. Only the first (later lines are SMTP's business),
 * except an HTTP request line, which the server refuses wherever it comes.
 * SMTP's own openings (EHLO, HELO; QUIT, NOOP, HELP, which FTP shares) get no note; a TLS record is
 * framed before it becomes a line (tls-phase.ts).
 */
import { otherClientOf, type OtherProtocol } from '../kit/other-client.ts';
import { SMTP_NOTES, type NoteRow } from './commands.ts';
import type { Draft } from './state.ts';

/** The note for each other client the SMTP port explains. */
const OTHER_CLIENT_NOTES: Readonly<Partial<Record<OtherProtocol, NoteRow>>> = {
  http: SMTP_NOTES.otherHttp,
  ssh: SMTP_NOTES.otherSsh,
  ftp: SMTP_NOTES.otherFtp,
};

/**
 * The note for a client command line (without its line end) if another protocol's client sent it:
 * the first command, then the header lines of an HTTP request up to its empty line. Null otherwise.
 */
export function otherClientNote(s: Draft, line: Uint8Array): NoteRow | null {
  if (s.httpHeaders) {
    if (line.length === 0) s.httpHeaders = false;
    return SMTP_NOTES.otherHttpMore;
  }
  // smtp-server refuses an HTTP request line wherever it comes (421, closed), so it is explained wherever it comes;
  // the cheap test first: every SMTP command passes here.
  if (s.opened && !endsLikeHttpRequest(line)) return null;
  s.opened = true;
  const protocol = otherClientOf(line);
  if (protocol === 'http') s.httpHeaders = true;
  return (protocol && OTHER_CLIENT_NOTES[protocol]) ?? null;
}

/** Whether a line ends like an HTTP request line (" HTTP/1.1", " HTTP/2"): read from its last nine bytes only. */
function endsLikeHttpRequest(line: Uint8Array): boolean {
  return Buffer.from(line.buffer, line.byteOffset, line.length).toString('latin1', Math.max(0, line.length - 9)).includes(' HTTP/');
}
