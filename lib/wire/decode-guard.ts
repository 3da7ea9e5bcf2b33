import type { DissectedMessage } from '../protocols/types.ts';
import type { View } from './event.ts';
import type { ConnectionRecorder } from './recorder.ts';

/**
 * Runs one connection's decoder (the tap's dissector, an endpoint adapter) so that a bug in it
 * never reaches the connection: its first throw becomes one error note on the recorder, the decoder
 * is dropped, and every later step returns nothing. The tap and every endpoint view share it.
 */
export class DecodeGuard<D> {
  private decoder: D | null;

  constructor(
    decoder: D,
    private readonly recorder: ConnectionRecorder,
    /** The view the error note is filed in: the decoder's own. */
    private readonly view: View = 'wire',
  ) {
    this.decoder = decoder;
  }

  /** True once the decoder has thrown (and been dropped). */
  get failed(): boolean {
    return this.decoder === null;
  }

  /** One decoding step; [] after a failure. Never throws. */
  run(step: (decoder: D) => DissectedMessage[]): DissectedMessage[] {
    if (!this.decoder) return [];
    try {
      return step(this.decoder);
    } catch (err) {
      this.decoder = null;
      noteDecoderFailure(this.recorder, err instanceof Error ? err.message : String(err), this.view);
      return [];
    }
  }
}

/** The one note a connection gets when its decoder throws (here, or on the dissect thread). */
export function noteDecoderFailure(recorder: ConnectionRecorder, reason: string, view: View = 'wire'): void {
  const rest = view === 'wire' ? 'bytes are still relayed but no longer decoded' : "the server's side of this connection is no longer decoded";
  recorder.note(
    `Dissector failed (${reason}); ${rest}.`,
    {
      title: 'Dissector error',
      explain: 'The lab could not decode the rest of this stream. The connection itself is unaffected.',
      level: 'error',
    },
    view,
  );
}
