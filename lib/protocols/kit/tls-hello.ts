/**
 * TLS bytes, field by field, with the bytes each field covers: the record header, then a ClientHello
 * or ServerHello read in full (versions, random, session id, cipher suites named, extensions with
 * SNI, supported_versions, supported_groups, key_share, ALPN and signature_algorithms decoded), or
 * for any other record what an eavesdropper can read of it. The player's bytes view highlights a
 * field's bytes from these spans, as The Illustrated TLS 1.3 Connection does.
 *
 *   record     byte ContentType · uint16 legacy_record_version · uint16 length        (RFC 8446 §5.1)
 *   handshake  byte HandshakeType · uint24 length                                      (RFC 8446 §4)
 *   ClientHello uint16 legacy_version · Random[32] · session_id<0..32> · cipher_suites<2..2^16-2>
 *              · compression_methods<1..2^8-1> · extensions<8..2^16-1>                  (RFC 8446 §4.1.2)
 *   ServerHello uint16 legacy_version · Random[32] · session_id_echo<0..32> · cipher_suite
 *              · compression_method · extensions<6..2^16-1>                            (RFC 8446 §4.1.3)
 *
 * Pure, never throws: bytes cut short end the walk with a note, garbage reads as what it is.
 */
import { TLS_ALERTS, TLS_CONTENT_TYPES, TLS_HANDSHAKE_TYPES } from '../../wire/tls-records.ts';
import { CIPHER_SUITES, HELLO_NOTES, VERSIONS, nameOf } from './tls-names.ts';
import { readExtension } from './tls-extensions.ts';
import { Reader, hexOf, short, versionName } from './tls-reader.ts';

/** One field with the bytes it covers, [start, end) in the parsed buffer; depth nests it under the field before. */
export interface SpannedField {
  name: string;
  value: string;
  note?: string;
  ref?: string;
  start: number;
  end: number;
  depth: number;
}

/** What a ClientHello offers or a ServerHello picks, read from real bytes. */
export interface TlsHello {
  type: 'ClientHello' | 'ServerHello' | 'HelloRetryRequest';
  /** The record header's version word, null when the bytes start at the handshake header. */
  recordVersion: number | null;
  legacyVersion: number;
  random: string;
  sessionId: string;
  /** Offered (ClientHello) or the one chosen (ServerHello). */
  cipherSuites: number[];
  /** Extension types in the order sent. */
  extensions: number[];
  serverName?: string;
  /** Offered, or (ServerHello) the one selected. */
  supportedVersions: number[];
  supportedGroups: number[];
  /** Groups of the key shares sent (ServerHello, HelloRetryRequest: the one chosen). */
  keyShareGroups: number[];
  alpn: string[];
  signatureAlgorithms: number[];
  /** Highest version offered, or the version the server picked: 0x0304 means TLS 1.3. */
  version: number;
  fields: SpannedField[];
  /** False when the bytes end before the hello does. */
  complete: boolean;
}

/** SHA-256 of "HelloRetryRequest": a ServerHello with this random is a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
/** A TLS 1.3 server that negotiates an older version ends its random with "DOWNGRD" and 01 or 00 (RFC 8446 §4.1.3). */
const DOWNGRADE = '444f574e475244';


/**
 * Parses one ClientHello or ServerHello: from a record header (first byte 22) or from the handshake
 * header (first byte 1 or 2). Returns null for anything else.
 */
export function parseTlsHello(bytes: Uint8Array): TlsHello | null {
  const fields: SpannedField[] = [];
  let recordVersion: number | null = null;
  let start = 0;
  if (bytes[0] === 22) {
    if (bytes.length < 6 || (bytes[5] !== 1 && bytes[5] !== 2)) return null;
    recordVersion = (bytes[1] << 8) | bytes[2];
    fields.push(...recordHeaderFields(bytes, 0, true));
    start = 5;
  } else if (bytes[0] !== 1 && bytes[0] !== 2) return null;
  const hello = readHello(bytes, start, fields);
  return { ...hello, recordVersion };
}

/** Every field of one or more TLS records, hellos parsed in full: what the bytes view lists for a TLS record. */
export function tlsByteFields(bytes: Uint8Array): SpannedField[] {
  const fields: SpannedField[] = [];
  let at = 0;
  while (at + 5 <= bytes.length) {
    const type = bytes[at];
    if (!Object.hasOwn(TLS_CONTENT_TYPES, type) || bytes[at + 1] !== 3) {
      fields.push({ name: 'not TLS', value: `${bytes.length - at} bytes`, note: 'These bytes do not frame as a TLS record.', start: at, end: bytes.length, depth: 0 });
      return fields;
    }
    const end = Math.min(bytes.length, at + 5 + ((bytes[at + 3] << 8) | bytes[at + 4]));
    const hello = type === 22 ? parseTlsHello(bytes.subarray(at, end)) : null;
    if (hello) {
      fields.push(...hello.fields.map((f) => ({ ...f, start: f.start + at, end: f.end + at })));
      // TLS 1.2 servers put Certificate, ServerKeyExchange and ServerHelloDone in the hello's record.
      const helloEnd = at + 9 + ((bytes[at + 6] << 16) | (bytes[at + 7] << 8) | bytes[at + 8]);
      if (hello.complete && helloEnd < end) fields.push(...(handshakeHeaders(bytes, helloEnd, end) ?? []));
    } else fields.push(...recordHeaderFields(bytes, at, false), ...fragmentFields(bytes, at + 5, end, type));
    at = end;
  }
  return fields;
}

