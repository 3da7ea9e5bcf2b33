/**
 * Turns ssh2's per-connection `debug` lines (server side) into the handshake timeline of the
 * endpoint view: version exchange, both KEXINITs with every list, the chosen algorithm per
 * category, ECDH, host key, NEWKEYS, and the connection-layer messages after encryption.
 * Line formats are those of ssh2 1.17 (lib/protocol/kex.js, Protocol.js, handlers.misc.js).
 */
import type { Field } from '../../wire/event.ts';
import { escapeControls } from '../../wire/escape.ts';
import type { DissectedMessage } from '../types.ts';
import { ALGORITHM_BY_NAME, kexFamily, type Category } from './algorithms.ts';
import { annotate, disconnectAnnotation, disconnectName, messageAnnotation } from './annotate.ts';
import { DEBUG_NAME_ALIASES, kexMessages } from './messages.ts';
import { failureWording } from './negotiate.ts';

/** ssh2's category names in "Handshake:" lines → the lab's categories. */
const CATEGORY_OF: Readonly<Record<string, Category>> = {
  'kex method': 'kex',
  'kex algorithm': 'kex',
  'host key format': 'hostkey',
  'c->s cipher': 'cipher c→s',
  's->c cipher': 'cipher s→c',
  'c->s mac': 'mac c→s',
  's->c mac': 'mac s→c',
  'c->s compression': 'compression c→s',
  's->c compression': 'compression s→c',
};

/**
 * Channel requests the timeline explains by type, with where each is defined (pty-req and
 * window-change come from server events instead, with their sizes).
 */
const CHANNEL_REQUEST_REFS: Readonly<Record<string, string>> = {
  'x11-req': 'RFC 4254 §6.3.1',
  env: 'RFC 4254 §6.4',
  shell: 'RFC 4254 §6.5',
  exec: 'RFC 4254 §6.5',
  subsystem: 'RFC 4254 §6.5',
  'xon-xoff': 'RFC 4254 §6.8',
  signal: 'RFC 4254 §6.9',
  'exit-status': 'RFC 4254 §6.10',
  'exit-signal': 'RFC 4254 §6.10',
  'auth-agent-req@openssh.com': 'OpenSSH PROTOCOL.agent',
  'keepalive@openssh.com': 'OpenSSH ssh_config(5) ServerAliveInterval; RFC 4254 §5.4',
  'eow@openssh.com': 'OpenSSH PROTOCOL §2.1',
};

/** Messages whose details come from server events instead (auth, pty, window-change). */
const COVERED_BY_EVENTS = /^(USERAUTH_|CHANNEL_WINDOW_ADJUST)/;

const q = (text: string) => escapeControls(text);

/** ssh2's line for one CHANNEL_DATA packet, e.g. "Inbound: CHANNEL_DATA (r:0, 32768)": direction and recipient channel. */
const CHANNEL_DATA_LINE = /^(Inbound|Outbound): (?:Sending )?CHANNEL_DATA \(r:(\d+), \d+\)$/;

/** Per-connection state for reading debug lines. */
export class HandshakeLog {
  private local: Partial<Record<Category, string>> = {};
  private remote: Partial<Record<Category, string>> = {};
  private chosen: Partial<Record<Category, string>> = {};
  private strict = false;
  private handshakes = 0;
  private hostKeyType = '?';
  /** The family of the key exchange last chosen: 30 and 31 are named by it (ECDH, or RFC 4253's plain DH). */
  private kexFamily: 'ecdh' | 'dh' = 'ecdh';
  /** Local channel ids running SFTP, and remote→local channel id map. */
  private readonly sftpChannels = new Set<number>();
  private readonly localOf = new Map<number, number>();

  constructor(private readonly hostKeyFingerprint: (type: string) => string | undefined) {}

