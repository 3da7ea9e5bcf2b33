/**
 * The middle of a tap, for one connection whose two sockets already exist: bytes from each side go
 * through its DirectionGate (step mode), its dissector (guarded) and its recorder (wire view) to
 * the other side. The tap's acceptor builds the sockets for its own clients; a lab that opens a
 * secondary connection itself (an FTP data connection, parent = its control connection) runs the
 * same pipeline on the sockets it has, so step mode and the wire view cover it like any other.
 */
import type { Duplex } from 'node:stream';
import type { DissectedMessage, Dissector, StreamDir } from '../protocols/types.ts';
import { DecodeGuard } from './decode-guard.ts';
import { DirectionGate } from './gate.ts';
import type { ConnectionRecorder } from './recorder.ts';
import type { ConnectionOwner, StepController } from './step.ts';

/**
 * A dissector that can flush one direction when its sender half-closes: what it frames then covers
 * that direction's last bytes, so step mode can release them (and the FIN behind them) before the
 * connection closes. A summariser that frames a bulk transfer only at its end needs it.
 */
export interface HalfCloseDissector extends Dissector {
  endOf(dir: StreamDir): DissectedMessage[];
}

function flushesHalfClose(d: Dissector): d is HalfCloseDissector {
  return typeof (d as Partial<HalfCloseDissector>).endOf === 'function';
}

/** One connection through the pipeline. */
export interface PipelineOptions {
  /** The client's side: a socket the lab accepted or connected (paused or flowing). */
  client: Duplex;
  /** The server's side, connected (a socket, or an in-memory end handed to an in-process server). */
  upstream: Duplex;
  /** The connection's record (its `parent` names the connection it belongs to, if any). */
  recorder: ConnectionRecorder;
  /** The step mode that holds its messages (the tap's, shared by its secondary connections). */
  step: StepController;
  /** Whose it is: held by its sandbox's step mode unless another browser opened it. */
  owner: ConnectionOwner;
  dissector: Dissector;
  /** The client stays paused: the caller resumes it (the tap does once its upstream has connected). */
  clientPaused?: boolean;
  /**
   * A side's end is passed on to the other side, after everything step mode held in front of it
   * (so a note about it takes its place after the messages it follows), just before the FIN goes.
   */
  onEnd?(dir: StreamDir): void;
  /** Both sides closed: after the dissector's last messages, before the recorder closes. */
  onClose?(): void;
}

/**
 * Relays `client` ⇄ `upstream` through gates, dissector and recorder; a side's FIN is passed on
 * once the bytes held in front of it are through, and the recorder closes when both sides have.
 * An error on one side destroys the other.
 */
export function runPipeline(options: PipelineOptions): void {
  const { client, upstream, recorder } = options;
  const lane = options.step.open(recorder.info.id, options.owner, recorder.info.parent);
  const guard = new DecodeGuard(options.dissector, recorder);
  const dissect = (run: (d: Dissector) => DissectedMessage[]): DissectedMessage[] => guard.run(run);
  const publish = (message: DissectedMessage) => recorder.record(message, 'wire');
  const held = { id: recorder.info.id, name: recorder.info.label ?? recorder.info.client };
  // Each chunk written to the other side is captured as written (the bytes view, pcapng export).
  const gates: Record<StreamDir, DirectionGate> = {
    client: new DirectionGate('client', client, upstream, lane, publish, held, () => options.onEnd?.('client'), (chunk) => recorder.capture('client', chunk)),
    server: new DirectionGate('server', upstream, client, lane, publish, held, () => options.onEnd?.('server'), (chunk) => recorder.capture('server', chunk)),
  };
  const sources: Record<StreamDir, Duplex> = { client, server: upstream };

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    for (const message of dissect((d) => d.end())) publish(message);
    gates.client.dispose();
    gates.server.dispose();
    lane.close();
    options.onClose?.();
    recorder.close();
  };

  let closed = 0;
  for (const dir of ['client', 'server'] as const) {
    const source = sources[dir];
    const other = dir === 'client' ? upstream : client;
    source.on('data', (chunk: Buffer) => gates[dir].accept(chunk, dissect((d) => d.push(dir, chunk))));
    source.on('end', () => gates[dir].end(dissect((d) => (flushesHalfClose(d) ? d.endOf(dir) : []))));
    source.on('error', () => other.destroy());
    // When one side goes away, end the other once its held bytes are through (step mode may hold some).
    source.on('close', () => {
      gates[dir].end([]);
      if (++closed === 2) finish();
    });
    if (dir === 'server' || !options.clientPaused) source.resume();
  }
}
