/**
 * The friendly client behind the console's client mode and the /api/ftp routes: basic-ftp against
 * the lab's tap (so every session is recorded like an external client's), with its raw commands
 * shown. basic-ftp only does passive mode, so active mode (PORT) is a small path of our own.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Writable, Readable } from 'node:stream';
import { Client, parseList, type FileInfo } from 'basic-ftp';
import { encodeSixNumbers } from '../../../lib/protocols/ftp/addresses.ts';
import type { ConnectionRecorder } from '../../../lib/wire/recorder.ts';
import type { ConnectionOwner } from '../../../lib/wire/step.ts';
import type { Tap } from '../../../lib/wire/tap.ts';

export interface FriendlyClientOptions {
  user: string;
  password: string;
  /** Every raw command and reply basic-ftp logs ("> PASV", "< 227 …"). */
  log(line: string): void;
  /** Bytes moved so far in the current transfer. */
  progress?(bytes: number): void;
  /** The browser the session acts for (its sandbox, and its step mode): its console, or the page calling the API. */
  owner?: ConnectionOwner;
  /** What the connection list calls this session ('ftp file panel'), instead of its address. */
  label?: string;
}

/** One logged-in friendly session. */
export class FriendlyClient {
  passive = true;
  secure = false;
  /** The control connection's id in the transcript, once open. */
  conn: string | null = null;
  /** The control connection's record, once open: the console's notes go there, in seq order. */
  recorder: ConnectionRecorder | null = null;
  private client: Client | null = null;

  constructor(
    private readonly tap: Tap,
    private readonly options: FriendlyClientOptions,
  ) {}

  get connected(): boolean {
    return this.client !== null && !this.client.closed;
  }

  async open(): Promise<string> {
    this.close();
    const client = new Client(15_000);
    client.ftp.verbose = true;
    client.ftp.log = (line: string) => this.options.log(line);
    client.trackProgress((info) => this.options.progress?.(info.bytes));
    this.client = client;
    const connected = client.connect(this.tap.dialHost, this.tap.port);
    // Named and filed as the owner's (basic-ftp's socket is connecting now).
    if (this.options.owner || this.options.label) this.tap.ownSocket(client.ftp.socket, { ...this.options.owner, label: this.options.label });
    await connected;
    // Read before AUTH TLS: the tap knows the connection by this plain socket's local port.
    const localPort = client.ftp.socket.localPort ?? 0;
    if (this.secure) await client.useTLS({ rejectUnauthorized: false });
    await client.login(this.options.user, this.options.password);
    await client.useDefaultSettings();
    this.recorder = (await this.tap.whenAccepted(localPort)).recorder;
    this.conn = this.recorder.info.id;
    return this.conn;
  }

  async list(path = ''): Promise<FileInfo[]> {
    const client = this.need();
    if (this.passive) return client.list(path);
    // basic-ftp's own LIST parser, as its passive list() uses.
    return parseList((await this.activeTransfer(path ? `LIST ${path}` : 'LIST')).toString('utf8'));
  }

  async cd(path: string): Promise<string> {
    const client = this.need();
    await client.cd(path);
    return client.pwd();
  }

  async pwd(): Promise<string> {
    return this.need().pwd();
  }

  async get(name: string): Promise<Buffer> {
    const client = this.need();
    if (!this.passive) return this.activeTransfer(`RETR ${name}`);
    const chunks: Buffer[] = [];
    await client.downloadTo(
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          callback();
        },
      }),
      name,
    );
    return Buffer.concat(chunks);
  }

  async put(name: string, data: Buffer): Promise<void> {
    const client = this.need();
    if (!this.passive) {
      await this.activeTransfer(`STOR ${name}`, data);
      return;
    }
    await client.uploadFrom(Readable.from([data]), name);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.need().rename(from, to);
  }

  async remove(name: string): Promise<void> {
    await this.need().remove(name);
  }

  /** MKD: one directory, not a path of them (RFC 959 §4.1.3). */
  async mkdir(path: string): Promise<void> {
    await this.need().send(`MKD ${path}`);
  }

  /** RMD: an empty directory (basic-ftp's removeDir would empty it first, file by file). */
  async rmdir(path: string): Promise<void> {
    await this.need().send(`RMD ${path}`);
  }

  close(): void {
    this.client?.close();
    this.client = null;
    this.conn = null;
    this.recorder = null;
  }

  private need(): Client {
    if (!this.client || this.client.closed) throw new Error('Not connected — type "open" first.');
    return this.client;
  }

  /**
   * Active mode: listen on our own address, send PORT, send the transfer command, accept the
   * server's connection (TLS client side under PROT P) and move the bytes (RFC 959 §3.2).
   */
  private async activeTransfer(command: string, upload?: Buffer): Promise<Buffer> {
    const client = this.need();
    const ftp = client.ftp;
    const listener = net.createServer();
    const host = ftp.socket.localAddress?.replace(/^::ffff:/i, '') ?? '127.0.0.1';
    await new Promise<void>((resolve) => listener.listen(0, host, () => resolve()));
    try {
      const port = (listener.address() as net.AddressInfo).port;
      await client.send(`PORT ${encodeSixNumbers(host, port)}`);
      const accepted = new Promise<net.Socket | tls.TLSSocket>((resolve) =>
        listener.once('connection', (socket: net.Socket) => {
          listener.close();
          resolve(ftp.socket instanceof tls.TLSSocket ? tls.connect({ socket, rejectUnauthorized: false, session: ftp.tlsSessionStore ?? ftp.socket.getSession() }) : socket);
        }),
      );
      const chunks: Buffer[] = [];
      let moved = 0;
      const data = accepted.then(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.on('error', reject);
            if (upload) {
              socket.end(upload, () => {
                this.options.progress?.(upload.length);
                resolve();
              });
            } else {
              socket.on('data', (chunk: Buffer) => {
                chunks.push(chunk);
                moved += chunk.length;
                this.options.progress?.(moved);
              });
              socket.on('end', () => resolve());
            }
          }),
      );
      await ftp.handle(command, (res, task) => {
        if (res instanceof Error) task.reject(res);
        else if (res.code >= 200 && res.code < 300) data.then(() => task.resolve(res), (err: unknown) => task.reject(err as Error));
      });
      return Buffer.concat(chunks);
    } finally {
      listener.close();
    }
  }
}
