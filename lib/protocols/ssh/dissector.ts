/**
 * The SSH wire dissector: what an eavesdropper on the TCP connection can decode. Version lines
 * (V_C/V_S) and the binary packets before NEWKEYS are in clear (RFC 4253 §4.2, §6) and are decoded
 * field by field; after a direction's NEWKEYS it is ciphertext, summarised per chunk. With AES-GCM
 * or an -etm MAC the packet lengths stay visible; a plain cipher with an ordinary MAC and
 * chacha20-poly1305 encrypt them too, so the dissector does not pretend to frame. Buffers are
 * bounded; garbage never throws. Another protocol's client is named by its first bytes (other-client.ts).
 */
import { counted, groupDigits } from '../../text/numbers.ts';
import type { Field } from '../../wire/event.ts';
import { bytesToSafeText, hexPreview } from '../../wire/escape.ts';
import { EMPTY_BYTES as EMPTY, concat, drainLineReader, newLineReader, readLine, type LineReader } from '../../wire/line-reader.ts';
import { flushTls, initialTlsFramerState, type TlsFramerState } from '../../wire/tls-records.ts';
import { octetsToTell, otherClientOf, textOpeningOf } from '../kit/other-client.ts';
import type { DissectedMessage, Dissector, StreamDir } from '../types.ts';
import { ALGORITHM_BY_NAME, kexFamily, packetProtection } from './algorithms.ts';
import { annotate, disconnectAnnotation, messageAnnotation } from './annotate.ts';
import { kexMessages, MESSAGE_BY_NUM } from './messages.ts';
import { failureWording, negotiate, type KexinitLists, type Negotiation } from './negotiate.ts';
import { firstTlsRecord, otherClientAnnotation, tlsOpeningMessage } from './other-client.ts';
import { decodeDisconnect, decodeKexInit30, decodeKexReply31, decodeKexinit, decodeService, PAYLOAD_AT, type Decoded } from './payloads.ts';
import { readUint32 } from './reader.ts';

/** RFC 4253 §4.2: the version line is at most 255 characters including CR LF. */
const MAX_VERSION_LINE = 255;
/** Lines a server may send before its version line (RFC 4253 §4.2), each bounded like one. */
const MAX_PRELUDE_LINES = 16;
const MAX_PRELUDE_LINE = 1024;
/**
 * RFC 4253 §6.1 obliges implementations to handle packets up to 35000 bytes (larger ones are
 * allowed where needed); before NEWKEYS nothing bigger is sane, so the lab stops there.
 */
const MAX_CLEAR_PACKET = 35_000;
/** Above this an "encrypted length" is surely not a length: stop framing. */
const MAX_ENCRYPTED_PACKET = 256 * 1024;

/** 'tls': the client opened with a TLS record, framed whole before the rest goes undecoded. */
type Mode = 'version' | 'packets' | 'encrypted' | 'garbage' | 'tls';

interface Framing {
  /** Packet lengths readable in clear (AES-GCM, -etm MACs). */
  visible: boolean;
  /** Bytes after the packet body: the AEAD tag or MAC. */
  tag: number;
  /** Bytes left of the current packet. */
  remaining: number;
  /** Partial length field collected across chunks. */
  lengthBytes: number[];
  cipher: string;
  /** Annotation key and reference for what this cipher/MAC pair hides (algorithms.ts). */
  key: string;
  ref: string;
}

interface DirectionState {
  mode: Mode;
  /** Frames the version line and the lines before it. */
  reader: LineReader;
  /** Bytes of an incomplete binary packet. */
  pending: Uint8Array;
  preludeLines: number;
  framing: Framing | null;
  annotatedEncrypted: boolean;
  /** The first bytes were looked at for another protocol's binary opening (TLS, ZMTP). */
  opened: boolean;
  /** Frames the client's opening TLS record. */
  tls: TlsFramerState;
}


