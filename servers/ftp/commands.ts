/**
 * Per-connection command overrides: ftp-srv looks commands up in a process-wide registry, so
 * instead of patching that we wrap each connection's dispatcher and answer a few verbs ourselves
 * (AUTH, PBSZ, PROT, PASV, EPSV, PORT, EPRT). Logging mirrors ftp-srv's `Handle command` trace,
 * so the endpoint view sees these commands like any other.
 */
import net from 'node:net';
import type tls from 'node:tls';
import { decodeEprt, decodeSixNumbers, encodeSixNumbers } from '../../lib/protocols/ftp/addresses.ts';
import { escapeControls } from '../../lib/wire/escape.ts';
import { handleAuth } from './auth-tls.ts';
import { ActiveDataConnector, checkActiveTarget, LabConnector, PassiveDataConnector, type DataRoutes, type DataSettings } from './data-connector.ts';
import { DURING_TRANSFER, TRANSFERS } from './control-reader.ts';
import { Bluebird, type FtpCommand, type FtpConnectionLike } from './internals.ts';

/** What the overrides need from the server. */
export interface OverrideOptions {
  tlsContext: tls.SecureContext | null;
  routes: DataRoutes;
  /** Ports PORT/EPRT may not name (the lab's own servers). */
  ownPorts(): readonly number[];
  onSecure(connection: FtpConnectionLike, info: { protocol: string | null; cipher: string }): void;
  /** One NSS key log line of a control connection's TLS session. */
  onKeylog?(connection: FtpConnectionLike, line: Buffer): void;
  /** Cleartext commands that followed AUTH TLS in the same read were dropped (verbs, bytes). */
  onDiscarded(connection: FtpConnectionLike, verbs: string[], bytes: number): void;
  /** Runs after every PASS has been answered (the server may close on too many failures). */
  afterPass(connection: FtpConnectionLike): PromiseLike<unknown> | void;
}

interface Session {
  /** RFC 4217 §9: the data channel is clear until PROT P. */
  protection: 'C' | 'P';
  pbsz: boolean;
  command: string;
  /**
   * Between a successful AUTH TLS and the end of the TLS handshake: anything still queued from the
   * cleartext read that carried AUTH was pipelined behind it and is dropped (RFC 4217 §4; the
   * STARTTLS command-injection class, CVE-2011-0411).
   */
  discard: { verbs: string[]; bytes: number } | null;
  /** The transfer command running (RETR, STOR, LIST…), settled when it has replied. */
  transfer: Promise<unknown> | null;
  /** ABOR is ending the transfer: its failure reply is 426 (RFC 959 §4.1.3). */
  aborting: boolean;
  /** EPSV ALL was sent: only EPSV may set up data connections from now on (RFC 2428 §3). */
  epsvAll: boolean;
}

/** `SITE CHMOD 644 name with spaces`: an octal mode (up to 0777 and the setuid/setgid/sticky bits, masked by the jail) and the rest of the line. */
const SITE_CHMOD = /^CHMOD\s+([0-7]{1,4})\s+(\S.*)$/i;

type Handler = (connection: FtpConnectionLike, command: FtpCommand, session: Session) => PromiseLike<unknown> | unknown;

/**
 * Verbs whose syntax has a required argument (RFC 959 §5.3.2, RFC 2389 §4, RFC 3659 §3–4), answered 501
 * without one. ftp-srv's OPTS threw on a null argument, which left the command unanswered and the
 * connection's queue stuck; its file commands took a missing path for the root (MKD answered 257 "/",
 * SIZE the root's size, RNFR 350).
 */
const NEEDS_ARGUMENT: Readonly<Record<string, string>> = {
  OPTS: 'OPTS <command> [<options>]',
  MKD: 'MKD <pathname>',
  XMKD: 'XMKD <pathname>',
  RMD: 'RMD <pathname>',
  XRMD: 'XRMD <pathname>',
  DELE: 'DELE <pathname>',
  RNFR: 'RNFR <pathname>',
  RNTO: 'RNTO <pathname>',
  SIZE: 'SIZE <pathname>',
  MDTM: 'MDTM <pathname>',
  RETR: 'RETR <pathname>',
  STOR: 'STOR <pathname>',
  APPE: 'APPE <pathname>',
};

/** The 501 for a verb of NEEDS_ARGUMENT sent bare, or undefined. */
function missingArgument(command: FtpCommand): { handler: Handler; noAuth?: boolean } | undefined {
  if (!Object.hasOwn(NEEDS_ARGUMENT, command.directive) || (command.arg ?? '').trim()) return undefined;
  const syntax = NEEDS_ARGUMENT[command.directive];
  return { handler: (c) => c.reply(501, `Syntax error in arguments: ${syntax}`) };
}

