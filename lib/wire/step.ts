import type { HeldPreview, StepScope, StepState } from '../bus/events.ts';
import type { FaultEngine } from '../faults/engine.ts';
import { ConnectionFaults } from '../faults/tap-faults.ts';
import type { StreamDir } from '../protocols/types.ts';
import type { Protocol } from './event.ts';
import type { ConnectionOwner, GateHandle, HeldMessage, StepHolder, StepLane } from './step-types.ts';

export type { ConnectionOwner, GateHandle, HeldEdits, HeldMessage, StepHolder, StepLane } from './step-types.ts';

/** Longest first line shown for a held message. */
const PREVIEW_CHARS = 80;

/** One connection's messages waiting for Step, in the order its gates framed them. */
interface Lane {
  conn: string;
  owner: ConnectionOwner;
  /** The connection it belongs to (an FTP data connection's control connection): held with it. */
  parent?: string;
  queue: (HeldMessage & { order: number })[];
  flushHooks: Set<() => void>;
  closed: boolean;
  /** The scripted faults that may act on this connection (null without a fault engine). */
  faults: ConnectionFaults | null;
  gates: Partial<Record<StreamDir, GateHandle>>;
  /** Time its queue has held something, ended spells (ms), and when the current spell began (null: nothing held). */
  heldTotal: number;
  heldSince: number | null;
}

/**
 * A connection's handle on its lane, for its gates. A class, not an object literal: V8 keeps a
 * literal with getters as a dictionary, and the gates read `holding` for every chunk and message.
 */
class LaneHandle implements StepLane {
  constructor(
    private readonly lane: Lane,
    readonly protocol: Protocol,
    private readonly controller: { covered: () => boolean; hold: (message: HeldMessage) => void; changed: () => void; close: () => void },
  ) {}

  get holding(): boolean {
    return this.lane.queue.length > 0 || this.controller.covered();
  }

  /** A getter: filing an unfiled connection (refile) gives it its sandbox's faults. */
  get faults(): ConnectionFaults | null {
    return this.lane.faults;
  }

  attach(dir: StreamDir, gate: GateHandle): () => void {
    const gates = this.lane.gates;
    gates[dir] = gate;
    return () => {
      if (gates[dir] === gate) delete gates[dir];
    };
  }

  gate(dir: StreamDir): GateHandle | undefined {
    return this.lane.gates[dir];
  }

  hold(message: HeldMessage): void {
    this.controller.hold(message);
  }

  changed(): void {
    this.controller.changed();
  }

  onFlush(hook: () => void): () => void {
    const hooks = this.lane.flushHooks;
    hooks.add(hook);
    return () => hooks.delete(hook);
  }

  close(): void {
    this.controller.close();
  }
}

/** One holder's step mode: which connections it holds, and its Play timer. */
interface Hold {
  holder: StepHolder;
  scope: StepScope;
  timer: NodeJS.Timeout | null;
  paceMs: number;
}

/**
 * Step mode for one tap, per sandbox and per connection: each holder (a browser, or the HTTP
 * API) holds the connections its scope covers — its own consoles' connections ('own'), one
 * connection ('connection'), or every connection of its sandbox that no other browser opened
 * ('sandbox', for external clients like swaks). Another browser's connections are never held.
 * Each connection keeps its own FIFO, so its messages leave in order; Step releases the oldest
 * message across the holder's connections. When nothing covers a connection any more,
 * everything it still holds is released in order, so no byte is ever lost.
 */
export class StepController {
  private readonly lanes = new Map<string, Lane>();
  private readonly holds = new Map<string, Hold>();
  private arrivals = 0;
  private faultEngine: FaultEngine | null = null;
  private detachFaults: (() => void) | null = null;

  constructor(
    readonly protocol: Protocol,
    /** Told whenever a holder's state changes (the bus 'step' event). */
    private readonly onChange: (holder: StepHolder, state: StepState) => void,
  ) {}

