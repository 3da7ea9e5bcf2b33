import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bus } from '../../lib/bus/bus.ts';
import { sandboxOf, type LabEvent } from '../../lib/bus/events.ts';
import { labNow } from '../../lib/wire/recorder.ts';
import { eventForOthers } from '../../lib/wire/redact.ts';
import { stepScope, type StepHolder } from '../../lib/wire/step.ts';
import type { Protocol } from '../../lib/wire/event.ts';
import type { ConsoleStatus } from '../../lib/http/ws-protocol.ts';
import { ConsoleSession } from './console.ts';
import { stepModes, type LabConsole, type RunningLab } from './lab.ts';
import { TerminalFilter } from '../../lib/wire/terminal-filter.ts';
import { ClientMessageSchema, encodeEventsFrame, encodeServerMessage, type ClientMessage, type ServerMessage } from '../../lib/http/ws-protocol.ts';
import type { SandboxPolicy } from './sandboxes.ts';
import { HttpError } from '../../lib/http/api-kit.ts';
import { rawProblemResponse } from '../../lib/http/problem.ts';

/** Under load, events wait for the end of a window this long and go out as one frame. */
export const FLUSH_MS = 25;
/**
 * Frames a browser may be sent at once within one FLUSH_MS window: an idle lab's line reaches the
 * page in a millisecond, a busy one's are batched as before. Request/response traffic puts its
 * lines just after the previous frame, so "flush at once if the last frame is old" alone would
 * still make the next line wait out the window.
 */
export const FRAME_BUDGET = 8;
/** What a follower is sent of the sandbox it follows: its sessions, read-only. */
const FOLLOWED: ReadonlySet<LabEvent['type']> = new Set(['connection.open', 'connection.update', 'connection.close', 'message']);

/** How much a slow browser may fall behind. */
export interface HubLimits {
  /** Stop sending while a browser has this many bytes unread; events queue meanwhile. */
  maxBuffered: number;
  /** Beyond this many queued events for one slow browser, drop the oldest and say so. */
  maxQueued: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = { maxBuffered: 1 << 20, maxQueued: 20_000 };

/** A flush waiting to run: on the next turn of the event loop, or at the end of the window. */
type PendingFlush = { kind: 'immediate'; handle: NodeJS.Immediate } | { kind: 'timeout'; handle: NodeJS.Timeout };

/** One connected browser tab: its sandbox, and its id as a step-mode holder and console owner. */
class HubClient {
  private queue: LabEvent[] = [];
  private dropped = 0;
  private pending: PendingFlush | null = null;
  /** The current FLUSH_MS window (monotonic clock) and the event frames sent in it. */
  private windowStart = -Infinity;
  private framesInWindow = 0;
  readonly consoles = new Map<string, LabConsole>();
  readonly holder: StepHolder;
  /** The sandbox whose sessions this page follows, read-only (its class's teacher), or null. */
  follows: string | null = null;

  constructor(
    readonly socket: WebSocket,
    sandbox: string,
    private readonly limits: HubLimits,
    /** The hub's cache of serialised events, shared by every browser it sends them to. */
    private readonly encoded: WeakMap<LabEvent, string>,
  ) {
    this.holder = { id: `browser-${randomBytes(6).toString('base64url')}`, sandbox };
  }

  /**
   * Only its own sandbox's events and step state; the sessions of the teacher it follows (not those filed
   * there for want of a login: `unclaimed`, which may be another student's refused login); its class's state.
   */
  wants(event: LabEvent, unclaimed: boolean): boolean {
    if (event.type === 'class') return event.members.includes(this.holder.sandbox) || event.state.teacherSandbox === this.holder.sandbox;
    const sandbox = sandboxOf(event);
    if (sandbox === this.holder.sandbox) return event.type !== 'step' || event.holder === this.holder.id;
    // Following shows the teacher's connections and their messages, never its mail or step state.
    return sandbox === this.follows && FOLLOWED.has(event.type) && !unclaimed;
  }

  /** Whether `event` is this page's own (its sandbox's, or its class's state), not a followed teacher's. */
  owns(event: LabEvent): boolean {
    return event.type === 'class' || sandboxOf(event) === this.holder.sandbox;
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(encodeServerMessage(message));
  }

  enqueue(event: LabEvent): void {
    this.queue.push(event);
    if (this.queue.length > this.limits.maxQueued) {
      const excess = this.queue.length - this.limits.maxQueued;
      this.queue.splice(0, excess);
      this.dropped += excess;
    }
    if (this.pending) return;
    const now = performance.now();
    if (now - this.windowStart >= FLUSH_MS || this.framesInWindow < FRAME_BUDGET) {
      // setImmediate, not a zero timeout: the events of one socket read still share a frame.
      this.pending = { kind: 'immediate', handle: setImmediate(() => this.flush()) };
    } else this.flushIn(this.windowStart + FLUSH_MS - now);
  }

