/**
 * Two connected in-memory stream ends that behave enough like a TCP socket pair for a server
 * library to take one as an accepted socket (ssh2's injectSocket, a net.Server's
 * emit('connection'), tls.TLSSocket wrapping it for STARTTLS): what one end writes the other reads,
 * ending one end's writable side ends the other's readable side, destroying one closes both.
 * The tap keeps the other end as its "upstream", so a server fed this way has no internal port
 * anyone could reach around the tap. Node 20 has no stream.duplexPair, and the npm pairs lack the
 * socket surface (remoteAddress, setTimeout, readyState…) these libraries read.
 */
import { Duplex } from 'node:stream';

/** How one end names itself and its peer, as a TCP socket's addresses would. */
export interface EndAddress {
  address: string;
  port: number;
}

/**
 * What a writer may have on its way to the peer before `write()` asks it to wait, as a loopback TCP
 * socket's kernel send buffer would take it. With the stream default (16 KB) every socket read the
 * tap passed on (up to 64 KB) made it pause its client until the next tick: 824 pause/resume pairs
 * in a 50 MB SFTP upload, 2 with this. Four such reads fit.
 */
export const PAIR_BUFFER_BYTES = 256 * 1024;

/** One end of an in-memory pair, with the parts of net.Socket server libraries use. */
export class MemorySocket extends Duplex {
  peer!: MemorySocket;
  /** The peer's write callback, waiting until this end's reader wants more (backpressure). */
  private pendingWrite: (() => void) | null = null;
  /** The peer's end of stream has been pushed: nothing more may be. */
  private eof = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The idle time `idleTimer` was made with. */
  private armedMs = 0;
  readonly connecting = false;
  readonly pending = false;
  bytesRead = 0;
  bytesWritten = 0;

  constructor(
    readonly local: EndAddress,
    readonly remote: EndAddress,
  ) {
    // Like a net.Socket a server accepts (allowHalfOpen false): the readable side ending ends the writable side.
    super({ allowHalfOpen: false, writableHighWaterMark: PAIR_BUFFER_BYTES });
  }

  get remoteAddress(): string {
    return this.remote.address;
  }
  get remotePort(): number {
    return this.remote.port;
  }
  get remoteFamily(): string {
    return this.remote.address.includes(':') ? 'IPv6' : 'IPv4';
  }
  get localAddress(): string {
    return this.local.address;
  }
  get localPort(): number {
    return this.local.port;
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.local.address, family: this.local.address.includes(':') ? 'IPv6' : 'IPv4', port: this.local.port };
  }

  /** net.Socket's readyState: 'open' until one side is done. */
  get readyState(): 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.destroyed) return 'closed';
    const readable = this.readable;
    const writable = this.writable;
    if (readable && writable) return 'open';
    if (readable) return 'readOnly';
    if (writable) return 'writeOnly';
    return 'closed';
  }

  /** No Nagle delay exists in memory: every write is delivered at once. */
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  /** net.Socket's: end, and close once everything written is through (HTTP servers on Connection: close). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** Idle timeout as net.Socket has it: 'timeout' after `ms` without reads or writes (0 disarms). */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) {
      if (ms === 0) this.off('timeout', onTimeout);
      else this.once('timeout', onTimeout);
    }
    this.touch();
    return this;
  }

  /** Re-arms the idle timer (refreshed, not recreated per chunk, as net.Socket does). */
  private touch(): void {
    if (this.idleMs > 0 && !this.destroyed) {
      if (this.idleTimer && this.armedMs === this.idleMs) {
        this.idleTimer.refresh();
        return;
      }
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.armedMs = this.idleMs;
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
      this.idleTimer.unref();
    } else if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytesWritten += chunk.length;
    if (this.idleMs) this.touch();
    // Delivered on the next tick, as the kernel would deliver it later: a writer that logs what it
    // sent right after writing (smtp-server's "S:" lines) is done before the peer reads it. Writes
    // made meanwhile queue up and arrive together (_writev).
    process.nextTick(() => this.peer.deliver(chunk, done));
  }
  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    const chunk = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this._write(chunk, 'binary', done);
  }

  override _final(done: (error?: Error | null) => void): void {
    // Our FIN: the peer reads end-of-stream once it has read everything written before it.
    process.nextTick(() => this.peer.finish());
    done();
  }
  override _read(): void {
    const waiting = this.pendingWrite;
    this.pendingWrite = null;
    waiting?.();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const waiting = this.pendingWrite;
    this.pendingWrite = null;
    waiting?.();
    // Like closing a TCP socket: the peer reads what was already sent, then its end of stream
    // (and, not allowing half-open connections, closes too). A reset (an error) closes it at once.
    const peer = this.peer;
    process.nextTick(() => (error ? peer.destroy() : peer.finish()));
    done(error);
  }

  /** The peer's FIN (or close) reached this end. */
  private finish(): void {
    if (this.eof || this.destroyed) return;
    this.eof = true;
    this.push(null);
  }

  /** Bytes the peer wrote: readable here; the peer's write completes when this side wants more. */
  private deliver(chunk: Buffer, done: (error?: Error | null) => void): void {
    if (this.destroyed || this.eof) {
      done();
      return;
    }
    this.bytesRead += chunk.length;
    if (this.idleMs) this.touch();
    if (this.push(chunk)) done();
    else this.pendingWrite = () => done();
  }
}

/**
 * Two connected ends: `a` sees itself at `aAddress` and its peer at `bAddress`, `b` the reverse.
 * A server library gets `b`; the tap keeps `a`.
 */
export function duplexPair(aAddress: EndAddress, bAddress: EndAddress): [MemorySocket, MemorySocket] {
  const a = new MemorySocket(aAddress, bAddress);
  const b = new MemorySocket(bAddress, aAddress);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
