import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Injection } from '../faults/tap-faults.ts';
import { editorFor, type HeldEditor } from '../protocols/edits.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import { heldEdits, type Change, type EditTarget, type GateItem } from './gate-edits.ts';
import type { StepLane } from './step.ts';
import type { ReleasedMessage } from './step-types.ts';

const other = (dir: StreamDir): StreamDir => (dir === 'client' ? 'server' : 'client');

/**
 * One direction of a tapped connection (client→server or server→client). In pass-through
 * mode it forwards each chunk at once; while step mode covers its connection, or a scripted fault
 * acting on framed messages is armed for it, it keeps the raw bytes and lets exactly the bytes of
 * each framed message through when that message is released — changed, if step mode's
 * hold-edit-release or a fault rule says so. Every message it publishes carries `at`, its offset
 * in the stream as forwarded (edits, drops and injected bytes keep a running shift).
 */
export class DirectionGate {
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes already forwarded that no message has covered yet (a partial line, say). */
  private forwardedAhead = 0;
  private endRequested = false;
  private awaitingDrain = false;
  /** The source is paused until the dissect thread has caught up (besides a wait for the destination). */
  private awaitingDissection = false;
  private queued = 0;
  /** Source bytes framed so far: where the next framed message starts. */
  private framedBytes = 0;
  /** Forwarded-stream offset minus source offset, from edits, drops and injections so far. */
  private shift = 0;
  /** Source offset where the last released message ended: where injected bytes go. */
  private releasedEnd = 0;
  /** Framed items waiting here, oldest first (their bytes are the start of `held`). */
  private readonly pending: GateItem[] = [];
  /** The held item whose unit (editor.continues) the next framed part joins, while nothing else came between. */
  private openUnit: GateItem | null = null;
  /** The last message released with its bytes (for the other direction's edit primer). */
  private lastReleased: ReleasedMessage | undefined;
  /** Cut by a fault rule or closed by the lab: nothing more is taken from the source. */
  private stopped = false;
  private readonly editor: HeldEditor | undefined;
  private readonly detachFlush: () => void;
  private readonly detachGate: () => void;

  constructor(
    readonly dir: StreamDir,
    // Any duplex: a TCP socket, or an in-memory end handed to an in-process server.
    private readonly source: Duplex,
    private readonly destination: Duplex,
    /** The connection's step lane (both directions share it, so they stay in order). */
    private readonly step: StepLane,
    /** Records a message; `at` is its offset in the forwarded stream (none for notes and zero-byte messages). */
    private readonly publish: (message: DissectedMessage, at?: number) => void,
    /** Names the connection in the held-message display: its id and how the lab lists it. */
    private readonly connection?: { id: string; name: string },
    /** Told when the source's end is passed on (after everything held in front of it). */
    private readonly onEndForwarded?: () => void,
    /** Told of every chunk as it is written to the destination (the capture behind the bytes view and pcapng). */
    private readonly onForwarded?: (chunk: Buffer) => void,
    /** Told of bytes the lab writes in this direction in the other side's place (a fault's answer), for the dissector to read. */
    private readonly onInjected?: (bytes: Buffer) => void,
  ) {
    this.detachFlush = step.onFlush(() => this.flushUnframed());
    this.detachGate = step.attach(dir, {
      inject: (injection) => this.inject(injection),
      shut: (graceful) => this.shut(graceful),
      lastReleased: () => this.lastReleased,
    });
    this.editor = editorFor(step.protocol);
  }

