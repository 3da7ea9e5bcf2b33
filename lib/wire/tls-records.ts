/**
 * TLS record framing for the eavesdropper's view, shared by every protocol that switches to TLS
 * mid-stream (SMTP STARTTLS, FTP AUTH TLS). It never decrypts: it reports what anyone on the path
 * can read — record type, version, length and, before encryption starts, handshake message names.
 *
 *   byte    ContentType          (20 ChangeCipherSpec, 21 Alert, 22 Handshake, 23 ApplicationData)
 *   uint16  legacy_record_version (0x0303 even in TLS 1.3)
 *   uint16  length               (≤ 2^14 + 2048)
 *   opaque  fragment[length]
 * — RFC 8446 §5.1, RFC 5246 §6.2. Pure and incremental: every split of the stream gives the same frames.
 */
import type { Field } from './event.ts';

/** Record content types (RFC 8446 §5.1, RFC 6520 for Heartbeat). */
export const TLS_CONTENT_TYPES: Readonly<Record<number, string>> = {
  20: 'ChangeCipherSpec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
  24: 'Heartbeat',
};

/** Handshake message types as named in RFC 8446 §4 and RFC 5246 §7.4. */
export const TLS_HANDSHAKE_TYPES: Readonly<Record<number, string>> = {
  0: 'HelloRequest',
  1: 'ClientHello',
  2: 'ServerHello',
  4: 'NewSessionTicket',
  5: 'EndOfEarlyData',
  8: 'EncryptedExtensions',
  11: 'Certificate',
  12: 'ServerKeyExchange',
  13: 'CertificateRequest',
  14: 'ServerHelloDone',
  15: 'CertificateVerify',
  16: 'ClientKeyExchange',
  20: 'Finished',
  24: 'KeyUpdate',
};

/** Record-layer version words (TLS 1.3 records still say 0x0303: RFC 8446 §5.1). */
export const TLS_VERSIONS: Readonly<Record<number, string>> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

/** Common alert descriptions (RFC 8446 §6). */
export const TLS_ALERTS: Readonly<Record<number, string>> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  90: 'user_canceled',
  109: 'missing_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

const HEADER_BYTES = 5;
/** Largest legal TLSCiphertext fragment (RFC 5246 §6.2.3); anything bigger means we lost sync. */
const MAX_FRAGMENT = 2 ** 14 + 2048;
const MAX_NAMES = 16;

const PREVIEW_BYTES = 32;

/** What one complete (or, at close, partial) record reveals on the wire. */
export interface TlsRecord {
  kind: 'record';
  /** Raw bytes this frame covers: header + the fragment bytes seen. */
  bytes: number;
  contentType: number;
  contentTypeName: string;
  version: number;
  versionName: string;
  /** Fragment length announced in the header. */
  length: number;
  /** Handshake messages readable in cleartext (empty once encrypted). */
  handshake: string[];
  /** Cleartext alert, when the record is one. */
  alert?: { level: string; description: string };
  /** True when the fragment is ciphertext (application data, or handshake after ChangeCipherSpec). */
  encrypted: boolean;
  /** False only for a record cut short by the end of the connection. */
  complete: boolean;
}

/** Bytes that do not frame as TLS (plaintext typed after the switch, a desynchronised stream). */
export interface TlsGarbage {
  kind: 'garbage';
  bytes: number;
  /** The first bytes, raw: callers escape them before display. */
  preview: Uint8Array;
}

/** One framing result. */
export type TlsFrame = TlsRecord | TlsGarbage;

interface OpenRecord {
  contentType: number;
  version: number;
  length: number;
  remaining: number;
  head: number[];
  names: number[];
}

/** Framer state for one direction; treat as immutable (frameTls returns a new one). */
export interface TlsFramerState {
  readonly header: readonly number[];
  readonly open: Readonly<OpenRecord> | null;
  /** Handshake message walk, which may span records: partial 4-byte header and bytes left to skip. */
  readonly hsHeader: readonly number[];
  readonly hsSkip: number;
  /** ChangeCipherSpec seen: later handshake records are normally encrypted. */
  readonly afterCcs: boolean;
  /** Sync lost: every later byte is reported as garbage. */
  readonly lost: boolean;
}

/** A fresh framer state for the start of a TLS stream. */
export const initialTlsFramerState: TlsFramerState = {
  header: [],
  open: null,
  hsHeader: [],
  hsSkip: 0,
  afterCcs: false,
  lost: false,
};

interface Draft {
  header: number[];
  open: OpenRecord | null;
  hsHeader: number[];
  hsSkip: number;
  afterCcs: boolean;
  lost: boolean;
}

function draftOf(s: TlsFramerState): Draft {
  const open = s.open ? { ...s.open, head: [...s.open.head], names: [...s.open.names] } : null;
  return { ...s, header: [...s.header], open, hsHeader: [...s.hsHeader] };
}

