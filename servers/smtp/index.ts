/**
 * The lab's SMTP server: smtp-server on an internal loopback port (the tap sits in front).
 * It delivers only to the lab's own domains, through the `deliver` hook; nothing ever
 * leaves the machine. It knows nothing of the UI: it reports what it says and hears as
 * typed events (from smtp-server's logger) and the daemon decides what to do with them.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'nodemailer/lib/shared';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { installConnectionExtensions } from './connection-extensions.ts';
import { checkRecipient, labAddress } from './directory.ts';
import { labDirectory } from './directory-replies.ts';

export interface SmtpServerOptions {
  host: string;
  /** Internal port; 0 picks a free one. */
  port: number;
  /** Name in the greeting and EHLO reply. */
  hostname: string;
  tls: { key: string; cert: string };
  /** Largest message accepted, bytes (SIZE, RFC 1870); larger gets 552. */
  maxSize: number;
  /** Recipients per transaction (RFC 5321 §4.5.3.1.8 requires at least 100); more gets 452. */
  maxRecipients?: number;
  credentials: { user: string; password: string };
  /** Stores one accepted message; a rejection answers 451 and the client may retry. */
  deliver(mail: DeliveredMail): Promise<void>;
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
  ports: { smtp: number };
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

/** Starts the SMTP server on an internal port. */
export async function start(options: SmtpServerOptions): Promise<RunningSmtpServer> {
  installConnectionExtensions();
  const events = new EventEmitter<SmtpServerEvents>();
  const sessionPorts = new Map<string, number>();

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
    logger: eventLogger(events),
    directory: labDirectory,
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      sessionPorts.set(session.id, session.remotePort);
      events.emit('session', { sessionId: session.id, remotePort: session.remotePort });
      callback();
    },
    onClose(session: SMTPServerSession) {
      sessionPorts.delete(session.id);
      events.emit('closed', { sessionId: session.id });
    },
    onAuth(auth, _session, callback) {
      if (auth.username === options.credentials.user && auth.password === options.credentials.password) {
        return callback(null, { user: auth.username });
      }
      return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const verdict = checkRecipient(address.address);
      if (verdict.ok) return callback();
      return callback(Object.assign(new Error(verdict.refusal.text), { responseCode: verdict.refusal.code }));
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
          .catch((err: Error) =>
            callback(Object.assign(new Error(`4.3.0 Could not store the message (${err.message})`), { responseCode: 451 })),
          );
      });
    },
  } as ConstructorParameters<typeof SMTPServer>[0]);
  server.on('error', () => {
    // Per-connection errors (resets, TLS failures) are logged by the tap as closed connections.
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    ports: { smtp: port },
    events,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Recipients are stored in canonical form: "Student@LOCALHOST" → "student@lab.test". */
function normaliseRecipient(address: string): string {
  const verdict = checkRecipient(address);
  return verdict.ok ? labAddress(verdict.localPart) : address;
}
