/**
 * The ZMTP 3.x wire dissector (ZMTP RFC 37, 23; PLAIN RFC 24; CURVE RFC 25/26): the 64-octet greeting as
 * the three pieces libzmq sends (10 + 1 + 53 octets, each after reading the peer's piece), then frames
 * (flags, 1- or 8-octet size, body) as commands or message frames, multipart messages grouped by MORE.
 * Message boundaries depend only on the bytes, never on how TCP split them. Buffers are bounded: only the
 * first KEEP octets of a frame body are kept, the rest are counted. Garbage never throws; a client that
 * opens with something else is named after its first line (curl, ssh, swaks: kit/other-client.ts).
 */
import { groupDigits } from '../../text/numbers.ts';
import type { Annotation, Field } from '../../wire/event.ts';
import { hexPreview } from '../../wire/escape.ts';
import { concat } from '../../wire/line-reader.ts';
import { otherClientOf } from '../kit/other-client.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { showBody } from './body.ts';
import { decodeCommand } from './commands.ts';
import { HeartbeatWatch, type HeartbeatSettings } from './heartbeat.ts';
import { annotate } from './annotate.ts';
import { legalPair, legalPairsOf, MECHANISMS } from './tables.ts';
import { isZmtp2Revision, revisionPiece, socketTypePiece, ZMTP2_RESERVED_FLAGS } from './zmtp2.ts';

export { annotate };

/** Octets of a frame body kept for decoding (commands are small; message bodies are only previewed). */
const KEEP = 16 * 1024;
const GREETING_PIECES = [10, 11, 64] as const;
const FLAG_MORE = 1;
const FLAG_LONG = 2;
const FLAG_COMMAND = 4;
const REQ_FAMILY = new Set(['REQ', 'REP', 'DEALER', 'ROUTER']);
/** Most octets of a client's non-ZMTP opening held to read its first line (which client sent it). */
const MAX_OPENING = 512;

/** What one side announced: version, mechanism, socket type. */
export interface PeerInfo {
  minor?: number;
  mechanism?: string;
  asServer?: boolean;
  socketType?: string;
}

interface Side extends PeerInfo {
  /** 'other': the client's first octet is not 0xFF; its opening is held until it shows which client it is. */
  mode: 'greeting' | 'frames' | 'garbage' | 'other';
  /** The opening held in mode 'other'. */
  held: Uint8Array;
  greeting: Uint8Array;
  got: number;
  /** Frame header octets read so far (flags, then 1 or 8 size octets). */
  header: number[];
  size: number;
  remaining: number;
  body: Uint8Array;
  kept: number;
  /** Frames of the multipart message in progress (MORE set on all so far). */
  parts: number;
  /** The message in progress has had an empty frame with MORE: the request-reply delimiter. */
  delimited: boolean;
  /** This side sent its READY (NULL) or its last handshake command. */
  ready: boolean;
  /** This side frames as ZMTP 2.0 (its greeting's 12 fixed octets were RFC 15's): no commands, and the greeting's identity frame next. */
  zmtp2: boolean;
  /** The next frame is the ZMTP 2.0 identity frame. */
  identityPending: boolean;
}

const newSide = (): Side => ({ mode: 'greeting', held: new Uint8Array(0), greeting: new Uint8Array(64), got: 0, header: [], size: 0, remaining: 0, body: new Uint8Array(0), kept: 0, parts: 0, delimited: false, ready: false, zmtp2: false, identityPending: false });

/** What the receiving sockets allow, when known (the lab's). */
export interface ZmtpDissectorOptions {
  /** Largest message the sockets accept (libzmq's ZMQ_MAXMSGSIZE); a longer one ends its sender's connection. */
  maxMessageBytes?: number;
  /** The server sockets' heartbeats: a note on PINGs left unanswered names them. */
  heartbeat?: HeartbeatSettings;
}

/** Builds a fresh ZMTP dissector for one connection (usable as a DissectorFactory). */
export function createZmtpDissector(): Dissector {
  return zmtpDissector({});
}

