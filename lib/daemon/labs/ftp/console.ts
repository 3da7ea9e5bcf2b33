/**
 * The FTP lab's browser console. Raw mode is telnet to the control port (the terminal shows the
 * dissected transcript); because a human at a raw console cannot open data connections, the lab
 * opens them — after PASV/EPSV it connects to the announced port when LIST/NLST/RETR/STOR is sent;
 * a bare `PORT` (or `EPRT`) makes it listen and fill in the address — and says so. After AUTH TLS
 * and 234 it runs the TLS handshake itself. `:client` switches to a friendly client (basic-ftp).
 */
import net from 'node:net';
import tls from 'node:tls';
import { decodeEpsvReply, decodeSixNumbers, encodeSixNumbers } from '../../../protocols/ftp/addresses.ts';
import { lookupFtpCommand, splitCommand } from '../../../protocols/ftp/commands.ts';
import { PROTECTED_DATA_NOTE } from '../../../protocols/ftp/console-notes.ts';
import { bytesToSafeText, escapeControls } from '../../../wire/escape.ts';
import type { Tap } from '../../../wire/tap.ts';
import type { ConsoleIO, LabConsole } from '../lab.ts';
import { runClientCommand, CLIENT_HELP } from './console-client.ts';
import { FriendlyClient } from './client-mode.ts';

const MAX_LINE = 64 * 1024;
const PREVIEW = 600;
const say = (text: string) => `\x1b[2m# ${escapeControls(text)}\x1b[0m\r\n`;

const RAW_HELP = [
  'Raw FTP control console (like telnet). Type commands: USER student, PASS …, PWD, PASV, LIST, RETR name, AUTH TLS, PBSZ 0, PROT P, QUIT.',
  'After PASV/EPSV (or a bare PORT) the lab opens the data connection for LIST/NLST/RETR/STOR and tells you what it did.',
  ':client switches to the friendly client (open, ls, cd, get, put, passive on|off, secure on|off); :raw switches back; :help.',
];