  /**
   * Sends a message behind every event queued before it. Console statuses go out at once while
   * events wait for the next batch, so "Connection closed" overtook the QUIT and 221 it follows.
   */
  sendInOrder(message: ServerMessage): void {
    this.cancel();
    this.flush(true);
    this.send(message);
  }

  private flushIn(ms: number): void {
    this.pending = { kind: 'timeout', handle: setTimeout(() => this.flush(), ms) };
  }

  private cancel(): void {
    if (this.pending?.kind === 'immediate') clearImmediate(this.pending.handle);
    else if (this.pending) clearTimeout(this.pending.handle);
    this.pending = null;
  }

  private flush(force = false): void {
    this.pending = null;
    if (this.queue.length === 0) return;
    if (!force && this.socket.bufferedAmount > this.limits.maxBuffered) {
      this.flushIn(FLUSH_MS * 4);
      return;
    }
    if (this.dropped > 0) {
      this.send({ type: 'gap', dropped: this.dropped });
      this.dropped = 0;
    }
    const events = this.queue;
    this.queue = [];
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(encodeEventsFrame(events, this.encoded));
    const now = performance.now();
    if (now - this.windowStart >= FLUSH_MS) {
      this.windowStart = now;
      this.framesInWindow = 0;
    }
    this.framesInWindow++;
  }

  dispose(): void {
    this.cancel();
    for (const session of this.consoles.values()) session.close();
    this.consoles.clear();
  }
}

/**
 * The WebSocket hub at /ws: streams each browser the bus events of its sandbox (batched, with
 * backpressure) and runs the commands browsers send (consoles, step mode). Input is validated with zod.
 */
export class Hub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  private readonly clients = new Set<HubClient>();
  private readonly encoded = new WeakMap<LabEvent, string>();
  private readonly unsubscribe: () => void;
  /** Live connections marked `unclaimed` (ConnectionInfo): their messages are not sent to followers. */
  private readonly unclaimed = new Set<string>();

  constructor(
    bus: Bus,
    private readonly labs: Map<Protocol, RunningLab>,
    private readonly sandboxes: Pick<SandboxPolicy, 'ofRequest'>,
    private readonly limits: HubLimits = DEFAULT_HUB_LIMITS,
    /** Whose sessions a sandbox's pages may follow: its class's teacher, or null outside a class. */
    private readonly teacherOf: (sandbox: string) => string | null = () => null,
    /** Told of every message a page sends: a student typing in a console is "seen", though no HTTP request carries its cookie. */
    private readonly seen: (sandbox: string) => void = () => {},
  ) {
    this.unsubscribe = bus.subscribe((event) => {
      const unclaimed = this.isUnclaimed(event);
      // A follower gets the teacher's messages with their credentials hidden: one copy for them all.
      let forFollowers: LabEvent | undefined;
      for (const client of this.clients) {
        if (!client.wants(event, unclaimed)) continue;
        client.enqueue(client.owns(event) ? event : (forFollowers ??= eventForOthers(event)));
      }
      // Out of the class, a student's pages no longer follow its teacher (told after the removal itself).
      if (event.type === 'class.removed') {
        for (const client of this.clients) {
          if (client.holder.sandbox === event.sandbox && client.follows !== null) client.sendInOrder({ type: 'follow', following: (client.follows = null) });
        }
      }
    });
  }

  /** Whether `event` belongs to an unclaimed connection; remembers them from their open event to their close. */
  private isUnclaimed(event: LabEvent): boolean {
    if (event.type === 'message') return this.unclaimed.size > 0 && this.unclaimed.has(event.message.conn);
    if (event.type !== 'connection.open' && event.type !== 'connection.update' && event.type !== 'connection.close') return false;
    const { id, unclaimed } = event.connection;
    if (event.type === 'connection.close') return this.unclaimed.delete(id) || unclaimed === true;
    if (unclaimed) this.unclaimed.add(id);
    return unclaimed === true;
  }

