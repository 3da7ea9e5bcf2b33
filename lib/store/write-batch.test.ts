import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { stampMessage } from '../wire/recorder.ts';
import type { ConnectionInfo } from '../wire/event.ts';
import type { WriteOp } from './transcript-writer.ts';
import { packBatch, unpackBatch, type PackedOp } from './write-batch.ts';

const conn = { id: 'ssh-abc', sandbox: 'local', protocol: 'ssh' as const };
const info: ConnectionInfo = { ...conn, startedAt: 1_700_000_000_000.5, endedAt: null, messageCount: 0, client: '127.0.0.1:50000' };
const shared = { key: 'ssh.kex.negotiated', title: 'Algorithms chosen', explain: 'The client’s order decides — RFC 4253 §7.1.', ref: 'RFC 4253 §7.1', level: 'info' as const };

/** A batch with every op a connection makes and every optional part of a message, present and absent. */
function batch(): WriteOp[] {
  return [
    { type: 'connection.open', connection: info },
    { type: 'message', message: stampMessage({ dir: 'server', kind: 'version', text: 'SSH-2.0-lab', bytes: 13 }, conn, 1, 0.4, 'wire', 0) },
    {
      type: 'message',
      message: stampMessage({ dir: 'note', kind: 'negotiation', text: 'Negotiated: curve25519 · aes128-gcm', bytes: 0, fields: [{ name: 'kex', value: 'curve25519-sha256', note: 'RFC 8731 §3' }, { name: 'mac c→s', value: '<implicit>' }], annotation: shared, phase: 'kex' }, conn, 2, 9.2, 'wire'),
    },
    { type: 'capture.chunk', chunk: { conn: conn.id, dir: 'client', seq: 1, t: 0.3, offset: 0, latin1: 'SSH-2.0-x\r\n\u0000\u00ff' } },
    // A binary protocol's fields say where they lie in the bytes (one with a note, one without).
    { type: 'message', message: stampMessage({ dir: 'server', kind: 'command', text: 'READY', bytes: 27, fields: [{ name: 'flags', value: '0x04 (COMMAND)', start: 0, end: 1 }, { name: 'Socket-Type', value: '"REP"', note: 'the sender', start: 24, end: 27 }] }, conn, 4, 10.5, 'wire') },
    { type: 'message', message: { ...stampMessage({ dir: 'client', kind: 'command', text: 'NOOP', bytes: 6, annotation: shared, edited: { original: 'HELP' }, injected: { rule: 'r1', title: 'Drop' } }, conn, 3, 10, 'endpoint', 14) } },
    { type: 'message', message: stampMessage({ dir: 'client', kind: 'command', text: 'PASS hunter2', bytes: 14, secret: { start: 5, end: 12 } }, conn, 6, 10.7, 'wire', 20) },
    { type: 'capture.keylog', conn: conn.id, line: 'CLIENT_RANDOM 00 11' },
    { type: 'capture.truncated', conn: conn.id, bytes: 1024 },
    { type: 'summary', seq: 5000.5, message: stampMessage({ dir: 'note', kind: 'note', text: '12 more', bytes: 0 }, conn, 5000, 11, 'wire') },
    { type: 'connection.close', connection: { ...info, endedAt: 1_700_000_000_100, messageCount: 3 } },
  ];
}

/** What postMessage does to the packed batch on its way. */
const posted = (packed: PackedOp[]): PackedOp[] => deserialize(serialize(packed)) as PackedOp[];

describe('write batches to the writer thread', () => {
  it('arrive as the same ops in the same order, each message stored as the same JSON', () => {
    const original = batch();
    const arrived = unpackBatch(posted(packBatch(original)));
    expect(arrived.map((op) => op.type)).toEqual(original.map((op) => op.type));
    // The writer stores JSON.stringify(message): same text, key order included.
    expect(arrived.map((op) => JSON.stringify(op))).toEqual(original.map((op) => JSON.stringify(op)));
    expect(arrived).toEqual(original);
  });

  it('cross messages and chunks as tuples, and are smaller for it', () => {
    const original = batch();
    const packed = packBatch(original);
    expect(packed.filter(Array.isArray)).toHaveLength(original.filter((op) => op.type === 'message' || op.type === 'capture.chunk').length);
    expect(serialize(packed).length).toBeLessThan(serialize(original).length);
  });

  it('keep one shared annotation one object after the crossing', () => {
    const arrived = unpackBatch(posted(packBatch(batch())));
    const annotations = arrived.flatMap((op) => (op.type === 'message' && op.message.annotation ? [op.message.annotation] : []));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toBe(annotations[1]);
  });
});