function recordHeaderFields(bytes: Uint8Array, at: number, clientHello: boolean): SpannedField[] {
  const version = (bytes[at + 1] << 8) | bytes[at + 2];
  const length = (bytes[at + 3] << 8) | bytes[at + 4];
  const isClientHello = clientHello && bytes[at + 5] === 1;
  return [
    { name: 'record type', value: `${TLS_CONTENT_TYPES[bytes[at]] ?? 'unknown'} (${bytes[at]})`, ref: 'RFC 8446 §5.1', start: at, end: at + 1, depth: 0 },
    {
      name: 'legacy_record_version',
      value: versionName(version),
      note: isClientHello && version === 0x0301 ? HELLO_NOTES.recordVersion0301 : HELLO_NOTES.recordVersion,
      ref: 'RFC 8446 §5.1',
      start: at + 1,
      end: at + 3,
      depth: 0,
    },
    { name: 'record length', value: `${length} bytes`, note: length > bytes.length - at - 5 ? `only ${Math.max(0, bytes.length - at - 5)} captured` : undefined, start: at + 3, end: at + 5, depth: 0 },
  ];
}

/** What can be read of a record that is not a hello: the handshake message headers, an alert, or sealed bytes. */
function fragmentFields(bytes: Uint8Array, from: number, to: number, type: number): SpannedField[] {
  if (from >= to) return [];
  if (type === 21 && to - from === 2) {
    return [
      { name: 'alert level', value: bytes[from] === 2 ? 'fatal (2)' : bytes[from] === 1 ? 'warning (1)' : `${bytes[from]}`, ref: 'RFC 8446 §6', start: from, end: from + 1, depth: 1 },
      { name: 'alert description', value: `${TLS_ALERTS[bytes[from + 1]] ?? 'unknown'} (${bytes[from + 1]})`, ref: 'RFC 8446 §6', start: from + 1, end: to, depth: 1 },
    ];
  }
  if (type === 20) {
    return [{ name: 'ChangeCipherSpec', value: hexOf(bytes, from, to), note: 'In TLS 1.3 a dummy record that makes the handshake look like TLS 1.2 to middleboxes; the peer ignores it (RFC 8446 Appendix D.4).', start: from, end: to, depth: 1 }];
  }
  const plain = type === 22 ? handshakeHeaders(bytes, from, to) : null;
  if (plain) return plain;
  const note =
    type === 23
      ? 'Encrypted: the real content type (handshake or application data) is sealed inside, after the data; only the length shows (RFC 8446 §5.2).'
      : 'Encrypted handshake bytes: only their length shows.';
  return [{ name: 'encrypted fragment', value: `${to - from} bytes`, note, start: from, end: to, depth: 1 }];
}

/** Cleartext handshake messages inside one record (TLS 1.2's Certificate, ServerHelloDone…), or null if they do not add up. */
function handshakeHeaders(bytes: Uint8Array, from: number, to: number): SpannedField[] | null {
  const fields: SpannedField[] = [];
  for (let at = from; at < to; ) {
    if (at + 4 > to || !Object.hasOwn(TLS_HANDSHAKE_TYPES, bytes[at])) return null;
    const length = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    const end = at + 4 + length;
    if (end > to && fields.length > 0) return null;
    fields.push({ name: 'handshake message', value: `${TLS_HANDSHAKE_TYPES[bytes[at]]} (${bytes[at]}), ${length} bytes`, ref: 'RFC 8446 §4', start: at, end: Math.min(end, to), depth: 1 });
    at = end;
  }
  return fields;
}

export type HelloParts = Omit<TlsHello, 'recordVersion'>;

