/**
 * Decoders for the cleartext SSH messages an eavesdropper can read (everything before NEWKEYS).
 * Each opens with the RFC wire layout; each returns fields and a one-line summary, or undefined
 * when the payload is malformed (the caller then shows it as hex).
 */
import type { Field } from '../../wire/event.ts';
import { hexPreview } from '../../wire/escape.ts';
import { escapeControls } from '../../wire/escape.ts';
import { ALGORITHM_BY_NAME, KEXINIT_LISTS } from './algorithms.ts';
import { disconnectName } from './annotate.ts';
import { fingerprintOfBlob, keyTypeOfBlob } from './fingerprint.ts';
import type { KexinitLists } from './negotiate.ts';
import { WireReader } from './reader.ts';
import { counted } from '../../text/numbers.ts';
import { kexMessages } from './messages.ts';

/** A decoded payload: summary text and fields, their spans counted from the packet's first byte. */
export interface Decoded {
  summary: string;
  fields: Field[];
}

/** Where a binary packet's payload begins: after packet_length (4 bytes) and padding_length (1), RFC 4253 §6. */
export const PAYLOAD_AT = 5;

/** A field over payload bytes [start, end), placed in its packet (built as one literal: a spread takes V8's slow path, per packet of every login). */
function at(name: string, value: string, note: string | undefined, start: number, end: number): Field {
  return note === undefined ? { name, value, start: PAYLOAD_AT + start, end: PAYLOAD_AT + end } : { name, value, note, start: PAYLOAD_AT + start, end: PAYLOAD_AT + end };
}

/** Longest name-list shown in a field before it is cut (a malicious list could be 35 KB). */
const MAX_FIELD = 2000;
const clip = (text: string) => escapeControls(text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text);

/**
 * byte SSH_MSG_KEXINIT · byte[16] cookie · name-list ×10 · boolean first_kex_packet_follows · uint32 0
 * (RFC 4253 §7.1)
 */
export function decodeKexinit(payload: Uint8Array): (Decoded & { lists: KexinitLists }) | undefined {
  const r = new WireReader(payload);
  r.byte();
  const cookie = r.bytes(16);
  if (!cookie) return undefined;
  const lists = {} as KexinitLists;
  const spans: [number, number][] = [];
  for (const name of KEXINIT_LISTS) {
    const start = r.at;
    const list = r.nameList();
    if (!list) return undefined;
    lists[name] = list;
    spans.push([start, r.at]);
  }
  const followsAt = r.at;
  const follows = r.boolean();
  const fields: Field[] = [at('cookie', hexPreview(cookie), '16 random bytes: makes every exchange hash unique', 1, 17)];
  KEXINIT_LISTS.forEach((name, i) => fields.push(at(name, clip(lists[name].join(',')), undefined, spans[i][0], spans[i][1])));
  fields.push(follows === undefined ? { name: 'first_kex_packet_follows', value: 'false' } : at('first_kex_packet_follows', String(follows), undefined, followsAt, followsAt + 1));
  const summary = `KEXINIT kex=${clip(lists.kex_algorithms.slice(0, 2).join(','))}${lists.kex_algorithms.length > 2 ? ',…' : ''} (${lists.kex_algorithms.length} kex, ${lists.server_host_key_algorithms.length} host key, ${lists.encryption_algorithms_client_to_server.length} cipher, ${lists.mac_algorithms_client_to_server.length} MAC)`;
  return { summary, fields, lists };
}

/** byte SSH_MSG_KEX_ECDH_INIT · string Q_C (RFC 5656 §4; RFC 8731 §3). Plain DH: SSH_MSG_KEXDH_INIT · mpint e (RFC 4253 §8). */
export function decodeKexInit30(payload: Uint8Array, family: 'ecdh' | 'dh'): Decoded | undefined {
  const r = new WireReader(payload);
  r.byte();
  const q = r.string();
  if (!q) return undefined;
  const { init, clientValue: name } = kexMessages(family);
  return {
    summary: `${init} ${name} (${q.length} bytes, client's ephemeral public key)`,
    fields: [at(name, hexPreview(q, 32), `${q.length} bytes; the matching private key never leaves the client`, 1, r.at)],
  };
}

/**
 * byte SSH_MSG_KEX_ECDH_REPLY · string K_S (host key) · string Q_S · string signature of H
 * (RFC 5656 §4; RFC 8731 §3). Plain DH: SSH_MSG_KEXDH_REPLY, mpint f instead of Q_S (RFC 4253 §8).
 */
