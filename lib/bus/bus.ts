import { CaptureChannel } from './captures.ts';
import type { LabEvent } from './events.ts';

type Listener = (event: LabEvent) => void;

/**
 * The daemon's one in-process event bus. Publishing never throws: a failing subscriber is
 * reported and skipped, so a bug in the UI hub cannot stop the store (or a protocol server).
 */
export class Bus {
  private readonly listeners = new Set<Listener>();
  /** Captured bytes and key log lines (lib/bus/captures.ts): to the store only, never to browsers. */
  readonly captures: CaptureChannel;

  /** `captureBytes`: how much of each connection the recorders capture (LAB_CAPTURE_BYTES). */
  constructor(options: { captureBytes?: number } = {}) {
    this.captures = new CaptureChannel(options.captureBytes);
  }

  /** Subscribes; returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        console.error(`[bus] subscriber failed on ${event.type}:`, err);
      }
    }
  }
}