/** h1,h2,h3,h4,p1,p2 of an IPv4 address (IPv4-mapped too) and port (RFC 959 §4.1.2), or null for every other address. */
function sixNumbersOf(address: string, port: number): string | null {
  const v4 = address.replace(/^::ffff:/i, '');
  return net.isIPv4(v4) ? encodeSixNumbers(v4, port) : null;
}

function replaceConnector(connection: FtpConnectionLike, next: FtpConnectionLike['connector']): void {
  const previous = connection.connector;
  connection.connector = next;
  if (previous !== next && previous.type) previous.end();
  connection.connector = next;
}

/**
 * Runs `work` on the logged-in session's jailed file system; a session without one, or a file-system error,
 * is answered 550 with the error's words (escaped: they quote the client's path).
 */
async function withFileSystem(c: FtpConnectionLike, verb: string, work: (fs: NonNullable<FtpConnectionLike['fs']>) => Promise<unknown>): Promise<unknown> {
  const fs = c.fs;
  if (!fs) return c.reply(550, 'No file system');
  try {
    return await work(fs);
  } catch (err) {
    return c.reply(550, escapeControls(err instanceof Error ? err.message : `${verb} failed`));
  }
}

function makeHandlers(options: OverrideOptions): Record<string, { handler: Handler; noAuth?: boolean }> {
  const settings = (connection: FtpConnectionLike, session: Session): DataSettings => ({
    routes: options.routes,
    dataTls: () => (connection.secure && session.protection === 'P' ? options.tlsContext : null),
    currentCommand: () => session.command,
  });

  const passive = (kind: 'PASV' | 'EPSV'): Handler => async (connection, _command, session) => {
    const connector = new PassiveDataConnector(connection, settings(connection, session));
    replaceConnector(connection, connector);
    try {
      const { address, port } = await connector.listen(kind);
      if (kind === 'EPSV') return connection.reply(229, `Entering Extended Passive Mode (|||${port}|)`);
      // 227 names the address the client reached the lab by (a LAN client's, not loopback).
      const numbers = sixNumbersOf(address, port);
      if (numbers === null) {
        connector.end();
        return connection.reply(425, 'PASV names IPv4 addresses only: use EPSV on an IPv6 connection (RFC 2428)');
      }
      return connection.reply(227, `Entering Passive Mode (${numbers})`);
    } catch {
      connector.end();
      return connection.reply(425, 'Cannot open a passive port, try again');
    }
  };

  /** RFC 2428 §3: "the server MUST reject all data connection setup commands other than EPSV" after EPSV ALL. */
  const refuseAfterEpsvAll = (connection: FtpConnectionLike, verb: string) =>
    connection.reply(503, `${verb} refused after EPSV ALL: only EPSV now (RFC 2428 §3)`);

  const active = (target: { host: string; port: number; family: 4 | 6 } | null, connection: FtpConnectionLike, session: Session, verb: string) => {
    if (session.epsvAll) return refuseAfterEpsvAll(connection, verb);
    if (!target) return connection.reply(501, `Syntax error in ${verb} arguments`);
    const refusal = checkActiveTarget(connection, target.host, target.port, options.ownPorts());
    if (refusal) return connection.reply(500, `Illegal ${verb} command: ${refusal} (RFC 2577)`);
    replaceConnector(connection, new ActiveDataConnector(connection, settings(connection, session), target));
    return connection.reply(200, `${verb} command successful: I will connect to ${target.host}:${target.port}`);
  };

  return {
    AUTH: {
      noAuth: true,
      handler: (c, cmd, s) => {
        const wasSecure = c.secure;
        const result = handleAuth(
          c,
          cmd.arg ?? '',
          options.tlsContext,
          (info) => {
            s.discard = null;
            options.onSecure(c, info);
          },
          (line) => options.onKeylog?.(c, line),
        );
        // handleAuth wrapped the socket in this tick: the rest of this read is cleartext to drop.
        if (!wasSecure && c.secure) s.discard = { verbs: [], bytes: 0 };
        return result;
      },
    },
    PBSZ: {
      noAuth: true,
      handler: (c, cmd, s) => {
        if (!c.secure) return c.reply(503, 'PBSZ needs AUTH TLS first');
        s.pbsz = true;
        return c.reply(200, (cmd.arg ?? '').trim() === '0' ? 'PBSZ=0' : 'PBSZ=0 (TLS needs no buffer)');
      },
    },
    PROT: {
      noAuth: true,
      handler: (c, cmd, s) => {
        if (!c.secure || !s.pbsz) return c.reply(503, 'PROT needs AUTH TLS and PBSZ first');
        const level = (cmd.arg ?? '').trim().toUpperCase();
        if (level === 'P' || level === 'C') {
          s.protection = level;
          return c.reply(200, level === 'P' ? 'Protection level Private: data connections use TLS' : 'Protection level Clear: data connections are NOT encrypted');
        }
        if (level === 'S' || level === 'E') return c.reply(536, 'Only PROT C and PROT P are supported');
        return c.reply(504, 'Unknown protection level');
      },
    },
    ABOR: { handler: (c, _cmd, s) => abort(c, s) },
    // SITE CHMOD over the sandbox jail (ftp-srv's own answered every refusal "500 Syntax error"); other SITE commands are not served.
    SITE: {
      handler: (c, cmd) => {
        const arg = (cmd.arg ?? '').trim();
        const verb = arg.split(' ', 1)[0].toUpperCase().slice(0, 16);
        if (!verb) return c.reply(501, 'SITE needs a command after it');
        if (verb !== 'CHMOD') return c.reply(504, `SITE ${escapeControls(verb)} is not implemented here`);
        const chmod = SITE_CHMOD.exec(arg);
        if (!chmod) return c.reply(501, 'Syntax: SITE CHMOD <octal mode> <path>');
        return withFileSystem(c, 'SITE CHMOD', (fs) => fs.chmod(chmod[2], Number.parseInt(chmod[1], 8)).then(() => c.reply(200, 'SITE CHMOD command successful')));
      },
    },
    // ftp-srv's SIZE answered a directory with its block size (213 4096); RFC 3659 §4 gives the size of a file only.
    SIZE: {
      handler: (c, cmd) => {
        const target = cmd.arg ?? '';
        return withFileSystem(c, 'SIZE', async (fs) => {
          const stat = await fs.get(target);
          return stat.isDirectory() ? c.reply(550, `${escapeControls(target)}: Not a plain file (RFC 3659 §4)`) : c.reply(213, String(stat.size));
        });
      },
    },
    // DELE deletes a file (RFC 959 §4.1.3); ftp-srv's DELE and RMD share one delete, which took directories too.
    DELE: {
      handler: (c, cmd) => {
        const target = cmd.arg ?? '';
        return withFileSystem(c, 'DELE', async (fs) => {
          if ((await fs.get(target)).isDirectory()) return c.reply(550, `${escapeControls(target)}: Is a directory (RMD removes directories)`);
          await fs.delete(target);
          return c.reply(250, 'Requested file action okay, completed');
        });
      },
    },
    PASV: { handler: (c, cmd, s) => (s.epsvAll ? refuseAfterEpsvAll(c, 'PASV') : passive('PASV')(c, cmd, s)) },
    EPSV: {
      handler: (c, cmd, s) => {
        const arg = (cmd.arg ?? '').trim().toUpperCase();
        if (arg === 'ALL') {
          s.epsvAll = true;
          return c.reply(200, 'EPSV ALL accepted: PASV, PORT and EPRT are refused from now on');
        }
        if (arg === '') return passive('EPSV')(c, cmd, s);
        if (!/^\d+$/.test(arg)) return c.reply(501, 'Syntax error in EPSV arguments: EPSV [<net-prt> | ALL]');
        // The passive port listens in the control connection's address family: 1 (IPv4) or 2 (IPv6).
        const own = net.isIPv6(c.commandSocket.localAddress?.replace(/^::ffff:(?=\d+\.)/i, '') ?? '') ? '2' : '1';
        return arg === own ? passive('EPSV')(c, cmd, s) : c.reply(522, `Network protocol not supported, use (${own})`);
      },
    },
    PORT: {
      handler: (c, cmd, s) => {
        const decoded = decodeSixNumbers(cmd.arg ?? '');
        return active(decoded ? { host: decoded.host, port: decoded.port, family: 4 } : null, c, s, 'PORT');
      },
    },
    EPRT: {
      handler: (c, cmd, s) => {
        const arg = cmd.arg ?? '';
        const decoded = decodeEprt(arg);
        if (!decoded && /^\s*(.)2\1/.test(arg)) return c.reply(522, 'Network protocol not supported, use (1)');
        return active(decoded, c, s, 'EPRT');
      },
    },
  };
}