/** Walks handshake message headers (uint8 type, uint24 length) without buffering their bodies. */
function walkHandshake(d: Draft, rec: OpenRecord, part: Uint8Array): void {
  let p = 0;
  while (p < part.length) {
    if (d.hsSkip > 0) {
      const n = Math.min(d.hsSkip, part.length - p);
      d.hsSkip -= n;
      p += n;
      continue;
    }
    d.hsHeader.push(part[p++]!);
    if (d.hsHeader.length === 4) {
      const [type, a, b, c] = d.hsHeader as [number, number, number, number];
      if (rec.names.length < MAX_NAMES) rec.names.push(type);
      d.hsSkip = (a << 16) | (b << 8) | c;
      d.hsHeader = [];
    }
  }
}

function closeRecord(d: Draft, rec: OpenRecord, complete: boolean): TlsRecord {
  const seen = rec.length - rec.remaining;
  let encrypted = rec.contentType === 23;
  let names = rec.names;
  if (rec.contentType === 22 && d.afterCcs) {
    // After ChangeCipherSpec a TLS 1.2 Finished is ciphertext, but a TLS 1.3 ClientHello sent after
    // a HelloRetryRequest is not: trust only records whose messages tile the fragment exactly.
    const tiled = complete && d.hsSkip === 0 && d.hsHeader.length === 0 && names.length > 0;
    if (!tiled || !names.every((n) => n in TLS_HANDSHAKE_TYPES)) {
      encrypted = true;
      names = [];
    }
    d.hsSkip = 0;
    d.hsHeader = [];
  }
  const frame: TlsRecord = {
    kind: 'record',
    bytes: HEADER_BYTES + seen,
    contentType: rec.contentType,
    contentTypeName: TLS_CONTENT_TYPES[rec.contentType] ?? `type ${rec.contentType}`,
    version: rec.version,
    versionName: TLS_VERSIONS[rec.version] ?? `0x${rec.version.toString(16).padStart(4, '0')}`,
    length: rec.length,
    handshake: names.map((n) => TLS_HANDSHAKE_TYPES[n] ?? `type ${n}`),
    encrypted,
    complete,
  };
  // A cleartext alert is exactly 2 bytes; a longer one carries a MAC/tag and is encrypted.
  if (rec.contentType === 21) {
    if (rec.length === 2 && rec.head.length === 2) {
      const [level, desc] = rec.head as [number, number];
      const levelName = level === 1 ? 'warning' : level === 2 ? 'fatal' : `level ${level}`;
      frame.alert = { level: levelName, description: TLS_ALERTS[desc] ?? `alert ${desc}` };
    } else frame.encrypted = true;
  }
  if (rec.contentType === 20 && complete) d.afterCcs = true;
  return frame;
}

/** Frames one chunk of a TLS byte stream; returns the records completed by it. Never throws. */
export function frameTls(state: TlsFramerState, chunk: Uint8Array): { state: TlsFramerState; frames: TlsFrame[] } {
  const d = draftOf(state);
  const frames: TlsFrame[] = [];
  if (d.lost) {
    if (chunk.length > 0) frames.push({ kind: 'garbage', bytes: chunk.length, preview: chunk.slice(0, PREVIEW_BYTES) });
    return { state: d, frames };
  }
  let i = 0;
  while (i < chunk.length) {
    if (!d.open) {
      const take = Math.min(HEADER_BYTES - d.header.length, chunk.length - i);
      for (let k = 0; k < take; k++) d.header.push(chunk[i + k]!);
      i += take;
      if (d.header.length < HEADER_BYTES) break;
      const [type, major, minor, hi, lo] = d.header as [number, number, number, number, number];
      const length = (hi << 8) | lo;
      if (!(type in TLS_CONTENT_TYPES) || major !== 3 || length > MAX_FRAGMENT) {
        // Not a record header: nothing after it can be framed reliably, so stop trying.
        const preview = Uint8Array.from([...d.header, ...chunk.subarray(i, i + PREVIEW_BYTES)]).slice(0, PREVIEW_BYTES);
        frames.push({ kind: 'garbage', bytes: HEADER_BYTES + (chunk.length - i), preview });
        d.header = [];
        d.lost = true;
        return { state: d, frames };
      }
      d.open = { contentType: type, version: (major << 8) | minor, length, remaining: length, head: [], names: [] };
      d.header = [];
      if (type === 22 && d.afterCcs) {
        d.hsSkip = 0;
        d.hsHeader = [];
      }
    } else {
      const rec = d.open;
      const part = chunk.subarray(i, i + Math.min(rec.remaining, chunk.length - i));
      for (let k = 0; k < part.length && rec.head.length < 2; k++) rec.head.push(part[k]!);
      if (rec.contentType === 22) walkHandshake(d, rec, part);
      rec.remaining -= part.length;
      i += part.length;
    }
    if (d.open && d.open.remaining === 0) {
      frames.push(closeRecord(d, d.open, true));
      d.open = null;
    }
  }
  return { state: d, frames };
}

