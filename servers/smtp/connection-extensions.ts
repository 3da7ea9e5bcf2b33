/**
 * Small, tested extensions to smtp-server 3.21's SMTPConnection (PITFALLS.md: VRFY is a stub
 * answering 252 and EXPN is missing; timeouts answer in the library's words). smtp-server dispatches `handler_<VERB>` methods found
 * on the connection, so we add them to its prototype once. They ask the server's options for
 * a `directory` lookup; a server without one keeps the library's behaviour.
 * Pinned to smtp-server 3.21.x: re-check `_onCommand`/`send` when upgrading.
 */
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** What VRFY and EXPN need to know about the lab's mail directory. */
export interface SmtpDirectory {
  /** VRFY (RFC 5321 §3.5.1): a reply for the argument. */
  verify(argument: string): { code: number; lines: string[] };
  /** EXPN (RFC 5321 §3.5.1): a reply for the argument. */
  expand(argument: string): { code: number; lines: string[] };
}

/** Timeouts the lab words itself (RFC 5321 §4.5.3.2, §3.8), instead of the library's text. */
export interface SmtpTimeouts {
  /**
   * How long a new session may go without a successful HELO/EHLO, or null for no limit (the
   * lab's own consoles); asked once, when the greeting has been sent.
   */
  helloGraceMs(session: { id: string; remotePort: number }): number | null;
  /** The reply to a session that said no HELO/EHLO within its grace of `ms`. */
  helloGraceText(ms: number): string;
  /** The reply when the idle timeout (smtp-server's socketTimeout) ends a session. */
  idleText: string;
}

type SendContext = string | false | undefined;
interface ExtendedConnection {
  send(code: number, data?: string | string[] | null, context?: SendContext): void;
  session: { id: string; remotePort: number };
  /** Set once the client has said HELO or EHLO (kept across STARTTLS, unlike the library's own flags). */
  _labHello?: boolean;
  _closing: boolean;
  _closed: boolean;
  _socket: { once(event: 'close', listener: () => void): void };
  _server: { options: { directory?: SmtpDirectory; timeouts?: SmtpTimeouts } };
  /** Set while the library's idle timeout runs, so send() can put our words on its 421. */
  _labTimingOut?: boolean;
}
type CommandHandler = (this: ExtendedConnection, command: Buffer | string, callback: () => void) => void;

// A reply text that starts with its own enhanced status code (e.g. "5.7.1 relaying denied").
const OWN_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

let installed = false;

/** Installs VRFY/EXPN handlers, enhanced-code pass-through and the lab's timeouts once per process. */
export function installConnectionExtensions(): void {
  if (installed) return;
  installed = true;
  const proto = SMTPConnection.prototype as unknown as Record<string, unknown>;
  const originalVrfy = proto.handler_VRFY as CommandHandler;
  const originalSend = proto.send as ExtendedConnection['send'];
  const originalGreeting = proto._sendGreeting as (this: ExtendedConnection) => void;
  const originalTimeout = proto._onTimeout as (this: ExtendedConnection) => void;

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

  for (const verb of ['HELO', 'EHLO'] as const) {
    const original = proto[`handler_${verb}`] as CommandHandler;
    proto[`handler_${verb}`] = function (this: ExtendedConnection, command: Buffer | string, callback: () => void) {
      this._labHello = true;
      return original.call(this, command, callback);
    } satisfies CommandHandler;
  }
  proto.handler_VRFY = lookup('verify');
  proto.handler_EXPN = lookup('expand');
  // Hook errors (onRcptTo, onData) can only pass a code and a message; when the message
  // already carries an enhanced status code, don't let the library prepend a generic one.
  proto.send = function (this: ExtendedConnection, code: number, data?: string | string[] | null, context?: SendContext) {
    const timeouts = this._server.options.timeouts;
    const text = this._labTimingOut && code === 421 && timeouts ? timeouts.idleText : data;
    const ownCode = typeof text === 'string' && OWN_ENHANCED_CODE.test(text);
    return originalSend.call(this, code, text, ownCode ? false : context);
  };
  // The library decides when the idle timeout ends a session; we only choose its words.
  proto._onTimeout = function (this: ExtendedConnection) {
    this._labTimingOut = true;
    try {
      originalTimeout.call(this);
    } finally {
      this._labTimingOut = false;
    }
  };
  // A session that never says HELO/EHLO is closed after a short grace (issue 8 #6): it holds
  // a connection slot for nothing. 421 closes the connection (RFC 5321 §3.8).
  proto._sendGreeting = function (this: ExtendedConnection) {
    originalGreeting.call(this);
    const timeouts = this._server.options.timeouts;
    const graceMs = timeouts?.helloGraceMs(this.session) ?? null;
    if (!timeouts || graceMs === null) return;
    const timer = setTimeout(() => {
      if (!this._labHello && !this._closing && !this._closed) this.send(421, timeouts.helloGraceText(graceMs), false);
    }, graceMs);
    timer.unref();
    this._socket.once('close', () => clearTimeout(timer));
  };
}