/** A fresh ZMTP dissector that knows what the receiving sockets allow. */
export function zmtpDissector(options: ZmtpDissectorOptions): Dissector {
  const sides: Record<StreamDir, Side> = { client: newSide(), server: newSide() };
  const other = (dir: StreamDir): Side => sides[dir === 'client' ? 'server' : 'client'];
  const heartbeats = new HeartbeatWatch(options.heartbeat);

  function push(dir: StreamDir, chunk: Uint8Array): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    const s = sides[dir];
    let at = 0;
    while (at < chunk.length) {
      if (s.mode === 'garbage') {
        out.push(undecoded(dir, chunk.subarray(at)));
        break;
      }
      if (s.mode === 'greeting') at = greeting(dir, s, chunk, at, out);
      else if (s.mode === 'other') at = otherOpening(dir, s, chunk, at, out);
      else at = frame(dir, s, chunk, at, out);
    }
    return out;
  }

  function greeting(dir: StreamDir, s: Side, chunk: Uint8Array, at: number, out: DissectedMessage[]): number {
    if (dir === 'client' && s.got === 0 && chunk[at] !== 0xff) {
      s.mode = 'other';
      return at;
    }
    const target = pieceEnd(dir, s);
    const take = Math.min(target - s.got, chunk.length - at);
    s.greeting.set(chunk.subarray(at, at + take), s.got);
    s.got += take;
    if (s.got === target) out.push(greetingPiece(dir, s, target));
    return at + take;
  }

  /**
   * Where the greeting piece in progress ends: 10, 11, then 12 for a ZMTP 2.0 greeting (this side's revision is
   * below 3, or it speaks ZMTP 3 and already read a peer's revision below 3, as libzmq does) or 64.
   */
  function pieceEnd(dir: StreamDir, s: Side): number {
    if (s.got < 10) return 10;
    if (s.got < 11) return 11;
    const peer = other(dir);
    const zmtp2 = isZmtp2Revision(s.greeting[10]) || (peer.got >= 11 && isZmtp2Revision(peer.greeting[10]));
    return s.got === 11 && zmtp2 ? 12 : 64;
  }

  /**
   * A client whose first octet is not 0xFF: its opening is held until its first line is whole (and at
   * least the 10 octets a signature would be), or MAX_OPENING octets, or a TLS record's first 10. Then
   * its first 10 octets are one "not ZMTP" message, named after the client that sent them; the rest is
   * undecoded. Waiting for 10 keeps that message's size independent of how TCP split the bytes.
   */
  function otherOpening(dir: StreamDir, s: Side, chunk: Uint8Array, at: number, out: DissectedMessage[]): number {
    const take = Math.min(MAX_OPENING - s.held.length, chunk.length - at);
    s.held = concat(s.held, chunk.subarray(at, at + take));
    const held = s.held;
    if (held.length < 10 || (held.length < MAX_OPENING && held.indexOf(0x0a) === -1 && otherClientOf(held) !== 'tls')) return at + take;
    out.push(...notZmtp(dir, s, concat(held, chunk.subarray(at + take))));
    return chunk.length;
  }

  /** The held opening (and what followed it in the same chunk) as messages; the direction stops decoding. */
  function notZmtp(dir: StreamDir, s: Side, bytes: Uint8Array): DissectedMessage[] {
    s.mode = 'garbage';
    s.held = new Uint8Array(0);
    const other = otherClientOf(bytes);
    const head = bytes.subarray(0, 10);
    const first: DissectedMessage = { dir, kind: 'greeting', text: `not ZMTP: ${hexPreview(head)}`, bytes: head.length, annotation: annotate(other && other !== 'zmtp' ? `zmtp.other.${other}` : 'zmtp.greeting.bad'), phase: 'greeting' };
    return bytes.length > head.length ? [first, undecoded(dir, bytes.subarray(head.length))] : [first];
  }

  function greetingPiece(dir: StreamDir, s: Side, end: number): DissectedMessage {
    const g = s.greeting;
    const msg = (bytes: number, text: string, annotation: Annotation, fields?: Field[]): DissectedMessage => ({ dir, kind: 'greeting', text, bytes, annotation, phase: 'greeting', ...(fields ? { fields } : {}) });
    if (end === 10) {
      const padding = hexPreview(g.subarray(1, 9), 8);
      if (g[0] !== 0xff) {
        s.mode = 'garbage';
        return msg(10, `not ZMTP: ${hexPreview(g.subarray(0, 10))}`, annotate('zmtp.greeting.bad'));
      }
      if ((g[9] & 1) === 0) {
        s.mode = 'garbage';
        return msg(10, `ZMTP 1.0 identity frame: ${hexPreview(g.subarray(0, 10))}`, annotate('zmtp.greeting.old'));
      }
      // The signature spans all ten octets, the padding the eight inside it (the bytes view shows the innermost).
      const last = g[9].toString(16).toUpperCase().padStart(2, '0');
      const fields = [{ name: 'signature', value: `FF … ${last}`, start: 0, end: 10 }, { name: 'padding', value: padding, note: 'a ZMTP 1.0 length, for old peers', start: 1, end: 9 }];
      // libzmq reads only bit 0 of the tenth octet, so a peer that sends another odd octet still gets on.
      const annotation = g[9] === 0x7f
        ? annotate('zmtp.greeting.signature')
        : annotate('zmtp.greeting.signature', { level: 'warn', extra: `This one ends in 0x${last}, not 0x7F as RFC 37 §3.2 has it; libzmq checks only that octet's bit 0 and goes on.` });
      return msg(10, `signature FF ${padding} ${last}`, annotation, fields);
    }
    if (end === 11) {
      if (isZmtp2Revision(g[10])) {
        const piece = revisionPiece(g[10]);
        return msg(1, piece.text, piece.annotation, piece.fields);
      }
      return msg(1, `version major ${g[10]}`, annotate('zmtp.greeting.major'), [{ name: 'version-major', value: String(g[10]), start: 0, end: 1 }]);
    }
    if (end === 12) {
      // ZMTP RFC 15 §5.1: the socket type closes the greeting; an identity frame and ZMTP 2.0 frames follow.
      const piece = socketTypePiece(g[11], !isZmtp2Revision(g[10]), other(dir).socketType);
      if (piece.socketType) s.socketType = piece.socketType;
      s.mode = 'frames';
      s.zmtp2 = true;
      s.identityPending = true;
      return msg(1, piece.text, piece.annotation, piece.fields);
    }
    s.minor = g[11];
    const raw = g.subarray(12, 32);
    const nul = raw.indexOf(0);
    s.mechanism = String.fromCharCode(...raw.subarray(0, nul < 0 ? 20 : nul)).replace(/[^A-Z0-9_.+-]/gi, '?');
    s.asServer = g[32] === 1;
    s.mode = 'frames';
    const fillerZero = g.subarray(33, 64).every((b) => b === 0);
    const known = (MECHANISMS as readonly string[]).includes(s.mechanism);
    // This piece is the greeting's octets 11–63: the minor version is its first (the major came before it).
    const fields: Field[] = [
      { name: 'version', value: `${g[10]}.${s.minor}`, note: s.minor === 0 ? 'ZMTP 3.0' : s.minor === 1 ? 'ZMTP 3.1' : undefined, start: 0, end: 1 },
      { name: 'mechanism', value: s.mechanism || '‹empty›', note: known ? undefined : 'unknown mechanism', start: 1, end: 21 },
      { name: 'as-server', value: String(g[32]), start: 21, end: 22 },
      { name: 'filler', value: fillerZero ? '31 zero octets' : '31 octets, not all zero', start: 22, end: 53 },
    ].map(({ note, ...x }) => (note ? { ...x, note } : x));
    const text = `version ${g[10]}.${s.minor} · mechanism ${s.mechanism || '‹empty›'} · as-server ${g[32]}`;
    const peer = other(dir);
    if (peer.mechanism !== undefined && peer.mechanism !== s.mechanism) {
      return msg(53, text, annotate('zmtp.greeting.mismatch', { extra: `${dir} says ${s.mechanism}, the other side ${peer.mechanism}.` }), fields);
    }
    if (s.minor === 0) return msg(53, text, annotate('zmtp.greeting.v30', { extra: 'This side\'s minor version is 0.' }), fields);
    return msg(53, text, annotate('zmtp.greeting.rest'), fields);
  }

  function frame(dir: StreamDir, s: Side, chunk: Uint8Array, at: number, out: DissectedMessage[]): number {
    // Header: flags, then 1 or 8 size octets.
    while (at < chunk.length && (s.header.length === 0 || s.header.length < headerLength(s.header[0]))) {
      const b = chunk[at++];
      s.header.push(b);
      if (s.header.length === 1 && (s.zmtp2 ? (b & ZMTP2_RESERVED_FLAGS) !== 0 : (b & 0xf8) !== 0 || (b & (FLAG_COMMAND | FLAG_MORE)) === (FLAG_COMMAND | FLAG_MORE))) {
        s.mode = 'garbage';
        s.header = [];
        out.push({ dir, kind: 'undecoded', text: `flags 0x${b.toString(16).padStart(2, '0')}: not a ZMTP frame`, bytes: 1, annotation: annotate('zmtp.frame.bad-flags') });
        return at;
      }
      if (s.header.length === headerLength(s.header[0])) {
        const size = s.header.slice(1).reduce((n, o) => n * 256 + o, 0);
        if (size > Number.MAX_SAFE_INTEGER) {
          s.mode = 'garbage';
          out.push({ dir, kind: 'undecoded', text: `frame size ${hexPreview(Uint8Array.from(s.header.slice(1)))}: impossible`, bytes: s.header.length, annotation: annotate('zmtp.frame.too-long') });
          s.header = [];
          return at;
        }
        s.size = size;
        s.remaining = size;
        s.body = new Uint8Array(Math.min(size, KEEP));
        s.kept = 0;
      }
    }
    if (s.header.length === 0 || s.header.length < headerLength(s.header[0])) return at;
    const take = Math.min(s.remaining, chunk.length - at);
    const keep = Math.min(take, s.body.length - s.kept);
    if (keep > 0) {
      s.body.set(chunk.subarray(at, at + keep), s.kept);
      s.kept += keep;
    }
    s.remaining -= take;
    at += take;
    if (s.remaining === 0) {
      const message = complete(dir, s);
      heartbeats.frame(dir, message.annotation?.key === 'zmtp.cmd.PING');
      out.push(message);
      s.header = [];
    }
    return at;
  }

  function complete(dir: StreamDir, s: Side): DissectedMessage {
    const flags = s.header[0];
    const bytes = s.header.length + s.size;
    const body = s.body.subarray(0, s.kept);
    const header = s.header.length;
    const flagField: Field = { name: 'flags', value: flagsText(flags), start: 0, end: 1 };
    if (s.identityPending) {
      // ZMTP RFC 15 §5.1: the first frame after a ZMTP 2.0 greeting is the sender's identity (empty: none).
      s.identityPending = false;
      const shown = showBody(body, s.size);
      const fields: Field[] = [flagField, { name: 'size', value: `${s.size} octets`, start: 1, end: header }, s.size > 0 ? { name: 'identity', value: shown, start: header, end: bytes } : { name: 'identity', value: shown }];
      return { dir, kind: 'frame', text: `identity [${s.size}] ${shown}`, bytes, fields, annotation: annotate('zmtp.v2.identity'), phase: 'handshake' };
    }
    if (flags & FLAG_COMMAND) {
      const mechanism = s.mechanism ?? other(dir).mechanism ?? 'NULL';
      const c = decodeCommand(body, s.size, mechanism, header);
      let key = c.key;
      let extra = c.extra;
      let level = c.level;
      if (c.name.toUpperCase() === 'READY' || c.name.toUpperCase() === 'INITIATE') s.ready = true;
      const type = c.props?.find((p) => p.name.toLowerCase() === 'socket-type');
      if (type) {
        s.socketType = String.fromCharCode(...type.value.subarray(0, 32)).toUpperCase();
        const peerType = other(dir).socketType;
        if (peerType && legalPair(s.socketType, peerType) === false) {
          key = 'zmtp.cmd.READY.incompatible';
          level = 'error';
          extra = `${dir === 'client' ? 'The client' : 'The server'} is ${s.socketType}, its peer ${peerType}. Legal pairs: ${legalPairsOf(s.socketType)}, ${legalPairsOf(peerType)}.`;
        }
      }
      const annotation = annotate(key, { ...(extra ? { extra } : {}), ...(level ? { level } : {}) });
      return { dir, kind: 'command', text: c.text, bytes, fields: [flagField, ...c.fields], annotation, phase: c.handshake ? 'handshake' : 'traffic', ...(c.secret ? { secret: c.secret } : {}) };
    }
    if ((s.mechanism ?? other(dir).mechanism) === 'CURVE' && isCurveMessage(body)) {
      // libzmq frames CurveZMQ MESSAGE as a message frame (COMMAND flag clear); the box inside carries MORE.
      const c = decodeCommand(body, s.size, 'CURVE', header);
      const annotation = annotate(c.key, { extra: `This one travels in a frame with flags 0x${flags.toString(16).padStart(2, '0')}: the COMMAND flag is clear, which is how libzmq sends MESSAGE.` });
      return { dir, kind: 'command', text: c.text, bytes, fields: [flagField, ...c.fields], annotation, phase: 'traffic' };
    }
    const more = (flags & FLAG_MORE) !== 0;
    const index = ++s.parts;
    const delimiter = more && s.size === 0;
    const delimited = s.delimited || delimiter;
    s.delimited = more && delimited;
    if (!more) s.parts = 0;
    const shown = showBody(body, s.size);
    const fields: Field[] = [flagField, { name: 'size', value: `${s.size} octets`, start: 1, end: header }, s.size > 0 ? { name: 'body', value: shown, start: header, end: bytes } : { name: 'body', value: shown }];
    const partOf = more ? `frame ${index}, more follow` : index > 1 ? `frame ${index} of ${index}` : 'single frame';
    const text = `${more ? 'MORE ' : ''}[${s.size}] ${shown} (${partOf})`;
    const type = s.socketType;
    // RFC 28 §4, §5: a REQ takes a reply only if it opens with the delimiter; a REP needs one somewhere before the data.
    const receiver = other(dir).socketType;
    if ((receiver === 'REQ' && index === 1 && !delimiter) || (receiver === 'REP' && !more && !delimited)) {
      return messageFrame(dir, text, bytes, fields, 'zmtp.frame.no-delimiter', `The ${dir === 'client' ? 'server' : 'client'} is a ${receiver} socket.`);
    }
    if (index === 1 && more && s.size === 0 && (!type || REQ_FAMILY.has(type))) return messageFrame(dir, text, bytes, fields, 'zmtp.frame.delimiter');
    if (index === 1 && !more && (type === 'SUB' || type === 'XSUB') && (body[0] === 1 || body[0] === 0)) {
      const prefix = showBody(body.subarray(1), s.size - 1);
      return messageFrame(dir, text, bytes, fields, body[0] === 1 ? 'zmtp.frame.subscribe-30' : 'zmtp.frame.cancel-30', `Prefix: ${prefix}.`);
    }
    if (more) return messageFrame(dir, text, bytes, fields, 'zmtp.frame.part');
    return messageFrame(dir, text, bytes, fields, 'zmtp.frame.message', index > 1 ? `This message has ${index} frames.` : undefined);
  }

  /**
   * The unfinished end of one direction. A frame whose header was read says its declared size; one over
   * the receiving socket's limit (libzmq's ZMQ_MAXMSGSIZE, which drops the connection on reading the header)
   * says that, so the close reads as the server's refusal, not a broken connection.
   */
  function truncated(dir: StreamDir, s: Side, pending: number): DissectedMessage {
    const sized = s.mode === 'frames' && s.header.length === headerLength(s.header[0]);
    if (!sized) return { dir, kind: 'truncated', text: `[${pending} octets of an unfinished ${s.mode === 'greeting' ? 'greeting' : 'frame'}]`, bytes: pending, annotation: annotate('zmtp.truncated') };
    const text = `[${groupDigits(pending)} octets of a frame of ${groupDigits(s.size)} octets, unfinished]`;
    const limit = options.maxMessageBytes;
    if (limit === undefined || s.size <= limit) return { dir, kind: 'truncated', text, bytes: pending, annotation: annotate('zmtp.truncated') };
    const extra = `This frame declares ${groupDigits(s.size)} octets; the lab's sockets take messages of at most ${groupDigits(limit)}.`;
    return { dir, kind: 'truncated', text, bytes: pending, annotation: annotate('zmtp.frame.over-limit', { extra }) };
  }

  function end(): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    for (const dir of ['client', 'server'] as const) {
      const s = sides[dir];
      if (s.mode === 'other' && s.held.length > 0) out.push(...notZmtp(dir, s, s.held));
      const pending = s.mode === 'greeting' ? s.got - (GREETING_PIECES.filter((p) => p <= s.got).at(-1) ?? 0) : s.mode === 'frames' && s.header.length > 0 ? s.header.length + (s.size - s.remaining) * (s.header.length === headerLength(s.header[0]) ? 1 : 0) : 0;
      if (pending > 0) out.push(truncated(dir, s, pending));
    }
    const half = (['client', 'server'] as const).find((dir) => sides[dir].ready && sides[dir].socketType && !other(dir).ready && other(dir).mode === 'frames');
    if (half) {
      const type = sides[half].socketType ?? '';
      const extra = `The ${half} sent READY with Socket-Type ${type}; the ${half === 'client' ? 'server' : 'client'} closed without a READY of its own. Legal peers: ${legalPairsOf(type)}.`;
      out.push({ dir: 'note', kind: 'note', text: `handshake not completed: closed after READY ${type}`, bytes: 0, annotation: annotate('zmtp.handshake.closed', { extra }) });
    }
    // Both READYs crossed on the wire (each side sends its own without waiting): the pair is still refused.
    const [clientType, serverType] = [sides.client.socketType, sides.server.socketType];
    if (!half && sides.client.ready && sides.server.ready && clientType && serverType && legalPair(clientType, serverType) === false) {
      const extra = `Both sides sent READY before reading the other's: the client is ${clientType}, the server ${serverType}, which may not talk to each other, so the connection closed. Legal peers: ${legalPairsOf(clientType)}.`;
      out.push({ dir: 'note', kind: 'note', text: `handshake not completed: ${clientType} and ${serverType} are not a legal pair`, bytes: 0, annotation: annotate('zmtp.handshake.closed', { extra }) });
    }
    out.push(...heartbeats.notes());
    for (const dir of ['client', 'server'] as const) sides[dir] = { ...newSide(), mode: 'garbage' };
    return out;
  }

  return { push, end };
}

