/**
 * Small, tested extensions to smtp-server 3.21's SMTPConnection (PITFALLS.md: VRFY is a stub
 * answering 252 and EXPN is missing). smtp-server dispatches `handler_<VERB>` methods found
 * on the connection, so we add them to its prototype once. They ask the server's options for
 * a `directory` lookup; a server without one keeps the library's behaviour.
 * Pinned to smtp-server 3.21.x: re-check `_onCommand`/`send` when upgrading.
 */
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** What VRFY and EXPN need to know about the lab's mail directory. */
export interface SmtpDirectory {
  /** VRFY (RFC 5321 §3.5.1): a reply for the argument. */
  verify(argument: string): { code: number; lines: string[] };
  /** EXPN (RFC 5321 §3.5.2): a reply for the argument. */
  expand(argument: string): { code: number; lines: string[] };
}

type SendContext = string | false | undefined;
interface ExtendedConnection {
  send(code: number, data?: string | string[] | null, context?: SendContext): void;
  _server: { options: { directory?: SmtpDirectory } };
}
type CommandHandler = (this: ExtendedConnection, command: Buffer | string, callback: () => void) => void;

// A reply text that starts with its own enhanced status code (e.g. "5.7.1 relaying denied").
const OWN_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

let installed = false;

/** Installs VRFY/EXPN handlers and enhanced-code pass-through once per process. */
export function installConnectionExtensions(): void {
  if (installed) return;
  installed = true;
  const proto = SMTPConnection.prototype as unknown as Record<string, unknown>;
  const originalVrfy = proto.handler_VRFY as CommandHandler;
  const originalSend = proto.send as ExtendedConnection['send'];

  const argumentOf = (command: Buffer | string) => command.toString().trim().split(/\s+/).slice(1).join(' ');

  const lookup = (kind: 'verify' | 'expand'): CommandHandler =>
    function (this: ExtendedConnection, command, callback) {
      const directory = this._server.options.directory;
      const argument = argumentOf(command);
      if (!directory) {
        if (kind === 'verify') return originalVrfy.call(this, command, callback);
        this.send(502, 'Error: command not implemented');
        return callback();
      }
      if (!argument) {
        this.send(501, `Error: Syntax: ${kind === 'verify' ? 'VRFY' : 'EXPN'} <address>`);
        return callback();
      }
      const reply = directory[kind](argument);
      this.send(reply.code, reply.lines.length === 1 ? reply.lines[0] : reply.lines, false);
      callback();
    };

  proto.handler_VRFY = lookup('verify');
  proto.handler_EXPN = lookup('expand');
  // Hook errors (onRcptTo, onData) can only pass a code and a message; when the message
  // already carries an enhanced status code, don't let the library prepend a generic one.
  proto.send = function (this: ExtendedConnection, code: number, data?: string | string[] | null, context?: SendContext) {
    const ownCode = typeof data === 'string' && OWN_ENHANCED_CODE.test(data);
    return originalSend.call(this, code, data, ownCode ? false : context);
  };
}
