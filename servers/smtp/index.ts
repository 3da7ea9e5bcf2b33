/**
 * The lab's SMTP server: smtp-server behind the tap, which hands it each connection in process
 * (`accept`); a bare server for comparisons (benchmarks) listens on a loopback port instead.
 * It delivers only to the lab's own domains, through the `deliver` hook; nothing ever
 * leaves the machine. It knows nothing of the UI: it reports what it says and hears as
 * typed events (from smtp-server's logger) and the daemon decides what to do with them.
 */
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'nodemailer/lib/shared';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { sameSecret } from '../../lib/auth/same-secret.ts';
import { extendConnections } from './connection-extensions.ts';
import { checkRecipient, type Refusal } from './directory.ts';
import { labDirectory } from './directory-replies.ts';

export interface SmtpServerOptions {
  host: string;
  /**
   * Internal port (0 picks a free one), or null for none: connections then arrive only through
   * `accept`, so there is no port anyone could reach the server on around the tap.
   */
  port: number | null;
  /** Name in the greeting and EHLO reply. */
  hostname: string;
  tls: { key: string; cert: string };
  /** Largest message accepted, bytes (SIZE, RFC 1870); larger gets 552. */
  maxSize: number;
  /** Recipients per transaction (RFC 5321 §4.5.3.1.8 requires at least 100); more gets 452. */
  maxRecipients?: number;
  /** The one login a bare server (benchmarks, unit tests) accepts; the lab decides with `authenticate` instead. */
  credentials?: { user: string; password: string };
  /**
   * Decides an AUTH login (PLAIN or LOGIN) on the session the tap's end `remotePort` serves: null
   * admits it, a refusal is answered as given and counts as a failed attempt. Without it, `credentials` decide.
   */
  authenticate?(login: { user: string; password: string }, remotePort: number): Refusal | null;
  /**
   * Decides a recipient the lab directory accepts, on the session from `remotePort`: `sandbox` is
   * the id an `<id>.lab.test` address names (null: a plain lab domain). Null accepts it. Without
   * it, a bare server delivers only for the plain lab domains.
   */
  routeRecipient?(recipient: { address: string; sandbox: string | null }, session: { remotePort: number; authenticated: boolean }): Refusal | null;
  /**
   * Stores one accepted message. A MessageRefused rejection is answered with its own
   * (permanent) reply; any other rejection with 451 and the client may retry.
   */
  deliver(mail: DeliveredMail): Promise<void>;
  /**
   * Decides at connect time whether a client may talk to this server (only the tap may: the
   * internal port must not be a way around it) and how long it may take to say HELO/EHLO
   * (null: no limit). Returning null refuses the session with 421.
   */
  admit?(remotePort: number): { helloGraceMs: number | null } | null;
  /** Idle timeout waiting for a command (RFC 5321 §4.5.3.2.7 asks for at least 5 minutes). */
  idleMs?: number;
  /** Failed AUTH attempts allowed per connection; the next failure closes it with 421. */
  maxAuthFailures?: number;
}

/** A message the server refuses for good (the message itself is the problem), with the reply to give. */
export class MessageRefused extends Error {
  constructor(
    readonly code: number,
    /** Reply text, starting with its RFC 3463 enhanced status code. */
    readonly reply: string,
  ) {
    super(reply);
  }
}

/** The lab's reply texts for conditions the library would word itself. */
export const SMTP_SERVER_TEXT = {
  notThroughTap: '4.7.0 This connection did not come through the lab\'s tap; connect to the lab\'s public SMTP port',
  helloGrace: (ms: number) => `4.4.2 No HELO/EHLO within ${Math.round(ms / 1000)} s, closing connection`,
  idle: '4.4.2 Idle timeout: no command received, closing connection',
  authInvalid: '5.7.8 Authentication credentials invalid',
  authTooMany: (n: number) => `4.7.0 Too many failed authentication attempts (${n}), closing connection`,
  storeFailed: '4.3.0 Could not store the message, try again later',
  unknownParameters: (command: string, names: string[]) => `5.5.4 ${command} parameter${names.length > 1 ? 's' : ''} ${names.join(', ')} not recognized or not implemented`,
} as const;

/**
 * The MAIL and RCPT parameters of the extensions this server announces in EHLO (SIZE, 8BITMIME, SMTPUTF8,
 * AUTH; no DSN, so no NOTIFY or ORCPT). smtp-server takes any other quietly; RFC 5321 §4.1.1.11 answers 555.
 */
const ACCEPTED_PARAMETERS = { 'MAIL FROM': new Set(['SIZE', 'BODY', 'SMTPUTF8', 'AUTH']), 'RCPT TO': new Set<string>() } as const;

