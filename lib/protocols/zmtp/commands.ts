/**
 * Decodes one ZMTP command body (name with a 1-octet length, then data: ZMTP RFC 37 §3.2) according to
 * the sender's security mechanism: NULL READY/ERROR, PLAIN (ZMTP RFC 24 §3), CURVE (ZeroMQ RFC 26 §2.6),
 * and the ZMTP 3.1 SUBSCRIBE/CANCEL/PING/PONG. Pure; works on a possibly truncated body prefix.
 */
import type { Field, SecretSpan } from '../../wire/event.ts';
import { secretSpan } from '../../wire/redact.ts';
import { escapeControls } from '../../wire/escape.ts';
import { hex, parseMetadata, propertyFields, propertyText, showBody, uintBE, type Property } from './body.ts';
import { CURVE_SIZES } from './tables.ts';

/** What the dissector needs from a decoded command. */
export interface DecodedCommand {
  name: string;
  key: string;
  text: string;
  fields: Field[];
  /** Appended to the annotation's explanation: the concrete case. */
  extra?: string;
  level?: 'warn' | 'error';
  /** Metadata sent in clear (NULL READY, PLAIN INITIATE/READY). */
  props?: Property[];
  handshake: boolean;
  /** Where `text` holds a credential (PLAIN HELLO's password): LabMessage.secret. */
  secret?: SecretSpan;
}

/** A field, and where it lies in the message's bytes when that is known ([start, end), an empty span left out). */
const f = (name: string, value: string, note?: string, start?: number, end?: number): Field => {
  const field: Field = note ? { name, value, note } : { name, value };
  if (start !== undefined && end !== undefined && end > start) {
    field.start = start;
    field.end = end;
  }
  return field;
};

/**
 * Decodes a command; `body` may be a prefix of `size` octets. `header` is the frame header's length
 * (flags and size, 2 or 9 octets): the fields' spans count from the frame's first octet.
 */
export function decodeCommand(body: Uint8Array, size: number, mechanism: string, header = 2): DecodedCommand {
  const nameLength = body[0] ?? 0;
  const name = escapeControls(String.fromCharCode(...body.subarray(1, 1 + nameLength)));
  const data = body.subarray(1 + nameLength);
  // Where the command's data begins, and the frame ends, in the message's bytes.
  const at = header + 1 + nameLength;
  const end = header + size;
  const base = { name, fields: [f('size', `${size} octets`, undefined, 1, header), f('command', name, undefined, header, at)], handshake: false };
  const place = { at, end };
  const upper = name.toUpperCase();
  if (mechanism === 'CURVE' && ['HELLO', 'WELCOME', 'INITIATE', 'READY', 'MESSAGE'].includes(upper)) return curve(upper, data, size, base, place);
  if (mechanism === 'PLAIN' && ['HELLO', 'WELCOME', 'INITIATE', 'READY'].includes(upper)) return plain(upper, data, base, place);
  const { fields: baseFields } = base;
  switch (upper) {
    case 'READY':
      return metadataCommand('zmtp.cmd.READY', 'READY', data, base, place);
    case 'ERROR': {
      const reason = escapeControls(String.fromCharCode(...data.subarray(1, 1 + (data[0] ?? 0))));
      return { ...base, key: 'zmtp.cmd.ERROR', text: `ERROR "${reason}"`, fields: [...baseFields, f('reason', `"${reason}"`, undefined, at, end)], extra: `Reason: "${reason}".`, handshake: true };
    }
    case 'SUBSCRIBE':
    case 'CANCEL': {
      const topic = showBody(data, size - 1 - nameLength);
      return { ...base, key: `zmtp.cmd.${upper}`, text: `${upper} ${topic}`, fields: [...baseFields, f('prefix', topic, data.length === 0 ? 'empty: every message' : undefined, at, end)] };
    }
    case 'PING': {
      const ttl = uintBE(data.subarray(0, 2));
      const context = showBody(data.subarray(2));
      return {
        ...base,
        key: 'zmtp.cmd.PING',
        text: `PING ttl ${(ttl / 10).toFixed(1)} s, context ${context}`,
        fields: [...baseFields, f('ttl', `${ttl} (${(ttl / 10).toFixed(1)} s)`, 'tenths of a second', at, at + 2), f('context', context, undefined, at + 2, end)],
      };
    }
    case 'PONG': {
      const context = showBody(data);
      return { ...base, key: 'zmtp.cmd.PONG', text: `PONG context ${context}`, fields: [...baseFields, f('context', context, undefined, at, end)] };
    }
    default:
      return { ...base, key: 'zmtp.cmd.unknown', text: `${name || '‹no name›'} ${showBody(data, size - 1 - nameLength)}` };
  }
}

/** What every command shares. */
type Base = Pick<DecodedCommand, 'name' | 'fields' | 'handshake'>;
/** Where a command's data begins and its frame ends, in the message's bytes. */
interface Place {
  at: number;
  end: number;
}

function metadataCommand(key: string, label: string, data: Uint8Array, base: Base, place: Place): DecodedCommand {
  const { props, error } = parseMetadata(data);
  const shown = props.map((p) => `${escapeControls(p.name)}=${showBody(p.value)}`).join(' ');
  const fields = [...base.fields, ...propertyFields(props, place.at)];
  if (error) fields.push(f('metadata', `malformed: ${error}`));
  const type = propertyText(props, 'Socket-Type');
  return { ...base, key, text: `${label} ${shown}`.trim(), fields, props, handshake: true, ...(type ? { extra: `Socket-Type: ${escapeControls(type)}.` } : {}) };
}

