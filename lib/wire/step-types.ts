/** The types a gate and its step mode share (lib/wire/step.ts is the controller). */
import type { HeldPreview } from '../bus/events.ts';
import type { ConnectionFaults, Injection } from '../faults/tap-faults.ts';
import type { DissectedMessage, StreamDir } from '../protocols/types.ts';
import type { Protocol } from './event.ts';

/** The last message a direction let through, and whether step mode's edit made it (its answer is read against the edit). */
export interface ReleasedMessage {
  message: DissectedMessage;
  bytes: Buffer;
  edited?: boolean;
}

/** A framed message waiting to be let through: `release` forwards its bytes and publishes it. */
export interface HeldMessage {
  /** Bytes it releases; zero-byte items (notes) pass as soon as they reach the head. */
  bytes: number;
  release(): void;
  /** What it is, for the held-message display. */
  preview?: HeldPreview;
  /** Hold-edit-release: how this held message can be changed or dropped before it goes on. */
  edits?: HeldEdits;
  /** True once it has nothing left to release (a part of an HTTP message edited whole): it passes like a note. */
  isVoid?(): boolean;
}

/** What the gate offers for a held message: its full text for editing, or why it cannot be edited. */
export interface HeldEdits {
  /** The full text offered for editing, or the refusal in words. */
  offer(): { text: string } | { refusal: string };
  /** Releases the message with `text` instead; returns a refusal in words (nothing released) when it cannot. */
  release(text: string): string | null;
  /** Releases nothing: the message is recorded as dropped. */
  drop(): void;
}

/** What a gate lets its connection's other gate and the fault rules do to it. */
export interface GateHandle {
  /** Sends bytes the lab wrote (an injected reply) in this direction, in order behind what is already held. */
  inject(injection: Injection): void;
  /** Closes the connection from this direction: `graceful` ends the destination after what was written; otherwise both sockets are reset. */
  shut(graceful: boolean): void;
  /** The last message this direction released, with its bytes (a reply's edit primer reads the command it answers). */
  lastReleased(): ReleasedMessage | undefined;
}

/** Whose a connection is: its sandbox, and the browser whose console or panel opened it (none for external clients). */
export interface ConnectionOwner {
  sandbox: string;
  browser?: string;
}

/** Who turned step mode on: a browser (its WebSocket) or the HTTP API, always inside one sandbox. */
export interface StepHolder {
  id: string;
  sandbox: string;
}

/** The gate's handle on step mode for one connection. */
export interface StepLane {
  /** True while step mode covers this connection or anything of it is still held (order). */
  readonly holding: boolean;
  hold(message: HeldMessage): void;
  /** A held message grew (the rest of an HTTP message joined its hold): holders see its new state. */
  changed(): void;
  /** Called when step mode no longer covers the connection, to forward bytes no message has framed yet. */
  onFlush(hook: () => void): () => void;
  /** The connection ended; what is still held stays until released. */
  close(): void;
  /** The protocol of the tap (which editor reads its held messages). */
  readonly protocol: Protocol;
  /** The scripted faults of this connection, or null when no fault engine is attached. */
  readonly faults: ConnectionFaults | null;
  /** A gate registers itself so the other direction and the fault rules can inject into it or close it. */
  attach(dir: StreamDir, gate: GateHandle): () => void;
  /** The gate of `dir`, if attached. */
  gate(dir: StreamDir): GateHandle | undefined;
}