function readHello(bytes: Uint8Array, start: number, fields: SpannedField[]): HelloParts {
  const client = bytes[start] === 1;
  const declared = (bytes[start + 1] << 16) | (bytes[start + 2] << 8) | bytes[start + 3];
  const r = new Reader(bytes, start, start + 4 + declared);
  const out: HelloParts = {
    type: client ? 'ClientHello' : 'ServerHello',
    legacyVersion: 0,
    random: '',
    sessionId: '',
    cipherSuites: [],
    extensions: [],
    supportedVersions: [],
    supportedGroups: [],
    keyShareGroups: [],
    alpn: [],
    signatureAlgorithms: [],
    version: 0,
    fields,
    complete: false,
  };
  const push = (f: Omit<SpannedField, 'depth'> & { depth?: number }) => fields.push({ depth: 1, ...f });
  const cut = () => {
    push({ name: 'cut short', value: `${bytes.length - r.pos} bytes left`, note: 'The captured bytes end before the hello does.', start: r.pos, end: bytes.length });
    return out;
  };

  if (!r.has(4)) return cut();
  r.pos += 4;
  push({ name: 'handshake type', value: `${out.type} (${bytes[start]})`, ref: 'RFC 8446 §4', start, end: start + 1 });
  push({ name: 'handshake length', value: `${declared} bytes`, start: start + 1, end: start + 4 });

  const legacy = r.num(2);
  if (legacy === null) return cut();
  out.legacyVersion = legacy;
  push({ name: 'legacy_version', value: versionName(legacy), note: client ? HELLO_NOTES.legacyVersion : HELLO_NOTES.serverLegacyVersion, ref: client ? 'RFC 8446 §4.1.2' : 'RFC 8446 §4.1.3', start: r.pos - 2, end: r.pos });

  if (!r.has(32)) return cut();
  out.random = hexOf(bytes, r.pos, r.pos + 32);
  r.pos += 32;
  if (!client && out.random === HRR_RANDOM) out.type = 'HelloRetryRequest';
  const downgrade = !client && out.random.slice(48, 62) === DOWNGRADE;
  push({
    name: 'random',
    value: short(out.random),
    note: out.type === 'HelloRetryRequest' ? 'The fixed value that marks a HelloRetryRequest: the server asks the client to try again with another key share (RFC 8446 §4.1.3, §4.1.4).' : downgrade ? 'Ends in "DOWNGRD": a TLS 1.3 server negotiating an older version says so, and a TLS 1.3 client aborts (RFC 8446 §4.1.3).' : HELLO_NOTES.random,
    start: r.pos - 32,
    end: r.pos,
  });

  const idStart = r.pos;
  const idLength = r.num(1);
  if (idLength === null || !r.has(idLength)) return cut();
  out.sessionId = hexOf(bytes, r.pos, r.pos + idLength);
  r.pos += idLength;
  push({ name: client ? 'legacy_session_id' : 'legacy_session_id_echo', value: idLength ? `${idLength} bytes: ${short(out.sessionId)}` : 'empty', note: idLength ? (client ? HELLO_NOTES.sessionId : 'The client’s session id, echoed (RFC 8446 §4.1.3).') : undefined, ref: idLength ? 'RFC 8446 Appendix D.4' : undefined, start: idStart, end: r.pos });

  if (client) {
    if (!readSuites(r, out, push)) return cut();
    const compStart = r.pos;
    const compLength = r.num(1);
    if (compLength === null || !r.has(compLength)) return cut();
    r.pos += compLength;
    push({ name: 'legacy_compression_methods', value: compLength === 1 && bytes[compStart + 1] === 0 ? 'null (0)' : hexOf(bytes, compStart + 1, r.pos), note: HELLO_NOTES.compression, start: compStart, end: r.pos });
  } else {
    const suite = r.num(2);
    if (suite === null) return cut();
    out.cipherSuites = [suite];
    push({ name: 'cipher_suite', value: nameOf(CIPHER_SUITES, suite), note: HELLO_NOTES.chosenSuite, ref: 'RFC 8446 §4.1.3', start: r.pos - 2, end: r.pos });
    const method = r.num(1);
    if (method === null) return cut();
    push({ name: 'legacy_compression_method', value: `${method}`, note: HELLO_NOTES.compression, start: r.pos - 1, end: r.pos });
  }

  if (r.pos < r.limit) {
    const extStart = r.pos;
    const extLength = r.num(2);
    if (extLength === null) return cut();
    const extEnd = r.pos + extLength;
    push({ name: 'extensions', value: `${extLength} bytes`, ref: 'RFC 8446 §4.2', start: extStart, end: Math.min(extEnd, bytes.length) });
    while (r.pos < extEnd) if (!readExtension(r, out, fields, client)) return cut();
  }
  const versions = out.supportedVersions.length ? out.supportedVersions : [out.legacyVersion];
  out.version = client ? Math.max(...versions.filter((v) => Object.hasOwn(VERSIONS, v))) : versions[0];
  out.complete = r.pos >= r.limit && r.limit <= bytes.length;
  if (!out.complete) return cut();
  return out;
}

type Push = (f: Omit<SpannedField, 'depth'> & { depth?: number }) => void;

function readSuites(r: Reader, out: HelloParts, push: Push): boolean {
  const listStart = r.pos;
  const length = r.num(2);
  if (length === null || !r.has(length)) return false;
  push({ name: 'cipher_suites', value: `${length / 2} suites`, note: HELLO_NOTES.suites, ref: 'RFC 8446 §4.1.2', start: listStart, end: r.pos + length });
  for (let end = r.pos + length; r.pos + 2 <= end; ) {
    const suite = r.num(2) ?? 0;
    out.cipherSuites.push(suite);
    push({ name: 'cipher suite', value: nameOf(CIPHER_SUITES, suite), start: r.pos - 2, end: r.pos, depth: 2 });
  }
  return true;
}
