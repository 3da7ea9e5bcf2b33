import type { HeldPreview, StepState } from '../bus/events.ts';
import type { Protocol } from './event.ts';

/** A framed message waiting to be let through: `release` forwards its bytes and publishes it. */
export interface HeldMessage {
  /** Bytes it releases; zero-byte items (notes) pass as soon as they reach the head. */
  bytes: number;
  release(): void;
  /** What it is, for the held-message display. */
  preview?: HeldPreview;
}

/** Longest first line shown for a held message. */
const PREVIEW_CHARS = 80;

/**
 * Step mode for one tap: while enabled, every framed message waits in one FIFO (across all
 * connections of the protocol, in arrival order) until Step or Play lets it through. Turning
 * step mode off releases everything still held, in order, so no byte is ever lost.
 */
export class StepController {
  private readonly queue: HeldMessage[] = [];
  private enabledFlag = false;
  private timer: NodeJS.Timeout | null = null;
  private paceMs = 800;
  private readonly flushHooks = new Set<() => void>();

  constructor(
    readonly protocol: Protocol,
    private readonly onChange: (state: StepState) => void,
  ) {}

  get enabled(): boolean {
    return this.enabledFlag;
  }

  state(): StepState {
    const next = this.queue.find((m) => m.bytes > 0)?.preview;
    return {
      protocol: this.protocol,
      enabled: this.enabledFlag,
      held: this.queue.filter((m) => m.bytes > 0).length,
      playing: this.timer !== null,
      paceMs: this.paceMs,
      ...(next ? { next: { ...next, text: shorten(next.text) } } : {}),
    };
  }

  /** Called by a gate when step mode ends, to forward bytes no message has framed yet. */
  onFlush(hook: () => void): () => void {
    this.flushHooks.add(hook);
    return () => this.flushHooks.delete(hook);
  }

  /** True while anything is held: later messages must queue behind it to keep order. */
  get busy(): boolean {
    return this.queue.length > 0;
  }

  hold(message: HeldMessage): void {
    this.queue.push(message);
    this.releaseZeroByteHead();
    this.onChange(this.state());
  }

  setEnabled(enabled: boolean): void {
    if (enabled === this.enabledFlag) return;
    this.enabledFlag = enabled;
    if (!enabled) {
      this.stopPlaying();
      while (this.queue.length > 0) this.queue.shift()?.release();
      for (const hook of this.flushHooks) hook();
    }
    this.onChange(this.state());
  }

  /** Releases the oldest held message (and any notes right behind it). Returns false if none. */
  step(): boolean {
    const next = this.queue.shift();
    if (!next) return false;
    next.release();
    this.releaseZeroByteHead();
    this.onChange(this.state());
    return true;
  }

  /** Releases one message every `paceMs` until paused or step mode ends. */
  play(paceMs: number): void {
    this.paceMs = Math.min(10_000, Math.max(50, Math.round(paceMs)));
    this.stopPlaying();
    if (!this.enabledFlag) return;
    this.timer = setInterval(() => this.step(), this.paceMs);
    this.timer.unref();
    this.onChange(this.state());
  }

  pause(): void {
    this.stopPlaying();
    this.onChange(this.state());
  }

  /** Stops timers; used at shutdown. */
  dispose(): void {
    this.stopPlaying();
  }

  private stopPlaying(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private releaseZeroByteHead(): void {
    while (this.queue.length > 0 && this.queue[0].bytes === 0) this.queue.shift()?.release();
  }
}

/** The first line of a message, cut to fit beside the Step button. */
function shorten(text: string): string {
  const line = text.split(/\r?\n/, 1)[0];
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}
