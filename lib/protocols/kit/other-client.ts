/**
 * Which other protocol's client opened a connection, read from its first line or bytes: in class a
 * student points curl at the SMTP port, ssh at the FTP port, swaks at the SSH port, or an implicit-TLS
 * client (https://, ftps://, --tls-on-connect) at a port that speaks plain text first. Each dissector
 * asks about its client's FIRST message only (later lines are its own protocol's business) and
 * explains what happens on its own port, citing where the other protocol defines that opening.
 */

/** The openings the lab recognizes. `smtp-or-ftp`: a command both have (QUIT, NOOP, HELP). */
export type OtherProtocol = 'http' | 'ssh' | 'tls' | 'smtp' | 'ftp' | 'smtp-or-ftp' | 'zmtp';

/** Where each opening is defined: a dissector's annotation cites it beside its own protocol's section. */
export const OTHER_PROTOCOL_REFS: Readonly<Record<OtherProtocol, string>> = {
  http: 'RFC 9112 §3',
  ssh: 'RFC 4253 §4.2',
  tls: 'RFC 8446 §5.1',
  smtp: 'RFC 5321 §4.1.1.1',
  ftp: 'RFC 959 §4.1',
  'smtp-or-ftp': 'RFC 5321 §4.1.1; RFC 959 §4.1',
  zmtp: 'ZMTP RFC 37 §3.2',
};

/** An HTTP/1.x request line (RFC 9112 §3): method, any request target, version. */
const HTTP_REQUEST_LINE = /^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|TRACE|CONNECT) \S+ HTTP\/\d(\.\d)?$/;
/** An SMTP client's opening: EHLO or HELO (LHLO is LMTP's), then a domain or address literal. */
const SMTP_OPENING = /^(EHLO|HELO|LHLO)( |$)/i;
/** Commands only FTP has that FTP clients send first (lftp: FEAT, AUTH TLS; curl and ftp: USER). */
const FTP_OPENING = /^(USER|FEAT|AUTH (TLS|SSL)|OPTS UTF8|PASV|EPSV|SYST|PWD|CWD)( |$)/i;
const SMTP_OR_FTP = /^(QUIT|NOOP|HELP)( |$)/i;

/** The first line of `bytes` as latin1 text, without its line end (at most 512 bytes are read). */
function firstLine(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 512);
  let end = head.indexOf(0x0a);
  if (end === -1) end = head.length;
  if (end > 0 && head[end - 1] === 0x0d) end--;
  return Buffer.from(head.buffer, head.byteOffset, end).toString('latin1');
}

/**
 * The protocol whose client opening `first` is, or null. `first`: the client's first bytes (a whole
 * line, or at least the first two bytes for TLS and the first ten for ZMTP).
 */
export function otherClientOf(first: Uint8Array): OtherProtocol | null {
  // A TLS record: content type 22 (handshake), legacy version 3.x (RFC 8446 §5.1).
  if (first[0] === 0x16 && first[1] === 0x03) return 'tls';
  // A ZMTP signature: 0xFF, eight padding octets, 0x7F (ZMTP RFC 37 §3.2).
  if (first[0] === 0xff && (first.length < 10 || first[9] === 0x7f)) return 'zmtp';
  const line = firstLine(first);
  if (line.startsWith('SSH-')) return 'ssh';
  if (HTTP_REQUEST_LINE.test(line)) return 'http';
  if (SMTP_OPENING.test(line)) return 'smtp';
  if (FTP_OPENING.test(line)) return 'ftp';
  if (SMTP_OR_FTP.test(line)) return 'smtp-or-ftp';
  return null;
}

/** The openings a line can be; a TLS record and a ZMTP signature are told from their first octets, never from a line. */
export type TextOpening = Exclude<OtherProtocol, 'tls' | 'zmtp'>;

/** Which other protocol's client sent this line (the client's first, without its line end), if it is a text opening. */
export function textOpeningOf(line: Uint8Array): TextOpening | null {
  const other = otherClientOf(line);
  return other === 'tls' || other === 'zmtp' ? null : other;
}

/**
 * Octets a binary port must hold before its first byte's protocol can be told: a TLS record's
 * content type and version (2), a ZMTP signature (10); 0 when the first byte starts neither.
 */
export function octetsToTell(first: number): number {
  return first === 0x16 ? 2 : first === 0xff ? 10 : 0;
}
