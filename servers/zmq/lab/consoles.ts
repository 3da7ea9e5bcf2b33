/**
 * The ZeroMQ lab's browser consoles (console.open `kind`): 'req' runs the seed's System B (ten Hellos,
 * each reply printed as the seed's script prints it), 'curve' the same with CURVE (and a wrong server
 * key on demand), 'tunnel' the same through the lab's SSH server (a direct-tcpip channel, like
 * `ssh -L`); 'sub', 'workers' and 'pair' live in console-patterns.ts. Unknown kinds get null.
 */
import ssh2 from 'ssh2';
import * as zmq from 'zeromq';
import type { ConsoleIO, LabConsole } from '../../daemon/lab.ts';
import { style, untrusted, ZmqLineConsole, type ZmqConsoleDeps } from './console-base.ts';
import { PairConsole, SubConsole, WorkersConsole } from './console-patterns.ts';
import type { ZmqConsoleKind } from './contracts.ts';
import type { ZmqAppEvent } from '../server.ts';

const MAX_HELLOS = 100;
/** How long `wrongkey` waits for the server's verdict on the HELLO. */
const WRONG_KEY_WAIT_MS = 5000;
/** Longest wait for the CURVE handshake before typed lines run anyway (step mode or a fault rule can hold it). */
const HANDSHAKE_WAIT_MS = 5000;

/** The console of `kind`, or null when the lab has no such console. */
export function openZmqConsole(kind: string, io: ConsoleIO, deps: ZmqConsoleDeps): LabConsole | null {
  const known: Record<ZmqConsoleKind, () => LabConsole> = {
    req: () => new RequestConsole(io, deps, 'req'),
    curve: () => new RequestConsole(io, deps, 'curve'),
    tunnel: () => new RequestConsole(io, deps, 'tunnel'),
    sub: () => new SubConsole(io, deps),
    workers: () => new WorkersConsole(io, deps),
    pair: () => new PairConsole(io, deps),
  };
  return Object.hasOwn(known, kind) ? known[kind as ZmqConsoleKind]() : null;
}

type RequestKind = 'req' | 'curve' | 'tunnel';

/** A REQ socket to the REP (directly, with CURVE, or through an SSH tunnel). */
class RequestConsole extends ZmqLineConsole {
  private socket: zmq.Request | null = null;
  private ssh: ssh2.Client | null = null;

  constructor(
    io: ConsoleIO,
    deps: ZmqConsoleDeps,
    private readonly kind: RequestKind,
  ) {
    super(io, deps);
  }

  protected help(): string {
    const lines = [
      style.bold(this.kind === 'curve' ? 'CURVE REQ console' : this.kind === 'tunnel' ? 'REQ through an SSH tunnel' : 'REQ console (the seed’s System B)'),
      '  hello [n]   send n requests "Hello" (default 10), one at a time, printing each reply',
      '  <text>      send any other line as one request',
    ];
    if (this.kind === 'curve') lines.push('  wrongkey    try a second client that has the wrong server public key (the handshake fails)');
    lines.push('  help        this list');
    return lines.join('\n');
  }

  protected async start(): Promise<void> {
    const { tapOf } = this.deps;
    if (this.kind === 'tunnel') {
      await this.startTunnel();
      return;
    }
    const tap = this.kind === 'curve' ? tapOf.curve : tapOf.rep;
    const link = await this.linkTo(tap, this.kind === 'curve' ? 'CURVE console' : 'REQ console');
    this.socket = this.kind === 'curve' ? curveRequest(this.deps.curveServerKey) : new zmq.Request({ linger: 0 });
    // Watched from before the connect, so its event cannot be missed.
    const handshake = this.kind === 'curve' ? handshakeDone(this.socket, HANDSHAKE_WAIT_MS) : null;
    this.socket.connect(link.endpoint);
    this.print(`Connecting to server... tcp://${tap.dialHost}:${tap.port}${this.kind === 'curve' ? ` with server key ${this.deps.curveServerKey}` : ''}`);
    // Lines typed meanwhile (help) wait behind start(): printed during the handshake, they sat above its
    // annotated frames and were scrolled out of view by them.
    await handshake;
  }

