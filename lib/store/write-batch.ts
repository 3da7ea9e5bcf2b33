/**
 * How a batch of write ops crosses to the writer thread. A structured clone writes an object out
 * property by property, each key's name included, so a message as an object costs about twice its
 * tuple (a recorded SSH handshake's 36 messages: bench:store). The two ops every connection makes
 * many of, messages and captured chunks, cross as flat tuples, a message's fields flattened to
 * name, value, note, start, end; every other op crosses as it is. Annotations stay objects: the protocol kit
 * shares one per table key, and a clone writes a shared object once per batch.
 */
import type { CapturedChunk } from '../bus/captures.ts';
import type { Annotation, Dir, Field, LabMessage, Protocol, View } from '../wire/event.ts';
import type { WriteOp } from './transcript-writer.ts';

/** A message op: its properties in LabMessage's order, absent ones null. */
export type PackedMessage = [
  tag: 'm',
  id: string,
  conn: string,
  sandbox: string,
  protocol: Protocol,
  seq: number,
  t: number,
  dir: Dir,
  view: View,
  kind: string,
  text: string,
  fields: (string | number | null)[] | null,
  annotation: Annotation | null,
  phase: string | null,
  bytes: number | null,
  at: number | null,
  edited: LabMessage['edited'] | null,
  injected: LabMessage['injected'] | null,
  secret: LabMessage['secret'] | null,
];

/** A captured chunk op. */
export type PackedChunk = [tag: 'c', conn: string, dir: CapturedChunk['dir'], seq: number, t: number, offset: number, latin1: string];

type OtherOp = Exclude<WriteOp, { type: 'message' } | { type: 'capture.chunk' }>;

export type PackedOp = PackedMessage | PackedChunk | OtherOp;

/** The batch as it is posted, in the same order. */
export function packBatch(batch: readonly WriteOp[]): PackedOp[] {
  const packed: PackedOp[] = [];
  for (const op of batch) {
    if (op.type === 'message') packed.push(packMessage(op.message));
    else if (op.type === 'capture.chunk') {
      const c = op.chunk;
      packed.push(['c', c.conn, c.dir, c.seq, c.t, c.offset, c.latin1]);
    } else packed.push(op);
  }
  return packed;
}

function packMessage(m: LabMessage): PackedMessage {
  let fields: (string | number | null)[] | null = null;
  if (m.fields) {
    fields = [];
    for (const field of m.fields) fields.push(field.name, field.value, field.note ?? null, field.start ?? null, field.end ?? null);
  }
  return ['m', m.id, m.conn, m.sandbox, m.protocol, m.seq, m.t, m.dir, m.view, m.kind, m.text, fields, m.annotation ?? null, m.phase ?? null, m.bytes ?? null, m.at ?? null, m.edited ?? null, m.injected ?? null, m.secret ?? null];
}

/** The ops again, each message with its properties in the order the recorder stamps them (so its stored JSON is the same). */
export function unpackBatch(packed: readonly PackedOp[]): WriteOp[] {
  const batch: WriteOp[] = [];
  for (const op of packed) {
    if (!Array.isArray(op)) batch.push(op);
    else if (op[0] === 'm') batch.push({ type: 'message', message: unpackMessage(op) });
    else batch.push({ type: 'capture.chunk', chunk: { conn: op[1], dir: op[2], seq: op[3], t: op[4], offset: op[5], latin1: op[6] } });
  }
  return batch;
}

function unpackMessage(packed: PackedMessage): LabMessage {
  const [, id, conn, sandbox, protocol, seq, t, dir, view, kind, text, flat, annotation, phase, bytes, at, edited, injected, secret] = packed;
  let fields: Field[] | undefined;
  if (flat) {
    fields = [];
    for (let i = 0; i < flat.length; i += 5) fields.push(unpackField(flat, i));
  }
  const message: LabMessage = { id, conn, sandbox, protocol, seq, t, dir, view, kind, text, fields, annotation: annotation ?? undefined, phase: phase ?? undefined, bytes: bytes ?? undefined };
  if (at !== null) message.at = at;
  if (edited) message.edited = edited;
  if (injected) message.injected = injected;
  if (secret) message.secret = secret;
  return message;
}

/** One field from its five places (absent ones null), with only the properties it had: its stored JSON stays the same. */
function unpackField(flat: readonly (string | number | null)[], i: number): Field {
  const [name, value, note, start, end] = [flat[i], flat[i + 1], flat[i + 2], flat[i + 3], flat[i + 4]];
  const field: Field = { name: String(name ?? ''), value: String(value ?? '') };
  if (typeof note === 'string') field.note = note;
  if (typeof start === 'number' && typeof end === 'number') {
    field.start = start;
    field.end = end;
  }
  return field;
}
