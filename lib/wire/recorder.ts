import { randomBytes } from 'node:crypto';
import type { Bus } from '../bus/bus.ts';
import type { CaptureEvent, ChunkDir } from '../bus/captures.ts';
import type { LabEvent } from '../bus/events.ts';
import type { DissectedMessage } from '../protocols/types.ts';
import { annotateInvisible } from './invisible-note.ts';
import { messageTick, type Annotation, type ConnectionInfo, type LabMessage, type Protocol, type View } from './event.ts';

/** Random bytes for ids, drawn 128 ids at a time: each randomBytes call is a native job (≈ 9 µs a connection here). */
const ID_BYTES = 6;
let idPool = Buffer.alloc(0);
let idPoolAt = 0;

/** Short, URL-safe, unique-enough connection ids: 'smtp-k3j9x2a1'. */
export function newConnectionId(protocol: Protocol): string {
  if (idPoolAt + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 128);
    idPoolAt = 0;
  }
  const id = idPool.toString('base64url', idPoolAt, idPoolAt + ID_BYTES);
  idPoolAt += ID_BYTES;
  return `${protocol}-${id}`;
}

/**
 * A dissected message as the connection `conn` stores and sends it: its id (`<conn>:<seq>`), place
 * and time. The recorder stamps live messages with it, an import the messages it re-reads. `at` is
 * the message's offset in the forwarded stream when the tap's gate passes it beside the message.
 */
export function stampMessage(message: DissectedMessage, conn: { id: string; sandbox: string; protocol: Protocol }, seq: number, t: number, view: View, at = message.at): LabMessage {
  const id = `${conn.id}:${seq}`;
  // A line that held invisible characters (marked by the escape) says so in its annotation (invisible-note.ts).
  const annotation = annotateInvisible(message);
  // Whole literals, one per shape: built once per message on the main thread (no spreads: see DirectionGate.offsetOf).
  const stamped: LabMessage =
    at === undefined
      ? { id, conn: conn.id, sandbox: conn.sandbox, protocol: conn.protocol, seq, t, dir: message.dir, view, kind: message.kind, text: message.text, fields: message.fields, annotation, phase: message.phase, bytes: message.bytes }
      : { id, conn: conn.id, sandbox: conn.sandbox, protocol: conn.protocol, seq, t, dir: message.dir, view, kind: message.kind, text: message.text, fields: message.fields, annotation, phase: message.phase, bytes: message.bytes, at };
  if (message.edited) stamped.edited = message.edited;
  if (message.injected) stamped.injected = message.injected;
  if (message.secret) stamped.secret = message.secret;
  return stamped;
}

/**
 * A connection's start and end in epoch milliseconds, on the monotonic clock its messages' `t` counts on and
 * on messageTick's grid of tenths: a player merging a connection with its children (an FTP data connection)
 * orders by that tick, and Date.now()'s whole milliseconds could swap a LIST with the listing that answers it.
 */
function wallClock(monotonic: number): number {
  return messageTick(performance.timeOrigin, monotonic) / 10;
}

/**
 * Now, on the clock connections and messages are stamped with. Whatever is compared with their times
 * (a lesson's start) must be read here: Date.now() follows the system clock, which NTP or a VM's time
 * sync may step by seconds while the monotonic clock goes on, and a message sent after a start read
 * from Date.now() could then seem to come before it.
 */
export function labNow(): number {
  return wallClock(performance.now());
}

/** The sandbox of a connection not filed yet: no sandbox is named so, so nobody sees or steps it. */
export const UNFILED = '';

/** Most events an unfiled connection keeps before it is filed in its fallback sandbox anyway. */
const MAX_UNFILED_EVENTS = 4096;

/**
 * The record of one connection: gives every message its id, per-connection seq and
 * monotonic time, and publishes it. The tap (wire view) and the protocol's endpoint
 * adapter (library logs, after decryption) write through the same recorder, so both
 * views interleave in one ordered transcript.
 *
 * A connection whose sandbox only its login can tell (an external client once students have
 * sandboxes) starts unfiled: its events wait here, unseen and unstored, until `file` names the
 * sandbox; then they are published in order, as if it had been that sandbox's from the start.
 * Nobody else's page ever shows a line of another student's login.
 */