  /** The sandboxes with a page that follows its teacher now (the roster shows who is watching). */
  followingSandboxes(): Set<string> {
    const following = new Set<string>();
    for (const client of this.clients) if (client.follows !== null) following.add(client.holder.sandbox);
    return following;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A browser with no sandbox (on another machine, before it opened one) gets no event stream.
    let sandbox: string;
    try {
      sandbox = this.sandboxes.ofRequest(req);
    } catch (err) {
      const message = err instanceof HttpError ? err.message : 'No sandbox for this browser.';
      socket.end(rawProblemResponse(401, message));
      return;
    }
    // Asked once per browser: the sandbox it is told in `hello` is the one it is sent events of.
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, sandbox));
  }

  async close(): Promise<void> {
    this.unsubscribe();
    for (const client of this.clients) {
      client.dispose();
      client.socket.terminate();
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** The labs' step modes, each once (the WS-Policy lab shares the SOAP lab's). */
  private stepModes() {
    return stepModes([...this.labs.values()].map((lab) => lab.tap));
  }

  private accept(socket: WebSocket, sandbox: string): void {
    const client = new HubClient(socket, sandbox, this.limits, this.encoded);
    this.clients.add(client);
    client.send({ type: 'hello', sandbox: client.holder.sandbox, browser: client.holder.id, step: this.stepModes().map((step) => step.state(client.holder)), now: labNow() });
    socket.on('message', (data) => this.handle(client, data.toString()));
    socket.on('close', () => {
      client.dispose();
      // A browser that leaves holds nothing: what it held goes on its way.
      for (const step of this.stepModes()) step.set(client.holder, false);
      this.clients.delete(client);
    });
    socket.on('error', () => socket.terminate());
  }

  private handle(client: HubClient, raw: string): void {
    this.seen(client.holder.sandbox);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      client.send({ type: 'error', message: 'Messages must be JSON.' });
      return;
    }
    const parsed = ClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      client.send({ type: 'error', message: `Unknown or malformed request: ${parsed.error.issues[0]?.message ?? ''}` });
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'console.open': {
        const lab = this.labs.get(message.protocol);
        if (!lab) {
          client.send({ type: 'error', message: `The ${message.protocol} lab is not running.` });
          return;
        }
        client.consoles.get(message.consoleId)?.close();
        // Every console's output passes one terminal filter on its way out (the lab's colours and
        // cursor moves survive, OSC/DCS/C1/queries do not), whatever its own code already escaped.
        const filter = new TerminalFilter();
        const io = {
          owner: { sandbox: client.holder.sandbox, browser: client.holder.id },
          status: (status: ConsoleStatus) => client.sendInOrder({ type: 'console', consoleId: message.consoleId, status }),
          // In order behind the queued events: a console that prints a reply must not show it above the frames that carried it.
          output: (data: string) => {
            const safe = filter.write(data);
            if (safe) client.sendInOrder({ type: 'console.output', consoleId: message.consoleId, data: safe });
          },
        };
        const session = lab.openConsole ? lab.openConsole(io, message.kind) : message.kind ? null : new ConsoleSession(lab.tap, io.status, { waitForGreeting: true, tlsUpgrade: lab.consoleTls, owner: io.owner });
        if (!session) {
          client.send({ type: 'error', message: `The ${message.protocol} lab has no console called ${JSON.stringify(message.kind ?? 'default')}.` });
          return;
        }
        client.consoles.set(message.consoleId, session);
        session.open({ cols: message.cols, rows: message.rows });
        return;
      }
      case 'console.send':
        client.consoles.get(message.consoleId)?.sendLine(message.line);
        return;
      case 'console.input':
        client.consoles.get(message.consoleId)?.input(message.data);
        return;
      case 'console.resize':
        client.consoles.get(message.consoleId)?.resize({ cols: message.cols, rows: message.rows });
        return;
      case 'console.close':
        client.consoles.get(message.consoleId)?.close();
        return;
      case 'follow': {
        const teacher = message.enabled ? this.teacherOf(client.holder.sandbox) : null;
        if (message.enabled && teacher === null) client.send({ type: 'error', message: 'Only a student in a class can follow its teacher: join the class with its code first.' });
        client.sendInOrder({ type: 'follow', following: (client.follows = teacher) });
        return;
      }
      default:
        this.stepCommand(client, message);
    }
  }

  /** Step mode as this browser's: it holds and releases only what its scope covers in its sandbox. */
  private stepCommand(client: HubClient, message: Extract<ClientMessage, { type: `step.${string}` }>): void {
    const tap = this.labs.get(message.protocol)?.tap;
    if (!tap) {
      client.send({ type: 'error', message: `The ${message.protocol} lab is not running.` });
      return;
    }
    const holder = client.holder;
    if (message.type === 'step.set') {
      const error = tap.step.set(holder, message.enabled, stepScope(message.scope, message.conn));
      if (error) client.send({ type: 'error', message: error });
    } else if (message.type === 'step.next') tap.step.step(holder);
    else if (message.type === 'step.play') tap.step.play(holder, message.paceMs);
    else if (message.type === 'step.edit' || message.type === 'step.drop') {
      const refused = message.type === 'step.edit' ? tap.step.edit(holder, message.text) : tap.step.drop(holder);
      if (refused) client.send({ type: 'error', message: refused });
    } else tap.step.pause(holder);
  }
}