/** The 555 for parameters the server does not implement, or null when every one is known. */
function parameterRefusal(command: keyof typeof ACCEPTED_PARAMETERS, args: object | false | undefined): Error | null {
  const unknown = Object.keys(args || {}).filter((name) => !ACCEPTED_PARAMETERS[command].has(name.toUpperCase()));
  return unknown.length ? Object.assign(new Error(SMTP_SERVER_TEXT.unknownParameters(command, unknown)), { responseCode: 555 }) : null;
}

/** One message the server accepted, with its envelope. */
export interface DeliveredMail {
  sessionId: string;
  /** The client's port as the server saw it: the tap's upstream port, for correlation. */
  remotePort: number;
  from: string;
  to: string[];
  raw: Buffer;
}

/** What the server reports; the daemon turns these into endpoint-view messages. */
export interface SmtpServerEvents {
  /** A line the server heard (`C:`) or said (`S:`), as smtp-server logged it. */
  line: [{ sessionId: string; dir: 'client' | 'server'; text: string }];
  /** A session began (after the TCP accept). */
  session: [{ sessionId: string; remotePort: number }];
  /** STARTTLS completed on a session. */
  secure: [{ sessionId: string; cipher: string }];
  /** The DATA phase ended with this many bytes. */
  dataEnd: [{ sessionId: string; bytes: number }];
  closed: [{ sessionId: string }];
}

export interface RunningSmtpServer {
  /** The listening port; 0 without one. */
  ports: { smtp: number };
  /** Serves a connection accepted elsewhere (the tap's in-memory end), as if accepted on the port. */
  accept(socket: Duplex): void;
  events: EventEmitter<SmtpServerEvents>;
  stop(): Promise<void>;
}

/** smtp-server logs as bunyan does: a metadata object first, then the message parts. */
function metaOf(first: unknown): Record<string, unknown> | undefined {
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
}

/** A bunyan-shaped logger that turns smtp-server's log calls into typed events. */
function eventLogger(events: EventEmitter<SmtpServerEvents>): Logger {
  const debug = (first?: unknown, ...rest: unknown[]) => {
    const meta = metaOf(first);
    const sessionId = typeof meta?.cid === 'string' ? meta.cid : '';
    if (!sessionId) return;
    if (meta?.tnx === 'command' && rest[0] === 'C:') events.emit('line', { sessionId, dir: 'client', text: String(rest[1] ?? '') });
    else if (meta?.tnx === 'send' && rest[0] === 'S:') events.emit('line', { sessionId, dir: 'server', text: String(rest[1] ?? '') });
    else if (meta?.tnx === 'data') events.emit('dataEnd', { sessionId, bytes: Number(meta.bytes ?? 0) });
  };
  const info = (first?: unknown) => {
    const meta = metaOf(first);
    const sessionId = typeof meta?.cid === 'string' ? meta.cid : '';
    if (sessionId && meta?.tnx === 'starttls') events.emit('secure', { sessionId, cipher: String(meta.cipher ?? '') });
  };
  const ignore = () => {};
  const logger = { level: ignore, debug, info, trace: ignore, warn: ignore, error: ignore, fatal: ignore, child: () => logger };
  return logger;
}

