/**
 * Loopback origins: what the daemon knows about a connection it opens itself to one of its own taps
 * through code that is not the tap's (the SSH server relaying a direct-tcpip channel, a library's
 * socket). "The connection from local port P to tap port T is <label, parent, sandbox, browser>":
 * filed when the connect starts, claimed once by the tap that accepts it (Tap.accept). A tunnelled
 * connection thereby lists as a child of its SSH connection, in that connection's sandbox.
 *
 * Keyed by both ports: Linux may give two connections to different destinations the same local port.
 */
import type { Socket } from 'node:net';
import type { OwnClient } from './tap.ts';

export type LoopbackOrigin = OwnClient;

export class LoopbackOrigins {
  private readonly filed = new Map<string, LoopbackOrigin>();

  /**
   * Files `socket`, which has just started connecting to 127.0.0.1:`tapPort`: call it in the tick
   * net.connect ran. Node connects on the next tick, so the local port is known before any tap
   * accepts; the entry goes when the tap claims it or the socket closes, whichever comes first.
   */
  fileSocket(socket: Socket, tapPort: number, origin: LoopbackOrigin): void {
    process.nextTick(() => {
      const localPort = socket.localPort;
      if (!localPort || socket.destroyed) return;
      const key = keyOf(localPort, tapPort);
      this.filed.set(key, origin);
      socket.once('close', () => {
        if (this.filed.get(key) === origin) this.filed.delete(key);
      });
    });
  }

  /** The origin of the connection from `localPort` the tap on `tapPort` accepts, if filed; taken once. */
  claim(localPort: number, tapPort: number): LoopbackOrigin | undefined {
    const key = keyOf(localPort, tapPort);
    const origin = this.filed.get(key);
    this.filed.delete(key);
    return origin;
  }

  /** How many connections are filed and not yet claimed (tests). */
  get size(): number {
    return this.filed.size;
  }
}

const keyOf = (localPort: number, tapPort: number) => `${localPort}>${tapPort}`;

/** The daemon's registry: every lab tap consults it (servers/daemon/lab-tap.ts), the SSH server's forwarding files into it. */
export const loopbackOrigins = new LoopbackOrigins();
