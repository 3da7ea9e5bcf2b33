/**
 * A command line longer than the server's buffer fails that command, not the session. RFC 5321 answers it
 * "500 Line too long" (§4.5.3.1.9; §4.2.2 and §4.3.2 list "command line too long" under 500). In an
 * authentication exchange RFC 4954 §4 says the server "fails the AUTH command with the 500 reply" and SHOULD
 * use enhanced code 5.5.6 (§6, "Authentication Exchange line is too long").
 * smtp-server 3.21.x treats every line over its limit (maxCommandLength, 16 KiB) alike: its parser errors,
 * and the connection answers "421 4.4.2 Error: Command line too long" and closes. The lab puts a guard in
 * front of each of a connection's parsers: a command line over the limit, or a SASL response after 334, is
 * dropped up to its line end and answered 500, and the lines after it are read as usual. A line that does
 * not end within 1 MiB, and one before the greeting or during STARTTLS, still go to the library, which closes.
 * Pinned to smtp-server 3.21.x: re-check SMTPStream's `_write`, `_remainder`, `_maxCommandLength`,
 * `_dataMode`, `_commandTooLong` and SMTPConnection's `_createParser`, `_parser`, `_nextHandler` and
 * `_ready` when upgrading (their types come from the package, so tsc flags a changed shape).
 */
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import type { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

/** The reply text after the code in an AUTH exchange: RFC 4954 §6's words, with its own enhanced code. */
export const AUTH_LINE_TOO_LONG = '5.5.6 Authentication Exchange line is too long';
/** The reply text after the code for any other command line: RFC 5321 §4.5.3.1.9's words, 5.5.2 a syntax error (RFC 3463). */
export const LINE_TOO_LONG = '5.5.2 Line too long';

/** A refused line longer than this is no longer drained: the session ends as the library ends it (421). */
const MAX_DRAINED = 1024 * 1024;

const LF = 0x0a;

type Next = (err?: Error | null) => void;

/**
 * Where the first line over `max` bytes (its line end not counted) starts in `chunk`, continuing the
 * partial line `remainder` (so a start of -remainder.length is the remainder's own); null when none is.
 * The same measure as the library's parser, so both agree on which line is too long.
 */
export function overlongLineStart(remainder: string, chunk: Buffer, max: number): number | null {
  let start = remainder.length === 0 ? 0 : -remainder.length;
  for (;;) {
    const lf = chunk.indexOf(LF, Math.max(start, 0));
    if (lf === -1) return chunk.length - start > max ? start : null;
    const cr = lf > 0 ? chunk[lf - 1] === 0x0d : remainder.endsWith('\r');
    if (lf - start - (cr ? 1 : 0) > max) return start;
    start = lf + 1;
  }
}

/** The 500 reply's text for an overlong line that starts with `head`, or null to leave it to the library. */
function refusalOf(connection: SMTPConnection, head: string): string | null {
  if (!connection._ready || connection._upgrading) return null;
  // A SASL response is awaited (the server sent 334), or the line is AUTH with an initial response.
  return connection._nextHandler !== false || /^AUTH[ \t]/i.test(head) ? AUTH_LINE_TOO_LONG : LINE_TOO_LONG;
}

/** Puts the guard in front of one parser of `connection`, as an own `_write`. */
function guardParser(connection: SMTPConnection, parser: SMTPStream): void {
  const library = parser._write;
  // The refused line being dropped (its bytes so far and its reply), or null while none is.
  let draining: { bytes: number; reply: string } | null = null;

  const write = (chunk: Buffer, encoding: BufferEncoding | 'buffer', next: Next): void => {
    if (draining !== null) {
      const lf = chunk.indexOf(LF);
      if (lf === -1) {
        draining.bytes += chunk.length;
        return draining.bytes > MAX_DRAINED ? next(parser._commandTooLong()) : next();
      }
      const { reply } = draining;
      draining = null;
      // An AUTH command fails, and an exchange in progress ends with it (RFC 4954 §4).
      if (reply === AUTH_LINE_TOO_LONG) connection._nextHandler = false;
      connection.send(500, reply, false);
      return write(chunk.subarray(lf + 1), encoding, next);
    }
    if (parser._dataMode || parser.isClosed) return library.call(parser, chunk, encoding, next);
    const start = overlongLineStart(parser._remainder, chunk, parser._maxCommandLength);
    if (start === null) return library.call(parser, chunk, encoding, next);
    // The lines before it are read first: one may be the AUTH whose 334 this line answers, or DATA.
    const rest = chunk.subarray(Math.max(start, 0));
    const decide = (err?: Error | null) => {
      if (err) return next(err);
      if (parser.isClosed) return next();
      const reply = parser._dataMode ? null : refusalOf(connection, parser._remainder + rest.subarray(0, 8).toString('latin1'));
      if (reply === null) return library.call(parser, rest, encoding, next);
      parser._remainder = '';
      draining = { bytes: 0, reply };
      write(rest, encoding, next);
    };
    if (start > 0) library.call(parser, chunk.subarray(0, start), encoding, decide);
    else decide();
  };
  parser._write = write;
}

/** Gives one connection the RFC 5321 / RFC 4954 answer to an overlong line, on its parser and on each one it makes after STARTTLS. */
export function overlongLineConnection(connection: SMTPConnection): void {
  if (connection._parser) guardParser(connection, connection._parser);
  const library = connection._createParser;
  connection._createParser = function (this: SMTPConnection) {
    const parser = library.call(this);
    guardParser(this, parser);
    return parser;
  };
}
