/**
 * Another protocol's client on an HTTP port (ssh, an https:// URL, swaks, a ZeroMQ socket): its first
 * bytes, read with the kit's otherClientOf, name it. A text opening is the first start line (http.ts
 * asks); a binary one is read here before any line: a TLS record is framed whole (a ClientHello holds
 * 0x0a bytes, so the line reader would cut it into lines of garbage), a ZMTP signature is 10 octets.
 */
import { hexPreview } from '../../wire/escape.ts';
import type { Annotation } from '../../wire/event.ts';
import { EMPTY_BYTES, concat } from '../../wire/line-reader.ts';
import { flushTls, frameTls, initialTlsFramerState, type TlsFrame, type TlsFramerState } from '../../wire/tls-records.ts';
import { octetsToTell, otherClientOf, textOpeningOf, type OtherProtocol, type TextOpening } from '../kit/other-client.ts';
import { tlsFrameLine, tlsRecordMessage } from '../kit/tls-message.ts';
import type { DissectedMessage } from '../types.ts';

/** The openings a start line can be (http.ts names all but its own). */
export type LineOpening = Exclude<TextOpening, 'http'>;

/** The annotation for another protocol's client (http.ts picks the row and the host's flavour). */
export type OtherNote = (protocol: Exclude<OtherProtocol, 'http'>) => Annotation;

/** What the opening asks of the HTTP parser: go on with lines, replaying the bytes it held first. */
export interface OpeningStep {
  next: number;
  replay?: Uint8Array;
}

/**
 * The client's first bytes, before the HTTP parser reads lines: undecided while they may still be a
 * TLS record (0x16 0x03) or a ZMTP signature (0xFF … 0x7F); then TLS records to the end if they were.
 * Otherwise the parser reads lines and asks about the first start line.
 */
export class ClientOpening {
  private stage: 'sniff' | 'tls' | 'lines' = 'sniff';
  private held: Uint8Array = EMPTY_BYTES;
  private tls: TlsFramerState = initialTlsFramerState;
  private records = 0;
  private lineSeen = false;

  constructor(private readonly note: OtherNote) {}

  /** True while the bytes are read here, not by the line parser. */
  get reading(): boolean {
    return this.stage !== 'lines';
  }

  /** For the first start line only (null: one too long to read): which other protocol's client sent it. */
  firstLine(line: Uint8Array | null): LineOpening | null {
    if (this.lineSeen) return null;
    this.lineSeen = true;
    const other = line && textOpeningOf(line);
    return other && other !== 'http' ? other : null;
  }

  /** Reads chunk[pos…]; messages go to `out`. */
  step(chunk: Uint8Array, pos: number, out: DissectedMessage[]): OpeningStep {
    if (this.stage === 'tls') {
      const { state, frames } = frameTls(this.tls, chunk.subarray(pos));
      this.tls = state;
      out.push(...frames.map((f) => this.record(f)));
      return { next: chunk.length };
    }
    const first = this.held.length ? this.held[0] : chunk[pos];
    const need = octetsToTell(first);
    const take = Math.max(0, Math.min(need - this.held.length, chunk.length - pos));
    if (take > 0) this.held = concat(this.held, chunk.subarray(pos, pos + take));
    const next = pos + take;
    if (this.held.length < need) return { next };
    const held = this.held;
    this.held = EMPTY_BYTES;
    const other = need > 0 ? otherClientOf(held) : null;
    if (other === 'tls') {
      this.stage = 'tls';
      const { state, frames } = frameTls(this.tls, held);
      this.tls = state;
      out.push(...frames.map((f) => this.record(f)));
      return { next };
    }
    this.stage = 'lines';
    if (other === 'zmtp') {
      // Named here: the line after it is not the client's opening.
      this.lineSeen = true;
      out.push({ dir: 'client', kind: 'not-http', text: `ZMTP signature: ${hexPreview(held)}`, bytes: held.length, annotation: this.note('zmtp'), phase: 'http' });
      return { next };
    }
    return { next, replay: held };
  }

  /** The connection ended: a record cut short, or held bytes the parser has not seen (returned to it). */
  end(out: DissectedMessage[]): Uint8Array {
    if (this.stage === 'tls') out.push(...flushTls(this.tls).map((f) => this.record(f)));
    this.tls = initialTlsFramerState;
    this.stage = 'lines';
    const held = this.held;
    this.held = EMPTY_BYTES;
    return held;
  }

  /** A TLS record as one message; the first one names the client. */
  private record(frame: TlsFrame): DissectedMessage {
    const first = this.records++ === 0;
    return tlsRecordMessage('client', frame, { text: tlsFrameLine(frame), phase: 'http', ...(first ? { annotation: this.note('tls') } : {}) });
  }
}
