/**
 * The pattern consoles: 'sub' (a SUB with live subscriptions, and the slow joiner), 'workers' (the
 * lab's PULL workers for this sandbox, one lane per worker) and 'pair' (an exclusive pair, and what
 * a second peer gets).
 */
import * as zmq from 'zeromq';
import type { TappedConnection } from '../../../lib/wire/tap.ts';
import { style, untrusted, ZmqLineConsole } from './console-base.ts';
import { publicationSeq } from '../server.ts';
import { MAX_WORKERS, ZMQ_TOPICS } from './contracts.ts';
import type { PairIgnored } from './endpoint.ts';
import type { OwnLink } from './link.ts';
import type { WorkerTask } from './workers.ts';

const MAX_TOPIC = 200;
/** How long the second PAIR peer waits for its handshake, then for an answer. */
const HANDSHAKE_WAIT_MS = 5000;
const REPLY_WAIT_MS = 2000;

export class SubConsole extends ZmqLineConsole {
  private socket: zmq.Subscriber | null = null;
  /** Subscriptions per prefix: libzmq counts them, so each subscribe needs its own unsubscribe. */
  private readonly topics = new Map<string, number>();
  private waitingSince: number | null = null;
  /** The last sequence number received per topic: a jump is what the PUB sent while nobody here listened. */
  private readonly lastSeq = new Map<string, number>();

  protected help(): string {
    return [
      style.bold('SUB console'),
      `  subscribe <prefix>     receive messages whose first frame starts with it (topics: ${ZMQ_TOPICS.join(', ')}; "subscribe" alone: all)`,
      '  unsubscribe <prefix>   cancel that subscription',
      '  list                   the subscriptions',
      '  help                   this list',
    ].join('\n');
  }

  protected async start(): Promise<void> {
    const link = await this.linkTo(this.deps.tapOf.pub, 'SUB console');
    this.socket = new zmq.Subscriber({ linger: 0 });
    this.socket.connect(link.endpoint);
    this.print(`Connected to the publisher on port ${this.deps.tapOf.pub.port}. Nothing arrives until you subscribe: a SUB filters out everything by default.`);
    const socket = this.socket;
    void (async () => {
      for await (const [topic, body] of socket) {
        if (this.waitingSince !== null) {
          this.print(style.dim(`(first message ${Date.now() - this.waitingSince} ms after subscribing)`));
          this.waitingSince = null;
        }
        const text = body?.toString('utf8') ?? '';
        this.print(`[${untrusted(topic.toString('utf8'))}] ${untrusted(text)}`);
        this.reportMissed(topic.toString('utf8'), publicationSeq(text));
      }
    })().catch(() => {});
  }

  /**
   * The slow joiner made visible: each topic's messages are numbered by the PUB, so the first one that
   * arrives says how many went out before this SUB's subscription reached the PUB (and a later jump,
   * how many went out while it was cancelled).
   */
  private reportMissed(topic: string, seq: number | null): void {
    if (seq === null || !ZMQ_TOPICS.some((t) => t === topic)) return;
    const last = this.lastSeq.get(topic);
    this.lastSeq.set(topic, seq);
    const name = untrusted(topic);
    const range = (from: number, to: number) => (from === to ? `#${from} was` : `#${from}…#${to} were`);
    if (last === undefined) {
      this.print(
        style.dim(
          seq === 1
            ? `First ${name} message received: #1 — nothing on this topic was published before your subscription arrived.`
            : `First ${name} message received: #${seq} — ${range(1, seq - 1)} published before your subscription arrived at the PUB. A PUB keeps no history: a subscriber that joins late never gets them (the slow joiner).`,
        ),
      );
    } else if (seq > last + 1) {
      this.print(style.dim(`${range(last + 1, seq - 1)} published on ${name} while this SUB was not subscribed to it: the PUB sent them to nobody here.`));
    }
  }

