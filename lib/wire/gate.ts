import type { Duplex } from 'node:stream';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { StepLane } from './step.ts';

/**
 * One direction of a tapped connection (client→server or server→client). In pass-through
 * mode it forwards each chunk at once; while step mode covers its connection it keeps the raw
 * bytes and lets exactly the bytes of each framed message through when that message is released.
 */
export class DirectionGate {
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes already forwarded that no message has covered yet (a partial line, say). */
  private forwardedAhead = 0;
  private endRequested = false;
  private awaitingDrain = false;
  private queued = 0;
  /** Source bytes framed so far: where the next framed message starts (LabMessage.at). */
  private framedBytes = 0;
  private readonly detachFlush: () => void;

  constructor(
    readonly dir: StreamDir,
    // Any duplex: a TCP socket, or an in-memory end handed to an in-process server.
    private readonly source: Duplex,
    private readonly destination: Duplex,
    /** The connection's step lane (both directions share it, so they stay in order). */
    private readonly step: StepLane,
    private readonly publish: (message: DissectedMessage) => void,
    /** Names the connection in the held-message display: its id and how the lab lists it. */
    private readonly connection?: { id: string; name: string },
    /** Told when the source's end is passed on (after everything held in front of it). */
    private readonly onEndForwarded?: () => void,
    /** Told of every chunk as it is written to the destination (the capture behind the bytes view and pcapng). */
    private readonly onForwarded?: (chunk: Buffer) => void,
  ) {
    this.detachFlush = step.onFlush(() => this.flushUnframed());
  }

  /** Takes one chunk from the source and the messages the dissector framed from it. */
  accept(chunk: Buffer, framed: DissectedMessage[]): void {
    const holding = this.step.holding;
    if (holding) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    } else {
      this.forward(chunk);
      this.forwardedAhead += chunk.length;
    }
    for (const message of framed) this.frame(message, holding);
  }

  /** The source half-closed: end the destination once everything held has gone through. */
  end(finalMessages: DissectedMessage[]): void {
    for (const message of finalMessages) this.frame(message, this.step.holding);
    this.endRequested = true;
    this.maybeEnd();
  }

  dispose(): void {
    this.detachFlush();
  }

  private frame(unplaced: DissectedMessage, holding: boolean): void {
    // Where it starts in the forwarded stream: its bytes are the next ones after everything framed before it.
    const message = unplaced.dir === 'note' || unplaced.bytes === 0 ? unplaced : { ...unplaced, at: this.framedBytes };
    this.framedBytes += message.bytes;
    const covered = Math.min(message.bytes, this.forwardedAhead);
    this.forwardedAhead -= covered;
    const toRelease = message.bytes - covered;
    if (!holding && toRelease === 0) {
      this.publish(message);
      return;
    }
    this.queued++;
    this.step.hold({
      bytes: toRelease > 0 || message.dir !== 'note' ? Math.max(toRelease, 1) : 0,
      preview: this.connection && { conn: this.connection.id, connection: this.connection.name, dir: message.dir, text: message.text },
      release: () => {
        this.queued--;
        this.forward(this.take(toRelease));
        this.publish(message);
        this.maybeEnd();
      },
    });
  }

  /** Step mode no longer covers the connection: bytes not yet framed go through now (they will be framed later). */
  private flushUnframed(): void {
    if (this.heldBytes === 0) return;
    const rest = this.take(this.heldBytes);
    this.forward(rest);
    this.forwardedAhead += rest.length;
    this.maybeEnd();
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
        this.source.resume();
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
