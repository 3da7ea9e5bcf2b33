import net, { type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { dialHostOf } from '../http/host-guard.ts';
import { groupDigits } from '../text/numbers.ts';
import { duplexPair, type MemorySocket } from './duplex-pair.ts';
import { LabReset } from './gate.ts';
import { runPipeline } from './pipeline.ts';
import { ConnectionRecorder, UNFILED } from './recorder.ts';
import { StepController, type ConnectionOwner } from './step.ts';
import type { Dissector, DissectorFactory } from '../protocols/types.ts';
import type { ThreadDissection } from './dissect-thread.ts';
import type { OwnClient, SandboxResolver, SocketInfo, TapOptions, TapTarget, TappedConnection } from './tap-types.ts';

export type { InProcessTarget, OwnClient, SandboxResolver, SocketInfo, TapOptions, TapTarget, TappedConnection } from './tap-types.ts';

/** The per-client count key of the daemon's own connections. */
const OWN_CLIENTS = 'the lab itself';

/** What a sandbox id may look like: a policy's answer outside it refuses the connection. */
const SANDBOX_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The port range the tap numbers its in-memory ends from (the ephemeral range, as the kernel would). */
const FIRST_MEMORY_PORT = 49152;
const MEMORY_PORTS = 65536 - FIRST_MEMORY_PORT;

/**
 * A transparent TCP tap: accepts clients on the public port, connects each to the real
 * server, forwards bytes both ways and feeds them to the protocol's dissector, publishing
 * every framed message on the bus (wire view). Supports step mode via its StepController.
 */
export class Tap {
  readonly step: StepController;
  private readonly server: net.Server;
  private readonly live = new Map<string, LiveConnection>();
  /** Port numbers of the live in-memory upstream ends. */
  private readonly memoryPorts = new Set<number>();
  private nextMemoryPort = 0;
  private readonly perClient = new Map<string, number>();
  private readonly labels = new Map<number, OwnClient>();
  private readonly waiters = new Map<number, (connection: TappedConnection) => void>();
  /** The address every client reaches when the tap listens on one address; null on every interface (ask each socket). */
  private readonly listenAddress: string | null;

  constructor(private readonly options: TapOptions) {
    this.step =
      options.step ??
      new StepController(options.protocol, (holder, state) => options.bus.publish({ type: 'step', sandbox: holder.sandbox, holder: holder.id, state }));
    this.server = net.createServer((socket) => this.accept(socket));
    const host = options.listen.host;
    this.listenAddress = host !== '0.0.0.0' && host !== '::' && net.isIP(host) !== 0 ? host : null;
  }

  /** The address the daemon's own clients reach this tap by (dialHostOf its listen address). */
  get dialHost(): string {
    return dialHostOf(this.options.listen.host);
  }

  /** Starts listening; rejects with a one-line explanation when the port is taken. */
  async listen(): Promise<number> {
    const { host, port } = this.options.listen;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        const hint = this.options.portEnvVar ? ` — set ${this.options.portEnvVar} to another port` : '';
        const what = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${err.code ?? err.message})`;
        reject(new Error(`${this.options.protocol.toUpperCase()} port ${host}:${port} ${what}${hint}`));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return this.port;
  }

  /**
   * Like listen(), for a lab starting up: if the public port cannot be opened, the real server
   * behind it is stopped too, so a failed start leaves nothing running.
   */
  async listenOrStop(server: { stop(): Promise<void> }): Promise<this> {
    try {
      await this.listen();
      return this;
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  get port(): number {
    // Read once at listen: address() is a getsockname call, and labs read the port per message (ZeroMQ's REP per reply).
    if (!this.server.listening) return 0;
    if (this.boundPort === 0) {
      const address = this.server.address();
      this.boundPort = typeof address === 'object' && address ? address.port : 0;
    }
    return this.boundPort;
  }

  private boundPort = 0;

  /** The real server's internal port, 0 behind a Unix socket or in process (benchmarks compare the tapped path with the direct one). */
  get targetPort(): number {
    return 'port' in this.options.target ? this.options.target.port : 0;
  }

  /** The dissector each of its connections gets (an import re-dissects its bytes with the same one). */
  get dissector(): DissectorFactory {
    return this.options.dissector;
  }

  /** The real server's internal address, for a direct connection that skips the tap (benchmarks, tests). */
  get target(): TapTarget {
    return this.options.target;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /**
   * Opens a connection from the daemon itself (a browser console, a file panel) to this tap,
   * labelled so the lab lists it by name, on behalf of a browser (its sandbox, and the browser
   * itself so step mode can tell its consoles from other browsers'); `accepted` resolves with
   * the tapped connection.
   */
  connectOwnClient(label: string, owner?: Partial<ConnectionOwner>): { socket: Socket; accepted: Promise<TappedConnection> } {
    const socket = net.connect(this.port, this.dialHost);
    socket.setNoDelay(true);
    this.ownSocket(socket, { label, sandbox: owner?.sandbox, browser: owner?.browser });
    const accepted = new Promise<TappedConnection>((resolve) => socket.once('connect', () => resolve(this.whenAccepted(socket.localPort ?? 0))));
    return { socket, accepted };
  }

  /**
   * Files a connection the daemon opens through another library's socket (basic-ftp's) as its own:
   * call it in the same tick that socket starts connecting to this tap. The connect syscall has
   * run by the next tick, so the local port is known before the tap accepts.
   */
  ownSocket(socket: Socket, own: OwnClient): void {
    process.nextTick(() => {
      if (socket.localPort) this.labels.set(socket.localPort, own);
    });
  }

  /** Resolves with the tapped connection of a client connecting from `clientPort` (the daemon's own consoles). */
  whenAccepted(clientPort: number): Promise<TappedConnection> {
    for (const connection of this.live.values()) {
      if (connection.client.remotePort === clientPort) return Promise.resolve(connection);
    }
    return new Promise((resolve) => this.waiters.set(clientPort, resolve));
  }

  /** Finds the live connection whose upstream socket has this local port. */
  byUpstreamPort(port: number): TappedConnection | undefined {
    for (const connection of this.live.values()) if (connection.upstreamLocalPort === port) return connection;
    return undefined;
  }

  byId(id: string): TappedConnection | undefined {
    return this.live.get(id);
  }

  /** Whether `sandbox` has as many live connections as it may (a login into it is refused). */
  sandboxFull(sandbox: string): boolean {
    return this.options.sandboxLimit?.full(sandbox) ?? false;
  }

  /**
   * Files a connection accepted unfiled in the sandbox its client logged into: its transcript so
   * far is published there and that sandbox's step mode holds it from now on. A filed connection
   * never moves: answers whether the connection is (now) `sandbox`'s.
   */
  file(connection: TappedConnection, sandbox: string): boolean {
    if (!SANDBOX_NAME.test(sandbox)) return false;
    const entry = this.live.get(connection.recorder.info.id);
    if (connection.recorder.isUnfiled && entry && this.options.sandboxLimit) {
      if (!this.options.sandboxLimit.tryOpen(sandbox)) return false;
      entry.counted = sandbox;
    }
    if (!connection.recorder.file(sandbox)) return false;
    if (connection.owner.sandbox !== sandbox) {
      connection.owner.sandbox = sandbox;
      this.step.refile(connection.recorder.info.id, sandbox);
    }
    return true;
  }

  async close(): Promise<void> {
    // A shared step mode belongs to the tap that made it.
    if (!this.options.step) this.step.dispose();
    for (const connection of this.live.values()) connection.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The tap's side towards the real server; an in-process server gets its end from `handOver`. */
  private openUpstream(): { upstream: Upstream; handOver: (() => void) | null; release(): void } {
    const target = this.options.target;
    if (!('accept' in target)) return { upstream: net.connect(target), handOver: null, release: () => {} };
    const [tapEnd, serverEnd] = this.memoryEnds();
    return { upstream: tapEnd, handOver: () => target.accept(serverEnd), release: () => this.memoryPorts.delete(tapEnd.localPort) };
  }

  /**
   * A connected in-memory pair towards an in-process server: [the tap's end, the server's end].
   * The tap's end gets a port number no live connection of this tap has, so the server's view of
   * its client (remotePort) finds the connection with byUpstreamPort as over loopback TCP.
   */
  private memoryEnds(): [MemorySocket, MemorySocket] {
    let port = FIRST_MEMORY_PORT + this.nextMemoryPort;
    for (let tries = 0; this.memoryPorts.has(port) && tries < MEMORY_PORTS; tries++) {
      this.nextMemoryPort = (this.nextMemoryPort + 1) % MEMORY_PORTS;
      port = FIRST_MEMORY_PORT + this.nextMemoryPort;
    }
    this.nextMemoryPort = (this.nextMemoryPort + 1) % MEMORY_PORTS;
    this.memoryPorts.add(port);
    return duplexPair({ address: '127.0.0.1', port }, { address: '127.0.0.1', port: this.port });
  }

  /** The policy's verdict; a policy that throws or answers nonsense refuses the connection rather than misfile it. */
  /** The connection's dissector: on the dissect thread when the tap has one (forwarding never waits for it), else here. */
  private dissectorOf(recorder: ConnectionRecorder): Dissector | ThreadDissection {
    const threaded = this.options.dissectThread;
    return threaded?.thread.open(threaded.name, recorder) ?? this.options.dissector({ conn: recorder.info.id, sandbox: recorder.info.sandbox });
  }

  private sandboxOf(socket: SocketInfo): ReturnType<SandboxResolver> | null {
    try {
      const sandbox = this.options.resolveSandbox(socket);
      if (typeof sandbox === 'string' && SANDBOX_NAME.test(sandbox)) return sandbox;
      if (typeof sandbox === 'object' && SANDBOX_NAME.test(sandbox.unfiled.fallback)) return sandbox;
      console.error(`[${this.options.protocol}] sandbox policy answered ${JSON.stringify(sandbox)}; connection refused`);
    } catch (err) {
      console.error(`[${this.options.protocol}] sandbox policy failed; connection refused:`, err);
    }
    return null;
  }

  private accept(client: Socket): void {
    const clientAddress = client.remoteAddress ?? 'unknown';
    const own = this.labels.get(client.remotePort ?? -1) ?? this.options.origins?.claim(client.remotePort ?? -1, this.port);
    this.labels.delete(client.remotePort ?? -1);
    const label = own?.label;
    // The lab's own consoles and panels have their own count (a key no address can take).
    const limitKey = label === undefined ? clientAddress : OWN_CLIENTS;
    const count = (this.perClient.get(limitKey) ?? 0) + 1;
    const limit = label === undefined ? (this.options.maxConnectionsPerClient ?? 50) : (this.options.maxOwnConnections ?? 100);
    if (count > limit) {
      client.end(this.options.refusalLine ?? '');
      client.on('error', () => {});
      // Read (and drop) what it sends: an unread socket never sees the peer's FIN and stays open for good.
      client.resume();
      return;
    }
    const sandbox = this.sandboxOf({ protocol: this.options.protocol, remoteAddress: clientAddress, remotePort: client.remotePort ?? 0, own });
    if (sandbox === null) {
      client.on('error', () => {});
      client.destroy();
      return;
    }
    // A filed connection counts against its sandbox now; an unfiled one when its login files it.
    const counted = typeof sandbox === 'string' && this.options.sandboxLimit ? sandbox : null;
    if (counted !== null && !this.options.sandboxLimit?.tryOpen(counted)) {
      client.end(this.options.refusalLine ?? '');
      client.on('error', () => {});
      client.resume();
      return;
    }
    this.perClient.set(limitKey, count);
    client.pause();
    const recorder = new ConnectionRecorder(this.options.bus, {
      protocol: this.options.protocol,
      ...(typeof sandbox === 'string' ? { sandbox } : { sandbox: UNFILED, unfiled: sandbox.unfiled }),
      client: `${clientAddress}:${client.remotePort ?? '?'}`,
      server: `${this.listenAddress ?? client.localAddress ?? this.options.listen.host}:${this.port}`,
      label,
      parent: own?.parent,
      openedByPage: own?.browser !== undefined,
    });
    const owner: ConnectionOwner = { sandbox: recorder.info.sandbox, ...(own?.browser ? { browser: own.browser } : {}) };
    const { upstream, handOver, release } = this.openUpstream();
    // Relay each chunk at once: with Nagle on, a small write held for the peer's delayed ACK
    // stalls request/response protocols by ~40 ms per round (SSH handshakes through the tap ran at half speed).
    client.setNoDelay(true);
    if (upstream instanceof net.Socket) upstream.setNoDelay(true);
    const entry = new LiveConnection(recorder, owner, client, upstream, counted);
    this.live.set(recorder.info.id, entry);
    const waiter = this.waiters.get(client.remotePort ?? -1);
    if (waiter) {
      this.waiters.delete(client.remotePort ?? -1);
      waiter(entry);
    }

    const server = `The lab's ${this.options.protocol.toUpperCase()} server`;
    const unreachable = (err: NodeJS.ErrnoException) => {
      recorder.note(`${server} is not reachable (${err.code ?? err.message}).`, {
        title: 'Server unreachable',
        explain: 'The tap accepted the connection but could not reach the real server behind it.',
        level: 'error',
      });
      client.destroy();
    };
    // Once reached, an error on the upstream is the server dropping the connection (a reset, or our write after
    // its close): it refused what it got (a ZeroMQ socket's bytes that are no greeting, a message over its limit).
    let reached = false;
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (!reached) return unreachable(err);
      // The lab's own cut (a fault rule) has its note already; the pipeline closes the client.
      if (err instanceof LabReset) return;
      const how = err.code === 'ECONNRESET' ? 'reset' : 'closed';
      const sent = recorder.forwardedBytes('client');
      recorder.note(`${server} ${how} the connection (${err.code ?? err.message}) after ${groupDigits(sent)} ${sent === 1 ? 'byte' : 'bytes'} from the client.`, {
        title: 'Server closed the connection',
        explain: 'The tap reached the real server and passed on what the client sent; the server then ended the connection itself, most often because it refused those bytes (not its protocol, or more than it accepts). The tap closes the client\'s side in turn.',
        level: 'error',
      });
      client.destroy();
    });
    // Gates (step mode), the guarded dissector and the recorder: lib/wire/pipeline.ts.
    runPipeline({
      client,
      upstream,
      recorder,
      step: this.step,
      owner,
      dissector: this.dissectorOf(recorder),
      clientPaused: true,
      onClose: () => {
        this.live.delete(recorder.info.id);
        if (entry.counted !== null) this.options.sandboxLimit?.close(entry.counted);
        release();
        const remaining = (this.perClient.get(limitKey) ?? 1) - 1;
        if (remaining > 0) this.perClient.set(limitKey, remaining);
        else this.perClient.delete(limitKey);
      },
    });

    if (!handOver) {
      upstream.once('connect', () => {
        reached = true;
        client.resume();
      });
      return;
    }
    // Handed over in process: the server has its end now, and the client may start talking.
    try {
      handOver();
    } catch (err) {
      upstream.destroy();
      unreachable(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    reached = true;
    client.resume();
  }
}

/** The tap's side towards the real server: a socket it connected, or its end of an in-memory pair. */
type Upstream = Duplex & { localPort?: number };

/**
 * One live connection of a tap. A class, not an object literal: V8 keeps a literal with a getter as
 * a dictionary, and byUpstreamPort reads the port of every live connection for each lookup.
 */
class LiveConnection implements TappedConnection {
  constructor(
    readonly recorder: ConnectionRecorder,
    readonly owner: ConnectionOwner,
    readonly client: Socket,
    private readonly upstream: Upstream,
    /** The sandbox this connection counts against (set when an unfiled one is filed). */
    public counted: string | null,
  ) {}

  /** Read live: the server may log this session before our 'connect' callback runs. */
  get upstreamLocalPort(): number | undefined {
    return this.upstream.localPort;
  }

  /** Both sockets go (the tap is stopping). */
  destroy(): void {
    this.client.destroy();
    this.upstream.destroy();
  }
}
