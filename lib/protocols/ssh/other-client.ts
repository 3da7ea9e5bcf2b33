/**
 * Another protocol's client on the SSH port (curl, swaks, an https:// URL, a ZeroMQ socket): the
 * client's first bytes, read with the kit's otherClientOf, name it. A text opening is a line like a
 * version line; a TLS record is framed whole (a ClientHello holds 0x0a bytes, so a line reader would
 * cut it into garbage); a ZMTP signature is 10 octets with no line end.
 */
import type { Annotation } from '../../wire/event.ts';
import { frameTls, type TlsFrame, type TlsFramerState } from '../../wire/tls-records.ts';
import { OTHER_PROTOCOL_REFS, type OtherProtocol } from '../kit/other-client.ts';
import { tlsFrameLine, tlsRecordMessage } from '../kit/tls-message.ts';
import type { DissectedMessage, StreamDir } from '../types.ts';
import { annotate } from './annotate.ts';

/** The SSH section every note cites: the version exchange the other client did not take part in. */
const OWN_REF = 'RFC 4253 §4.2';

/** The note on the client's first message when another protocol's client sent it. */
export function otherClientAnnotation(protocol: Exclude<OtherProtocol, 'ssh'>): Annotation {
  return annotate({ key: `ssh.other.${protocol}`, ref: `${OTHER_PROTOCOL_REFS[protocol]}; ${OWN_REF}`, level: 'error' });
}

/** A TLS record header: content type, version, length (RFC 8446 §5.1). */
const RECORD_HEADER = 5;

/**
 * Feeds `data` to the framer up to the end of the first record and never past it; the frame once
 * the record (or a header that is no record's) is whole. What follows is not read as TLS.
 */
export function firstTlsRecord(state: TlsFramerState, data: Uint8Array): { state: TlsFramerState; used: number; frame: TlsFrame | null } {
  let used = 0;
  while (used < data.length) {
    const want = state.open ? state.open.remaining : RECORD_HEADER - state.header.length;
    const part = data.subarray(used, used + Math.min(want, data.length - used));
    const framed = frameTls(state, part);
    state = framed.state;
    used += part.length;
    if (framed.frames.length > 0) return { state, used, frame: framed.frames[0] };
  }
  return { state, used, frame: null };
}

/** The client's TLS record as one message, kind 'tls-record' (the bytes view decodes its ClientHello). */
export function tlsOpeningMessage(dir: StreamDir, frame: TlsFrame): DissectedMessage {
  return tlsRecordMessage(dir, frame, { text: tlsFrameLine(frame), annotation: otherClientAnnotation('tls'), phase: 'version' });
}
