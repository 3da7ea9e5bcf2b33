/**
 * Endpoint views bound to their tapped connection once. A lab's real server names each session by
 * the port it was reached from — the tap's upstream port — and may log a session's last lines after
 * the tap has let go of it (the client hung up while the server was still working). So the session
 * is bound to its ConnectionRecorder when it starts and keeps that binding until its own end,
 * instead of looking the port up again on every line.
 */
import type { DissectedMessage } from '../protocols/types.ts';
import { DecodeGuard } from './decode-guard.ts';
import type { ConnectionRecorder } from './recorder.ts';

/** Finds the live tapped connection whose upstream socket has this local port (`tap.byUpstreamPort`). */
export type UpstreamLookup = (remotePort: number) => { recorder: ConnectionRecorder } | undefined;

/** One server session bound to its recorder; `D` is its endpoint decoder (a dissector, an adapter). */
export class EndpointSession<D> {
  private guard: DecodeGuard<D> | null = null;

  constructor(readonly recorder: ConnectionRecorder) {}

  /** Starts (or restarts) the endpoint view with `decoder`, e.g. once TLS is up; its steps run guarded. */
  decodeWith(decoder: D): void {
    this.guard = new DecodeGuard(decoder, this.recorder, 'endpoint');
  }

  /** True while there is a decoder that has not failed. */
  get decoding(): boolean {
    return this.guard !== null && !this.guard.failed;
  }

  /** One guarded decoding step; [] before `decodeWith` and after the decoder threw (one error note). */
  decode(step: (decoder: D) => DissectedMessage[]): DissectedMessage[] {
    return this.guard?.run(step) ?? [];
  }

  /** Decodes one step and records what it produced in the endpoint view. */
  record(step: (decoder: D) => DissectedMessage[]): void {
    for (const message of this.decode(step)) this.recorder.record(message, 'endpoint');
  }
}

/**
 * Ended sessions whose binding is kept for lines logged after the end: ftp-srv reports a closed
 * socket before it has handled the commands the client pipelined ahead of its hang-up. Session keys
 * are never reused (random ids, increasing numbers), so a kept binding cannot catch another session.
 */
const KEPT_AFTER_END = 256;

/** The sessions of one server, each bound once, at its start, to the tapped connection it came through. */
export class EndpointBindings<K, D> {
  /** null: started on no tapped connection (it stays unbound rather than be bound to a later one). */
  private readonly sessions = new Map<K, EndpointSession<D> | null>();
  /** The last ended sessions, oldest first. */
  private readonly ended = new Map<K, EndpointSession<D> | null>();

  constructor(private readonly lookup: UpstreamLookup) {}

  /**
   * The server session `key` started on the tap's upstream socket `remotePort`: binds it to that
   * connection's recorder. Only the first call per session looks the port up; later calls return
   * the same binding.
   */
  bind(key: K, remotePort: number): EndpointSession<D> | undefined {
    if (this.sessions.has(key) || this.ended.has(key)) return this.get(key);
    const recorder = this.lookup(remotePort)?.recorder;
    const session = recorder ? new EndpointSession<D>(recorder) : null;
    this.sessions.set(key, session);
    return session ?? undefined;
  }

  /** The binding of a session (undefined if it was never bound, or ended long ago). */
  get(key: K): EndpointSession<D> | undefined {
    return this.sessions.get(key) ?? this.ended.get(key) ?? undefined;
  }

  /** The server session ended: its binding is kept a little longer, for lines it logs late. */
  release(key: K): void {
    if (!this.sessions.has(key)) return;
    this.ended.set(key, this.sessions.get(key) ?? null);
    this.sessions.delete(key);
    if (this.ended.size > KEPT_AFTER_END) this.ended.delete(this.ended.keys().next().value as K);
  }
}