/** Starts the SMTP server (on an internal port unless `port` is null). */
export async function start(options: SmtpServerOptions): Promise<RunningSmtpServer> {
  const events = new EventEmitter<SmtpServerEvents>();
  const sessionPorts = new Map<string, number>();
  const authFailures = new Map<string, number>();
  const maxAuthFailures = options.maxAuthFailures ?? 3;
  const graceOf = new Map<string, number | null>();

  const server = new SMTPServer({
    name: options.hostname,
    banner: 'Protocol Lab mail server - mail never leaves this machine',
    key: options.tls.key,
    cert: options.tls.cert,
    size: options.maxSize,
    // Without this smtp-server only advertises SIZE and leaves enforcement to onData.
    rejectOversized: true,
    maxRecipients: options.maxRecipients ?? 100,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: true,
    // The lab teaches why AUTH before STARTTLS is dangerous, so it must be possible to try it.
    allowInsecureAuth: true,
    disableReverseLookup: true,
    // The lab's replies carry RFC 3463 codes, so it announces ENHANCEDSTATUSCODES and every 2xx/4xx/5xx carries one (RFC 2034 §4).
    hideENHANCEDSTATUSCODES: false,
    socketTimeout: options.idleMs ?? 5 * 60_000,
    logger: eventLogger(events),
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const admission = options.admit ? options.admit(session.remotePort) : { helloGraceMs: null };
      if (!admission) {
        // Issue 8 #13: mail that did not come through the tap would bypass the transcript and the limits.
        return callback(Object.assign(new Error(SMTP_SERVER_TEXT.notThroughTap), { responseCode: 421 }));
      }
      graceOf.set(session.id, admission.helloGraceMs);
      sessionPorts.set(session.id, session.remotePort);
      events.emit('session', { sessionId: session.id, remotePort: session.remotePort });
      callback();
    },
    onClose(session: SMTPServerSession) {
      sessionPorts.delete(session.id);
      authFailures.delete(session.id);
      graceOf.delete(session.id);
      events.emit('closed', { sessionId: session.id });
    },
    onAuth(auth, session, callback) {
      const login = { user: auth.username ?? '', password: auth.password ?? '' };
      const refusal = options.authenticate ? options.authenticate(login, session.remotePort) : credentialsRefusal(options.credentials, login);
      if (!refusal) return callback(null, { user: login.user });
      // Unlimited guesses per connection make brute force cheap. RFC 4954 §9 lets a server drop the
      // connection after failed attempts, but not before 3 have failed: so the third gets 421 and a close.
      const failures = (authFailures.get(session.id) ?? 0) + 1;
      authFailures.set(session.id, failures);
      if (failures >= maxAuthFailures) {
        return callback(Object.assign(new Error(SMTP_SERVER_TEXT.authTooMany(failures)), { responseCode: 421 }));
      }
      return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onMailFrom(address, _session, callback) {
      callback(parameterRefusal('MAIL FROM', address.args));
    },
    onRcptTo(address, session, callback) {
      const unknown = parameterRefusal('RCPT TO', address.args);
      if (unknown) return callback(unknown);
      const refusal = recipientRefusal(options, address.address, { remotePort: session.remotePort, authenticated: Boolean(session.user) });
      if (!refusal) return callback();
      return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        // smtp-server answers 552 itself when the size limit was crossed; don't store the rest.
        if (stream.sizeExceeded) return callback();
        const envelope = session.envelope;
        const from = envelope.mailFrom ? envelope.mailFrom.address : '';
        const to = envelope.rcptTo.map((r) => normaliseRecipient(r.address));
        options
          .deliver({ sessionId: session.id, remotePort: session.remotePort, from, to, raw: Buffer.concat(chunks) })
          .then(() => callback(null, 'OK: message queued in the lab mailbox'))
          .catch((err: unknown) => {
            // Our own words, never a library's error text; permanent only when the message is the problem.
            if (err instanceof MessageRefused) return callback(Object.assign(new Error(err.reply), { responseCode: err.code }));
            return callback(Object.assign(new Error(SMTP_SERVER_TEXT.storeFailed), { responseCode: 451 }));
          });
      });
    },
  });
  // VRFY/EXPN from the lab directory and the lab's timeout words, on this server's connections only.
  extendConnections(server, {
    directory: labDirectory,
    timeouts: {
      helloGraceMs: (session) => graceOf.get(session.id) ?? null,
      helloGraceText: SMTP_SERVER_TEXT.helloGrace,
      idleText: SMTP_SERVER_TEXT.idle,
    },
  });
  server.on('error', () => {
    // Per-connection errors (resets, TLS failures) are logged by the tap as closed connections.
  });

  const listenPort = options.port;
  if (listenPort !== null) {
    // once() rejects with the 'error' (a taken port) instead of waiting for ever.
    server.listen(listenPort, options.host);
    await once(server.server, 'listening');
  }
  const port = listenPort === null ? 0 : (server.server.address() as AddressInfo).port;
  // Handed-over sockets are not counted by the net.Server (it accepted none), so close() would not
  // wait for them: they are closed here.
  const handed = new Set<Duplex>();

  return {
    ports: { smtp: port },
    events,
    accept: (socket) => {
      handed.add(socket);
      socket.once('close', () => handed.delete(socket));
      server.server.emit('connection', socket);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of handed) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Recipients are stored in canonical form: "Student@LOCALHOST" → "student@lab.test", "Bob@K3XM9P.Lab.Test" → "bob@k3xm9p.lab.test". */
function normaliseRecipient(address: string): string {
  const verdict = checkRecipient(address);
  return verdict.ok ? verdict.canonical : address;
}

/** Why RCPT TO `address` is refused on a session (the directory first, then the lab's routing), or null. */
function recipientRefusal(options: SmtpServerOptions, address: string, session: { remotePort: number; authenticated: boolean }): Refusal | null {
  const verdict = checkRecipient(address);
  if (!verdict.ok) return verdict.refusal;
  if (options.routeRecipient) return options.routeRecipient({ address, sandbox: verdict.sandbox }, session);
  // A bare server has no sandboxes: their domains are nobody's here.
  return verdict.sandbox === null ? null : { code: 550, text: `5.1.2 <${address}>: no such domain here` };
}

/** A bare server's AUTH: its one login, both parts compared every time, in constant time (lib/auth/same-secret.ts). */
function credentialsRefusal(credentials: { user: string; password: string } | undefined, login: { user: string; password: string }): Refusal | null {
  const rightUser = sameSecret(login.user, credentials?.user ?? '');
  const rightPassword = sameSecret(login.password, credentials?.password ?? '');
  return credentials && rightUser && rightPassword ? null : { code: 535, text: SMTP_SERVER_TEXT.authInvalid };
}