  protected async command(line: string): Promise<void> {
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    const match = /^(subscribe|unsubscribe|list)(?:\s+(.*))?$/.exec(line);
    if (!match) return this.print(`Unknown command: ${untrusted(line)} (try help)`);
    const prefix = (match[2] ?? '').trim();
    if (prefix.length > MAX_TOPIC) return this.print(`A prefix of at most ${MAX_TOPIC} characters, please.`);
    if (match[1] === 'list') return this.print(this.topics.size ? [...this.topics].map(([t, n]) => `  "${untrusted(t)}" ×${n}`).join('\n') : '  (none)');
    const name = untrusted(prefix);
    const count = this.topics.get(prefix) ?? 0;
    if (match[1] === 'subscribe') {
      socket.subscribe(prefix);
      this.topics.set(prefix, count + 1);
      if (count > 0) {
        return this.print(`subscribe "${name}" again: libzmq sends SUBSCRIBE again and counts it — ${count + 1} subscriptions to "${name}" now; it takes as many unsubscribes to stop them.`);
      }
      this.waitingSince = Date.now();
      this.print(`subscribe "${name}": libzmq sends SUBSCRIBE to the publisher, which filters on its side from then on.`);
      this.print(
        style.dim('Slow joiner: what the PUB sends before the SUBSCRIBE reaches it is not kept for you — PUB never queues for a subscriber it does not know yet, so the first messages are lost while the subscription travels.'),
      );
    } else {
      socket.unsubscribe(prefix);
      if (count === 0) return this.print(`unsubscribe "${name}": not subscribed to it, so libzmq has nothing to cancel and sends nothing.`);
      if (count > 1) {
        this.topics.set(prefix, count - 1);
        return this.print(`unsubscribe "${name}": one of ${count} subscriptions cancelled, ${count - 1} left, so libzmq sends no CANCEL and "${name}" messages keep arriving.`);
      }
      this.topics.delete(prefix);
      this.print(`unsubscribe "${name}": libzmq sends CANCEL; messages already on their way still arrive.`);
    }
  }

  protected stopSockets(): void {
    this.socket?.close();
    this.socket = null;
  }
}

export class WorkersConsole extends ZmqLineConsole {
  private readonly onTask = (task: WorkerTask) => {
    if (task.sandbox !== this.sandbox) return;
    this.print(`${'  │ '.repeat(task.id % MAX_WORKERS)}worker ${task.id} ← ${untrusted(task.task)}`);
  };

  private get sandbox(): string {
    return this.io.owner?.sandbox ?? '';
  }

  protected help(): string {
    return [
      style.bold('Workers console (PUSH/PULL)'),
      `  start N   run N of the lab's PULL workers for your sandbox (at most ${MAX_WORKERS}); each takes tasks from the ventilator and sends results to the sink`,
      '  stop      stop them',
      '  tally     tasks and results per worker',
      '  help      this list',
    ].join('\n');
  }

  protected async start(): Promise<void> {
    this.deps.workers.events.on('task', this.onTask);
    this.print(`Ventilator (PUSH) on port ${this.deps.tapOf.push.port}, sink (PULL) on port ${this.deps.tapOf.pull.port}. Tasks go round-robin to the connected workers; results fan in to the sink.`);
    this.io.status({ state: 'open', conn: '' });
  }

  protected async command(line: string): Promise<void> {
    const owner = this.io.owner ?? { sandbox: this.sandbox };
    const start = /^start\s+(\d{1,3})$/.exec(line);
    if (start) {
      const count = Number(start[1]);
      if (count > MAX_WORKERS) return this.print(`At most ${MAX_WORKERS} workers.`);
      const tallies = await this.deps.workers.setCount(owner, count);
      return this.print(`${tallies.length} worker(s) running. A worker that connects first may get several tasks before the others are connected.`);
    }
    if (line === 'stop') {
      await this.deps.workers.setCount(owner, 0);
      return this.print('Workers stopped.');
    }
    if (line === 'tally') {
      const tallies = this.deps.workers.tallies(owner.sandbox);
      return this.print(tallies.length ? tallies.map((t) => `  worker ${t.id}: ${t.tasks} tasks, ${t.results} results`).join('\n') : '  no workers running');
    }
    this.print(`Unknown command: ${untrusted(line)} (try help)`);
  }

  protected stopSockets(): void {
    this.deps.workers.events.off('task', this.onTask);
  }
}

export class PairConsole extends ZmqLineConsole {
  private socket: zmq.Pair | null = null;
  private link: OwnLink | null = null;
  /** This console's PAIR connection: while it is the PAIR's peer, any other PAIR peer is ignored. */
  private conn: string | null = null;
  private second: zmq.Pair | null = null;
  private secondConn: string | null = null;
  private readonly onIgnored = (event: PairIgnored) => {
    if (event.peer !== this.conn || event.ignored === this.secondConn) return;
    // The student's own client, most likely (the lesson's alternative): it hears nothing and is not told why.
    this.print(
      style.red(`Another PAIR peer connected (${untrusted(event.client)}) and is ignored: this console is the lab’s PAIR’s one peer (ZeroMQ RFC 31).`) +
        '\nIf that is your own client: type disconnect here, then run your client again (the connection already ignored stays ignored; a new one becomes the peer).',
    );
  };

  protected help(): string {
    return [
      style.bold('PAIR console'),
      '  <text>       send a message to the lab’s PAIR (it answers each one)',
      '  second       connect a second PAIR peer and see what it gets',
      '  disconnect   leave the PAIR, so your own PAIR client can be its one peer',
      '  connect      connect again',
      '  help         this list',
    ].join('\n');
  }

