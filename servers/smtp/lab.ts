import { groupDigits } from '../../lib/text/numbers.ts';
import { createSmtpDissector } from '../../lib/protocols/smtp/dissector.ts';
import type { Dissector } from '../../lib/protocols/types.ts';
import type { Tap } from '../../lib/wire/tap.ts';
import { openLabTap } from '../daemon/lab-tap.ts';
import type { ConnectionRecorder } from '../../lib/wire/recorder.ts';
import { EndpointBindings } from '../../lib/wire/endpoint-binding.ts';
import { UnreadableMailError } from '../../lib/store/mailbox.ts';
import { MessageRefused, start as startSmtpServer } from './index.ts';
import type { LabContext, LabModule, RunningLab } from '../daemon/lab.ts';
import { z } from 'zod';
import { labInteger, labPort } from '../../lib/labs/env.ts';
import { smtpAbout } from './about.ts';
import { sandboxMail } from './sandbox-mail.ts';

const encoder = new TextEncoder();

/** The SMTP lab's settings; `helloGraceMs` (time to say HELO/EHLO, default 60 s) and `idleMs` (default 5 min) are for tests. */
export interface SmtpSettings {
  port: number;
  maxSize: number;
  helloGraceMs?: number;
  idleMs?: number;
}

/** GET /api/lab → smtp, for the calling browser's sandbox. */
export interface SmtpInfo {
  maxSize: number;
  /** The domains the lab delivers for, the caller's own first (anything else is relaying, refused). */
  domains: string[];
  /** Mail to this domain (or sent with `user`'s AUTH, to every lab address) lands in the caller's sandbox. */
  mailDomain: string;
  /** The caller's AUTH login name (the password is GET /api/lab's `password`). */
  user: string;
  /** Ready-to-paste client commands naming the caller's address, domain and login. */
  commands: { swaks: string; swaksAuth: string };
}

const settings = z
  .object({ SMTP_PORT: labPort(smtpAbout, 'SMTP_PORT'), SMTP_MAX_SIZE: labInteger(smtpAbout, 'SMTP_MAX_SIZE', 1024, 100 * 1024 * 1024) })
  .transform((env): SmtpSettings => ({ port: env.SMTP_PORT, maxSize: env.SMTP_MAX_SIZE }));

/**
 * The SMTP lab: smtp-server with no port of its own (the tap on SMTP_PORT hands it each
 * connection in process; it answers only those, 421 to anything else), mail into the sandbox mailbox. After STARTTLS the tap sees only TLS records, so the endpoint view
 * carries on from smtp-server's own log lines, run through the same dissector.
 */
