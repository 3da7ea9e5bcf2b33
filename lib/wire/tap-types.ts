/**
 * The tap's types: what it knows of each accepted socket, how a sandbox policy answers, how a tap
 * is built (TapOptions), where its real server is, and one live tapped connection.
 */
import type { Bus } from '../bus/bus.ts';
import type { ThreadDissectorName } from '../protocols/thread-dissectors.ts';
import type { DissectorFactory } from '../protocols/types.ts';
import type { DissectThread } from './dissect-thread.ts';
import type { Protocol } from './event.ts';
import type { MemorySocket } from './duplex-pair.ts';
import type { ConnectionRecorder } from './recorder.ts';
import type { SandboxConnectionLimit } from './sandbox-limit.ts';
import type { StepController, ConnectionOwner } from './step.ts';

/** What the tap knows about a connection when it accepts it: what a sandbox policy decides on. */
export interface SocketInfo {
  protocol: Protocol;
  remoteAddress: string;
  remotePort: number;
  /**
   * Set for the lab's own consoles and panels: their label (none: listed and counted by address, like
   * an external client), and the sandbox and browser they act for (when they act for one).
   */
  own?: OwnClient;
}

/** What the daemon says about a connection it opens itself (connectOwnClient, ownSocket). */
export interface OwnClient {
  label?: string;
  sandbox?: string;
  browser?: string;
  /** The connection this one belongs to (a tunnelled connection: its SSH connection). */
  parent?: string;
}

/**
 * Decides the sandbox of each accepted connection (the daemon's sandbox policy). It is the one
 * place that does: the classroom policy replaces it, nothing else reads a sandbox from config.
 * `{ unfiled }`: only the client's login can tell (the lab files it with `Tap.file`, or in the
 * fallback sandbox if it ends without one).
 */
export type SandboxResolver = (socket: SocketInfo) => string | { unfiled: { fallback: string } };

/** How to build a tap in front of one real server. */
export interface TapOptions {
  protocol: Protocol;
  /**
   * The daemon's sandbox policy, given at construction (LabContext.sandboxes.ofConnection) so that
   * no connection is ever filed before the policy exists.
   */
  resolveSandbox: SandboxResolver;
  /** The public address clients connect to. Port 0 picks a free port (tests). */
  listen: { host: string; port: number };
  /**
   * Where the real server is: in this process (handed each connection: no address to reach around
   * the tap), an internal loopback port, or a Unix socket path (e.g. an ipc:// endpoint in the data
   * directory, mode 0600) that no other user can reach around the tap.
   */
  target: TapTarget;
  dissector: DissectorFactory;
  /** The same dissector by name on the dissect thread: forwarding does not wait for it (lib/wire/dissect-thread.ts). */
  dissectThread?: { thread: DissectThread; name: ThreadDissectorName };
  bus: Bus;
  /** Named in the error when the public port is taken, e.g. 'SMTP_PORT'. */
  portEnvVar?: string;
  /** Postfix-style per-client limit; beyond it the connection is refused. */
  maxConnectionsPerClient?: number;
  /**
   * Limit for the daemon's own connections (connectOwnClient), counted apart from external
   * clients: they share 127.0.0.1 with every local client, which must not lock the lab's panels out.
   */
  maxOwnConnections?: number;
  /** Written to a refused client before closing, e.g. '421 too many connections\r\n'. */
  refusalLine?: string;
  /** Live connections per student sandbox, shared by every tap of the daemon. */
  sandboxLimit?: SandboxConnectionLimit;
  /**
   * Another tap's step mode to share: a lab with several public ports (ZeroMQ's sockets) has one
   * step mode over all of them, so Step releases its messages in wire order across its ports.
   */
  step?: StepController;
  /**
   * Connections the daemon opens to this tap through other code (the SSH server's forwarding):
   * lib/wire/origins.ts, consulted when a connection is accepted.
   */
  origins?: { claim(localPort: number, tapPort: number): OwnClient | undefined };
}

/**
 * The real server behind a tap: a loopback port, a Unix socket path, or a server in this process
 * that takes each connection as an in-memory socket (ssh2's injectSocket, a net.Server's
 * emit('connection')), so it has no address at all to reach around the tap.
 */
export type TapTarget = { host: string; port: number } | { path: string } | InProcessTarget;

/** A server in this process: `accept` gets the server's end of each tapped connection. */
export interface InProcessTarget {
  /**
   * Called once the tapped connection is filed (byUpstreamPort finds it by `socket.remotePort`,
   * the tap's end's own port), with the server's end: it reads what the client sent and its
   * writes go to the client, both through the tap.
   */
  accept(socket: MemorySocket): void;
}

/** One live tapped connection. */
export interface TappedConnection {
  recorder: ConnectionRecorder;
  /** Its sandbox, and the browser it was opened for. */
  owner: ConnectionOwner;
  /**
   * The tap's local port towards the real server: how the server's own logs name this client
   * (in process: the number the tap gave its in-memory end, unique among its live connections).
   */
  readonly upstreamLocalPort: number | undefined;
}
