import { randomBytes } from 'node:crypto';
import type { Bus } from '../bus/bus.ts';
import type { DissectedMessage } from '../protocols/types.ts';
import type { Annotation, ConnectionInfo, LabMessage, Protocol, View } from './event.ts';

/** Short, URL-safe, unique-enough connection ids: 'smtp-k3j9x2a1'. */
export function newConnectionId(protocol: Protocol): string {
  return `${protocol}-${randomBytes(6).toString('base64url')}`;
}

/**
 * The record of one connection: gives every message its id, per-connection seq and
 * monotonic time, and publishes it. The tap (wire view) and the protocol's endpoint
 * adapter (library logs, after decryption) write through the same recorder, so both
 * views interleave in one ordered transcript.
 */
export class ConnectionRecorder {
  readonly info: ConnectionInfo;
  private seq = 0;
  private readonly startedMono = performance.now();

  constructor(
    private readonly bus: Bus,
    init: { protocol: Protocol; sandbox: string; client: string; server?: string; label?: string; parent?: string },
  ) {
    this.info = {
      id: newConnectionId(init.protocol),
      protocol: init.protocol,
      sandbox: init.sandbox,
      startedAt: Date.now(),
      endedAt: null,
      messageCount: 0,
      client: init.client,
      ...(init.server ? { server: init.server } : {}),
      label: init.label,
      parent: init.parent,
    };
    bus.publish({ type: 'connection.open', connection: { ...this.info } });
  }

  get closed(): boolean {
    return this.info.endedAt !== null;
  }

  /** Stamps and publishes a dissected message; returns it as published. */
  record(message: DissectedMessage, view: View): LabMessage {
    const seq = ++this.seq;
    this.info.messageCount = seq;
    const stamped: LabMessage = {
      id: `${this.info.id}:${seq}`,
      conn: this.info.id,
      sandbox: this.info.sandbox,
      protocol: this.info.protocol,
      seq,
      t: Math.round((performance.now() - this.startedMono) * 10) / 10,
      dir: message.dir,
      view,
      kind: message.kind,
      text: message.text,
      fields: message.fields,
      annotation: message.annotation,
      phase: message.phase,
      bytes: message.bytes,
      ...(message.at !== undefined ? { at: message.at } : {}),
      ...(message.edited ? { edited: message.edited } : {}),
      ...(message.injected ? { injected: message.injected } : {}),
    };
    this.bus.publish({ type: 'message', message: stamped });
    return stamped;
  }

  /** The lab explaining something about this connection (not bytes anyone sent). */
  note(text: string, annotation?: Annotation, view: View = 'wire'): LabMessage {
    return this.record({ dir: 'note', kind: 'note', text, bytes: 0, annotation }, view);
  }

  /**
   * Renames the connection in the lab's lists while it is open (an SSH connection that turns
   * out to be SFTP) and publishes a `connection.update`, never a second `connection.open`.
   */
  relabel(label: string): void {
    if (this.info.label === label) return;
    this.info.label = label;
    this.bus.publish({ type: 'connection.update', connection: { ...this.info } });
  }

  /** Marks the connection ended (idempotent) and publishes that. */
  close(): void {
    if (this.closed) return;
    this.info.endedAt = Date.now();
    this.bus.publish({ type: 'connection.close', connection: { ...this.info } });
  }
}