  /**
   * Registers a connection; its gates hold and release through the returned lane. A secondary
   * connection names its `parent`: step mode for the parent connection holds it too.
   */
  open(conn: string, owner: ConnectionOwner, parent?: string): StepLane {
    const lane: Lane = { conn, owner, parent, queue: [], flushHooks: new Set(), closed: false, faults: this.faultsOf(conn, owner.sandbox, parent), gates: {}, heldTotal: 0, heldSince: null };
    this.lanes.set(conn, lane);
    return new LaneHandle(lane, this.protocol, {
      covered: () => this.covered(lane),
      hold: (message) => this.hold(lane, message),
      changed: () => this.notifyCovering(lane),
      close: () => {
        lane.closed = true;
        if (lane.queue.length === 0) this.lanes.delete(conn);
      },
    });
  }

  /** Whether step mode holds this connection now: a silence on it may be the class's own pace, not a stuck client. */
  isHeld(conn: string): boolean {
    const lane = this.lanes.get(conn);
    return lane !== undefined && (lane.queue.length > 0 || this.covered(lane));
  }

  /**
   * How long step mode has held this connection's messages so far, in ms (performance.now() time):
   * a server's deadline for its client does not count that time, which the student spent, not the client.
   */
  heldMs(conn: string): number {
    const lane = this.lanes.get(conn);
    if (!lane) return 0;
    return lane.heldTotal + (lane.heldSince === null ? 0 : performance.now() - lane.heldSince);
  }

  /** Files an unfiled connection (its login decides) in `sandbox`: its step mode and faults apply from now on. */
  refile(conn: string, sandbox: string): void {
    const lane = this.lanes.get(conn);
    if (!lane || lane.owner.sandbox === sandbox) return;
    lane.owner = { ...lane.owner, sandbox };
    lane.faults = this.faultsOf(conn, sandbox, lane.parent);
    this.notifyCovering(lane);
  }

  /** A connection's scripted faults in its sandbox (none without a fault engine). */
  private faultsOf(conn: string, sandbox: string, parent: string | undefined): ConnectionFaults | null {
    return this.faultEngine ? new ConnectionFaults(this.faultEngine, { protocol: this.protocol, sandbox, conn, ...(parent ? { parent } : {}) }) : null;
  }

  /** This holder's step state (enabled false when it holds nothing). */
  state(holder: StepHolder): StepState {
    const hold = this.holds.get(keyOf(holder));
    const base = { protocol: this.protocol, playing: hold?.timer != null, paceMs: hold?.paceMs ?? 800 };
    if (!hold) return { ...base, enabled: false, scope: 'sandbox', held: 0 };
    const lanes = this.lanesOf(hold);
    const next = oldestLane(lanes)?.queue[0];
    return {
      ...base,
      enabled: true,
      scope: hold.scope.kind,
      ...(hold.scope.kind === 'connection' ? { conn: hold.scope.conn } : {}),
      held: lanes.reduce((sum, lane) => sum + lane.queue.filter((m) => m.bytes > 0 && !m.isVoid?.()).length, 0),
      ...(next?.preview ? { next: { ...next.preview, text: shorten(next.preview.text), ...editOffer(next) } } : {}),
    };
  }

  /**
   * Hold-edit-release: releases this holder's next held message (the one Step would release) with
   * `text` in its place. Returns a refusal in words (an encrypted record, nothing held) and releases nothing then.
   */
  edit(holder: StepHolder, text: string): string | null {
    const found = this.nextOf(holder);
    if (!found) return 'Nothing is held.';
    const { lane, next } = found;
    if (!next.edits) return 'This message cannot be edited.';
    const refused = next.edits.release(text);
    if (refused) return refused;
    lane.queue.shift();
    this.afterStep(lane);
    return null;
  }

  /** Hold-edit-release: drops this holder's next held message (nothing is forwarded; the transcript says so). */
  drop(holder: StepHolder): string | null {
    const found = this.nextOf(holder);
    if (!found) return 'Nothing is held.';
    const { lane, next } = found;
    if (!next.edits) return 'This message cannot be dropped.';
    next.edits.drop();
    lane.queue.shift();
    this.afterStep(lane);
    return null;
  }