export class ConnectionRecorder {
  readonly info: ConnectionInfo;
  private seq = 0;
  /** The instant `info.startedAt` names, on the monotonic clock: `t` counts from it, so startedAt + t stays on one 0.1 ms grid. */
  private readonly startedMono: number;
  /** The capture: chunks so far, bytes kept (both directions), each direction's forwarded length. */
  private captureSeq = 0;
  private captured = 0;
  private captureTruncated = false;
  private readonly forwarded: Record<ChunkDir, number> = { client: 0, server: 0 };
  /** While unfiled: the sandbox it falls back to, and its events in order (bus and capture). */
  private unfiled: { fallback: string; held: ({ bus: LabEvent } | { capture: CaptureEvent })[] } | null = null;
  /**
   * Wire messages still being dissected on the dissect thread, and what was recorded behind them:
   * a record waits here until every chunk that reached the wire before it has been dissected.
   */
  private readonly waiting: ({ slot: WireSlot } | { run: () => void })[] = [];
  /** True while a settled slot's messages are recorded (they take their place at once). */
  private settling = false;

  constructor(
    private readonly bus: Bus,
    init: { protocol: Protocol; sandbox: string; client: string; server?: string; label?: string; parent?: string; openedByPage?: boolean; unfiled?: { fallback: string } },
  ) {
    if (init.unfiled) this.unfiled = { fallback: init.unfiled.fallback, held: [] };
    const startedAt = wallClock(performance.now());
    this.startedMono = startedAt - performance.timeOrigin;
    this.info = {
      id: newConnectionId(init.protocol),
      protocol: init.protocol,
      sandbox: init.unfiled ? UNFILED : init.sandbox,
      startedAt,
      endedAt: null,
      messageCount: 0,
      client: init.client,
      ...(init.server ? { server: init.server } : {}),
      label: init.label,
      parent: init.parent,
      ...(init.openedByPage ? { openedByPage: true } : {}),
    };
    this.publish({ type: 'connection.open', connection: { ...this.info } });
  }

  get closed(): boolean {
    return this.info.endedAt !== null;
  }

  /** True until `file` names the connection's sandbox. */
  get isUnfiled(): boolean {
    return this.unfiled !== null;
  }

  /**
   * Files an unfiled connection in `sandbox` and publishes what it held, in order, as that
   * sandbox's. A filed connection never moves: answers whether it is now `sandbox`'s.
   */
  file(sandbox: string): boolean {
    return this.fileHeld(sandbox, true);
  }

  /**
   * Publishes what an unfiled connection held as `sandbox`'s. Without its capture when it falls
   * back without a login: its bytes may hold a student's mistyped password (transcripts mask
   * passwords; bytes and their exports cannot), so they are not kept at all.
   */
  private fileHeld(sandbox: string, withCapture: boolean): boolean {
    const pending = this.unfiled;
    if (!pending) return this.info.sandbox === sandbox;
    this.unfiled = null;
    this.info.sandbox = sandbox;
    if (!withCapture) this.info.unclaimed = true;
    for (const event of pending.held) {
      if ('capture' in event) {
        if (withCapture) this.bus.captures.publish(event.capture);
      } else this.bus.publish(refiled(event.bus, sandbox, !withCapture));
    }
    if (!withCapture) {
      this.captureTruncated = true;
      this.note('The lab kept none of this connection’s bytes: it never logged into a sandbox, and they could hold a mistyped password of a student.', {
        title: 'Bytes not kept',
        explain: 'Once students have sandboxes, a connection that ends without a login is filed in the default sandbox with its transcript (passwords masked) but without its captured bytes.',
      });
    }
    return true;
  }

  private publish(event: LabEvent): void {
    if (!this.unfiled) return this.bus.publish(event);
    this.unfiled.held.push({ bus: event });
    this.fileIfFull();
  }

  private publishCapture(event: CaptureEvent): void {
    if (!this.unfiled) return this.bus.captures.publish(event);
    this.unfiled.held.push({ capture: event });
    this.fileIfFull();
  }

  // A client that never logs in cannot keep the daemon's memory: past the cap it is the fallback's.
  private fileIfFull(): void {
    if (this.unfiled && this.unfiled.held.length > MAX_UNFILED_EVENTS) this.fileHeld(this.unfiled.fallback, false);
  }

  /**
   * Keeps the place of what the dissect thread will make of a chunk that just crossed the wire:
   * records made after this wait behind it until `settle`, so the transcript keeps wire order.
   */
  expect(): WireSlot {
    const slot: WireSlot = { settled: false };
    this.waiting.push({ slot });
    return slot;
  }