/**
 * ABOR (RFC 959 §4.1.3). With a transfer in progress: the data connection is closed, the transfer
 * answers 426 and then ABOR 226. Otherwise: 226 if a data connection was open (now closed), else
 * 225. ftp-srv wrote its 426 into the data connection, where a client that stopped reading never
 * saw it, and its 226 waited behind it.
 */
async function abort(connection: FtpConnectionLike, session: Session): Promise<unknown> {
  const connector = connection.connector;
  const transfer = session.transfer;
  const open = Boolean(connector.socket && !connector.socket.destroyed);
  session.aborting = transfer !== null;
  if (connector instanceof LabConnector) connector.abort();
  else connector.end();
  if (!transfer) return open ? connection.reply(226, 'Data connection closed; no transfer in progress') : connection.reply(225, 'No transfer in progress');
  await transfer;
  session.aborting = false;
  return connection.reply(226, 'Abort successful: the transfer was stopped and its data connection closed');
}

/**
 * While ABOR ends a transfer, whatever that transfer replies is 426 (RFC 959 §4.1.3); so is a
 * transfer's failure once its data connection broke (§4.2.2 "Connection closed; transfer aborted"),
 * which ftp-srv answered 551 (RETR), 451 (LIST) or 550 (STOR) with the socket's error text.
 */