  /**
   * Lets the tap-side scripted faults act on this tap's connections: each new connection gets its
   * ConnectionFaults; when rules are disarmed, bytes the gates held only for them go through.
   */
  useFaults(engine: FaultEngine): void {
    this.detachFaults?.();
    this.faultEngine = engine;
    this.detachFaults = engine.onChange(() => {
      for (const lane of [...this.lanes.values()]) if (!this.covered(lane) && lane.queue.length === 0 && !lane.faults?.framing) for (const hook of lane.flushHooks) hook();
    });
  }

  /**
   * Turns this holder's step mode on (with a scope) or off. A 'connection' scope must name a
   * connection the holder may hold: in its sandbox and not another browser's. Returns an error
   * in words when it may not.
   */
  set(holder: StepHolder, enabled: boolean, scope: StepScope = { kind: 'sandbox' }): string | null {
    const key = keyOf(holder);
    const current = this.holds.get(key);
    if (!enabled) {
      if (!current) return null;
      stopTimer(current);
      this.holds.delete(key);
    } else {
      if (scope.kind === 'connection' && !scope.conn) return 'Step mode for one connection needs its id (conn).';
      if (scope.kind === 'connection') {
        const lane = this.lanes.get(scope.conn);
        if (!lane || !mayHold(holder, lane)) return `No open ${this.protocol.toUpperCase()} connection ${scope.conn} in your sandbox.`;
      }
      if (current) current.scope = scope;
      else this.holds.set(key, { holder, scope, timer: null, paceMs: 800 });
    }
    this.releaseUncovered();
    this.changed(holder);
    return null;
  }

  /** Releases this holder's oldest held message (and any notes right behind it). Returns false if none. */
  step(holder: StepHolder): boolean {
    const hold = this.holds.get(keyOf(holder));
    if (!hold) return false;
    const lane = oldestLane(this.lanesOf(hold));
    const next = lane?.queue.shift();
    if (!lane || !next) return false;
    next.release();
    this.afterStep(lane);
    return true;
  }

  /** The message Step would release next for this holder, and its lane. */
  private nextOf(holder: StepHolder): { lane: Lane; next: HeldMessage } | undefined {
    const hold = this.holds.get(keyOf(holder));
    if (!hold) return undefined;
    const lane = oldestLane(this.lanesOf(hold));
    const next = lane?.queue[0];
    return lane && next ? { lane, next } : undefined;
  }

  private afterStep(lane: Lane): void {
    this.releaseZeroByteHead(lane);
    this.afterRelease(lane);
    this.notifyCovering(lane);
  }

  /** Releases one of this holder's messages every `paceMs` until paused or step mode ends. */
  play(holder: StepHolder, paceMs: number): void {
    const hold = this.holds.get(keyOf(holder));
    if (!hold) return;
    hold.paceMs = Math.min(10_000, Math.max(50, Math.round(paceMs)));
    stopTimer(hold);
    hold.timer = setInterval(() => this.step(holder), hold.paceMs);
    hold.timer.unref();
    this.changed(holder);
  }

  pause(holder: StepHolder): void {
    const hold = this.holds.get(keyOf(holder));
    if (hold) stopTimer(hold);
    this.changed(holder);
  }

  /** Ends every holder's step mode, releasing all (shutdown). */
  dispose(): void {
    this.detachFaults?.();
    for (const hold of [...this.holds.values()]) this.set(hold.holder, false);
  }

  /** Ends every step mode of a sandbox that expired (an API holder's outlives its page, Play timer too); held bytes go through. */
  forget(sandbox: string): void {
    for (const hold of [...this.holds.values()]) if (hold.holder.sandbox === sandbox) this.set(hold.holder, false);
  }

  private hold(lane: Lane, message: HeldMessage): void {
    lane.queue.push({ ...message, order: ++this.arrivals });
    this.releaseZeroByteHead(lane);
    // Held after step mode ended for it (order behind older messages): nothing will Step it.
    if (!this.covered(lane)) this.flush(lane);
    this.afterRelease(lane);
    this.notifyCovering(lane);
  }

