/**
 * The FTP lab's browser console. Raw mode is telnet to the control port (the terminal shows the
 * dissected transcript); because a human at a raw console cannot open data connections, the lab
 * opens them — after a 227/229 it connects to the announced port at once, as real clients do, and
 * uses that connection for the next LIST/NLST/RETR/STOR; a bare `PORT` (or `EPRT`) makes it listen
 * and fill in the address — and says so. After AUTH TLS and 234 it runs the TLS handshake itself.
 * `:client` switches to a friendly client (basic-ftp).
 *
 * What the console says about a session is a note on that session's control connection
 * (ConnectionRecorder.note), recorded before the action it announces, so it takes its place in
 * the one seq order with the commands, replies and the data relay's notes. Only lines about the
 * console itself (help, mode switches) are plain terminal output.
 */
import { groupDigits } from '../../../lib/text/numbers.ts';
import net from 'node:net';
import tls from 'node:tls';
import { decodeEpsvReply, decodeSixNumbers, encodeSixNumbers } from '../../../lib/protocols/ftp/addresses.ts';
import { lookupFtpCommand, splitCommand } from '../../../lib/protocols/ftp/commands.ts';
import { escapeControls } from '../../../lib/wire/escape.ts';
import { CONSOLE_LABEL, type View } from '../../../lib/wire/event.ts';
import type { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { Tap } from '../../../lib/wire/tap.ts';
import type { ConsoleIO, LabConsole } from '../../daemon/lab.ts';
import { runClientCommand, CLIENT_HELP, contentLines } from './console-client.ts';
import { FriendlyClient } from './client-mode.ts';

const MAX_LINE = 64 * 1024;
/** Lines of the console's sample upload (about 5 KB). */
const SAMPLE_LINES = 60;
/** Bytes of a PROT P download the console quotes (decrypted, endpoint view only). */
const PREVIEW_BYTES = 600;
const say = (text: string) => `\x1b[2m# ${escapeControls(text)}\x1b[0m\r\n`;

const RAW_HELP = [
  'Raw FTP control console (like telnet). Type commands: USER student, PASS …, PWD, PASV, LIST, RETR name, AUTH TLS, PBSZ 0, PROT P, QUIT.',
  'After PASV/EPSV the lab connects to the announced port for you (a bare PORT: it listens and fills in the address); LIST/NLST/RETR/STOR then use that data connection.',
  ':client switches to the friendly client (open, ls, cd, get, put, passive on|off, secure on|off); :raw switches back; :help.',
];

/** A command sent and not answered yet; an upload waits on it for the server's go-ahead. */
interface Sent {
  verb: string;
  id: number;
  /** The 1yz reply's code ("150" … about to open data connection) once it arrived. */
  preliminary: string | null;
  onPreliminary?: (code: string) => void;
  /** A 4yz/5yz came instead of the 1yz: the server will not read the data. */
  onRefused?: (reply: string) => void;
}

/** The console's upload: a few kilobytes of numbered lines, enough for a cut after 1,000 bytes (ftp.data-drop) to show. */
export function sampleUpload(name: string, at: Date): string {
  const lines = Array.from({ length: SAMPLE_LINES }, (_, i) => `${String(i + 1).padStart(2, '0')} Uploaded from the Protocol Lab console at ${at.toISOString()} as ${name}.\n`);
  return lines.join('');
}

/** A raw/friendly FTP console for one browser terminal. */
export class FtpConsole implements LabConsole {
  private socket: net.Socket | tls.TLSSocket | null = null;
  /** The raw session's control connection record, once the tap accepted it. */
  private control: ConnectionRecorder | null = null;
  /** The passive data connection the lab opened after 227/229, waiting for a transfer command. */
  private data: { socket: net.Socket | tls.TLSSocket; tls: boolean } | null = null;
  /**
   * Commands sent and not answered yet, oldest first (replies come in that order, RFC 959 §4.2): a
   * 227/229 is matched to its own PASV/EPSV, so after PASV, PASV, LIST typed at once LIST waits for
   * the second PASV's port, the one the server uses, not the first.
   */
  private unanswered: Sent[] = [];
  private nextId = 0;
  /** The 220 greeting arrived (it answers no command). */
  private greeted = false;
  /** A transfer typed before its PASV/EPSV was answered: it waits for the connection to that reply's port. */
  private pendingTransfer: { passive: number; run(socket: net.Socket | tls.TLSSocket, tlsData: boolean): void } | null = null;
  private mode: 'raw' | 'client' = 'raw';
  private replyBuffer = '';
  private pendingAuth = false;
  private secure = false;
  private protP = false;
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
    const { socket, accepted } = this.tap.connectOwnClient(CONSOLE_LABEL, this.io.owner);
    this.socket = socket;
    void accepted.then((c) => {
      if (this.socket !== socket) return;
      this.control = c.recorder;
      this.io.status({ state: 'open', conn: c.recorder.info.id });
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
      this.queue = this.queue.then(() => runClientCommand(this.client(), line, (text, view) => this.tell(this.friendly?.recorder ?? null, text, view), (conn) => this.io.status({ state: 'open', conn })));
      return;
    }
    if (!this.socket || this.socket.destroyed) {
      this.io.status({ state: 'closed', reason: 'Not connected.' });
      return;
    }
    const { verb, arg } = splitCommand(line);
    if ((verb === 'PORT' || verb === 'EPRT') && !arg.trim()) {
      void this.listenForActive(verb);
      return;
    }
    // A passive data connection still open is the server's to close when it sets up the next one.
    if (verb === 'PORT' || verb === 'EPRT' || verb === 'PASV' || verb === 'EPSV') this.closeListener();
    if (verb === 'AUTH') this.pendingAuth = true;
    if (verb === 'PROT') this.protP = arg.trim().toUpperCase() === 'P';
    const transfer = lookupFtpCommand(verb).transfer ? this.dataFor(verb) : null;
    const sent = this.write(verb, line);
    transfer?.(verb, arg, sent);
  }

  /** Records `text` on `recorder` (its seq places it), or prints it when there is no session. */
  private tell(recorder: ConnectionRecorder | null, text: string, view: View = 'wire'): void {
    const lines = text.split('\n').map((line) => escapeControls(line));
    if (recorder && !recorder.closed) recorder.note(lines.join('\n'), undefined, view);
    else for (const line of lines) this.io.output(say(line));
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
    this.control = null;
    socket?.destroy();
    this.resetData();
    this.secure = false;
    this.protP = false;
    this.pendingAuth = false;
    this.unanswered = [];
    this.greeted = false;
    this.replyBuffer = '';
  }

  private client(): FriendlyClient {
    // basic-ftp's raw "> CMD" / "< reply" lines only (for a plain terminal; the page shows the
    // transcript instead). Its other lines ("Downloading from …", the listing) repeat the relay's
    // notes and would land wherever they happened to arrive.
    const log = (l: string) => {
      if (/^[<>] /.test(l)) this.io.output(`${escapeControls(l.replace(/\s+$/, '')).replace(/\^M\^J/g, '\r\n')}\r\n`);
    };
    this.friendly ??= new FriendlyClient(this.tap, { user: this.user, password: this.password, log, owner: this.io.owner, label: `${CONSOLE_LABEL} (client mode)` });
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

  /** Sends a command line and remembers it until its final reply. */
  private write(verb: string, line: string): Sent {
    const sent: Sent = { verb, id: ++this.nextId, preliminary: null };
    this.unanswered.push(sent);
    this.socket?.write(`${line}\r\n`);
    return sent;
  }

  /** Watches replies for 227/229 (passive port: connect now) and 234 (start TLS). */
  private onReplies(chunk: Buffer): void {
    this.replyBuffer = (this.replyBuffer + chunk.toString('utf8')).slice(-MAX_LINE);
    let lf: number;
    while ((lf = this.replyBuffer.indexOf('\n')) >= 0) {
      const reply = this.replyBuffer.slice(0, lf).replace(/\r$/, '');
      this.replyBuffer = this.replyBuffer.slice(lf + 1);
      // A final reply answers the oldest unanswered command; the greeting answers none, a 1yz is its go-ahead.
      if (!/^[1-5]\d\d /.test(reply)) continue;
      if (!this.greeted) {
        this.greeted = reply[0] !== '1';
        continue;
      }
      if (reply[0] === '1') {
        const head = this.unanswered[0];
        if (head && !head.preliminary) {
          head.preliminary = reply.slice(0, 3);
          head.onPreliminary?.(head.preliminary);
        }
        continue;
      }
      const answered = this.unanswered.shift();
      if (answered && !answered.preliminary && /^[45]/.test(reply)) answered.onRefused?.(reply);
      if (answered && (answered.verb === 'PASV' || answered.verb === 'EPSV')) {
        const port = reply.startsWith('227 ') ? decodeSixNumbers(reply)?.port : reply.startsWith('229 ') ? decodeEpsvReply(reply) : null;
        if (port) this.openPassive(port, reply.slice(0, 3), answered.id);
        else if (this.pendingTransfer?.passive === answered.id) this.pendingTransfer = null;
      } else if (answered && lookupFtpCommand(answered.verb).transfer && /^[45]/.test(reply)) this.pendingTransfer = null;
      if (this.pendingAuth) {
        this.pendingAuth = false;
        // The server discards what was sent behind AUTH TLS in clear text (RFC 4217 §4): no replies come for it.
        if (reply.startsWith('234')) {
          this.unanswered = [];
          this.startTls();
        }
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
    secure.once('secureConnect', () => this.tell(this.control, `The lab ran the TLS handshake for you (${secure.getProtocol() ?? 'TLS'}). Commands now cross encrypted; switch the transcript to the eavesdropper view to see only records.`));
  }

  /**
   * Connects to the port a 227/229 announced, as curl or ftplib do before sending the transfer
   * command. The note goes first: it is recorded before the relay can see the connection.
   */
  private openPassive(port: number, code: string, passive: number): void {
    const waiting = this.pendingTransfer;
    this.resetData();
    // A transfer waiting for a later PASV's port keeps waiting.
    const pending = waiting?.passive === passive ? waiting : null;
    if (waiting && !pending) this.pendingTransfer = waiting;
    const tlsData = this.secure && this.protP;
    const use = tlsData ? 'With PROT P it runs TLS. Your next LIST, NLST, RETR or STOR uses it.' : 'Your next LIST, NLST, RETR or STOR uses this data connection.';
    // The passive ports listen where the lab does (LAB_HOST): the tap's own address reaches them.
    const host = this.tap.dialHost;
    this.tell(this.control, `The lab connects to ${host}:${port}, the port the ${code} announced.\n${use}`);
    const socket = net.connect(port, host);
    socket.on('error', (err) => {
      if (this.data?.socket === socket || this.data?.socket === wrapped) this.tell(this.control, `Could not open the data connection: ${err.message}`);
    });
    const wrapped = tlsData ? tls.connect({ socket, rejectUnauthorized: false }) : socket;
    wrapped.on('error', () => {});
    // Closed by the server before any transfer (a new PASV replaced it): forget it.
    wrapped.once('close', () => {
      if (this.data?.socket === wrapped) this.data = null;
    });
    if (pending) pending.run(wrapped, tlsData);
    else this.data = { socket: wrapped, tls: tlsData };
  }

  private async listenForActive(verb: 'PORT' | 'EPRT'): Promise<void> {
    this.closeListener();
    const listener = net.createServer();
    this.activeListener = listener;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    const port = (listener.address() as net.AddressInfo).port;
    const args = verb === 'PORT' ? encodeSixNumbers('127.0.0.1', port) : `|1|127.0.0.1|${port}|`;
    this.tell(this.control, `The lab listens on 127.0.0.1:${port} for the server's connection and sends ${verb} ${args} for you.`);
    this.write(verb, `${verb} ${args}`);
  }

  private resetData(): void {
    this.data?.socket.destroy();
    this.data = null;
    this.pendingTransfer = null;
    this.closeListener();
  }

  private closeListener(): void {
    this.activeListener?.close();
    this.activeListener = null;
  }

  /**
   * The data connection a transfer the user typed will use: the passive one already open, or the
   * server's connection to the active listener. With neither, says so before the command goes out.
   */
  private dataFor(verb: string): ((verb: string, arg: string, sent: Sent) => void) | null {
    // A PASV/EPSV still unanswered replaces any connection already open: wait for its port.
    const passive = this.unanswered.findLast((c) => c.verb === 'PASV' || c.verb === 'EPSV');
    if (passive) {
      // Typed before the 227/229 arrived: use the connection the lab opens when it does.
      return (v, arg, sent) => (this.pendingTransfer = { passive: passive.id, run: (socket, tlsData) => this.transfer(socket, v, arg, tlsData, sent) });
    }
    const open = this.data;
    if (open) {
      this.data = null;
      return (v, arg, sent) => this.transfer(open.socket, v, arg, open.tls, sent);
    }
    const listener = this.activeListener;
    if (listener) {
      this.activeListener = null;
      const tlsData = this.secure && this.protP;
      const timer = setTimeout(() => listener.close(), 15_000);
      return (v, arg, sent) =>
        listener.once('connection', (socket: net.Socket) => {
          clearTimeout(timer);
          listener.close();
          this.transfer(tlsData ? tls.connect({ socket, rejectUnauthorized: false }) : socket, v, arg, tlsData, sent);
        });
    }
    this.tell(this.control, `${verb} needs a data connection: send PASV (or EPSV) first, or a bare PORT and the lab will fill in the address.`);
    return null;
  }

  /**
   * Moves the data. The data relay notes on the control connection when the connection closes and
   * what an eavesdropper read; the console adds what only it saw: a PROT P file's decrypted lines
   * (endpoint view), recorded when TLS close_notify ends the file, before its own close lets the server say 226.
   */
  private transfer(socket: net.Socket | tls.TLSSocket, verb: string, arg: string, tlsData: boolean, sent: Sent): void {
    const control = this.control;
    socket.on('error', () => {});
    if (verb === 'STOR' || verb === 'APPE' || verb === 'STOU') {
      // As curl and ftplib do: the data goes once the server's 1yz says it will read it (RFC 959 §5.4);
      // a refusal (553, 552 …) comes instead, and nothing is sent.
      const content = sampleUpload(arg || 'the file', new Date());
      const send = (code: string) => {
        this.tell(control, `The server said ${code}: the lab sends ${groupDigits(Buffer.byteLength(content))} bytes of sample text (${SAMPLE_LINES} numbered lines) as ${arg || 'the file'}.`);
        socket.end(content);
      };
      if (sent.preliminary) return send(sent.preliminary);
      sent.onPreliminary = send;
      sent.onRefused = (reply) => {
        this.tell(control, `The server refused ${verb} (${reply.slice(0, 3)}): the lab sends nothing and closes the data connection.`);
        socket.destroy();
      };
      return;
    }
    if (!tlsData) {
      // The relay's note quotes what crossed in the clear: read to the end, and close.
      socket.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    socket.on('data', (chunk: Buffer) => {
      if (total < PREVIEW_BYTES) chunks.push(chunk);
      total += chunk.length;
    });
    socket.once('end', () => {
      const shown = total > PREVIEW_BYTES ? ` (first ${PREVIEW_BYTES} shown)` : '';
      this.tell(control, [`The lab's client decrypted ${groupDigits(total)} bytes (PROT P)${shown}:`, ...contentLines(Buffer.concat(chunks), PREVIEW_BYTES)].join('\n'), 'endpoint');
    });
  }
}
