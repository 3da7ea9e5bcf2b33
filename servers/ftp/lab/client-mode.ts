/**
 * The friendly client behind the console's client mode and the /api/ftp routes: basic-ftp against
 * the lab's tap (so every session is recorded like an external client's), with its raw commands
 * shown. basic-ftp only does passive mode, so active mode (PORT) is a small path of our own.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Writable, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    const listing = collect();
    await this.activeTransfer(path ? `LIST ${path}` : 'LIST', { to: listing.sink });
    return parseList(listing.bytes().toString('utf8'));
  }

  async cd(path: string): Promise<string> {
    const client = this.need();
    await client.cd(path);
    return client.pwd();
  }

  async pwd(): Promise<string> {
    return this.need().pwd();
  }

  /** RETR into `to` as the bytes arrive (basic-ftp pipes the data connection into it, with its backpressure). */
  async download(name: string, to: Writable): Promise<void> {
    const client = this.need();
    if (!this.passive) await this.activeTransfer(`RETR ${name}`, { to });
    else await client.downloadTo(to, name);
  }

  /** RETR into memory, for the console and the JSON client (small files; the download route streams). */
  async get(name: string): Promise<Buffer> {
    const file = collect();
    await this.download(name, file.sink);
    return file.bytes();
  }

  /**
   * STOR from `from` as it produces bytes. In stream mode the end of the data connection is the end of
   * the file (RFC 959 §3.4.1): a source that ends early stores a short file, which the caller must delete.
   */
  async upload(name: string, from: Readable): Promise<void> {
    const client = this.need();
    if (!this.passive) await this.activeTransfer(`STOR ${name}`, { from });
    else await client.uploadFrom(from, name);
  }

  async put(name: string, data: Buffer): Promise<void> {
    await this.upload(name, Readable.from([data]));
  }

  /** SIZE (RFC 3659 §4): the file's size in bytes, or null when the server does not say. */
  async size(name: string): Promise<number | null> {
    return this.need()
      .size(name)
      .catch(() => null);
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
   * server's connection (TLS client side under PROT P) and move the bytes between it and `data`
   * as they come (RFC 959 §3.2).
   */
  private async activeTransfer(command: string, data: { from: Readable } | { to: Writable }): Promise<void> {
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
      let moved = 0;
      const count = async function* (this: void, chunks: AsyncIterable<Buffer>, progress?: (bytes: number) => void): AsyncGenerator<Buffer> {
        for await (const chunk of chunks) {
          moved += chunk.length;
          progress?.(moved);
          yield chunk;
        }
      };
      const progress = this.options.progress;
      const moving = accepted.then((socket) =>
        'from' in data ? pipeline(data.from, (chunks) => count(chunks, progress), socket) : pipeline(socket, (chunks) => count(chunks, progress), data.to),
      );
      // Awaited below only once the server's 2xx arrives; a failure before that must not go unhandled.
      moving.catch(() => {});
      await ftp.handle(command, (res, task) => {
        if (res instanceof Error) task.reject(res);
        else if (res.code >= 200 && res.code < 300) moving.then(() => task.resolve(res), (err: unknown) => task.reject(err as Error));
      });
    } finally {
      listener.close();
    }
  }
}

/** A Writable that keeps what it is given: the sink of a transfer read into memory. */
function collect(): { sink: Writable; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}
