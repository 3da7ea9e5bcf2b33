/**
 * Decodes one ZMTP command body (name with a 1-octet length, then data: ZMTP RFC 37 §3.2) according to
 * the sender's security mechanism: NULL READY/ERROR, PLAIN (ZMTP RFC 24 §3), CURVE (ZeroMQ RFC 26 §2.6),
 * and the ZMTP 3.1 SUBSCRIBE/CANCEL/PING/PONG. Pure; works on a possibly truncated body prefix.
 */
import type { Field } from '../../wire/event.ts';
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
}

const f = (name: string, value: string, note?: string): Field => (note ? { name, value, note } : { name, value });

/** Decodes a command; `body` may be a prefix of `size` octets. */
export function decodeCommand(body: Uint8Array, size: number, mechanism: string): DecodedCommand {
  const nameLength = body[0] ?? 0;
  const name = escapeControls(String.fromCharCode(...body.subarray(1, 1 + nameLength)));
  const data = body.subarray(1 + nameLength);
  const base = { name, fields: [f('command', name), f('size', `${size} octets`)], handshake: false };
  const upper = name.toUpperCase();
  if (mechanism === 'CURVE' && ['HELLO', 'WELCOME', 'INITIATE', 'READY', 'MESSAGE'].includes(upper)) return curve(upper, data, size, base);
  if (mechanism === 'PLAIN' && ['HELLO', 'WELCOME', 'INITIATE', 'READY'].includes(upper)) return plain(upper, data, base);
  switch (upper) {
    case 'READY':
      return metadataCommand('zmtp.cmd.READY', 'READY', data, base);
    case 'ERROR': {
      const reason = escapeControls(String.fromCharCode(...data.subarray(1, 1 + (data[0] ?? 0))));
      return { ...base, key: 'zmtp.cmd.ERROR', text: `ERROR "${reason}"`, fields: [...base.fields, f('reason', `"${reason}"`)], extra: `Reason: "${reason}".`, handshake: true };
    }
    case 'SUBSCRIBE':
    case 'CANCEL': {
      const topic = showBody(data, size - 1 - nameLength);
      return { ...base, key: `zmtp.cmd.${upper}`, text: `${upper} ${topic}`, fields: [...base.fields, f('prefix', topic, data.length === 0 ? 'empty: every message' : undefined)] };
    }
    case 'PING': {
      const ttl = uintBE(data.subarray(0, 2));
      const context = showBody(data.subarray(2));
      return {
        ...base,
        key: 'zmtp.cmd.PING',
        text: `PING ttl ${(ttl / 10).toFixed(1)} s, context ${context}`,
        fields: [...base.fields, f('ttl', `${ttl} (${(ttl / 10).toFixed(1)} s)`, 'tenths of a second'), f('context', context)],
      };
    }
    case 'PONG': {
      const context = showBody(data);
      return { ...base, key: 'zmtp.cmd.PONG', text: `PONG context ${context}`, fields: [...base.fields, f('context', context)] };
    }
    default:
      return { ...base, key: 'zmtp.cmd.unknown', text: `${name || '‹no name›'} ${showBody(data, size - 1 - nameLength)}` };
  }
}

type Base = Pick<DecodedCommand, 'name' | 'fields' | 'handshake'>;

function metadataCommand(key: string, label: string, data: Uint8Array, base: Base): DecodedCommand {
  const { props, error } = parseMetadata(data);
  const shown = props.map((p) => `${escapeControls(p.name)}=${showBody(p.value)}`).join(' ');
  const fields = [...base.fields, ...propertyFields(props)];
  if (error) fields.push(f('metadata', `malformed: ${error}`));
  const type = propertyText(props, 'Socket-Type');
  return { ...base, key, text: `${label} ${shown}`.trim(), fields, props, handshake: true, ...(type ? { extra: `Socket-Type: ${escapeControls(type)}.` } : {}) };
}

function plain(name: string, data: Uint8Array, base: Base): DecodedCommand {
  if (name === 'HELLO') {
    const userLength = data[0] ?? 0;
    const user = data.subarray(1, 1 + userLength);
    const rest = data.subarray(1 + userLength);
    const password = rest.subarray(1, 1 + (rest[0] ?? 0));
    const u = showBody(user);
    const p = showBody(password);
    return {
      ...base,
      key: 'zmtp.plain.HELLO',
      text: `HELLO (PLAIN) username ${u} password ${p}`,
      fields: [...base.fields, f('username', u), f('password', p, 'in clear')],
      level: 'warn',
      handshake: true,
    };
  }
  if (name === 'WELCOME') return { ...base, key: 'zmtp.plain.WELCOME', text: 'WELCOME (PLAIN)', handshake: true };
  return metadataCommand(`zmtp.plain.${name}`, `${name} (PLAIN)`, data, base);
}

function curve(name: string, data: Uint8Array, size: number, base: Base): DecodedCommand {
  const fields = [...base.fields];
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
        f('version', `${data[0]}.${data[1]}`),
        f('padding', `${padding.length} octets${zeros ? ' of zeros' : ', not all zero'}`, 'anti-amplification'),
        f("C′ (client short-term public key)", hex(data.subarray(74, 106))),
        f('short nonce', String(uintBE(data.subarray(106, 114).subarray(2))), 'after "CurveZMQHELLO---"'),
        f('signature box', `${data.subarray(114).length} octets`, "Box[64 zeros](C′→S)"),
      );
      return { ...base, key: 'zmtp.curve.HELLO', text: `HELLO (CURVE) C′ ${hex(data.subarray(74, 82))}… box 80`, fields, handshake };
    }
    case 'WELCOME': {
      const bad = sized(CURVE_SIZES.WELCOME, true);
      if (bad) return bad;
      fields.push(f('long nonce', hex(data.subarray(0, 16)), 'after "WELCOME-"'), f('welcome box', `${data.length - 16} octets`, "Box[S′ + cookie](S→C′)"));
      return { ...base, key: 'zmtp.curve.WELCOME', text: `WELCOME (CURVE) box ${data.length - 16}`, fields, handshake };
    }
    case 'INITIATE': {
      const bad = sized(CURVE_SIZES.INITIATE_MIN, false);
      if (bad) return bad;
      fields.push(
        f('cookie', `${hex(data.subarray(0, 8))}… (96 octets)`, 'returned as received'),
        f('short nonce', String(uintBE(data.subarray(96, 104).subarray(2))), 'after "CurveZMQINITIATE"'),
        f('initiate box', `${size - 9 - 104} octets`, "Box[C + vouch + metadata](C′→S′)"),
      );
      return { ...base, key: 'zmtp.curve.INITIATE', text: `INITIATE (CURVE) box ${size - 9 - 104}`, fields, handshake };
    }
    default: {
      // READY and MESSAGE: a short nonce and a box between the short-term keys.
      const bad = sized(name === 'READY' ? CURVE_SIZES.READY_MIN : CURVE_SIZES.MESSAGE_MIN, false);
      if (bad) return bad;
      const box = size - 1 - name.length - 8;
      fields.push(f('short nonce', String(uintBE(data.subarray(0, 8).subarray(2)))), f('box', `${box} octets`, name === 'READY' ? 'Box[metadata](S′→C′)' : `Box[flags + ${box - 17} octets]`));
      return { ...base, key: `zmtp.curve.${name}`, text: `${name} (CURVE) nonce ${uintBE(data.subarray(0, 8).subarray(2))} box ${box}`, fields, handshake };
    }
  }
}