  /** Takes one chunk from the source and the messages the dissector framed from it. */
  accept(chunk: Buffer, framed: DissectedMessage[]): void {
    if (this.stopped) return;
    const cut = this.step.faults?.cut(this.dir, chunk.length) ?? null;
    if (cut) {
      // A fault rule drops the connection here: what fits goes, the rest never does.
      if (cut.pass > 0 && !this.framing) this.forward(chunk.subarray(0, cut.pass));
      this.publish(cut.note);
      this.shut(false);
      return;
    }
    if (this.framing) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    } else {
      this.forward(chunk);
      this.forwardedAhead += chunk.length;
    }
    for (const message of framed) this.frame(message);
  }

  /** Messages framed after their bytes were taken (the dissect thread answers later), in order. */
  frameAll(framed: DissectedMessage[]): void {
    for (const message of framed) this.frame(message);
  }

  /** Reads nothing more from the source until `wait` calls back (the dissect thread catching up). */
  pauseSourceUntil(wait: (resume: () => void) => void): void {
    if (this.awaitingDissection) return;
    this.awaitingDissection = true;
    this.source.pause();
    wait(() => {
      this.awaitingDissection = false;
      if (!this.awaitingDrain) this.source.resume();
    });
  }

  /** Cut by a fault rule or shut by the lab: takes nothing more from its source. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The source half-closed: end the destination once everything held has gone through. */
  end(finalMessages: DissectedMessage[]): void {
    for (const message of finalMessages) this.frame(message);
    this.endRequested = true;
    this.maybeEnd();
  }

  dispose(): void {
    this.detachFlush();
    this.detachGate();
  }

  /** Step mode holds, or a fault rule needs each message framed before it goes. */
  private get framing(): boolean {
    return this.step.holding || this.step.faults?.framing === true;
  }

  private frame(message: DissectedMessage): void {
    const sourceAt = this.framedBytes;
    this.framedBytes += message.bytes;
    const covered = Math.min(message.bytes, this.forwardedAhead);
    this.forwardedAhead -= covered;
    const toRelease = message.bytes - covered;
    const stepHolding = this.step.holding;
    // All its bytes went through before step mode covered the connection (passed on at once while the
    // dissect thread was still reading them): the other side has it and may have answered, so it is
    // recorded now, in its place, not held as if it had not been sent yet.
    const alreadyThrough = covered > 0 && toRelease === 0 && this.pending.length === 0;
    if ((!stepHolding && toRelease === 0) || alreadyThrough) {
      this.releasedEnd = sourceAt + message.bytes;
      this.publish(message, this.offsetOf(message, sourceAt + this.shift));
      return;
    }
    const item: GateItem = { message, sourceAt, toRelease, covered, void: false, followers: [] };
    const unit = this.openUnit;
    const unitEnd = unit ? (unit.followers.at(-1) ?? unit) : undefined;
    this.pending.push(item);
    this.queued++;
    // A fault rule alone frames but does not hold: the message goes (or is changed) at once.
    if (!stepHolding) return this.release(item);
    // A held HTTP message is one unit (as for Edit): its headers and body join its start line's hold, so
    // one Step releases the whole message, not one line of it.
    if (unit && this.editor?.continues && this.pending.at(-2) === unitEnd && this.editor.continues(unit.message, message)) {
      unit.followers.push(item);
      // Its held preview may change (the whole message has arrived: now it can be edited).
      this.step.changed();
      return;
    }
    this.openUnit = this.editor?.continues && message.dir === this.dir ? item : null;
    this.step.hold({
      bytes: toRelease > 0 || message.dir !== 'note' ? Math.max(toRelease, 1) : 0,
      preview: this.connection && { conn: this.connection.id, connection: this.connection.name, dir: message.dir, text: message.text },
      release: () => this.release(item),
      isVoid: () => item.void,
      ...(this.editor && message.dir !== 'note' ? { edits: heldEdits(item, this.editor, this.editTarget) } : {}),
    });
  }

  /** Lets one framed item through: as it is, changed by step mode, or as a fault rule decides. */
  private release(item: GateItem, change?: Change): void {
    this.queued--;
    const index = this.pending.indexOf(item);
    if (index >= 0) this.pending.splice(index, 1);
    const bytes = this.take(item.toRelease);
    const at = item.sourceAt + this.shift;
    this.releasedEnd = item.sourceAt + item.message.bytes;
    if (item.void) {
      this.shift -= bytes.length;
    } else if (change?.kind === 'drop') {
      this.shift -= bytes.length;
      this.publish({
        dir: 'note',
        kind: 'note',
        text: `dropped in step mode: ${change.text}`,
        bytes: 0,
        annotation: { key: 'step.dropped', title: 'Dropped in step mode', explain: 'The lab did not forward this message: the other side never saw it, and answers (or waits) as if it had never been sent.', level: 'warn' },
      });
    } else if (change?.kind === 'edit') {
      this.forward(change.bytes);
      this.shift += change.bytes.length - bytes.length;
      this.lastReleased = { message: change.messages[0] ?? item.message, bytes: change.bytes, edited: true };
      let offset = at;
      change.messages.forEach((message, i) => {
        this.publish(i === 0 ? { ...message, edited: { original: change.original } } : message, this.offsetOf(message, offset));
        offset += message.bytes;
      });
    } else {
      const decision = item.covered === 0 && item.message.dir !== 'note' ? (this.step.faults?.decide(this.dir, item.message, bytes) ?? null) : null;
      if (decision?.replace) {
        this.forward(decision.replace.bytes);
        this.shift += decision.replace.bytes.length - bytes.length;
        this.publish(decision.replace.message, this.offsetOf(decision.replace.message, at));
      } else if (decision?.swallow) {
        // Sent by its side, kept from the other: recorded without an offset in the forwarded stream.
        this.shift -= bytes.length;
        this.publish(item.message);
        this.publish(decision.swallow);
      } else {
        this.forward(bytes);
        const message = this.answerToEdit(item.message, bytes);
        if (bytes.length > 0) this.lastReleased = { message, bytes };
        this.publish(message, this.offsetOf(message, at));
      }
      if (decision?.answer) this.step.gate(other(this.dir))?.inject(decision.answer);
      for (const injection of decision?.after ?? []) this.injectNow(injection);
      if (decision?.close) this.shut(true);
    }
    if (this.openUnit === item) this.openUnit = null;
    for (const follower of item.followers.splice(0)) this.release(follower);
    // The last rule that needed framing is done: bytes held for it but not framed yet go on.
    if (!this.framing) this.flushUnframed();
    this.maybeEnd();
  }

  /** What hold-edit-release (gate-edits.ts) reads of this gate and asks it to do. */
  private get editTarget(): EditTarget {
    return {
      dir: this.dir,
      pending: this.pending,
      peek: (count) => this.peek(count),
      lastClient: () => (this.dir === 'server' ? this.step.gate('client')?.lastReleased() : undefined),
      release: (item, change) => this.release(item, change),
    };
  }

  /**
   * A reply to a command step mode edited, read again after the edit: the connection's dissector framed it
   * after the original (an EHLO edited to HELO had its 250 called an EHLO extension list). Kept as framed
   * unless a fresh read frames the same bytes as one message.
   */
  private answerToEdit(message: DissectedMessage, bytes: Buffer): DissectedMessage {
    const lastClient = this.dir === 'server' && message.dir === 'server' ? this.step.gate('client')?.lastReleased() : undefined;
    if (!lastClient?.edited || !this.editor || bytes.length !== message.bytes) return message;
    const reread = this.editor.reread({ message, bytes }, bytes, { lastClient });
    return reread.length === 1 && reread[0].bytes === message.bytes ? reread[0] : message;
  }

  /** Bytes the lab writes in this direction (a fault's answer): behind whatever step mode holds here. */
  private inject(injection: Injection): void {
    if (!this.step.holding) return this.injectNow(injection);
    this.queued++;
    this.step.hold({
      bytes: injection.bytes.length > 0 ? injection.bytes.length : 0,
      preview: this.connection && { conn: this.connection.id, connection: this.connection.name, dir: injection.message.dir, text: injection.message.text },
      release: () => {
        this.queued--;
        this.injectNow(injection);
        this.maybeEnd();
      },
    });
  }

  private injectNow({ bytes, message }: Injection): void {
    const at = this.releasedEnd + this.shift;
    // The dissector reads them too: a DATA the lab answered 554 is answered, so the next line is a command.
    if (bytes.length > 0) this.onInjected?.(bytes);
    this.forward(bytes);
    this.shift += bytes.length;
    this.publish(message, bytes.length > 0 ? this.offsetOf(message, at) : undefined);
  }

  /** The lab closes the connection: gracefully (the destination ends after what was written) or by resetting both sides. */
  private shut(graceful: boolean): void {
    this.stopped = true;
    if (graceful) {
      if (!this.destination.writableEnded) this.destination.end();
      this.source.destroy();
      return;
    }
    reset(this.source);
    reset(this.destination);
  }

  /**
   * A message's offset in the forwarded stream (notes and empty messages have none). It travels beside
   * the message to the recorder, which stamps it in: a copy of each message to add it cost the busy SOAP
   * lab a tenth of its main thread (spreading objects of varied shapes takes V8's slow path).
   */
  private offsetOf(message: DissectedMessage, at: number): number | undefined {
    return message.dir === 'note' || message.bytes === 0 ? undefined : at;
  }

  /** Step mode no longer covers the connection: bytes not yet framed go through now (they will be framed later). */
  private flushUnframed(): void {
    // A fault rule still armed needs them framed before they go.
    if (this.heldBytes === 0 || this.framing) return;
    const rest = this.take(this.heldBytes);
    this.forward(rest);
    this.forwardedAhead += rest.length;
    this.maybeEnd();
  }

  private peek(count: number): Buffer {
    const all = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held);
    this.held = all.length > 0 ? [all] : [];
    return Buffer.from(all.subarray(0, count));
  }

  private take(count: number): Buffer {
    if (count <= 0) return Buffer.alloc(0);
    const all = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held);
    const taken = all.subarray(0, count);
    const rest = all.subarray(count);
    this.held = rest.length > 0 ? [rest] : [];
    this.heldBytes = rest.length;
    return taken;
  }

  private forward(chunk: Buffer): void {
    if (chunk.length === 0 || this.destination.destroyed || this.destination.writableEnded) return;
    this.onForwarded?.(chunk);
    if (!this.destination.write(chunk) && !this.awaitingDrain) {
      // Backpressure: stop reading until the slow side drains (bulk transfers). One listener per
      // wait: chunks already read while paused (and step releases) must not stack up more of them.
      this.awaitingDrain = true;
      this.source.pause();
      this.destination.once('drain', () => {
        this.awaitingDrain = false;
        if (!this.awaitingDissection) this.source.resume();
      });
    }
  }

  private maybeEnd(): void {
    if (this.endRequested && this.queued === 0 && this.heldBytes === 0 && !this.destination.writableEnded) {
      this.onEndForwarded?.();
      this.destination.end();
    }
  }
}

/** What an in-memory end is destroyed with when the lab resets the connection itself (a fault rule's cut, not the server). */
export class LabReset extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('connection reset by the lab');
  }
}

/**
 * Drops a socket the hard way, as a failing network does: TCP RST where there is TCP; an in-memory end
 * (an in-process server's) is destroyed with ECONNRESET, which its server sees as a reset, not an orderly
 * close (ftp-srv took a plain close as the end of its writes and answered a cut RETR 226).
 */
function reset(socket: Duplex): void {
  try {
    if (socket instanceof Socket && !socket.destroyed && !socket.connecting) socket.resetAndDestroy();
    else if (socket instanceof Socket || socket.destroyed) socket.destroy();
    else socket.destroy(new LabReset());
  } catch {
    socket.destroy();
  }
}
