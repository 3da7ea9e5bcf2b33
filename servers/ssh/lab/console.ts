/**
 * The browser SSH terminal: an ssh2 Client run by the daemon, connecting THROUGH THE TAP so the
 * session is dissected like any external client's. Before connecting it is a tiny local shell
 * (`ssh student@127.0.0.1 -p 2222`, Enter, `ssh-keygen -R`); its host-key question, password
 * prompt and errors are worded as OpenSSH words them (openssh-text.ts); known_hosts is the
 * sandbox's table. Then the remote pty shell takes over the keystrokes.
 */
import type { Socket } from 'node:net';
import ssh2, { type AnyAuthMethod, type ClientChannel, type NextAuthHandler } from 'ssh2';
import { fingerprintOfBlob, keyTypeOfBlob } from '../../../lib/protocols/ssh/fingerprint.ts';
import { retype } from '../../../lib/text/terminal-cells.ts';
import { wrapForTerminal } from '../../../lib/text/terminal-wrap.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import { TerminalFilter } from '../../../lib/wire/terminal-filter.ts';
import type { ConsoleIO, LabConsole } from '../../daemon/lab.ts';
import { HOST_KEY_NOTES, type HostKeyVerdict } from './host-key-notes.ts';
import * as say from './openssh-text.ts';
import { parseLocalCommand, type LocalCommand } from './ssh-command.ts';
import type { SshStore } from './ssh-store.ts';


/** What the console needs from the lab. */
export interface SshConsoleDeps {
  tap: Tap;
  sandbox: string;
  store: SshStore;
  defaultUser: string;
  /** The server's offer in a category when algorithms are restricted (for "Their offer: …"). */
  serverOffer(category: say.NegotiationCategory): string[];
  /** Whether a host key blob is the lab server's current one (a changed key is then the lab's rotation). */
  isLabHostKey?(blob: Buffer): boolean;
}

type State = 'prompt' | 'connecting' | 'hostkey' | 'password' | 'session';
type SshTarget = Extract<LocalCommand, { kind: 'ssh' }>;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);
const MAX_TYPED = 4096;
/** One browser SSH terminal. */
export class SshConsole implements LabConsole {
  private state: State = 'prompt';
  private typed = '';
  /** What the cursor's row shows before the typed text (the prompt, or a question's last line). */
  private lead = '$ ';
  private escape = false;
  private size = { cols: 100, rows: 30 };
  private client: ssh2.Client | null = null;
  private socket: Socket | null = null;
  private stream: ClientChannel | null = null;
  private answer: ((text: string) => void) | null = null;
  private reported = false;
  /** Nothing typed since the greeting: a late resize (Presenter's larger text) folds it again. */
  private untouched = false;

  constructor(
    private readonly deps: SshConsoleDeps,
    private readonly io: ConsoleIO,
  ) {}

  open(size: { cols: number; rows: number }): void {
    this.size = size;
    this.greet();
    this.untouched = true;
    this.io.status({ state: 'prompt' });
  }

  private greet(): void {
    const port = this.deps.tap.port;
    this.say(
      'Protocol Lab SSH terminal — a real SSH client run by the lab, talking through the tap.\n' +
        `Type \x1b[1mssh ${this.deps.defaultUser}@127.0.0.1 -p ${port}\x1b[0m or just press Enter. Type help for more.`,
    );
    this.prompt();
  }

  sendLine(line: string): void {
    this.input(`${line}\r`);
  }