async function startSmtpLab(ctx: LabContext<SmtpSettings>): Promise<RunningLab<SmtpInfo>> {
  const { config, mailbox } = ctx;
  let tap: Tap | null = null;
  const recorderFor = (remotePort: number): ConnectionRecorder | undefined => tap?.byUpstreamPort(remotePort)?.recorder;

  const server = await startSmtpServer({
    host: '127.0.0.1',
    port: null,
    hostname: 'mail.lab.test',
    tls: ctx.tls,
    maxSize: config.smtp.maxSize,
    // AUTH and the first recipient file each session in its sandbox (admitLogin's rule).
    ...sandboxMail({ logins: ctx.logins, tap: () => tap, mailLimit: { max: config.sandboxMaxMails ?? 1000, count: (sandbox) => ctx.mailbox.count(sandbox) } }),
    deliver: async (mail) => {
      try {
        // Into the mailbox of the sandbox the session is filed in, read now: its AUTH or first RCPT filed it.
        const recorder = recorderFor(mail.remotePort);
        await mailbox.deliver({
          sandbox: recorder && !recorder.isUnfiled ? recorder.info.sandbox : config.sandbox,
          conn: recorder?.info.id ?? null,
          from: mail.from,
          to: mail.to,
          raw: mail.raw,
        });
      } catch (err) {
        // Permanent: sending the same message again would fail the same way (RFC 3463 §3.4: X.3.4).
        if (err instanceof UnreadableMailError) {
          throw new MessageRefused(552, '5.3.4 Message refused: its header section or MIME structure is beyond this server\'s limits');
        }
        throw err;
      }
    },
    // Only the tap may talk to the real server (issue 8 #13); the lab's own consoles get no
    // HELO grace (a student may read the greeting for a while), every other client does (#6).
    admit: (remotePort) => {
      const connection = tap?.byUpstreamPort(remotePort);
      if (!connection) return null;
      return { helloGraceMs: connection.recorder.info.label ? null : (config.smtp.helloGraceMs ?? 60_000) };
    },
    idleMs: config.smtp.idleMs,
  });

  // Endpoint view: per smtp-server session, once TLS is up, its log lines → the dissector, bound to
  // its recorder when the session starts (the server may log its last lines after the tap let go).
  const sessions = new EndpointBindings<string, Dissector>((remotePort) => tap?.byUpstreamPort(remotePort));
  const { events } = server;
  events.on('session', ({ sessionId, remotePort }) => sessions.bind(sessionId, remotePort));
  events.on('closed', ({ sessionId }) => sessions.release(sessionId));
  events.on('secure', ({ sessionId, cipher }) => {
    const session = sessions.get(sessionId);
    if (!session) return;
    session.decodeWith(createSmtpDissector({ afterStartTls: true }));
    session.recorder.note(
      `TLS established (${cipher}). From here on the wire shows only encrypted records; the lines below are what the server decrypted.`,
      {
        key: 'smtp.note.endpoint-view',
        title: 'Endpoint view after STARTTLS',
        explain:
          'An eavesdropper now sees only TLS record types and lengths. The lab shows the conversation as the server saw it after decryption. RFC 3207 §4.2: both sides forget what they knew, so the client says EHLO again.',
        ref: 'RFC 3207 §4.2',
      },
      'endpoint',
    );
  });
  events.on('line', ({ sessionId, dir, text }) => sessions.get(sessionId)?.record((d) => d.push(dir, encoder.encode(`${text}\r\n`))));
  events.on('dataEnd', ({ sessionId, bytes }) => {
    const session = sessions.get(sessionId);
    if (!session?.decoding) return;
    // The server does not log the body itself: summarise it, then close DATA with its "." line.
    session.recorder.record(
      { dir: 'client', kind: 'data', text: `<${groupDigits(bytes)} bytes of message content>`, bytes: 0, phase: 'data' },
      'endpoint',
    );
    session.record((d) => d.push('client', encoder.encode('.\r\n')));
  });

  const runningTap = await openLabTap(ctx, server, {
    protocol: 'smtp',
    port: config.smtp.port,
    target: { accept: (socket) => server.accept(socket) },
    dissector: () => createSmtpDissector(),
    threadDissector: 'smtp',
    portEnvVar: 'SMTP_PORT',
    refusalLine: '421 4.7.0 Too many connections from your address, try again later\r\n',
  });
  tap = runningTap;

  return {
    protocol: 'smtp',
    tap: runningTap,
    consoleTls: { command: /^STARTTLS$/i, ready: /^220[ -]/ },
    endpoints: [
      { protocol: 'smtp', name: 'SMTP', host: config.host, port: runningTap.port, listening: () => runningTap.listening },
    ],
    info: (caller) => {
      const server = `--server ${caller.host}:${runningTap.port}`;
      const to = `--to alice@${caller.mailDomain}`;
      return {
        maxSize: config.smtp.maxSize,
        domains: [...new Set([caller.mailDomain, 'lab.test', 'localhost'])],
        mailDomain: caller.mailDomain,
        user: caller.login.user,
        commands: {
          swaks: `swaks ${server} ${to}`,
          swaksAuth: `swaks ${server} --tls --auth PLAIN --auth-user ${caller.login.user} --auth-password '${caller.login.password}' ${to}`,
        },
      };
    },
    stop: async () => {
      await runningTap.close();
      await server.stop();
    },
  };
}

/** The SMTP lab (registered in servers/index.ts). */
export const smtpLab: LabModule<'smtp', SmtpSettings, SmtpInfo> = {
  about: smtpAbout,
  settings,
  // Small enough that size tests send little.
  testSettings: { maxSize: 64 * 1024 },
  start: startSmtpLab,
};