export function decodeKexReply31(payload: Uint8Array, family: 'ecdh' | 'dh'): Decoded | undefined {
  const r = new WireReader(payload);
  r.byte();
  const hostKey = r.string();
  const qAt = r.at;
  const q = r.string();
  const signatureAt = r.at;
  const signature = r.string();
  if (!hostKey || !q || !signature) return undefined;
  const keyType = keyTypeOfBlob(hostKey) ?? '?';
  const sig = new WireReader(signature);
  const sigAlg = sig.text() ?? '?';
  const sigBlob = sig.string();
  const fingerprint = fingerprintOfBlob(hostKey);
  const { reply, serverValue: name } = kexMessages(family);
  return {
    summary: `${reply} host key ${clip(keyType)} ${fingerprint}, ${name} (${q.length} bytes), signature ${clip(sigAlg)}`,
    fields: [
      // The key's type and fingerprint both read the host key blob K_S.
      at('K_S type', clip(keyType), undefined, 1, qAt),
      at('K_S fingerprint', fingerprint, 'compare with known_hosts / the fingerprint the lab shows', 1, qAt),
      at(name, hexPreview(q, 32), `${q.length} bytes; server's ephemeral public key`, qAt, signatureAt),
      at('signature', `${clip(sigAlg)}, ${sigBlob?.length ?? 0} bytes`, 'the host key signs H; K itself is never sent', signatureAt, r.at),
    ],
  };
}

/** byte SSH_MSG_DISCONNECT · uint32 reason code · string description · string language (RFC 4253 §11.1) */
export function decodeDisconnect(payload: Uint8Array): (Decoded & { code: number }) | undefined {
  const r = new WireReader(payload);
  r.byte();
  const code = r.uint32();
  const description = r.text();
  if (code === undefined) return undefined;
  return {
    code,
    summary: `DISCONNECT ${code} ${disconnectName(code)}${description ? ` "${clip(description)}"` : ''}`,
    fields: [at('reason code', `${code} (${disconnectName(code)})`, undefined, 1, 5), description === undefined ? { name: 'description', value: '' } : at('description', clip(description), undefined, 5, r.at)],
  };
}

/** byte SSH_MSG_SERVICE_REQUEST/ACCEPT · string service name (RFC 4253 §10) */
export function decodeService(payload: Uint8Array, name: string): Decoded | undefined {
  const r = new WireReader(payload);
  r.byte();
  const service = r.text();
  if (service === undefined) return undefined;
  return { summary: `${name} ${clip(service)}`, fields: [at('service', clip(service), undefined, 1, r.at)] };
}

/** More extensions than any implementation sends; the rest are not decoded. */
const MAX_EXTENSIONS = 32;

/**
 * byte SSH_MSG_EXT_INFO · uint32 nr-extensions · repeated { string extension-name · string
 * extension-value } (RFC 8308 §2.3). server-sig-algs is a name-list of every public key
 * algorithm the server accepts for publickey login (§3.1); names the lab does not know are flagged.
 * The endpoint view's (read from the server's own outbound payload, encrypted on the wire): no spans.
 */
export function decodeExtInfo(payload: Uint8Array): Decoded | undefined {
  const r = new WireReader(payload);
  if (r.byte() !== 7) return undefined;
  const count = r.uint32();
  if (count === undefined) return undefined;
  const fields: Field[] = [];
  for (let i = 0; i < Math.min(count, MAX_EXTENSIONS); i++) {
    const name = r.text();
    const value = r.string();
    if (name === undefined || value === undefined) return undefined;
    if (name === 'server-sig-algs') {
      const names = Buffer.from(value).toString('latin1').split(',').filter(Boolean);
      const unknown = names.filter((n) => !ALGORITHM_BY_NAME.has(n));
      fields.push({
        name: 'server-sig-algs',
        value: clip(names.join(',')),
        note: `${names.length} public key algorithms accepted for publickey login${unknown.length ? `; not an algorithm name the lab knows: ${clip(unknown.join(', '))}` : ''}`,
      });
    } else fields.push({ name: clip(name), value: clip(Buffer.from(value).toString('latin1')) });
  }
  const names = fields.map((f) => f.name);
  return { summary: `EXT_INFO ${counted(count, 'extension')}: ${names.join(', ')}`, fields };
}