function replyAbortedAs426(connection: FtpConnectionLike, session: Session): void {
  const reply = connection.reply.bind(connection);
  connection.reply = (options, ...letters) => {
    if (typeof options !== 'number' || options < 400) return reply(options, ...letters);
    // Only the transfer replies meanwhile: ABOR's own replies (225, 226) come after it has settled.
    if (session.aborting) return reply(426, 'Connection closed; transfer aborted');
    const connector = connection.connector;
    if (session.transfer && options !== 425 && connector instanceof LabConnector && connector.broken) {
      return reply(426, 'Connection closed; transfer aborted: the data connection closed before the transfer ended');
    }
    return reply(options, ...letters);
  };
}

/**
 * ftp-srv's STOR/APPE answer every file-system error with 550; an upload refused for its size is
 * "552 Requested file action aborted. Exceeded storage allocation" (RFC 959 §4.2.2).
 */
function replyStorageExceededAs552(connection: FtpConnectionLike, session: Session): void {
  const reply = connection.reply.bind(connection);
  connection.reply = (options, ...letters) => {
    const uploading = /^(STOR|APPE|STOU)\b/i.test(session.command);
    if (uploading && options === 550 && letters.some((l) => typeof l === 'string' && /File too large|quota exceeded/.test(l))) {
      return reply(552, ...letters);
    }
    return reply(options, ...letters);
  };
}

/**
 * Every 226 ("Closing data connection", RFC 959 §4.2) goes out after the data connection has
 * closed, as the reply says: ftp-srv replied first and closed afterwards.
 */
function closeDataBefore226(connection: FtpConnectionLike): void {
  const reply = connection.reply.bind(connection);
  connection.reply = (options, ...letters) => {
    const connector = connection.connector;
    if (options !== 226 || !(connector instanceof LabConnector)) return reply(options, ...letters);
    return Bluebird.resolve(connector.closeData().then(() => reply(options, ...letters)));
  };
}

/** Drops one command pipelined behind AUTH TLS; the lab hears of the whole batch once. */
function discard(connection: FtpConnectionLike, command: FtpCommand, session: Session, options: OverrideOptions): void {
  const batch = session.discard;
  if (!batch) return;
  if (batch.verbs.length === 0) {
    // The batch is one read handled in one promise chain: report it once that chain has run.
    setImmediate(() => options.onDiscarded(connection, batch.verbs, batch.bytes));
  }
  batch.verbs.push(command.directive.slice(0, 16));
  batch.bytes += Buffer.byteLength(command.raw) + 2;
}

/** Wraps one connection's command dispatcher with our handlers. */
export function installCommandOverrides(connection: FtpConnectionLike, options: OverrideOptions): void {
  const handlers = makeHandlers(options);
  const session: Session = { protection: 'C', pbsz: false, command: '', discard: null, transfer: null, aborting: false, epsvAll: false };
  replyStorageExceededAs552(connection, session);
  replyAbortedAs426(connection, session);
  closeDataBefore226(connection);
  const commands = connection.commands;
  const original = commands.handle.bind(commands);
  commands.handle = (input) => {
    const command = typeof input === 'string' ? commands.parse(input) : input;
    if (session.discard) return discard(connection, command, session, options);
    // ABOR and STAT may run beside a transfer (control-reader.ts): the transfer stays the current command.
    const besideTransfer = session.transfer !== null && DURING_TRANSFER.has(command.directive);
    if (!besideTransfer) session.command = command.arg ? `${command.directive} ${command.arg}` : command.directive;
    const override = missingArgument(command) ?? (Object.hasOwn(handlers, command.directive) ? handlers[command.directive] : undefined);
    if (!override) {
      const handled = original(command);
      if (TRANSFERS.has(command.directive)) {
        const transfer = Promise.resolve(handled).finally(() => {
          if (session.transfer === transfer) session.transfer = null;
        });
        session.transfer = transfer;
        return transfer;
      }
      return command.directive === 'PASS' ? Promise.resolve(handled).then(() => options.afterPass(connection)) : handled;
    }
    connection.log.child({ directive: command.directive }).trace({ command: { ...command } }, 'Handle command');
    if (!override.noAuth && !connection.authenticated) return connection.reply(530, `Command requires authentication: ${command.directive}`);
    return Promise.resolve(override.handler(connection, command, session)).then(() => {
      commands.previousCommand = { ...command };
    });
  };
}