  /** One debug line → zero or more endpoint messages. */
  line(raw: string): DissectedMessage[] {
    const line = raw.trim();
    // The lines of bulk transfer come first, before the other patterns: a 50 MB SFTP upload logs about 12,800,
    // one per SFTP request and reply and one per CHANNEL_DATA, and none of them is a timeline message.
    if (line.startsWith('SFTP: ')) return [];
    const data = CHANNEL_DATA_LINE.exec(line);
    if (data && this.isSftpChannel(data[1] === 'Inbound' ? 'client' : 'server', Number(data[2]))) return [];
    let m: RegExpExecArray | null;
    if ((m = /^(Local|Remote) ident: '(.*)'$/.exec(line))) {
      const dir = m[1] === 'Local' ? 'server' : 'client';
      return [
        msg(dir, 'version', q(m[2]), 'version', annotate({ key: dir === 'client' ? 'ssh.version.client' : 'ssh.version.server', ref: 'RFC 4253 §4.2' }), [
          { name: dir === 'client' ? 'V_C' : 'V_S', value: q(m[2]), note: 'hashed into H' },
        ]),
      ];
    }
    if ((m = /^Handshake: \((local|remote)\) ([^:]+): (.*)$/.exec(line))) {
      const category = CATEGORY_OF[m[2].toLowerCase()];
      if (category) (m[1] === 'local' ? this.local : this.remote)[category] = m[3];
      return [];
    }
    if (line === 'Handshake: strict KEX mode enabled') {
      this.strict = true;
      return [];
    }
    if ((m = /^Handshake: No matching (.+)$/i.exec(line)) || /^Handshake: no matching key exchange algorithm$/.test(line)) {
      const what = m ? CATEGORY_OF[m[1].toLowerCase()] ?? 'kex' : 'kex';
      return [...this.kexinits(), this.failure(what)];
    }
    if ((m = /^Handshake: ([^:(]+): (.+)$/.exec(line))) {
      const category = CATEGORY_OF[m[1].toLowerCase()];
      if (category) this.chosen[category] = m[2];
      if (category === 'hostkey') this.hostKeyType = m[2];
      return category === 'compression s→c' ? [...this.kexinits(), this.negotiated()] : [];
    }
    if (line === 'Received DH Init') {
      const { init, clientValue, clientValueIs } = kexMessages(this.kexFamily);
      return [msg('client', 'packet', `${init} ${clientValue} (${clientValueIs})`, 'kex', messageAnnotation(init))];
    }
    if (line === 'Handshake completed') {
      return [msg('note', 'note', this.handshakes++ === 0 ? 'Handshake complete — everything below is encrypted on the wire.' : 'Re-key complete.', 'kex', annotate({ key: 'ssh.kex.done', ref: 'RFC 4253 §7.3' }))];
    }
    if ((m = /^(Inbound|Outbound): (?:Received |Sending )?([A-Z_]+)(?: \((.*)\))?$/.exec(line))) {
      return this.message(m[1] === 'Inbound' ? 'client' : 'server', m[2], m[3]);
    }
    if (line === 'Automatic rejection of incoming channel request: window-change') {
      // ssh2 1.x logs this after handing window-change to the session's listener, which accepted it
      // (its switch breaks instead of returning); OpenSSH sends it without want-reply, so nothing was refused.
      return [];
    }
    if (line.startsWith('Automatic rejection of incoming channel request')) {
      return [msg('note', 'note', q(line), 'channel', annotate({ key: 'ssh.msg.CHANNEL_FAILURE', ref: 'RFC 4254 §5.4', level: 'warn' }))];
    }
    if (line.startsWith('Automatic rejection')) {
      return [msg('note', 'note', q(line), 'channel', annotate({ key: 'ssh.msg.CHANNEL_OPEN_FAILURE', ref: 'RFC 4254 §5.1', level: 'warn' }))];
    }
    // Everything else (crypto binding, signature steps, SFTP internals, socket events) stays out of the timeline.
    return [];
  }

  private message(dir: 'client' | 'server', rawName: string, detail: string | undefined): DissectedMessage[] {
    const name = DEBUG_NAME_ALIASES[rawName] ?? rawName;
    if (COVERED_BY_EVENTS.test(name)) return [];
    if (name === 'KEXINIT' || (name === 'Handshake' && dir === 'client')) return [];
    const args = detail ? q(detail) : '';
    const channel = /(?:^|, )r:(\d+)/.exec(args)?.[1];
    if (name === 'CHANNEL_OPEN_CONFIRMATION') {
      const r = /r:(\d+), l:(\d+)/.exec(args);
      if (r) this.localOf.set(Number(r[1]), Number(r[2]));
    }
    if (name === 'CHANNEL_REQUEST' && /subsystem: sftp/.test(args) && channel) this.sftpChannels.add(Number(channel));
    if (name === 'CHANNEL_REQUEST' && /(pty-req|window-change)$/.test(args)) return [];
    if (name === 'CHANNEL_DATA' && channel !== undefined && this.isSftpChannel(dir, Number(channel))) return [];
    if (name === 'KEX_ECDH_REPLY' || name === 'KEXDH_REPLY') return [this.reply()];
    if (name === 'DISCONNECT') {
      const code = Number(/^\d+/.exec(detail ?? '')?.[0] ?? NaN);
      return [msg(dir, 'packet', `DISCONNECT ${Number.isNaN(code) ? args : `${code} ${disconnectName(code)}`}`, 'close', disconnectAnnotation(code))];
    }
    const annotation = this.requestAnnotation(name, args) ?? messageAnnotation(name);
    const phase = name.startsWith('SERVICE') ? 'auth' : name === 'NEWKEYS' || name === 'EXT_INFO' ? 'kex' : name.startsWith('CHANNEL') || name.includes('REQUEST') ? 'channel' : 'transport';
    return [msg(dir, 'packet', args ? `${name} (${args})` : name, phase, annotation)];
  }

  /** Whether the channel a CHANNEL_DATA line names (`r:` is the receiver's id: ours inbound, the client's outbound) carries SFTP. */
  private isSftpChannel(dir: 'client' | 'server', recipient: number): boolean {
    const local = dir === 'client' ? recipient : this.localOf.get(recipient);
    return local !== undefined && this.sftpChannels.has(local);
  }

  private requestAnnotation(name: string, args: string) {
    if (name !== 'CHANNEL_REQUEST') return undefined;
    const type = /, ([a-z0-9@.-]+)/.exec(args)?.[1];
    const ref = type === undefined ? undefined : CHANNEL_REQUEST_REFS[type];
    return type && ref ? annotate({ key: `ssh.channel.${type}`, ref }) : undefined;
  }

  private reply(): DissectedMessage {
    const type = this.hostKeyType;
    const fingerprint = this.hostKeyFingerprint(type);
    const { reply, serverValue } = kexMessages(this.kexFamily);
    return msg('server', 'packet', `${reply} host key K_S ${type}${fingerprint ? ` ${fingerprint}` : ''}, ${serverValue}, signature over H`, 'kex', messageAnnotation(reply), [
      { name: 'K_S type', value: type },
      ...(fingerprint ? [{ name: 'K_S fingerprint', value: fingerprint, note: 'a hash of the public key, which known_hosts keeps whole' }] : []),
      { name: 'shared secret K', value: 'never sent', note: 'each side computes it from its private key and the other\'s public key' },
    ]);
  }

  private kexinits(): DissectedMessage[] {
    const fields = (lists: Partial<Record<Category, string>>): Field[] =>
      Object.entries(lists).map(([name, value]) => ({ name, value: q(value ?? '') }));
    const out = [
      msg('server', 'packet', `KEXINIT kex=${q(first(this.local.kex))},…`, 'kex', messageAnnotation('KEXINIT'), fields(this.local)),
      msg('client', 'packet', `KEXINIT kex=${q(first(this.remote.kex))},…`, 'kex', messageAnnotation('KEXINIT'), fields(this.remote)),
    ];
    this.local = {};
    this.remote = {};
    return out;
  }

  private negotiated(): DissectedMessage {
    const c = this.chosen;
    this.kexFamily = kexFamily(c.kex) === 'dh' ? 'dh' : 'ecdh';
    const fields: Field[] = Object.entries(c).map(([name, value]) => ({ name, value: value ?? '', note: ALGORITHM_BY_NAME.get(value ?? '')?.ref }));
    fields.push({ name: 'strict KEX', value: this.strict ? 'on' : 'off', note: 'Terrapin mitigation (CVE-2023-48795)' });
    this.chosen = {};
    return msg('note', 'negotiation', `Chosen (first client algorithm the server supports): ${c.kex} · ${c.hostkey} · ${c['cipher c→s']} · MAC ${c['mac c→s']} · ${c['compression c→s']}`, 'kex', annotate({ key: 'ssh.kex.negotiated', ref: 'RFC 4253 §7.1' }), fields);
  }

  private failure(category: Category): DissectedMessage {
    this.chosen = {};
    return msg('note', 'negotiation', `Unable to negotiate: ${failureWording(category)}`, 'kex', annotate({ key: 'ssh.kex.failed', ref: 'RFC 4253 §7.1', level: 'error' }), [{ name: category, value: '(none in common)' }]);
  }
}

function first(list: string | undefined): string {
  return (list ?? '').split(',')[0] ?? '';
}

/** An endpoint message (covers no wire bytes). */
export function msg(dir: DissectedMessage['dir'], kind: string, text: string, phase: string, annotation?: DissectedMessage['annotation'], fields?: Field[]): DissectedMessage {
  // One literal, then what it has: spreading per message takes V8's slow path.
  const message: DissectedMessage = { dir, kind, text, bytes: 0, phase };
  if (annotation) message.annotation = annotation;
  if (fields?.length) message.fields = fields;
  return message;
}