const MESSAGE_NAME = [7, ...'MESSAGE'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)));
const isCurveMessage = (body: Uint8Array): boolean => MESSAGE_NAME.every((b, i) => body[i] === b);

const headerLength = (flags: number): number => (flags & FLAG_LONG ? 9 : 2);

/** A message frame's record (module level: a closure per frame cost more than the rest of the frame). */
function messageFrame(dir: StreamDir, text: string, bytes: number, fields: Field[], key: string, extra?: string): DissectedMessage {
  return { dir, kind: 'frame', text, bytes, fields, annotation: annotate(key, extra ? { extra } : {}), phase: 'traffic' };
}

/** `0x01 (MORE)`: the flags octet and its names, built once per value (a frame header has only 8 valid ones). */
const flagTexts = new Map<number, string>();
function flagsText(flags: number): string {
  let text = flagTexts.get(flags);
  if (text === undefined) {
    const names = [flags & FLAG_COMMAND ? 'COMMAND' : '', flags & FLAG_LONG ? 'LONG' : '', flags & FLAG_MORE ? 'MORE' : ''].filter(Boolean).join('|') || 'none';
    text = `0x${flags.toString(16).padStart(2, '0')} (${names})`;
    flagTexts.set(flags, text);
  }
  return text;
}

function undecoded(dir: StreamDir, bytes: Uint8Array): DissectedMessage {
  return { dir, kind: 'undecoded', text: `[${groupDigits(bytes.length)} undecoded octets] ${hexPreview(bytes)}`, bytes: bytes.length, annotation: annotate('zmtp.undecoded') };
}
