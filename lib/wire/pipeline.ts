/**
 * The middle of a tap, for one connection whose two sockets already exist: bytes from each side go
 * through its DirectionGate (step mode), its dissector (guarded) and its recorder (wire view) to
 * the other side. The tap's acceptor builds the sockets for its own clients; a lab that opens a
 * secondary connection itself (an FTP data connection, parent = its control connection) runs the
 * same pipeline on the sockets it has, so step mode and the wire view cover it like any other.
 */
import type { Duplex } from 'node:stream';
import { endOfDirection, type DissectedMessage, type Dissector, type StreamDir } from '../protocols/types.ts';
import { DecodeGuard } from './decode-guard.ts';
import { ThreadDissection } from './dissect-thread.ts';
import { DirectionGate } from './gate.ts';
import type { ConnectionRecorder } from './recorder.ts';
import type { ConnectionOwner, StepController } from './step.ts';

export type { HalfCloseDissector } from '../protocols/types.ts';

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
  /** The connection's dissector here, or its dissection on the dissect thread (lib/wire/dissect-thread.ts). */
  dissector: Dissector | ThreadDissection;
  /** The client stays paused: the caller resumes it (the tap does once its upstream has connected). */
  clientPaused?: boolean;
  /**
   * A side's end is passed on to the other side, after everything step mode held in front of it
   * (so a note about it takes its place after the messages it follows), just before the FIN goes.
   */
  onEnd?(dir: StreamDir): void;
  /**
   * Both sides closed. What it records comes after the dissector's last messages and before the
   * recorder closes (the recorder keeps that order while the dissect thread still reads).
   */
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
  const dissection = dissectionOf(options.dissector, recorder);
  const publish = (message: DissectedMessage, at?: number) => recorder.record(message, 'wire', at);
  const held = { id: recorder.info.id, name: recorder.info.label ?? recorder.info.client };
  // Each chunk written to the other side is captured as written (the bytes view, pcapng export).
  const gates: Record<StreamDir, DirectionGate> = {
    client: new DirectionGate('client', client, upstream, lane, publish, held, () => options.onEnd?.('client'), (chunk) => recorder.capture('client', chunk), (bytes) => dissection.read('client', bytes)),
    server: new DirectionGate('server', upstream, client, lane, publish, held, () => options.onEnd?.('server'), (chunk) => recorder.capture('server', chunk), (bytes) => dissection.read('server', bytes)),
  };
  const sources: Record<StreamDir, Duplex> = { client, server: upstream };

  // Once both sockets have closed the connection is over for the tap's bookkeeping (onClose) at once; its
  // record (the dissector's last messages, then onClose's notes, then the close) keeps wire order through
  // the recorder, however late the dissect thread answers.
  let closed = 0;
  const finish = () => {
    dissection.end((last) => {
      for (const message of last) publish(message);
      gates.client.dispose();
      gates.server.dispose();
      lane.close();
    });
    options.onClose?.();
    recorder.close();
  };
  for (const dir of ['client', 'server'] as const) {
    const source = sources[dir];
    const other = dir === 'client' ? upstream : client;
    source.on('data', (chunk: Buffer) => dissection.push(dir, chunk, gates[dir]));
    source.on('end', () => dissection.endOf(dir, (last) => gates[dir].end(last)));
    source.on('error', () => other.destroy());
    source.on('close', () => {
      // When one side goes away, end the other once its held bytes are through (step mode may hold some).
      dissection.after(() => gates[dir].end([]));
      if (++closed === 2) finish();
    });
    if (dir === 'server' || !options.clientPaused) source.resume();
  }
}

/** The pipeline's view of a dissector: here (answers at once) or on the dissect thread (answers in order, later). */
interface Dissection {
  /** Forwards the chunk through the gate and frames its messages there (now, or once they are read). */
  push(dir: StreamDir, chunk: Buffer, gate: DirectionGate): void;
  /** Bytes the lab wrote in `dir`'s place: the dissector reads them to keep its state; their messages are the lab's own, so dropped. */
  read(dir: StreamDir, bytes: Buffer): void;
  endOf(dir: StreamDir, then: (messages: DissectedMessage[]) => void): void;
  end(then: (messages: DissectedMessage[]) => void): void;
  after(then: () => void): void;
}

function dissectionOf(dissector: Dissector | ThreadDissection, recorder: ConnectionRecorder): Dissection {
  if (dissector instanceof ThreadDissection) {
    return {
      push(dir, chunk, gate) {
        // A gate a fault rule cut takes nothing more: nothing to read either.
        if (gate.isStopped) return;
        gate.accept(chunk, []);
        dissector.push(dir, chunk, (messages) => gate.frameAll(messages));
        // A client faster than the thread reads (a flood): take no more from it until the thread caught up.
        if (dissector.behind) gate.pauseSourceUntil((resume) => dissector.whenCaughtUp(resume));
      },
      read: (dir, bytes) => dissector.push(dir, bytes, () => undefined),
      endOf: (dir, then) => dissector.endOf(dir, then),
      end: (then) => dissector.end(then),
      after: (then) => dissector.after(then),
    };
  }
  const guard = new DecodeGuard(dissector, recorder);
  return {
    push: (dir, chunk, gate) => gate.accept(chunk, guard.run((d) => d.push(dir, chunk))),
    read: (dir, bytes) => void guard.run((d) => d.push(dir, bytes)),
    endOf: (dir, then) => then(guard.run((d) => endOfDirection(d, dir))),
    end: (then) => then(guard.run((d) => d.end())),
    after: (then) => then(),
  };
}