function plain(name: string, data: Uint8Array, base: Base, place: Place): DecodedCommand {
  const { at } = place;
  if (name === 'HELLO') {
    const userLength = data[0] ?? 0;
    const user = data.subarray(1, 1 + userLength);
    const rest = data.subarray(1 + userLength);
    const password = rest.subarray(1, 1 + (rest[0] ?? 0));
    const u = showBody(user);
    const p = showBody(password);
    const text = `HELLO (PLAIN) username ${u} password ${p}`;
    const secret = password.length > 0 ? secretSpan(text, p) : undefined;
    return {
      ...base,
      key: 'zmtp.plain.HELLO',
      text,
      ...(secret ? { secret } : {}),
      fields: [...base.fields, f('username', u, undefined, at, at + 1 + userLength), f('password', p, 'in clear', at + 1 + userLength, at + 2 + userLength + password.length)],
      level: 'warn',
      handshake: true,
    };
  }
  if (name === 'WELCOME') return { ...base, key: 'zmtp.plain.WELCOME', text: 'WELCOME (PLAIN)', handshake: true };
  return metadataCommand(`zmtp.plain.${name}`, `${name} (PLAIN)`, data, base, place);
}

function curve(name: string, data: Uint8Array, size: number, base: Base, place: Place): DecodedCommand {
  const fields = [...base.fields];
  const { at, end } = place;
  const handshake = name !== 'MESSAGE';
  const sized = (expected: number, exact: boolean): DecodedCommand | undefined =>
    (exact ? size === expected : size >= expected)
      ? undefined
      : { ...base, key: 'zmtp.curve.malformed', text: `${name} (CURVE) ${size} octets`, fields, extra: `${name} must be ${exact ? '' : 'at least '}${expected} octets; this one has ${size}.`, level: 'warn', handshake };
  switch (name) {
    case 'HELLO': {
      const bad = sized(CURVE_SIZES.HELLO, true);
      if (bad) return bad;
      const padding = data.subarray(2, 2 + CURVE_SIZES.HELLO_PADDING);
      const zeros = padding.every((b) => b === 0);
      fields.push(
        f('version', `${data[0]}.${data[1]}`, undefined, at, at + 2),
        f('padding', `${padding.length} octets${zeros ? ' of zeros' : ', not all zero'}`, 'anti-amplification', at + 2, at + 74),
        f("C′ (client short-term public key)", hex(data.subarray(74, 106)), undefined, at + 74, at + 106),
        f('short nonce', String(uintBE(data.subarray(106, 114).subarray(2))), 'after "CurveZMQHELLO---"', at + 106, at + 114),
        f('signature box', `${data.subarray(114).length} octets`, "Box[64 zeros](C′→S)", at + 114, end),
      );
      return { ...base, key: 'zmtp.curve.HELLO', text: `HELLO (CURVE) C′ ${hex(data.subarray(74, 82))}… box 80`, fields, handshake };
    }
    case 'WELCOME': {
      const bad = sized(CURVE_SIZES.WELCOME, true);
      if (bad) return bad;
      fields.push(f('long nonce', hex(data.subarray(0, 16)), 'after "WELCOME-"', at, at + 16), f('welcome box', `${data.length - 16} octets`, "Box[S′ + cookie](S→C′)", at + 16, end));
      return { ...base, key: 'zmtp.curve.WELCOME', text: `WELCOME (CURVE) box ${data.length - 16}`, fields, handshake };
    }
    case 'INITIATE': {
      const bad = sized(CURVE_SIZES.INITIATE_MIN, false);
      if (bad) return bad;
      fields.push(
        f('cookie', `${hex(data.subarray(0, 8))}… (96 octets)`, 'returned as received', at, at + 96),
        f('short nonce', String(uintBE(data.subarray(96, 104).subarray(2))), 'after "CurveZMQINITIATE"', at + 96, at + 104),
        f('initiate box', `${size - 9 - 104} octets`, "Box[C + vouch + metadata](C′→S′)", at + 104, end),
      );
      return { ...base, key: 'zmtp.curve.INITIATE', text: `INITIATE (CURVE) box ${size - 9 - 104}`, fields, handshake };
    }
    default: {
      // READY and MESSAGE: a short nonce and a box between the short-term keys.
      const bad = sized(name === 'READY' ? CURVE_SIZES.READY_MIN : CURVE_SIZES.MESSAGE_MIN, false);
      if (bad) return bad;
      const box = size - 1 - name.length - 8;
      fields.push(f('short nonce', String(uintBE(data.subarray(0, 8).subarray(2))), undefined, at, at + 8), f('box', `${box} octets`, name === 'READY' ? 'Box[metadata](S′→C′)' : `Box[flags + ${box - 17} octets]`, at + 8, end));
      return { ...base, key: `zmtp.curve.${name}`, text: `${name} (CURVE) nonce ${uintBE(data.subarray(0, 8).subarray(2))} box ${box}`, fields, handshake };
    }
  }
}