/** Builds a fresh SSH wire dissector for one connection. */
export function createSshDissector(): Dissector {
  const fresh = (): DirectionState => ({ mode: 'version', reader: newLineReader(), pending: EMPTY, preludeLines: 0, framing: null, annotatedEncrypted: false, opened: false, tls: initialTlsFramerState });
  // The server always speaks SSH: only the client's first bytes are read for another protocol.
  const state: Record<StreamDir, DirectionState> = { client: fresh(), server: { ...fresh(), opened: true } };
  const kexinit: Partial<Record<StreamDir, KexinitLists>> = {};
  let negotiation: Negotiation | null = null;

  const undecoded = (dir: StreamDir, bytes: Uint8Array): DissectedMessage => ({
    dir,
    kind: 'undecoded',
    text: `[${groupDigits(bytes.length)} undecoded bytes] ${hexPreview(bytes)}`,
    bytes: bytes.length,
    annotation: annotate('ssh.undecoded'),
  });

  /**
   * The client's first bytes, if they start a TLS record or a ZMTP signature (no line end to wait for):
   * the bytes used, 0 to wait for more, null when a line follows.
   */
  function binaryOpening(dir: StreamDir, s: DirectionState, data: Uint8Array, out: DissectedMessage[]): number | null {
    const need = octetsToTell(data[0]);
    if (need > data.length) return 0;
    s.opened = true;
    const other = need > 0 ? otherClientOf(data.subarray(0, need)) : null;
    if (other === 'tls') {
      s.mode = 'tls';
      return tlsOpening(dir, s, data, out);
    }
    if (other === 'zmtp') {
      s.mode = 'garbage';
      const signature = data.subarray(0, need);
      out.push({ dir, kind: 'version', text: `ZMTP signature: ${hexPreview(signature)}`, bytes: need, phase: 'version', annotation: otherClientAnnotation('zmtp') });
      return need;
    }
    return null;
  }

  /** Bytes of the client's opening TLS record; one message once it is whole, then the rest is undecoded. */
  function tlsOpening(dir: StreamDir, s: DirectionState, data: Uint8Array, out: DissectedMessage[]): number {
    const { state: next, used, frame } = firstTlsRecord(s.tls, data);
    s.tls = next;
    if (frame) {
      out.push(tlsOpeningMessage(dir, frame));
      s.mode = 'garbage';
      s.tls = initialTlsFramerState;
    }
    return used;
  }

  /** Reads from the start of `data` towards the version line; returns the bytes used (never 0). */
  function versionLine(dir: StreamDir, s: DirectionState, data: Uint8Array, out: DissectedMessage[]): number {
    if (!s.opened) {
      const used = binaryOpening(dir, s, data, out);
      if (used !== null) return used;
    }
    const limit = dir === 'server' && s.preludeLines < MAX_PRELUDE_LINES ? MAX_PRELUDE_LINE : MAX_VERSION_LINE;
    const { ev, next } = readLine(s.reader, data, 0, { lineBuffer: limit, overlongBlock: limit, preview: 80 });
    if (ev === null) return next;
    if (ev.t !== 'line') {
      // `limit` bytes and no line end: whatever follows is not SSH (the rest is shown undecoded).
      s.mode = 'garbage';
      out.push({
        dir,
        kind: 'version',
        text: `${bytesToSafeText(ev.t === 'overlong' ? ev.preview : EMPTY)}… (${groupDigits(ev.bytes)} bytes, no end of line)`,
        bytes: ev.bytes,
        phase: 'version',
        annotation: annotate({ key: 'ssh.version.too-long', ref: 'RFC 4253 §4.2', level: 'error' }),
      });
      return next;
    }
    const text = bytesToSafeText(ev.content);
    const bytes = ev.bytes;
    const isVersion = text.startsWith('SSH-');
    if ((!isVersion && dir === 'client') || (!isVersion && s.preludeLines >= MAX_PRELUDE_LINES)) {
      s.mode = 'garbage';
      // A client's only line before SSH is its first: another protocol's client may have sent it.
      const other = dir === 'client' ? textOpeningOf(ev.content) : null;
      const annotation = other && other !== 'ssh' ? otherClientAnnotation(other) : annotate({ key: 'ssh.version.bad', ref: 'RFC 4253 §4.2', level: 'error' });
      out.push({ dir, kind: 'version', text, bytes, phase: 'version', annotation });
      return next;
    }
    if (!isVersion) {
      s.preludeLines++;
      out.push({ dir, kind: 'line', text, bytes, phase: 'version', annotation: annotate({ key: 'ssh.version.prelude', ref: 'RFC 4253 §4.2' }) });
      return next;
    }
    const supported = text.startsWith('SSH-2.0-') || text.startsWith('SSH-1.99-');
    // "SSH-1.x-" (other than 1.99) is an SSH-1 identification (RFC 4253 §5), not garbage.
    const ssh1 = !supported && /^SSH-1\.\d+-/.test(text);
    const match = /^SSH-([^-]*)-(\S*)(?: (.*))?$/.exec(text);
    const fields: Field[] = [
      { name: 'protoversion', value: match?.[1] ?? '?' },
      { name: 'softwareversion', value: match?.[2] ?? '?' },
      ...(match?.[3] ? [{ name: 'comments', value: match[3] }] : []),
      { name: dir === 'client' ? 'V_C' : 'V_S', value: text, note: 'hashed into H' },
    ];
    s.mode = supported ? 'packets' : 'garbage';
    out.push({
      dir,
      kind: 'version',
      text,
      bytes,
      phase: 'version',
      fields,
      annotation: supported
        ? annotate({ key: dir === 'client' ? 'ssh.version.client' : 'ssh.version.server', ref: 'RFC 4253 §4.2' })
        : ssh1
          ? annotate({ key: 'ssh.version.ssh1', ref: 'RFC 4253 §5, §5.2', level: 'error' })
          : annotate({ key: 'ssh.version.unsupported', ref: 'RFC 4253 §4.2, §5', level: 'error' }),
    });
    return next;
  }

  function decodePayload(dir: StreamDir, payload: Uint8Array): { name: string; decoded?: Decoded; extra?: DissectedMessage } {
    const num = payload[0];
    const family = kexFamily(negotiation?.chosen.kex);
    if (num === 20) {
      const k = decodeKexinit(payload);
      if (!k) return { name: 'KEXINIT' };
      kexinit[dir] = k.lists;
      let extra: DissectedMessage | undefined;
      if (kexinit.client && kexinit.server && !negotiation) {
        negotiation = negotiate(kexinit.client, kexinit.server);
        extra = negotiationNote(negotiation);
      }
      return { name: 'KEXINIT', decoded: k, extra };
    }
    if ((num === 30 || num === 31) && (family === 'ecdh' || family === 'dh')) {
      const decoded = num === 30 ? decodeKexInit30(payload, family) : decodeKexReply31(payload, family);
      const names = kexMessages(family);
      return { name: num === 30 ? names.init : names.reply, decoded };
    }
    if (num === 1) return { name: 'DISCONNECT', decoded: decodeDisconnect(payload) };
    if (num === 5 || num === 6) {
      const name = num === 5 ? 'SERVICE_REQUEST' : 'SERVICE_ACCEPT';
      return { name, decoded: decodeService(payload, name) };
    }
    if (num >= 30 && num <= 49) return { name: `KEX method message ${num}` };
    return { name: MESSAGE_BY_NUM.get(num)?.name ?? `message ${num}` };
  }

  function packet(dir: StreamDir, s: DirectionState, data: Uint8Array, out: DissectedMessage[]): number {
    if (data.length < 4) return 0;
    const length = readUint32(data);
    if (length < 5 || length > MAX_CLEAR_PACKET) {
      s.mode = 'garbage';
      out.push({
        dir,
        kind: 'packet',
        text: `packet_length ${groupDigits(length)} — not a valid SSH packet`,
        bytes: 4,
        phase: 'kex',
        annotation: annotate({ key: 'ssh.packet.bad-length', ref: 'RFC 4253 §6, §6.1', level: 'error' }),
      });
      return 4;
    }
    if (data.length < 4 + length) return 0;
    const paddingLength = data[4];
    const payloadLength = length - paddingLength - 1;
    const payload = payloadLength > 0 ? data.subarray(PAYLOAD_AT, PAYLOAD_AT + payloadLength) : EMPTY;
    const { name, decoded, extra } = payload.length > 0 ? decodePayload(dir, payload) : { name: 'empty packet' };
    // Each field on its bytes (the payload's decoders place theirs in the packet too).
    const fields: Field[] = [
      { name: 'packet_length', value: String(length), start: 0, end: 4 },
      { name: 'padding_length', value: String(paddingLength), note: 'random padding hides the exact payload size', start: 4, end: 5 },
      payload.length > 0 ? { name: 'msg', value: `${payload[0]} (${name})`, start: PAYLOAD_AT, end: PAYLOAD_AT + 1 } : { name: 'msg', value: '—' },
    ];
    if (decoded) for (const field of decoded.fields) fields.push(field);
    if (!decoded && payload.length > 1) fields.push({ name: 'payload', value: hexPreview(payload.subarray(1), 32), start: PAYLOAD_AT + 1, end: PAYLOAD_AT + payloadLength });
    const num = payload[0];
    const annotation =
      num === 1 && decoded && 'code' in decoded ? disconnectAnnotation(decoded.code as number) : messageAnnotation(name);
    out.push({ dir, kind: 'packet', text: decoded?.summary ?? name, bytes: 4 + length, phase: 'kex', fields, annotation });
    if (extra) out.push(extra);
    if (num === 21) enterEncrypted(dir, s);
    return 4 + length;
  }

  function enterEncrypted(dir: StreamDir, s: DirectionState): void {
    s.mode = 'encrypted';
    const cipherName = negotiation?.chosen[dir === 'client' ? 'cipher c→s' : 'cipher s→c'] ?? '';
    const macName = negotiation?.chosen[dir === 'client' ? 'mac c→s' : 'mac s→c'] ?? '';
    const p = packetProtection(cipherName, macName);
    const macShown = macName && macName !== '<implicit>' ? ` + ${macName}` : '';
    s.framing = { visible: p.lengthVisible, tag: p.tag, remaining: 0, lengthBytes: [], cipher: `${cipherName || 'unknown cipher'}${macShown}`, key: p.key, ref: p.ref };
  }

  function encrypted(dir: StreamDir, s: DirectionState, data: Uint8Array): DissectedMessage {
    const f = s.framing ?? { visible: false, tag: 0, remaining: 0, lengthBytes: [], cipher: 'unknown cipher', key: 'ssh.encrypted', ref: 'RFC 4253 §6' };
    const lengths: number[] = [];
    let continues = false;
    if (f.visible) {
      let i = 0;
      if (f.remaining > 0) continues = true;
      while (i < data.length && f.visible) {
        if (f.remaining > 0) {
          const skip = Math.min(f.remaining, data.length - i);
          f.remaining -= skip;
          i += skip;
          continue;
        }
        f.lengthBytes.push(data[i++]);
        if (f.lengthBytes.length === 4) {
          const [b0, b1, b2, b3] = f.lengthBytes;
          const length = ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
          f.lengthBytes.length = 0;
          if (length < 5 || length > MAX_ENCRYPTED_PACKET) f.visible = false;
          else {
            lengths.push(length);
            f.remaining = length + f.tag;
          }
        }
      }
    }
    // One message per chunk of a bulk transfer (thousands a second): built without spreads or copies.
    const size = `${groupDigits(data.length)} bytes`;
    let text = `[encrypted ${f.cipher}] `;
    const fields: Field[] = [{ name: 'bytes', value: String(data.length) }];
    if (f.visible) {
      let shown = '';
      for (let i = 0; i < lengths.length && i < 8; i++) shown += `${i > 0 ? ', ' : ''}${groupDigits(lengths[i])}`;
      text += `${counted(lengths.length, 'packet')}${continues ? ' (+ rest of one)' : ''}, ${size}${shown ? ` — lengths ${shown}${lengths.length > 8 ? ', …' : ''}` : ''}`;
      fields.push(
        { name: 'cipher', value: f.cipher, note: 'packet_length stays in clear (authenticated, not encrypted)' },
        { name: 'packet lengths', value: lengths.join(', ') || '—', note: 'visible in clear: sizes and timing leak' },
      );
    } else {
      text += size;
      fields.push({ name: 'cipher', value: f.cipher, note: 'packet_length is encrypted too' });
    }
    fields.push({ name: 'first bytes', value: hexPreview(data) });
    const first = !s.annotatedEncrypted;
    s.annotatedEncrypted = true;
    return { dir, kind: 'encrypted', text, bytes: data.length, phase: 'encrypted', fields, annotation: first ? annotate({ key: f.key, ref: f.ref }) : undefined };
  }

  function run(dir: StreamDir, data: Uint8Array): DissectedMessage[] {
    const s = state[dir];
    const out: DissectedMessage[] = [];
    let offset = 0;
    while (offset < data.length) {
      const rest = data.subarray(offset);
      if (s.mode === 'encrypted') {
        out.push(encrypted(dir, s, rest));
        offset = data.length;
      } else if (s.mode === 'garbage') {
        out.push(undecoded(dir, rest));
        offset = data.length;
      } else if (s.mode === 'tls') {
        offset += tlsOpening(dir, s, rest, out);
      } else {
        const used = s.mode === 'version' ? versionLine(dir, s, rest, out) : packet(dir, s, rest, out);
        if (used === 0) break;
        offset += used;
      }
    }
    s.pending = offset < data.length ? data.slice(offset) : EMPTY;
    return out;
  }

  return {
    push(dir, chunk) {
      if (chunk.length === 0) return [];
      // Framer states are immutable: this one holds what earlier chunks fed to an opening TLS record.
      const tlsBefore = state[dir].tls;
      try {
        const { pending } = state[dir];
        return run(dir, pending.length ? concat(pending, chunk) : chunk);
      } catch {
        // Defensive: a decoder bug must not break the bytes invariant — account for what is pending.
        const s = state[dir];
        const held = flushTls(tlsBefore).map((f) => tlsOpeningMessage(dir, f));
        const lost = concat(concat(drainLineReader(s.reader).partial, s.pending), chunk);
        s.pending = EMPTY;
        s.mode = 'garbage';
        return [...held, undecoded(dir, lost)];
      }
    },
    end() {
      const out: DissectedMessage[] = [];
      for (const dir of ['client', 'server'] as const) {
        const s = state[dir];
        // An opening TLS record cut short by the close: what came of it, still one message.
        if (s.mode === 'tls') out.push(...flushTls(s.tls).map((f) => tlsOpeningMessage(dir, f)));
        s.tls = initialTlsFramerState;
        const { partial } = drainLineReader(s.reader);
        const rest = partial.length ? partial : s.pending;
        if (rest.length > 0) {
          out.push({ dir, kind: 'fragment', text: `[${rest.length} bytes of an incomplete message] ${hexPreview(rest)}`, bytes: rest.length });
          s.pending = EMPTY;
        }
      }
      return out;
    },
  };
}

