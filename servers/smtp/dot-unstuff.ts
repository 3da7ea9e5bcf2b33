/**
 * Dot-unstuffing as RFC 5321 §4.5.2 asks of the receiver: "If the first character is a period and
 * there are other characters on the line, the first character is deleted." smtp-server 3.21.x
 * deletes a leading dot only when a second one follows (".." → "."), so a client that did not
 * stuff (".x") had its dot stored. The lab deletes that dot itself, in front of the library's
 * parser, and leaves ".." for the library: together every line's first dot goes, once.
 * Pinned to smtp-server 3.21.x: re-check `_createParser`, `_write`, `startDataMode` and `_dataMode`.
 */
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Where the reader stands: at a line start, mid-line (after a CR), just after a line's first dot
 * (held back until the next byte says what it is), after ".\r" at a line start, or past the
 * terminating CRLF.CRLF (what follows is commands: passed on untouched).
 */
type Where = 'start' | 'line' | 'cr' | 'dot' | 'dot-cr' | 'ended';

/** Reads one message's content (from the first byte after DATA's 354) chunk by chunk. */
export class DotUnstuffer {
  private where: Where = 'start';

  /** The chunk with each line's lone leading dot deleted (".." and the final "." are left as they are). */
  feed(chunk: Buffer): Buffer {
    if (this.where === 'ended') return chunk;
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (this.where) {
        case 'ended':
          chunk.copy(out, n, i);
          return out.subarray(0, n + chunk.length - i);
        case 'start':
          if (b === DOT) {
            this.where = 'dot';
            continue;
          }
          this.where = b === CR ? 'cr' : 'line';
          break;
        case 'dot':
          // ".." goes to the library (it deletes one); ".\r" may be the end; otherwise the dot is deleted.
          if (b === DOT || b === CR || b === LF) out[n++] = DOT;
          this.where = b === CR ? 'dot-cr' : 'line';
          break;
        case 'dot-cr':
          this.where = b === LF ? 'ended' : b === CR ? 'cr' : 'line';
          break;
        case 'cr':
          this.where = b === LF ? 'start' : b === CR ? 'cr' : 'line';
          break;
        case 'line':
          if (b === CR) this.where = 'cr';
          break;
      }
      out[n++] = b;
    }
    return out.subarray(0, n);
  }
}

type Parser = ReturnType<SMTPConnection['_createParser']>;

/** Puts the unstuffer in front of one parser: each message it reads in data mode gets a fresh one. */
function unstuffParser(parser: Parser): void {
  let unstuffer = new DotUnstuffer();
  const startDataMode = parser.startDataMode;
  const write = parser._write;
  parser.startDataMode = function (this: Parser, maxBytes) {
    unstuffer = new DotUnstuffer();
    return startDataMode.call(this, maxBytes);
  };
  parser._write = function (this: Parser, chunk, encoding, next) {
    write.call(this, this._dataMode ? unstuffer.feed(chunk) : chunk, encoding, next);
  };
}

/** Unstuffs every message one connection receives, also after STARTTLS (which gives it a new parser). */
export function unstuffConnection(connection: SMTPConnection): void {
  if (connection._parser) unstuffParser(connection._parser);
  const createParser = connection._createParser;
  connection._createParser = function (this: SMTPConnection) {
    const parser = createParser.call(this);
    unstuffParser(parser);
    return parser;
  };
}