/** A raw/friendly FTP console for one browser terminal. */
export class FtpConsole implements LabConsole {
  private socket: net.Socket | tls.TLSSocket | null = null;
  private mode: 'raw' | 'client' = 'raw';
  private replyBuffer = '';
  private pendingAuth = false;
  private secure = false;
  private protP = false;
  private pasvPort: number | null = null;
  private activeListener: net.Server | null = null;
  private friendly: FriendlyClient | null = null;
  private readonly closeHooks: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly tap: Tap,
    private readonly io: ConsoleIO,
    private readonly user: string,
    private readonly password = '',
  ) {}

  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  open(): void {
    this.disconnect();
    this.io.status({ state: 'connecting' });
    for (const line of RAW_HELP) this.io.output(say(line));
    const { socket, accepted } = this.tap.connectOwnClient('browser console');
    this.socket = socket;
    void accepted.then((c) => {
      if (this.socket === socket) this.io.status({ state: 'open', conn: c.recorder.info.id });
    });
    socket.on('data', (chunk: Buffer) => this.onReplies(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket === socket || this.socket?.destroyed) {
        this.socket = null;
        if (this.mode === 'raw') this.io.status({ state: 'closed', reason: 'Connection closed.' });
      }
    });
  }

  resize(): void {}

  input(data: string): void {
    this.sendLine(data);
  }

  sendLine(input: string): void {
    const line = input.slice(0, MAX_LINE);
    if (line.startsWith(':')) return this.meta(line.slice(1).trim().toLowerCase());
    if (this.mode === 'client') {
      // One command at a time, like a real ftp(1) prompt: basic-ftp refuses overlapping tasks.
      this.queue = this.queue.then(() => runClientCommand(this.client(), line, (text) => this.io.output(text), (conn) => this.io.status({ state: 'open', conn })));
      return;
    }
    if (!this.socket || this.socket.destroyed) {
      this.io.status({ state: 'closed', reason: 'Not connected — press Reconnect.' });
      return;
    }
    const { verb, arg } = splitCommand(line);
    if ((verb === 'PORT' || verb === 'EPRT') && !arg.trim()) {
      void this.listenForActive(verb);
      return;
    }
    if (verb === 'PORT' || verb === 'EPRT' || verb === 'PASV' || verb === 'EPSV') this.resetData();
    if (verb === 'AUTH') this.pendingAuth = true;
    if (verb === 'PROT') this.protP = arg.trim().toUpperCase() === 'P';
    this.socket.write(`${line}\r\n`);
    if (lookupFtpCommand(verb).transfer) this.openData(verb, arg);
  }

  close(reason = 'Closed by you.'): void {
    const had = this.socket !== null;
    this.disconnect();
    this.friendly?.close();
    this.friendly = null;
    if (had) this.io.status({ state: 'closed', reason });
    for (const hook of this.closeHooks.splice(0)) hook();
  }

  private disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.resetData();
    this.secure = false;
    this.protP = false;
    this.pendingAuth = false;
    this.replyBuffer = '';
  }

  private client(): FriendlyClient {
    this.friendly ??= new FriendlyClient(this.tap, { user: this.user, password: this.password, log: (l) => this.io.output(`${escapeControls(l.replace(/\s+$/, '')).replace(/\^M\^J/g, '\r\n')}\r\n`) });
    return this.friendly;
  }

  private meta(command: string): void {
    if (command === 'client') {
      this.mode = 'client';
      this.io.output(say(`Friendly client mode. ${CLIENT_HELP}`));
    } else if (command === 'raw') {
      this.mode = 'raw';
      this.io.output(say('Raw mode: lines go to the control connection as typed.'));
    } else for (const line of this.mode === 'raw' ? RAW_HELP : [CLIENT_HELP]) this.io.output(say(line));
  }

  /** Watches replies for 227/229 (passive port) and 234 (start TLS). */
  private onReplies(chunk: Buffer): void {
    this.replyBuffer = (this.replyBuffer + chunk.toString('utf8')).slice(-MAX_LINE);
    let lf: number;
    while ((lf = this.replyBuffer.indexOf('\n')) >= 0) {
      const reply = this.replyBuffer.slice(0, lf).replace(/\r$/, '');
      this.replyBuffer = this.replyBuffer.slice(lf + 1);
      if (reply.startsWith('227 ')) this.pasvPort = decodeSixNumbers(reply)?.port ?? null;
      if (reply.startsWith('229 ')) this.pasvPort = decodeEpsvReply(reply);
      if (/^\d{3} /.test(reply) && this.pendingAuth) {
        this.pendingAuth = false;
        if (reply.startsWith('234')) this.startTls();
      }
    }
  }

  private startTls(): void {
    const raw = this.socket;
    if (!raw || raw instanceof tls.TLSSocket) return;
    raw.removeAllListeners('data');
    const secure = tls.connect({ socket: raw, rejectUnauthorized: false });
    this.socket = secure;
    this.secure = true;
    secure.on('data', (chunk: Buffer) => this.onReplies(chunk));
    secure.on('error', () => {});
    secure.once('secureConnect', () => this.io.output(say(`The lab ran the TLS handshake for you (${secure.getProtocol() ?? 'TLS'}). Commands now cross encrypted; switch the transcript to the eavesdropper view to see only records.`)));
  }

  private async listenForActive(verb: 'PORT' | 'EPRT'): Promise<void> {
    this.resetData();
    const listener = net.createServer();
    this.activeListener = listener;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const port = (listener.address() as net.AddressInfo).port;
    const args = verb === 'PORT' ? encodeSixNumbers('127.0.0.1', port) : `|1|127.0.0.1|${port}|`;
    this.io.output(say(`The lab listens on 127.0.0.1:${port} for the server's connection and sends ${verb} ${args} for you.`));
    this.socket?.write(`${verb} ${args}\r\n`);
  }

  private resetData(): void {
    this.pasvPort = null;
    this.activeListener?.close();
    this.activeListener = null;
  }

  /** Opens (passive) or accepts (active) the data connection for a transfer the user typed. */
  private openData(verb: string, arg: string): void {
    const tlsData = this.secure && this.protP;
    const wrap = (socket: net.Socket) => (tlsData ? tls.connect({ socket, rejectUnauthorized: false }) : socket);
    if (this.pasvPort) {
      const port = this.pasvPort;
      this.pasvPort = null;
      const socket = net.connect(port, '127.0.0.1', () => {
        this.io.output(say(`The lab opened the data connection for you: 127.0.0.1:${socket.localPort} → 127.0.0.1:${port} (passive${this.secure && this.protP ? ', TLS' : ''}).`));
        this.transfer(wrap(socket), verb, arg, tlsData);
      });
      socket.on('error', (err) => this.io.output(say(`Could not open the data connection: ${err.message}`)));
      return;
    }
    const listener = this.activeListener;
    if (listener) {
      this.activeListener = null;
      const timer = setTimeout(() => listener.close(), 15_000);
      listener.once('connection', (socket: net.Socket) => {
        clearTimeout(timer);
        listener.close();
        this.io.output(say(`The server connected to the lab's port ${socket.localPort} (active mode, server → client).`));
        this.transfer(wrap(socket), verb, arg, tlsData);
      });
      return;
    }
    this.io.output(say(`${verb} needs a data connection: send PASV (or EPSV) first, or a bare PORT and the lab will fill in the address.`));
  }

  private transfer(socket: net.Socket | tls.TLSSocket, verb: string, arg: string, tlsData: boolean): void {
    socket.on('error', () => {});
    if (verb === 'STOR' || verb === 'APPE' || verb === 'STOU') {
      const content = `Uploaded from the Protocol Lab console at ${new Date().toISOString()}\n`;
      this.io.output(say(`The lab sends ${content.length} bytes of sample text as ${arg || 'the file'}.`));
      socket.end(content);
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    socket.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (chunks.reduce((n, c) => n + c.length, 0) < PREVIEW) chunks.push(chunk);
    });
    socket.on('close', () => {
      const preview = Buffer.concat(chunks).subarray(0, PREVIEW);
      const shown = total > PREVIEW ? ` (first ${PREVIEW} shown)` : '';
      // One chunk, header first: the page hides a protected file's contents from the eavesdropper view.
      const header = tlsData ? `Data connection closed after ${total.toLocaleString('en')} bytes, ${PROTECTED_DATA_NOTE}${shown}:` : `Data connection closed after ${total.toLocaleString('en')} bytes${shown}:`;
      const lines = bytesToSafeText(preview).split('^M^J').filter(Boolean).map((line) => `  ${line}\r\n`);
      this.io.output(say(header) + lines.join(''));
    });
  }
}
