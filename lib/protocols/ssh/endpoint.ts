/**
 * The SSH endpoint view: what the server saw after decryption. Combines the handshake timeline
 * from ssh2's debug lines (handshake-log.ts) with the server's own events — authentication with
 * its outcome, pty and window size, shell commands, SFTP requests and replies, forwarding
 * decisions, limits and the end of the connection. Every message covers 0 wire bytes.
 */
import type { SshServerEvent } from './server-events.ts';
import { escapeControls } from '../../wire/escape.ts';
import type { DissectedMessage } from '../types.ts';
import { annotate, messageAnnotation, openFailureAnnotation, sftpAnnotation, sftpStatusAnnotation } from './annotate.ts';
import { HandshakeLog, msg } from './handshake-log.ts';
import { decodeExtInfo } from './payloads.ts';

const q = (text: string) => escapeControls(text);

/** Where each authentication method is defined. */
const AUTH_REF: Readonly<Record<string, string>> = {
  none: 'RFC 4252 §5.2',
  publickey: 'RFC 4252 §7',
  password: 'RFC 4252 §8',
  'keyboard-interactive': 'RFC 4256 §3',
  hostbased: 'RFC 4252 §9',
};

/** Builds the endpoint view of one connection. */
export class SshEndpointView {
  private readonly log: HandshakeLog;

  /** `hostKeyFingerprint(type)` names the fingerprint of the server's key of that type. */
  constructor(hostKeyFingerprint: (type: string) => string | undefined) {
    this.log = new HandshakeLog(hostKeyFingerprint);
  }

  /** One server event → endpoint messages (never throws on odd input). */
  handle(event: SshServerEvent): DissectedMessage[] {
    switch (event.type) {
      case 'debug':
        return this.log.line(event.line);
      case 'connect':
        return [];
      case 'ext-info': {
        const decoded = decodeExtInfo(event.payload);
        return [msg('server', 'packet', decoded?.summary ?? 'EXT_INFO', 'kex', messageAnnotation('EXT_INFO'), decoded?.fields)];
      }
      case 'auth':
        return this.auth(event);
      case 'pty':
        return [
          msg('client', 'packet', `CHANNEL_REQUEST pty-req ${q(event.term)} ${event.cols}×${event.rows}`, 'channel', annotate({ key: 'ssh.channel.pty-req', ref: 'RFC 4254 §6.2' }), [
            { name: 'TERM', value: q(event.term) },
            { name: 'size', value: `${event.cols} columns × ${event.rows} rows` },
          ]),
        ];
      case 'window-change':
        return [msg('client', 'packet', `CHANNEL_REQUEST window-change ${event.cols}×${event.rows}`, 'channel', annotate({ key: 'ssh.channel.window-change', ref: 'RFC 4254 §6.7' }))];
      case 'command':
        return [
          msg('client', 'command', `$ ${q(event.line.length > 500 ? `${event.line.slice(0, 500)}…` : event.line)}`, event.mode === 'exec' ? 'exec' : 'shell', annotate('ssh.shell.command'), [
            { name: 'mode', value: event.mode },
            { name: 'exit status', value: String(event.exitCode) },
          ]),
        ];
      case 'sftp-session':
        return event.state === 'open'
          ? [msg('note', 'note', 'SFTP session started: this channel now carries SSH_FXP packets.', 'sftp', annotate({ key: 'ssh.channel.subsystem', ref: 'RFC 4254 §6.5; draft-ietf-secsh-filexfer-02 §2' }))]
          : [msg('note', 'note', 'SFTP session ended.', 'sftp')];
      case 'sftp': {
        const d = event.detail;
        const annotation = d.name === 'STATUS' && d.status !== undefined ? sftpStatusAnnotation(d.status) : sftpAnnotation(d.name);
        return [msg(d.dir, 'sftp', `SSH_FXP_${q(d.summary)}`, 'sftp', annotation, d.fields?.map((f) => ({ name: f.name, value: q(f.value) })))];
      }
      case 'tcpip':
        return [
          event.allowed
            ? msg('note', 'note', `direct-tcpip to ${q(event.destIP)}:${event.destPort} allowed (a lab port)`, 'channel', annotate({ key: 'ssh.forward.allowed', ref: 'RFC 4254 §7.2' }))
            : msg('server', 'packet', `CHANNEL_OPEN_FAILURE 1 ADMINISTRATIVELY_PROHIBITED — direct-tcpip to ${q(event.destIP)}:${event.destPort} is not on the allow-list`, 'channel', {
                ...openFailureAnnotation(1),
                title: annotate('ssh.forward.prohibited').title,
                explain: annotate('ssh.forward.prohibited').explain,
              }),
        ];
      case 'global-request':
        return [
          msg('server', 'packet', `REQUEST_FAILURE for ${q(event.name)}`, 'channel', event.name === 'tcpip-forward' ? annotate({ key: 'ssh.forward.remote-refused', ref: 'RFC 4254 §7.1' }) : messageAnnotation('REQUEST_FAILURE')),
        ];
      case 'limit':
        return [this.limit(event.which, event.disconnectCode)];
      case 'error':
        return [msg('note', 'note', `Server: ${q(event.message)}`, 'transport', { title: 'Error', explain: 'ssh2 reported an error on this connection.', level: 'error' })];
      case 'closed':
        return [msg('note', 'note', 'Connection closed.', 'close', annotate('ssh.closed'))];
      default:
        return [];
    }
  }