/** The wire-view note after both KEXINITs: what was chosen, by the client-first rule. */
function negotiationNote(n: Negotiation): DissectedMessage {
  const fields: Field[] = Object.entries(n.chosen).map(([category, name]) => ({
    name: category,
    value: name ?? '',
    note: ALGORITHM_BY_NAME.get(name ?? '')?.ref,
  }));
  if (n.failed) {
    fields.push({ name: n.failed, value: '(none in common)' });
    return {
      dir: 'note',
      kind: 'negotiation',
      text: `Unable to negotiate: ${failureWording(n.failed)}`,
      bytes: 0,
      phase: 'kex',
      fields,
      annotation: annotate({ key: 'ssh.kex.failed', ref: 'RFC 4253 §7.1', level: 'error' }),
    };
  }
  fields.push({ name: 'strict KEX', value: n.strict ? 'on (both offered kex-strict-*)' : 'off', note: 'Terrapin mitigation' });
  const c = n.chosen;
  return {
    dir: 'note',
    kind: 'negotiation',
    text: `Negotiated: ${c.kex} · ${c.hostkey} · ${c['cipher c→s']} · MAC ${c['mac c→s']} · ${c['compression c→s']}`,
    bytes: 0,
    phase: 'kex',
    fields,
    annotation: annotate({ key: 'ssh.kex.negotiated', ref: 'RFC 4253 §7.1' }),
  };
}
