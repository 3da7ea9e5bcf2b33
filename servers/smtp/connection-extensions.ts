/**
 * Small, tested extensions to the connections of the lab's own smtp-server instance
 * (PITFALLS.md: VRFY is a stub answering 252 and EXPN is missing; timeouts answer in the
 * library's words; hook errors get a generic enhanced code prepended; a lone leading dot is kept: dot-unstuff.ts;
 * a space in a quoted local part was a syntax error: quoted-spaces.ts; an overlong command or AUTH line closed
 * the session with 421 instead of failing the command with 500: overlong-line.ts).
 *
 * They are applied per connection, never to `SMTPConnection.prototype`: the server's `connect`
 * (where smtp-server turns each accepted socket into a connection) is wrapped on our instance
 * only, and each new connection gets own-property methods. Any other smtp-server in the
 * process keeps the library's behaviour (servers/smtp/connection-extensions.test.ts).
 * Commands are dispatched from a typed table through the connection's `_getHandler`, the one
 * place smtp-server looks a command's handler up.
 * Pinned to smtp-server 3.21.x: re-check `connect`, `_getHandler`, `send`, `_sendGreeting` and
 * `_onTimeout` when upgrading (their types come from the package, so tsc flags a changed shape).
 */
import type { SMTPServer } from 'smtp-server';
import type { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { overlongLineConnection } from './overlong-line.ts';
import { unstuffConnection } from './dot-unstuff.ts';
import { quotedSpacesConnection } from './quoted-spaces.ts';

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

/** What the lab adds to each of its server's connections. */
export interface SmtpExtension {
  directory: SmtpDirectory;
  timeouts: SmtpTimeouts;
}

/** smtp-server's command handler: called with the connection as `this`, the raw line and a done callback. */
type CommandHandler = NonNullable<ReturnType<SMTPConnection['_getHandler']>>;

/** The verbs the lab answers itself or watches. */
type LabVerb = 'HELO' | 'EHLO' | 'VRFY' | 'EXPN';

/** State the lab keeps for one connection. */
interface LabState {
  /** Set once the client has said HELO or EHLO (kept across STARTTLS, unlike the library's own flags). */
  helloSeen: boolean;
  /** Set while the library's idle timeout runs, so send() can put our words on its 421. */
  timingOut: boolean;
}

/** One lab command handler; `library` is smtp-server's own handler for the verb, if it has one. */
type LabHandler = (
  call: { connection: SMTPConnection; state: LabState; extension: SmtpExtension; library: CommandHandler | undefined },
  command: Buffer,
  done: () => void,
) => void;

const argumentOf = (command: Buffer) => command.toString().trim().split(/\s+/).slice(1).join(' ');

const lookup =
  (kind: 'verify' | 'expand', verb: 'VRFY' | 'EXPN'): LabHandler =>
  ({ connection, extension }, command, done) => {
    const argument = argumentOf(command);
    if (!argument) {
      connection.send(501, `Error: Syntax: ${verb} <address>`);
      return done();
    }
    const reply = extension.directory[kind](argument);
    connection.send(reply.code, reply.lines.length === 1 ? reply.lines[0] : reply.lines, false);
    done();
  };

const hello: LabHandler = ({ connection, state, library }, command, done) => {
  state.helloSeen = true;
  if (library) library.call(connection, command, done);
  else done();
};

/** The lab's handlers by verb; every other verb goes to the library's own handler. */
const LAB_HANDLERS: Record<LabVerb, LabHandler> = {
  HELO: hello,
  EHLO: hello,
  VRFY: lookup('verify', 'VRFY'),
  EXPN: lookup('expand', 'EXPN'),
};

const isLabVerb = (command: string): command is LabVerb => Object.hasOwn(LAB_HANDLERS, command);

// A reply text that starts with its own enhanced status code (e.g. "5.7.1 relaying denied").
const OWN_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

/** Gives one connection the lab's handlers, reply words and HELO grace, as own properties. */
function extendConnection(connection: SMTPConnection, extension: SmtpExtension): void {
  const state: LabState = { helloSeen: false, timingOut: false };
  // RFC 5321 §4.5.2: every line's leading dot is deleted, not only a doubled one.
  unstuffConnection(connection);
  // RFC 5321 §4.1.2: a quoted local part may hold spaces ("John Smith"@…).
  quotedSpacesConnection(connection);
  // RFC 5321 §4.5.3.1.9, RFC 4954 §4: a line over the limit fails its command (500), not the session.
  overlongLineConnection(connection);
  // The library's methods, from the prototype, before this connection shadows them.
  const library = {
    getHandler: connection._getHandler,
    send: connection.send,
    sendGreeting: connection._sendGreeting,
    onTimeout: connection._onTimeout,
  };

  connection._getHandler = function (this: SMTPConnection, command: string): CommandHandler | undefined {
    if (!isLabVerb(command)) return library.getHandler.call(this, command);
    const handler = LAB_HANDLERS[command];
    const own = library.getHandler.call(this, command);
    return function (this: SMTPConnection, line: Buffer, done: () => void) {
      handler({ connection: this, state, extension, library: own }, line, done);
    };
  };
  // Hook errors (onRcptTo, onData) can only pass a code and a message; when the message
  // already carries an enhanced status code, don't let the library prepend a generic one.
  connection.send = function (this: SMTPConnection, code: number, data?: string | string[] | null, context?: string | false) {
    const text = state.timingOut && code === 421 ? extension.timeouts.idleText : data;
    const ownCode = typeof text === 'string' && OWN_ENHANCED_CODE.test(text);
    return library.send.call(this, code, text, ownCode ? false : context);
  };
  // The library decides when the idle timeout ends a session; we only choose its words.
  connection._onTimeout = function (this: SMTPConnection) {
    state.timingOut = true;
    try {
      library.onTimeout.call(this);
    } finally {
      state.timingOut = false;
    }
  };
  // A session that never says HELO/EHLO is closed after a short grace (issue 8 #6): it holds
  // a connection slot for nothing. 421 closes the connection (RFC 5321 §3.8).
  connection._sendGreeting = function (this: SMTPConnection) {
    library.sendGreeting.call(this);
    const { timeouts } = extension;
    const graceMs = timeouts.helloGraceMs(this.session);
    if (graceMs === null) return;
    const timer = setTimeout(() => {
      if (!state.helloSeen && !this._closing && !this._closed) this.send(421, timeouts.helloGraceText(graceMs), false);
    }, graceMs);
    timer.unref();
    this._socket.once('close', () => clearTimeout(timer));
  };
}

/**
 * Extends every connection `server` creates from now on, and no other server's. smtp-server's
 * `connect` builds the connection and calls its `init()`, which only arms socket listeners and
 * a ready timer: nothing replaced here runs before `connect` returns, so extending right after
 * it is in time for the greeting.
 */
export function extendConnections(server: SMTPServer, extension: SmtpExtension): void {
  const libraryConnect = server.connect;
  server.connect = function (this: SMTPServer, socket, socketOptions) {
    libraryConnect.call(this, socket, socketOptions);
    // The connection just made is the one on this socket (init may already have closed it).
    for (const connection of this.connections) {
      if (connection._socket === socket) return extendConnection(connection, extension);
    }
  };
}
