import type { Annotation, Dir, Field, SecretSpan } from '../wire/event.ts';

/**
 * What a dissector produces for one framed message. The tap adds identity (conn, seq, t…).
 * `bytes` is how many raw bytes of this direction's stream the message covers: the tap uses it
 * to hold and release exactly those bytes in step mode. Messages that cover no bytes (notes) use 0.
 */
export interface DissectedMessage {
  dir: Dir;
  kind: string;
  text: string;
  bytes: number;
  fields?: Field[];
  annotation?: Annotation;
  phase?: string;
  /** Offset in the forwarded stream, set by the tap's gate (see LabMessage.at); dissectors leave it out. */
  at?: number;
  edited?: { original: string };
  injected?: { rule: string; title: string };
  /** Where `text` holds a credential (LabMessage.secret): the dissector marks it, followers never see it. */
  secret?: SecretSpan;
}

/** Which way a chunk travelled. */
export type StreamDir = 'client' | 'server';

/**
 * A pure, incremental dissector for one connection: feed it chunks in arrival order (any split),
 * get framed messages back. It must never throw on garbage and must bound its buffers.
 */
export interface Dissector {
  /** Feed one chunk; returns the messages completed by it, in order. */
  push(dir: StreamDir, chunk: Uint8Array): DissectedMessage[];
  /** The connection ended: flush whatever is pending (e.g. a line without CRLF). */
  end(): DissectedMessage[];
}

/**
 * A dissector that can flush one direction when its sender half-closes: what it frames then covers
 * that direction's last bytes, so step mode can release them (and the FIN behind them) before the
 * connection closes. A summariser that frames a bulk transfer only at its end needs it.
 */
export interface HalfCloseDissector extends Dissector {
  endOf(dir: StreamDir): DissectedMessage[];
}

/** What a dissector frames when `dir`'s sender half-closes: nothing, unless it flushes half-closes. */
export function endOfDirection(dissector: Dissector, dir: StreamDir): DissectedMessage[] {
  const flushes = typeof (dissector as Partial<HalfCloseDissector>).endOf === 'function';
  return flushes ? (dissector as HalfCloseDissector).endOf(dir) : [];
}

/** The connection a dissector is built for: its id and sandbox, as the recorder filed it. */
export interface DissectorContext {
  conn: string;
  sandbox: string;
}

/**
 * Builds a fresh dissector per connection. Protocol dissectors ignore the context; a lab that
 * adds an endpoint view from the raw bytes (ZeroMQ's CURVE boxes) uses it to know whose bytes they are.
 */
export type DissectorFactory = (connection: DissectorContext) => Dissector;