  protected async start(): Promise<void> {
    this.deps.pairIgnored.on('ignored', this.onIgnored);
    await this.connect(false);
  }

  private async connect(again: boolean): Promise<void> {
    const link = await this.linkTo(this.deps.tapOf.pair, 'PAIR console');
    link.onConnection((connection) => {
      this.conn = connection.recorder.info.id;
      if (again) this.announce(connection, true);
    });
    this.link = link;
    this.socket = new zmq.Pair({ linger: 0 });
    this.socket.connect(link.endpoint);
    this.print(`Connected to the PAIR on port ${this.deps.tapOf.pair.port}: one peer at a time, messages both ways. While this console is connected, it is that peer.`);
    const socket = this.socket;
    void (async () => {
      for await (const frames of socket) this.print(`← ${frames.map((f) => untrusted(f.toString('utf8'))).join(' | ')}`);
    })().catch(() => {});
  }

  protected async command(line: string): Promise<void> {
    if (line === 'second') return this.secondPeer();
    if (line === 'disconnect') return this.disconnect();
    if (line === 'connect') return this.socket ? this.print('Already connected (disconnect first).') : this.connect(true);
    if (!this.socket) return this.print(`Not connected: type connect first (this console left the PAIR), or send from your own client.`);
    this.print(`→ ${untrusted(line)}`);
    await this.socket.send(line);
  }

  private async disconnect(): Promise<void> {
    const link = this.link;
    if (!this.socket || !link) return this.print('Not connected (type connect to connect again).');
    this.socket.close();
    this.socket = null;
    this.link = null;
    this.conn = null;
    await this.dropLink(link);
    this.print(
      `Disconnected: the lab’s PAIR has no peer now. The next PAIR that connects to port ${this.deps.tapOf.pair.port} becomes its peer — your own client, or this console after connect.`,
    );
  }

  /**
   * A second peer on the exclusive pair. What libzmq 4.3 does (tests/integration/zmq-pair.test.ts): the
   * handshake completes, the newcomer's send succeeds on its side, but the lab's PAIR never delivers
   * it (it dropped the queue for this connection) and keeps the connection open.
   */
  private async secondPeer(): Promise<void> {
    if (this.second) return this.print('The second peer is already connected.');
    const link = await this.linkTo(this.deps.tapOf.pair, 'PAIR console (second peer)');
    const second = new zmq.Pair({ linger: 0, sendTimeout: 0 });
    this.second = second;
    let connection: TappedConnection | null = null;
    link.onConnection((c) => {
      connection ??= c;
      this.secondConn = c.recorder.info.id;
    });
    // Its observer stays open until the peer closes: closing it on the live connection (events.close()) crashed
    // libzmq 4.3.5 in 5 runs of 8 ("Assertion failed: !_io_error", stream_engine_base.cpp:310).
    const handshake = (async () => {
      for await (const event of second.events) if (event.type === 'handshake') return true;
      return false;
    })().catch(() => false);
    const waited = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));
    try {
      second.connect(link.endpoint);
      if (!(await Promise.race([handshake, waited(HANDSHAKE_WAIT_MS)]))) return this.print('The second peer: no ZMTP handshake with the lab’s PAIR (is the lab stopping?).');
      this.print('The second peer: TCP connection accepted and ZMTP handshake completed (READY both ways).');
      const answer = second.receive().then(
        ([reply]) => reply.toString('utf8'),
        () => null,
      );
      const sent = await second.send('Hello from the second peer').then(
        () => true,
        () => false,
      );
      this.print(sent ? 'The second peer sent "Hello from the second peer": its own libzmq took it and wrote it to the connection.' : 'The second peer could not send.');
      const reply = await Promise.race([answer, waited(REPLY_WAIT_MS)]);
      const open = connection !== null && !(connection as TappedConnection).recorder.closed;
      this.print(
        reply === null
          ? `The second peer got no answer in ${REPLY_WAIT_MS / 1000} s, and its connection is ${open ? 'still open' : 'closed'}. ` +
              'A PAIR has at most one peer (ZeroMQ RFC 31): the lab’s PAIR already has one, so libzmq dropped the queue it had made for the newcomer. ' +
              'Its messages are never delivered, the PAIR sends it nothing, and it would stay ignored even after the first peer left; only a new connection can take that place. See the note on its connection.'
          : `The second peer got: ${untrusted(reply)} (the PAIR had no other peer, so this one became its peer).`,
      );
    } finally {
      second.close();
      this.second = null;
      await this.dropLink(link);
    }
  }

  protected stopSockets(): void {
    this.deps.pairIgnored.off('ignored', this.onIgnored);
    this.socket?.close();
    this.second?.close();
    this.socket = null;
  }
}