  input(data: string): void {
    this.untouched = false;
    if (this.state === 'session') {
      this.stream?.write(data);
      return;
    }
    for (const ch of data) {
      const code = ch.charCodeAt(0);
      if (this.escape) {
        if (/[\x40-\x7e]/.test(ch) && ch !== '[') this.escape = false;
        continue;
      }
      if (code === 0x1b) this.escape = true;
      else if (code === 0x03) this.interrupt();
      else if (this.state === 'connecting') continue;
      else if (ch === '\r' || ch === '\n') {
        const line = this.typed;
        this.typed = '';
        this.io.output('\r\n');
        this.submit(line);
      } else if (code === 0x7f || code === 0x08) {
        if (this.typed) this.replaceTyped(Array.from(this.typed).slice(0, -1).join(''));
      } else if (code === 0x15) {
        this.replaceTyped('');
      } else if (code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f) && this.typed.length < MAX_TYPED) {
        this.typed += ch;
        // Passwords are never echoed, as with OpenSSH.
        if (this.state !== 'password') this.io.output(ch);
      }
    }
  }

  /** Changes what was typed after the prompt or question, erasing at the terminal's width (a wrapped line, a two-cell character). */
  private replaceTyped(next: string): void {
    // Passwords are never echoed, so there is nothing to erase.
    if (this.state !== 'password') this.io.output(retype(this.lead, this.typed, next, this.size.cols));
    this.typed = next;
  }

  /** Writes a question the next typed line answers; typing goes on after its last line. */
  private ask(question: string): void {
    this.io.output(question);
    this.lead = question.slice(question.lastIndexOf('\n') + 1);
  }

  /** The lab's own lines (not ssh's, not the remote's), folded to the terminal's width. */
  private say(text: string): void {
    this.io.output(`${wrapForTerminal(text, this.size.cols)}\r\n`);
  }

  /**
   * OpenSSH's words (the host-key question, the changed-key banner) folded at spaces like the lab's own:
   * xterm would cut "IDENTIFICATION" or a fingerprint (which students compare character by character)
   * mid-word. A question's last line, typed after, is left to xterm, which reflows it whole on resize.
   */
  private fold(text: string): string {
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, end).replace(/\r?\n$/, '');
    return (lines ? `${wrapForTerminal(lines, this.size.cols)}\r\n` : '') + text.slice(end);
  }

  resize(size: { cols: number; rows: number }): void {
    const refold = this.untouched && this.state === 'prompt' && size.cols !== this.size.cols;
    this.size = size;
    this.stream?.setWindow(size.rows, size.cols, 0, 0);
    // xterm's own reflow would cut the greeting's words at the new width: clear it (and the
    // scrollback it may have grown into) and write it again, folded at spaces.
    if (refold) {
      this.io.output('\x1b[H\x1b[2J\x1b[3J');
      this.greet();
    }
  }

  close(): void {
    this.teardown();
  }

  private prompt(): void {
    const back = this.state !== 'prompt';
    this.state = 'prompt';
    this.ask('$ ');
    // Lines go to the local prompt again: the page may send them (a lesson's Send of `ssh …`).
    if (back) this.io.status({ state: 'prompt' });
  }

  private interrupt(): void {
    if (this.state === 'prompt') {
      this.typed = '';
      this.io.output('^C\r\n');
      this.prompt();
    } else {
      this.io.output('^C\r\n');
      this.reported = true;
      this.teardown();
      this.io.status({ state: 'closed', reason: 'Interrupted.' });
      this.prompt();
    }
  }

  private submit(line: string): void {
    if (this.state === 'hostkey' || this.state === 'password') {
      const answer = this.answer;
      this.answer = null;
      this.state = 'connecting';
      answer?.(line);
      return;
    }
    const command = parseLocalCommand(line);
    const port = this.deps.tap.port;
    switch (command.kind) {
      case 'empty':
        return this.connect({ kind: 'ssh', user: this.deps.defaultUser, host: '127.0.0.1', port, command: undefined, identity: undefined });
      case 'ssh':
        return this.connect(command);
      case 'keygen-remove': {
        const removed = this.deps.store.removeKnownHost(this.deps.sandbox, command.host);
        this.io.output(say.keygenRemoved(command.host, removed));
        break;
      }
      case 'show-known-hosts':
        for (const entry of this.deps.store.knownHosts(this.deps.sandbox)) this.io.output(entry.text + '\r\n');
        break;
      case 'clear':
        this.io.output('\x1b[H\x1b[2J');
        break;
      case 'help':
        this.say(
          `  ssh [-p port] [-l user] [-i key] [user@]host [command]   connect (Enter alone: ssh ${this.deps.defaultUser}@127.0.0.1 -p ${port})\n` +
            '  ssh-keygen -R "[127.0.0.1]:PORT"                       forget a host key (known_hosts)\n' +
            '  cat ~/.ssh/known_hosts                                 show known_hosts\n' +
            '  clear                                                  clear the screen',
        );
        break;
      case 'error':
        // Folded at spaces: a long message (the forwarding one) would be cut mid-word at the edge.
        this.say(command.message.replace(/[\x00-\x1f\x7f-\x9f]/g, '?'));
        break;
    }
    this.prompt();
  }

  private connect(target: SshTarget): void {
    const tapPort = this.deps.tap.port;
    const port = target.port ?? 22;
    const host = target.host;
    const user = target.user ?? this.deps.defaultUser;
    const safeHost = host.replace(/[^\w.:\-[\]]/g, '?');
    if (!LOCAL_HOSTS.has(host)) {
      // Nothing leaves the machine: other hosts are never contacted.
      this.io.output(/^[\d.:]+$/.test(host) ? say.connectionRefused(safeHost, port) : say.cannotResolve(safeHost));
      return this.prompt();
    }
    if (port !== tapPort) {
      this.io.output(say.connectionRefused(safeHost, port));
      return this.prompt();
    }
    this.teardown();
    this.state = 'connecting';
    this.reported = false;
    this.io.status({ state: 'connecting' });
    const hostName = say.knownHostName(host, port);
    const safeUser = user.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');

    const { socket, accepted: tapped } = this.deps.tap.connectOwnClient('browser ssh terminal', this.io.owner);
    this.socket = socket;
    void tapped.then((connection) => {
      if (this.socket === socket) this.io.status({ state: 'open', conn: connection.recorder.info.id });
    });
    // The host-key decision happens in the client, not on the wire: note it on the connection
    // so the handshake timeline (and anyone replaying the transcript) can show step 5.
    const noteHostKey = (verdict: HostKeyVerdict, type: string, fingerprint: string) =>
      void tapped.then(({ recorder }) => {
        const a = HOST_KEY_NOTES[verdict];
        recorder.note(`Host key check: ${a.title} (${type} ${fingerprint})`, { key: `ssh.hostkey.${verdict}`, ...a }, 'endpoint');
      });

    const client = new ssh2.Client();
    this.client = client;
    const userKey = this.pickKey(target.identity, safeUser, port);
    let triedKey = false;
    let passwordTries = 0;

    client.on('ready', () => this.startSession(client, target.command, host));
    client.on('error', (err: Error & { level?: string; code?: string | number }) => {
      if (this.client !== client || this.reported) return;
      this.reported = true;
      this.io.output(say.connectFailure(err, host, port, (category) => this.deps.serverOffer(category)));
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      this.stream = null;
      this.socket = null;
      this.io.status({ state: 'closed', reason: 'SSH connection closed.' });
      this.prompt();
    });

    client.connect({
      sock: socket,
      username: user,
      readyTimeout: 0,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        const type = keyTypeOfBlob(key) ?? 'unknown';
        const fingerprint = fingerprintOfBlob(key);
        const base64 = key.toString('base64');
        const known = this.deps.store.knownHosts(this.deps.sandbox).filter((l) => l.host === hostName);
        const sameType = known.find((l) => l.keyType === type);
        if (sameType?.keyBase64 === base64) {
          noteHostKey('known', type, fingerprint);
          return verify(true);
        }
        if (sameType) {
          noteHostKey('changed', type, fingerprint);
          this.reported = true;
          this.io.output(this.fold(say.hostKeyChanged(hostName, type, fingerprint, sameType.line)));
          if (this.deps.isLabHostKey?.(key)) this.say(`\x1b[2m${say.labRotatedKey(hostName)}\x1b[0m`);
          return verify(false);
        }
        this.ask(this.fold(say.firstContact(hostName, type, fingerprint)));
        const ask = () => {
          this.state = 'hostkey';
          this.answer = (text) => {
            const reply = text.trim();
            if (reply === 'yes' || reply === fingerprint) {
              this.deps.store.addKnownHost(this.deps.sandbox, hostName, type, base64);
              noteHostKey('accepted', type, fingerprint);
              this.io.output(say.permanentlyAdded(hostName, type));
              verify(true);
            } else if (reply === 'no') {
              noteHostKey('refused', type, fingerprint);
              this.reported = true;
              this.io.output(say.VERIFICATION_FAILED);
              verify(false);
            } else {
              this.ask(say.PLEASE_TYPE);
              ask();
            }
          };
        };
        ask();
      },
      authHandler: (methodsLeft: string[] | null, _partial: boolean | null, next: NextAuthHandler) => {
        if (methodsLeft === null) return next({ type: 'none', username: user } as AnyAuthMethod);
        if (userKey && !triedKey && methodsLeft.includes('publickey')) {
          triedKey = true;
          return next({ type: 'publickey', username: user, key: userKey } as AnyAuthMethod);
        }
        if (methodsLeft.includes('password') && passwordTries < 3) {
          if (passwordTries > 0) this.io.output(say.TRY_AGAIN);
          passwordTries++;
          this.io.output(say.passwordPrompt(safeUser, host));
          this.state = 'password';
          this.answer = (password) => next({ type: 'password', username: user, password } as AnyAuthMethod);
          return;
        }
        this.reported = true;
        this.io.output(say.permissionDenied(safeUser, host, methodsLeft.join(',')));
        return next(false as unknown as AnyAuthMethod);
      },
    });
  }

  private startSession(client: ssh2.Client, command: string | undefined, host: string): void {
    const filter = new TerminalFilter();
    // A session the console let go (closed, or replaced by a fresh start) prints nothing more: its
    // last bytes and "Connection … closed." would land under the next session's greeting.
    const live = () => this.client === client;
    const show = (data: Buffer) => live() && this.io.output(filter.write(data.toString('utf8')));
    if (command !== undefined) {
      this.state = 'connecting';
      client.exec(command, (err, stream) => {
        if (err) return client.end();
        const print = (d: Buffer) => live() && this.io.output(filter.write(d.toString('utf8')).replace(/\r?\n/g, '\r\n'));
        stream.on('data', print);
        stream.stderr.on('data', print);
        stream.on('close', () => client.end());
      });
      return;
    }
    client.shell({ term: 'xterm-256color', cols: this.size.cols, rows: this.size.rows }, (err, stream) => {
      if (err) return client.end();
      this.stream = stream;
      this.state = 'session';
      stream.on('data', show);
      stream.stderr.on('data', show);
      stream.on('close', () => {
        if (!live()) return;
        this.io.output(say.connectionClosed(host));
        this.reported = true;
        client.end();
      });
    });
  }

  /**
   * The key named by `-i`, and only then: a key used silently would hide the password prompt
   * (and "Permission denied") from a student who wants to see them. Without `-i` a one-line
   * hint names the lab's keys; an unknown `-i` file gets OpenSSH's warning and no key.
   */
  private pickKey(identity: string | undefined, user: string, port: number): string | undefined {
    const keys = this.deps.store.userKeys(this.deps.sandbox);
    if (!identity) {
      if (keys.length) this.io.output(say.keysNotOffered(keys.map((k) => k.name.replace(/[^\w.@-]/g, '?')), user, port));
      return undefined;
    }
    const base = identity.split('/').pop() ?? identity;
    const key = keys.find((k) => k.name === base || k.id === base);
    if (!key) this.io.output(say.identityNotAccessible(identity.replace(/[\x00-\x1f\x7f-\x9f]/g, '?')));
    return key?.privateKey;
  }

  private teardown(): void {
    const client = this.client;
    this.client = null;
    this.stream = null;
    this.answer = null;
    this.socket?.destroy();
    this.socket = null;
    client?.end();
  }
}
