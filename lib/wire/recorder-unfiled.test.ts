import { describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { CaptureEvent } from '../bus/captures.ts';
import type { LabEvent } from '../bus/events.ts';
import { ConnectionRecorder } from './recorder.ts';

function recorded() {
  const bus = new Bus();
  const events: LabEvent[] = [];
  const captures: CaptureEvent[] = [];
  bus.subscribe((event) => events.push(event));
  bus.captures.subscribe((event) => captures.push(event));
  return { bus, events, captures };
}

const line = (text: string, dir: 'client' | 'server' = 'client') => ({ dir, kind: 'line', text, bytes: text.length + 2 });

describe('an unfiled connection (its login decides its sandbox)', () => {
  it('publishes nothing until filed, then everything in order as the sandbox it was filed in', () => {
    const { bus, events, captures } = recorded();
    const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox: '', client: '127.0.0.1:5000', unfiled: { fallback: 'local' } });
    recorder.record(line('220 lab', 'server'), 'wire');
    recorder.capture('server', Buffer.from('220 lab\r\n'));
    recorder.record(line('AUTH PLAIN AHNlY3JldA=='), 'wire');
    recorder.relabel('smtp (AUTH)');
    expect(events).toEqual([]);
    expect(captures).toEqual([]);
    expect(recorder.isUnfiled).toBe(true);

    expect(recorder.file('k3xm9p')).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['connection.open', 'message', 'message', 'connection.update']);
    for (const event of events) {
      if (event.type === 'message') expect(event.message.sandbox).toBe('k3xm9p');
      if (event.type === 'connection.open' || event.type === 'connection.update') expect(event.connection.sandbox).toBe('k3xm9p');
    }
    expect(events.flatMap((e) => (e.type === 'message' ? [e.message.seq] : []))).toEqual([1, 2]);
    expect(captures.map((c) => c.type)).toEqual(['capture.chunk']);

    // Filed: it never moves, and what follows is published at once.
    expect(recorder.file('other1')).toBe(false);
    expect(recorder.file('k3xm9p')).toBe(true);
    recorder.record(line('235 ok', 'server'), 'wire');
    expect(events.at(-1)).toMatchObject({ type: 'message', message: { sandbox: 'k3xm9p', seq: 3 } });
  });

  it('is filed in its fallback sandbox when it ends without a login, keeping none of its bytes', () => {
    const { bus, events, captures } = recorded();
    const recorder = new ConnectionRecorder(bus, { protocol: 'ftp', sandbox: '', client: '127.0.0.1:5001', unfiled: { fallback: 'local' } });
    recorder.record(line('220 ftp', 'server'), 'wire');
    recorder.capture('client', Buffer.from('USER k3xm9p\r\nPASS typo-of-her-password\r\n'));
    recorder.close();
    expect(events.map((e) => [e.type, 'connection' in e ? e.connection.sandbox : e.type === 'message' ? e.message.sandbox : null])).toEqual([
      ['connection.open', 'local'],
      ['message', 'local'],
      ['message', 'local'],
      ['connection.close', 'local'],
    ]);
    expect(events[2]).toMatchObject({ type: 'message', message: { dir: 'note', annotation: { title: 'Bytes not kept' } } });
    expect(captures).toEqual([]);
  });

  it('is filed in its fallback once it holds too much, so a client that never logs in cannot fill memory', () => {
    const { bus, events } = recorded();
    const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox: '', client: '127.0.0.1:5002', unfiled: { fallback: 'local' } });
    for (let i = 0; i < 5000; i++) recorder.record(line(`NOOP ${i}`), 'wire');
    expect(recorder.isUnfiled).toBe(false);
    // The open, 5000 messages and the note that its bytes were not kept.
    expect(events.length).toBe(5002);
    expect(events.every((e) => (e.type === 'message' ? e.message.sandbox === 'local' : true))).toBe(true);
  });

  it('a connection filed when accepted publishes at once, as before', () => {
    const { bus, events } = recorded();
    const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox: 'local', client: '127.0.0.1:5003' });
    expect(events.map((e) => e.type)).toEqual(['connection.open']);
    expect(recorder.isUnfiled).toBe(false);
  });
});