  /** ssh2 client through the SSH lab's tap, then a direct-tcpip channel per ZeroMQ connection. */
  private async startTunnel(): Promise<void> {
    const ssh = this.deps.ssh();
    if (!ssh) throw new Error('The SSH lab is not running: the tunnel needs its server.');
    const repPort = this.deps.tapOf.rep.port;
    const { socket } = ssh.tap.connectOwnClient('ZeroMQ tunnel console', this.io.owner);
    const client = new ssh2.Client();
    this.ssh = client;
    this.print(`ssh -N -L <local>:127.0.0.1:${repPort} ${ssh.credentials.user}@127.0.0.1 -p ${ssh.tap.port}`);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (err) => reject(new Error(`SSH: ${err.message}`)));
      client.connect({ sock: socket, username: ssh.credentials.user, password: ssh.credentials.password, hostVerifier: ssh.hostVerifier, readyTimeout: 15_000 });
    });
    client.on('error', (err) => this.print(style.red(`SSH: ${untrusted(err.message)}`)));
    client.once('close', () => this.print(style.dim('SSH connection closed.')));
    this.print(`SSH connection up; each ZeroMQ connection is a direct-tcpip channel to 127.0.0.1:${repPort}.`);
    const link = await this.linkVia(
      () =>
        new Promise((resolve, reject) =>
          client.forwardOut('127.0.0.1', 0, '127.0.0.1', repPort, (err, channel) => (err ? reject(err) : resolve({ stream: channel }))),
        ),
    );
    this.socket = new zmq.Request({ linger: 0 });
    this.socket.connect(link.endpoint);
    // The tunnel's ZeroMQ connection is the REP tap's child of the SSH connection: report the SSH one.
    void ssh.tap.whenAccepted(socket.localPort ?? 0).then((connection) => this.announce(connection));
    this.print('Connecting to server... through the tunnel');
  }

  protected async command(line: string): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    if (this.kind === 'curve' && line === 'wrongkey') return this.wrongKey();
    const hello = /^hello(?:\s+(\d+))?$/i.exec(line);
    if (hello) {
      const asked = Number(hello[1] ?? 10);
      // Said, not silently changed: "hello 0" sent one request and "hello 1000" a hundred.
      if (asked === 0) return this.print(`hello 0: nothing to send (hello n sends 1 to ${MAX_HELLOS} requests).`);
      if (asked > MAX_HELLOS) this.print(style.dim(`At most ${MAX_HELLOS} requests at a time: sending ${MAX_HELLOS}.`));
      const n = Math.min(MAX_HELLOS, asked);
      for (let i = 1; i <= n && !this.closed; i++) {
        this.print(`Sending request ${i} …`);
        await socket.send('Hello');
        const [reply] = await socket.receive();
        this.print(`Received reply ${i} [ ${untrusted(reply.toString('utf8'))} ]`);
      }
      return;
    }
    this.print(`Sending request [ ${untrusted(line)} ]`);
    await socket.send(line);
    const [reply] = await socket.receive();
    this.print(`Received reply [ ${untrusted(reply.toString('utf8'))} ]`);
  }

  /** A second CURVE client with a wrong server key: the server cannot open its HELLO and hangs up. */
  private async wrongKey(): Promise<void> {
    const wrong = zmq.curveKeyPair().publicKey;
    this.print(`A second client says the server key is ${wrong} (a random one) and sends Hello …`);
    const link = await this.linkTo(this.deps.tapOf.curve, 'CURVE console (wrong key)');
    const socket = curveRequest(wrong);
    const serverSaid = new Promise<ZmqAppEvent | null>((resolve) => {
      const timer = setTimeout(() => done(null), WRONG_KEY_WAIT_MS);
      const onApp = (event: ZmqAppEvent) => {
        if (event.socket === 'curve' && event.type === 'monitor' && event.event.startsWith('handshake:error')) done(event);
      };
      const done = (event: ZmqAppEvent | null) => {
        clearTimeout(timer);
        this.deps.appEvents.off('app', onApp);
        resolve(event);
      };
      this.deps.appEvents.on('app', onApp);
    });
    const clientEvents = (async () => {
      for await (const event of socket.events) {
        if (event.type === 'disconnect') return 'the server closed the connection without a WELCOME';
        if (event.type.startsWith('handshake:error')) return event.type;
      }
      return null;
    })().catch(() => null);
    try {
      socket.connect(link.endpoint);
      void socket.send('Hello').catch(() => {});
      const verdict = await serverSaid;
      if (verdict && verdict.type === 'monitor') {
        this.print(style.red(`Handshake failed — server: ${verdict.event}${verdict.detail ? ` (${untrusted(verdict.detail)})` : ''}`));
      } else {
        this.print(style.red('No reply: the handshake did not complete.'));
      }
      const client = await Promise.race([clientEvents, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
      if (client) this.print(style.red(`Handshake failed — client: ${client}`));
      this.print(
        'The client boxed its HELLO for the key it was given; only the matching secret key opens it. The server drops the connection and libzmq on the client retries, ' +
          'never delivering the Hello. CURVE needs no account, but the client must know the server’s public key beforehand (RFC 26).',
      );
    } finally {
      socket.close();
      await this.dropLink(link);
    }
  }

  protected stopSockets(): void {
    this.socket?.close();
    this.socket = null;
    this.ssh?.end();
    this.ssh = null;
  }
}

/**
 * Resolves once `socket` has finished its handshake or failed it, or after `ms` (then lines run anyway). The
 * observer is left open, never closed here: closing a live socket's observer (zeromq 6.8) hung the lab's stop.
 */
async function handshakeDone(socket: zmq.Socket, ms: number): Promise<void> {
  const events = socket.events;
  const handshake = (async () => {
    for (;;) {
      const event = await events.receive();
      if (event.type === 'handshake' || event.type.startsWith('handshake:error')) return;
    }
  })().catch(() => {
    // The socket closed first: nothing more to wait for.
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([handshake, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A CURVE REQ with its own fresh key pair, trusting `serverKey`. */
function curveRequest(serverKey: string): zmq.Request {
  const own = zmq.curveKeyPair();
  return new zmq.Request({ linger: 0, curveServerKey: serverKey, curvePublicKey: own.publicKey, curveSecretKey: own.secretKey });
}