/** The stream ended: reports a record cut short or a partial header, so every byte is covered. */
export function flushTls(state: TlsFramerState): TlsFrame[] {
  const d = draftOf(state);
  if (d.open) return [closeRecord(d, d.open, false)];
  if (d.header.length > 0) return [{ kind: 'garbage', bytes: d.header.length, preview: Uint8Array.from(d.header) }];
  return [];
}

// ── TLS 1.3: what the order of records tells ───────────────────────────────────────────────────
// In TLS 1.3 every record after ServerHello is sent as Application Data (RFC 8446 §5.2), handshake
// messages included. An eavesdropper can still tell them apart by position (RFC 8446 §2, Figure 1).

/** The server's encrypted flight when no client certificate is asked for (RFC 8446 §2, §4.3–§4.4). */
export const TLS13_SERVER_FLIGHT = ['EncryptedExtensions', 'Certificate', 'CertificateVerify', 'Finished'] as const;

/** Session tickets a server sends after the handshake (OpenSSL's default, which Node's TLS uses). */
const EXPECTED_TICKETS = 2;

/** An encrypted alert: 2 bytes of alert, 1 byte of inner content type, a 16-byte AEAD tag (RFC 8446 §5.2). */
const ENCRYPTED_ALERT_LENGTH = 2 + 1 + 16;

/** What a TLS 1.3 record most likely carries, judged by its place in the stream and its size. */
export type TlsGuess =
  /** One of the server's encrypted handshake records; `position` counts from 1. */
  | { role: 'server-flight'; position: number; name: string | null }
  | { role: 'client-finished' }
  | { role: 'session-ticket'; position: number }
  | { role: 'encrypted-alert' }
  | { role: 'application-data' };

/** Both directions of one connection, as far as the guesses need them. */
export interface TlsFlowState {
  readonly serverHello: boolean;
  /** null until the record after ServerHello shows the version (23 → TLS 1.3). */
  readonly tls13: boolean | null;
  readonly serverFlight: number;
  readonly clientFinished: boolean;
  readonly tickets: number;
}

export const initialTlsFlowState: TlsFlowState = { serverHello: false, tls13: null, serverFlight: 0, clientFinished: false, tickets: 0 };

/**
 * Guesses a record's role in a TLS 1.3 connection from its direction, position and size; null
 * for cleartext records, TLS 1.2, or before the version is known. Pure: returns a new state.
 */
export function guessTls13(state: TlsFlowState, dir: 'client' | 'server', record: TlsRecord): { state: TlsFlowState; guess: TlsGuess | null } {
  const s = { ...state };
  if (dir === 'server' && record.contentType === 22 && record.handshake[0] === 'ServerHello') {
    s.serverHello = true;
    return { state: s, guess: null };
  }
  // The first server record after ServerHello that is not the compatibility ChangeCipherSpec
  // (RFC 8446 §D.4) shows the version: TLS 1.2 goes on with cleartext handshake messages.
  if (dir === 'server' && s.serverHello && s.tls13 === null && record.contentType !== 20) s.tls13 = record.contentType === 23;
  if (s.tls13 !== true || record.contentType !== 23) return { state: s, guess: null };
  if (dir === 'server' && !s.clientFinished) {
    s.serverFlight++;
    return { state: s, guess: { role: 'server-flight', position: s.serverFlight, name: TLS13_SERVER_FLIGHT[s.serverFlight - 1] ?? null } };
  }
  if (dir === 'client' && !s.clientFinished) {
    s.clientFinished = true;
    return { state: s, guess: { role: 'client-finished' } };
  }
  if (dir === 'server' && s.tickets < EXPECTED_TICKETS) {
    s.tickets++;
    return { state: s, guess: { role: 'session-ticket', position: s.tickets } };
  }
  if (record.length === ENCRYPTED_ALERT_LENGTH) return { state: s, guess: { role: 'encrypted-alert' } };
  return { state: s, guess: { role: 'application-data' } };
}

/** The header fields anyone on the path reads off one record (RFC 8446 §5.1), and what its position suggests. */
export function tlsRecordFields(record: TlsRecord, likely = ''): Field[] {
  const fields: Field[] = [
    { name: 'content type', value: `${record.contentType} (${record.contentTypeName})` },
    { name: 'version', value: `0x${record.version.toString(16).padStart(4, '0')} (${record.versionName})` },
    { name: 'length', value: String(record.length) },
  ];
  if (record.handshake.length) fields.push({ name: 'handshake', value: record.handshake.join(', ') });
  if (record.alert) fields.push({ name: 'alert', value: `${record.alert.level}: ${record.alert.description}` });
  if (likely) fields.push({ name: 'most likely', value: likely });
  return fields;
}