  /**
   * The slot's messages are here: `recordThem` records them in its place, then what waited behind
   * it goes on. A slot settled before an earlier one (the thread answers in order, so only when it
   * stops) keeps `recordThem` until its turn.
   */
  settle(slot: WireSlot, recordThem: () => void): void {
    slot.settled = true;
    slot.recordThem = recordThem;
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if ('slot' in next && !next.slot.settled) return;
      this.waiting.shift();
      if ('run' in next) next.run();
      else this.recordInPlace(next.slot);
    }
  }

  private recordInPlace(slot: WireSlot): void {
    const recordThem = slot.recordThem;
    slot.recordThem = undefined;
    this.settling = true;
    try {
      recordThem?.();
    } finally {
      this.settling = false;
    }
  }

  /**
   * Stamps and publishes a dissected message (after the wire messages still being dissected); `at`:
   * its offset in the forwarded stream, from the tap's gate.
   */
  record(message: DissectedMessage, view: View, at?: number): void {
    if (this.waiting.length > 0 && !this.settling) {
      this.waiting.push({ run: () => this.recordNow(message, view, at) });
      return;
    }
    this.recordNow(message, view, at);
  }

  private recordNow(message: DissectedMessage, view: View, at: number | undefined): void {
    const seq = ++this.seq;
    this.info.messageCount = seq;
    const stamped = stampMessage(message, this.info, seq, this.elapsed(), view, at ?? message.at);
    this.publish({ type: 'message', message: stamped });
  }

  /**
   * Keeps a chunk the tap forwarded (the bytes view and pcapng read it back from the store), up to
   * the bus's per-connection cap; past it, says once that the capture stopped. Cheap: one copy of
   * the chunk, no encoding — the store's writer thread does the rest.
   */
  capture(dir: ChunkDir, chunk: Uint8Array): void {
    const offset = this.forwarded[dir];
    this.forwarded[dir] = offset + chunk.length;
    if (this.captureTruncated) return;
    const room = this.bus.captures.limitBytes - this.captured;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, Math.max(room, 0));
    if (kept.length > 0) {
      this.captured += kept.length;
      // A copy of exactly these bytes (the chunk may be a view of a larger buffer, which a clone would carry whole).
      const latin1 = Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('latin1');
      this.publishCapture({ type: 'capture.chunk', chunk: { conn: this.info.id, dir, seq: ++this.captureSeq, t: this.elapsed(), offset, latin1 } });
    }
    if (kept.length < chunk.length) {
      this.captureTruncated = true;
      this.publishCapture({ type: 'capture.truncated', conn: this.info.id, bytes: this.captured });
    }
  }

  /** Bytes forwarded so far in `dir` (the client's towards the server, or the server's back). */
  forwardedBytes(dir: ChunkDir): number {
    return this.forwarded[dir];
  }

  /** One NSS key log line of a TLS session on this connection (a Node TLSSocket's 'keylog' event). */
  keylog(line: Buffer | string): void {
    const text = line.toString().trim();
    if (text) this.publishCapture({ type: 'capture.keylog', conn: this.info.id, line: text });
  }

  /** The lab explaining something about this connection (not bytes anyone sent). */
  note(text: string, annotation?: Annotation, view: View = 'wire'): void {
    this.record({ dir: 'note', kind: 'note', text, bytes: 0, annotation }, view);
  }

  /**
   * Renames the connection in the lab's lists while it is open (an SSH connection that turns
   * out to be SFTP) and publishes a `connection.update`, never a second `connection.open`.
   */
  relabel(label: string): void {
    if (this.info.label === label) return;
    this.info.label = label;
    this.publish({ type: 'connection.update', connection: { ...this.info } });
  }

  /** Milliseconds since the connection started, to a tenth (monotonic clock). */
  private elapsed(): number {
    // The start was rounded to the grid, up to 0.05 ms after the true start: never a negative offset.
    return Math.max(0, Math.round((performance.now() - this.startedMono) * 10) / 10);
  }

  /** Marks the connection ended (idempotent) and publishes that; one that never logged in is its fallback sandbox's. */
  close(): void {
    if (this.closed) return;
    if (this.waiting.length > 0 && !this.settling) {
      this.waiting.push({ run: () => this.closeNow() });
      return;
    }
    this.closeNow();
  }

  private closeNow(): void {
    if (this.closed) return;
    if (this.unfiled) this.fileHeld(this.unfiled.fallback, false);
    this.info.endedAt = wallClock(performance.now());
    this.bus.publish({ type: 'connection.close', connection: { ...this.info } });
  }
}

/** The place of a chunk's messages in the transcript while the dissect thread reads them. */
export interface WireSlot {
  settled: boolean;
  /** What records the slot's messages, kept while an earlier slot is still open. */
  recordThem?: () => void;
}

/** A held event as the sandbox it is filed in publishes it (the connection's label as it was then). */
function refiled(event: LabEvent, sandbox: string, unclaimed: boolean): LabEvent {
  if (event.type === 'message') return { ...event, message: { ...event.message, sandbox } };
  if (event.type === 'connection.open' || event.type === 'connection.update') return { ...event, connection: { ...event.connection, sandbox, ...(unclaimed ? { unclaimed } : {}) } };
  return event;
}