  private auth(e: Extract<SshServerEvent, { type: 'auth' }>): DissectedMessage[] {
    const user = q(e.username);
    const key = e.keyType ? ` ${q(e.keyType)} ${e.keyFingerprint ?? ''}` : '';
    const requestKey =
      e.method === 'password' ? 'ssh.auth.password' : e.method === 'publickey' ? (e.signed ? 'ssh.auth.publickey.signed' : 'ssh.auth.publickey.query') : e.method === 'none' ? 'ssh.auth.none' : 'ssh.msg.USERAUTH_REQUEST';
    const request = msg('client', 'packet', `USERAUTH_REQUEST user "${user}" method ${q(e.method)}${key}${e.method === 'password' ? ' (password hidden)' : ''}${e.method === 'publickey' ? (e.signed ? ' + signature' : ' (query, no signature)') : ''}`, 'auth', annotate({ key: requestKey, ref: AUTH_REF[e.method] ?? 'RFC 4252 §5' }), [
      { name: 'user', value: user },
      { name: 'service', value: 'ssh-connection' },
      { name: 'method', value: q(e.method) },
      ...(e.keyFingerprint ? [{ name: 'key', value: `${q(e.keyType ?? '')} ${e.keyFingerprint}` }] : []),
    ]);
    let reply: DissectedMessage;
    if (e.outcome === 'success') reply = msg('server', 'packet', 'USERAUTH_SUCCESS', 'auth', messageAnnotation('USERAUTH_SUCCESS'));
    else if (e.outcome === 'pk-ok') reply = msg('server', 'packet', `USERAUTH_PK_OK${key}`, 'auth', messageAnnotation('USERAUTH_PK_OK'));
    else
      reply = msg('server', 'packet', `USERAUTH_FAILURE can continue: ${(e.methodsLeft ?? []).join(',')}`, 'auth', messageAnnotation('USERAUTH_FAILURE', e.method === 'none' ? undefined : 'warn'), [
        { name: 'authentications that can continue', value: (e.methodsLeft ?? []).join(',') },
        { name: 'partial success', value: 'false' },
        ...(e.method !== 'none' ? [{ name: 'failures so far', value: String(e.failures) }] : []),
      ]);
    return [request, reply];
  }

  private limit(which: 'grace' | 'auth-tries' | 'sessions' | 'channel-flood', code?: number): DissectedMessage {
    if (which === 'grace') return msg('note', 'note', 'Timeout before authentication: connection dropped (LoginGraceTime).', 'close', annotate({ key: 'ssh.auth.grace', ref: 'OpenSSH sshd_config LoginGraceTime', level: 'warn' }));
    if (which === 'auth-tries')
      return msg('note', 'note', `Too many authentication failures: the server disconnects (reason ${code ?? 2}, as OpenSSH does).`, 'auth', annotate({ key: 'ssh.auth.limit', ref: 'OpenSSH sshd_config MaxAuthTries; RFC 4252 §4', level: 'warn' }));
    if (which === 'sessions') return msg('note', 'note', 'Session limit reached: further session channels are refused (MaxSessions 10).', 'channel', annotate({ key: 'ssh.channel.limit', ref: 'OpenSSH sshd_config MaxSessions', level: 'warn' }));
    return msg('note', 'note', `Too many refused channel opens: the server disconnects (reason ${code ?? 2}).`, 'channel', annotate({ key: 'ssh.channel.flood', ref: 'RFC 4254 §5.1', level: 'warn' }));
  }
}
