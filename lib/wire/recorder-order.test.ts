/**
 * The recorder keeps wire order while the dissect thread reads a chunk: what is recorded meanwhile
 * (the server's notes, the close) waits behind the chunk's place and follows its messages.
 */
import { describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import { messageTick } from './event.ts';
import { ConnectionRecorder } from './recorder.ts';

function recording() {
  const bus = new Bus();
  const events: LabEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const recorder = new ConnectionRecorder(bus, { protocol: 'soap', sandbox: 'local', client: 'test' });
  const texts = () => events.flatMap((e) => (e.type === 'message' ? [`${e.message.seq} ${e.message.text}`] : e.type === 'connection.close' ? ['closed'] : []));
  return { recorder, texts };
}

describe('ConnectionRecorder: places kept for the dissect thread', () => {
  it('a note recorded while a chunk is read comes after that chunk’s messages, and so does the close', () => {
    const { recorder, texts } = recording();
    const request = recorder.expect();
    recorder.note('the server refused it', undefined, 'endpoint');
    recorder.close();
    expect(texts()).toEqual([]);
    recorder.settle(request, () => recorder.record({ dir: 'client', kind: 'request', text: 'POST /soap', bytes: 10 }, 'wire'));
    expect(texts()).toEqual(['1 POST /soap', '2 the server refused it', 'closed']);
  });

  it('what waits behind a later chunk still waits when an earlier one settles', () => {
    const { recorder, texts } = recording();
    const first = recorder.expect();
    recorder.note('between');
    const second = recorder.expect();
    recorder.note('after both');
    recorder.settle(first, () => recorder.record({ dir: 'client', kind: 'line', text: 'one', bytes: 3 }, 'wire'));
    expect(texts()).toEqual(['1 one', '2 between']);
    recorder.settle(second, () => recorder.record({ dir: 'server', kind: 'line', text: 'two', bytes: 3 }, 'wire'));
    expect(texts()).toEqual(['1 one', '2 between', '3 two', '4 after both']);
  });

  it('a later chunk settled first waits for the earlier one, then both take their places in order', () => {
    const { recorder, texts } = recording();
    const first = recorder.expect();
    const second = recorder.expect();
    recorder.settle(second, () => recorder.record({ dir: 'server', kind: 'line', text: 'two', bytes: 3 }, 'wire'));
    expect(texts()).toEqual([]);
    recorder.settle(first, () => recorder.record({ dir: 'client', kind: 'line', text: 'one', bytes: 3 }, 'wire'));
    expect(texts()).toEqual(['1 one', '2 two']);
  });

  it('with nothing being read, a record is published at once', () => {
    const { recorder, texts } = recording();
    recorder.note('now');
    expect(texts()).toEqual(['1 now']);
  });

  it('a child opened after its parent’s message is placed after it by startedAt + t (what the player merges by)', () => {
    const bus = new Bus();
    const at = new Map<string, number>();
    const starts = new Map<string, number>();
    bus.subscribe((e) => {
      if (e.type === 'connection.open') starts.set(e.connection.id, e.connection.startedAt);
      if (e.type === 'message') at.set(e.message.text, messageTick(starts.get(e.message.conn) ?? NaN, e.message.t));
    });
    // Within the same millisecond, again and again: whole-millisecond starts put the child first at times.
    for (let i = 0; i < 2000; i++) {
      const parent = new ConnectionRecorder(bus, { protocol: 'ftp', sandbox: 'local', client: 'test' });
      parent.note(`LIST ${i}`);
      const child = new ConnectionRecorder(bus, { protocol: 'ftp', sandbox: 'local', client: 'test', parent: parent.info.id });
      child.note(`listing ${i}`);
      expect(at.get(`listing ${i}`)).toBeGreaterThanOrEqual(at.get(`LIST ${i}`) ?? Infinity);
    }
  });
});
