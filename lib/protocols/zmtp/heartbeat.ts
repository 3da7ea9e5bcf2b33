/**
 * Missed heartbeats (ZMTP RFC 37 §5): a peer SHOULD treat any incoming traffic as a sign of life, and
 * consider the connection dead when a PING it sent brings none. libzmq works that way (ZMQ_HEARTBEAT_TIMEOUT
 * is armed by a PING and disarmed by any frame from the peer), so when a connection closes while one side's
 * PINGs still wait for any frame back, the other side missed its heartbeats: the wire view says so in a note.
 */
import type { DissectedMessage, StreamDir } from '../types.ts';
import { annotate } from './annotate.ts';

/** The receiving sockets' heartbeat settings, when known (libzmq ZMQ_HEARTBEAT_IVL, ZMQ_HEARTBEAT_TIMEOUT). */
export interface HeartbeatSettings {
  intervalMs: number;
  timeoutMs: number;
}

const peerOf = (dir: StreamDir): StreamDir => (dir === 'client' ? 'server' : 'client');
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** Counts, per side, the PINGs it sent that no frame from the peer has followed yet. */
export class HeartbeatWatch {
  private readonly unanswered: Record<StreamDir, number> = { client: 0, server: 0 };

  /** The server is the lab's socket when `settings` are given: the note then names its timers. */
  constructor(private readonly settings?: HeartbeatSettings) {}

  /** A whole frame (command or message) from `dir`: a sign of life for the peer's PINGs. */
  frame(dir: StreamDir, ping: boolean): void {
    this.unanswered[peerOf(dir)] = 0;
    if (ping) this.unanswered[dir]++;
  }

  /** At the close: a note for each side whose PINGs got nothing back. */
  notes(): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    for (const dir of ['server', 'client'] as const) {
      const pings = this.unanswered[dir];
      if (pings === 0) continue;
      const peer = peerOf(dir);
      const count = pings === 1 ? 'a PING' : `${pings} PINGs`;
      let extra = `The ${dir} sent ${count} and got no PONG, nor any other frame, from the ${peer} before the connection closed.`;
      if (dir === 'server' && this.settings) {
        const { intervalMs, timeoutMs } = this.settings;
        extra += ` The lab's sockets send a PING every ${seconds(intervalMs)} (ZMQ_HEARTBEAT_IVL) and close a connection that brings nothing within ${seconds(timeoutMs)} of one (ZMQ_HEARTBEAT_TIMEOUT): a peer that stops answering is dropped about ${seconds(intervalMs + timeoutMs)} after its last frame.`;
      }
      const text = `the ${peer} missed its heartbeats: ${count} from the ${dir} unanswered`;
      out.push({ dir: 'note', kind: 'note', text, bytes: 0, annotation: annotate('zmtp.heartbeat.missed', { extra }) });
    }
    return out;
  }
}