  private covered(lane: Lane): boolean {
    for (const hold of this.holds.values()) if (covers(hold, lane)) return true;
    return false;
  }

  private lanesOf(hold: Hold): Lane[] {
    return [...this.lanes.values()].filter((lane) => covers(hold, lane));
  }

  /**
   * Lanes no holder covers any more let everything through, oldest first across connections, so
   * messages of related connections (an FTP data connection's last bytes, then its control
   * connection's 226) leave in the order they arrived.
   */
  private releaseUncovered(): void {
    const lanes = [...this.lanes.values()].filter((lane) => !this.covered(lane));
    for (let lane = oldestLane(lanes); lane; lane = oldestLane(lanes)) lane.queue.shift()?.release();
    for (const lane of lanes) {
      this.flush(lane);
      this.afterRelease(lane);
    }
  }

  private flush(lane: Lane): void {
    while (lane.queue.length > 0) lane.queue.shift()?.release();
    for (const hook of lane.flushHooks) hook();
  }

  /** Every change of a lane's queue ends here (hold, step, edit, drop, release): starts or ends a spell of holding. */
  private afterRelease(lane: Lane): void {
    if (lane.queue.length > 0 && lane.heldSince === null) lane.heldSince = performance.now();
    if (lane.queue.length === 0 && lane.heldSince !== null) {
      lane.heldTotal += performance.now() - lane.heldSince;
      lane.heldSince = null;
    }
    if (lane.closed && lane.queue.length === 0) this.lanes.delete(lane.conn);
  }

  private releaseZeroByteHead(lane: Lane): void {
    while (lane.queue.length > 0 && (lane.queue[0].bytes === 0 || lane.queue[0].isVoid?.())) lane.queue.shift()?.release();
  }

  private notifyCovering(lane: Lane): void {
    for (const hold of this.holds.values()) if (covers(hold, lane)) this.changed(hold.holder);
  }

  private changed(holder: StepHolder): void {
    this.onChange(holder, this.state(holder));
  }
}

/** The scope a step request names (the browser's and the API's words); 'connection' needs the connection's id. */
export function stepScope(kind: StepScope['kind'] = 'sandbox', conn?: string): StepScope {
  return kind === 'connection' ? { kind, conn: conn ?? '' } : { kind };
}

function keyOf(holder: StepHolder): string {
  return `${holder.sandbox}\u0000${holder.id}`;
}

/** A holder may hold connections of its own sandbox that no other browser opened. */
function mayHold(holder: StepHolder, lane: Lane): boolean {
  return lane.owner.sandbox === holder.sandbox && (lane.owner.browser === undefined || lane.owner.browser === holder.id);
}

function covers(hold: Hold, lane: Lane): boolean {
  if (!mayHold(hold.holder, lane)) return false;
  if (hold.scope.kind === 'connection') return lane.conn === hold.scope.conn || lane.parent === hold.scope.conn;
  if (hold.scope.kind === 'own') return lane.owner.browser === hold.holder.id;
  return true;
}

function oldestLane(lanes: Lane[]): Lane | undefined {
  let oldest: Lane | undefined;
  for (const lane of lanes) if (lane.queue.length > 0 && (!oldest || lane.queue[0].order < oldest.queue[0].order)) oldest = lane;
  return oldest;
}

/** What the held preview says about editing: the full text, or why it cannot be edited. */
function editOffer(next: HeldMessage): Pick<HeldPreview, 'full' | 'editable' | 'refusal'> {
  if (!next.edits) return { editable: false };
  const offer = next.edits.offer();
  return 'text' in offer ? { editable: true, full: offer.text } : { editable: false, refusal: offer.refusal };
}

function stopTimer(hold: Hold): void {
  if (hold.timer) clearInterval(hold.timer);
  hold.timer = null;
}

/** The first line of a message, cut to fit beside the Step button. */
function shorten(text: string): string {
  const line = text.split(/\r?\n/, 1)[0];
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}
