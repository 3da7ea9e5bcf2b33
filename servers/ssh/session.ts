/**
 * One "session" channel (RFC 4254 §6): pty-req, env, window-change, then exactly one of shell,
 * exec or the sftp subsystem. Shell and exec run the SIMULATED shell over the sandbox jail; an
 * exec of "scp -t/-f" (legacy scp) is answered by scp.ts over the same jail.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { Jail } from '../../lib/sandbox/jail.ts';
import type { SshEventBody } from '../../lib/protocols/ssh/server-events.ts';
import { wrapForTerminal } from '../../lib/text/terminal-wrap.ts';
import { parseScpCommand, runScp } from './scp.ts';
import { serveSftp } from './sftp.ts';
import { sendSftpExitStatus } from './ssh2-internals.ts';
import { InteractiveShell } from './shell/interactive.ts';
import { terminalSafe } from './shell/output.ts';
import { SimulatedShell } from './shell/shell.ts';

/** What a session needs from its connection. */
export interface SessionContext {
  jail: Jail;
  user: string;
  hostname: string;
  maxFileSize: number;
  emit(event: SshEventBody): void;
}

const MOTD =
  'Welcome to the Protocol Lab SSH server.\n' +
  'This is a simulated shell over your sandbox files: no real programs run here. Type "help".\n\n';
/** Environment variables a client may set (OpenSSH's AcceptEnv default on Debian). */
const ACCEPTED_ENV = /^(LANG|LC_[A-Z]+)$/;

/** Wires one accepted session channel. */
export function handleSession(session: Session, ctx: SessionContext): void {
  let pty: PseudoTtyInfo | null = null;

  session.on('pty', (accept, _reject, info) => {
    pty = info;
    ctx.emit({ type: 'pty', term: info.term, cols: info.cols, rows: info.rows });
    accept?.();
  });
  session.on('window-change', (accept, _reject, info) => {
    if (pty) pty = { ...pty, cols: info.cols, rows: info.rows };
    ctx.emit({ type: 'window-change', cols: info.cols, rows: info.rows });
    accept?.();
  });
  session.on('env', (accept, reject, info) => (ACCEPTED_ENV.test(info.key) ? accept?.() : reject?.()));
  session.on('signal', (accept) => accept?.());
  session.on('x11', (_accept, reject) => reject?.());
  session.on('auth-agent', (_accept, reject) => reject?.());
  session.on('subsystem', (_accept, reject) => reject?.());

  const newShell = (channel: ServerChannel) =>
    new SimulatedShell({
      jail: ctx.jail,
      user: ctx.user,
      hostname: ctx.hostname,
      pty: pty !== null,
      io: { write: (text) => channel.write(text), writeError: pty ? undefined : (text) => channel.stderr.write(text) },
    });
  const finish = (channel: ServerChannel, code: number) => {
    if (channel.writableEnded) return;
    channel.exit(code);
    channel.end();
  };

  session.on('shell', (accept) => {
    const channel = accept();
    const shell = newShell(channel);
    const interactive = new InteractiveShell(
      shell,
      {
        write: (text) => {
          if (!channel.writableEnded) channel.write(text);
        },
        onCommand: (line, exitCode) => ctx.emit({ type: 'command', mode: 'shell', line, exitCode }),
        onExit: (code) => finish(channel, code),
      },
      pty !== null,
      () => pty?.cols || 80,
    );
    // Folded at spaces to the client's own width (pty-req, RFC 4254 §6.2): its terminal would cut words at the edge.
    interactive.start(wrapForTerminal(terminalSafe(MOTD, true), pty?.cols || 80));
    // A character's UTF-8 bytes may come in two packets (a pasted Korean file name): decoded across them.
    const utf8 = new StringDecoder('utf8');
    channel.on('data', (data: Buffer) => interactive.feed(utf8.write(data)));
    channel.on('end', () => interactive.end());
    channel.on('error', () => {});
  });

  session.on('exec', (accept, _reject, info) => {
    const channel = accept();
    channel.on('error', () => {});
    const scp = parseScpCommand(info.command);
    if (scp) {
      // Legacy scp (-O, or OpenSSH before 9.0) runs "scp -t/-f" here: answered over the jail, no real scp.
      void runScp(scp, channel, ctx.jail, ctx.maxFileSize).catch(() => 1).then((code) => {
        ctx.emit({ type: 'command', mode: 'exec', line: info.command, exitCode: code });
        finish(channel, code);
      });
      return;
    }
    const shell = newShell(channel);
    void shell
      .execute(info.command)
      .catch(() => 1)
      .then((code) => {
        ctx.emit({ type: 'command', mode: 'exec', line: info.command, exitCode: code });
        finish(channel, shell.exitCode ?? code);
      });
  });

  session.on('sftp', (accept) => {
    const sftp = accept();
    ctx.emit({ type: 'sftp-session', state: 'open' });
    serveSftp(sftp, {
      jail: ctx.jail,
      user: ctx.user,
      maxFileSize: ctx.maxFileSize,
      report: (detail) => ctx.emit({ type: 'sftp', detail }),
    });
    // The client's EOF ends the subsystem, as sftp-server exiting does: exit-status 0, then close the
    // channel (OpenSSH's sftp waits for the close, its scp for the status).
    sftp.on('end', () => {
      sendSftpExitStatus(sftp, 0);
      sftp.end();
    });
    sftp.on('close', () => ctx.emit({ type: 'sftp-session', state: 'closed' }));
  });
}
