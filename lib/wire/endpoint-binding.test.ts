import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { DissectedMessage, Dissector } from '../protocols/types.ts';
import type { LabMessage } from './event.ts';
import { EndpointBindings } from './endpoint-binding.ts';
import { ConnectionRecorder } from './recorder.ts';
import { Tap } from './tap.ts';

const line = (text: string): DissectedMessage => ({ dir: 'server', kind: 'reply', text, bytes: 0 });

/** A bus that keeps every message, and a recorder on it. */
function recording() {
  const bus = new Bus();
  const messages: LabMessage[] = [];
  bus.subscribe((event: LabEvent) => event.type === 'message' && messages.push(event.message));
  const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox: 'local', client: '127.0.0.1:5000' });
  return { bus, messages, recorder };
}

/** Echoes each line back as one message; throws on 'boom'. */
const echo = (): Dissector => ({
  push: (_dir, chunk) => {
    const text = new TextDecoder().decode(chunk);
    if (text.includes('boom')) throw new Error('cannot parse boom');
    return [line(text)];
  },
  end: () => [],
});

describe('endpoint bindings', () => {
  it('keeps a session bound to the recorder it started on after the tap has let go of it', () => {
    const { messages, recorder } = recording();
    const live = new Map([[40001, { recorder }]]);
    const sessions = new EndpointBindings<string, Dissector>((port) => live.get(port));
    sessions.bind('s1', 40001)?.decodeWith(echo());
    live.delete(40001);
    recorder.close();
    sessions.get('s1')?.record((d) => d.push('server', new TextEncoder().encode('221 Bye')));
    expect(messages.map((m) => [m.view, m.text])).toEqual([['endpoint', '221 Bye']]);
  });

  it('keeps an ended session\'s binding for lines logged after its end, for the last 256 sessions only', () => {
    const { messages, recorder } = recording();
    const sessions = new EndpointBindings<number, Dissector>(() => ({ recorder }));
    sessions.bind(0, 1)?.decodeWith(echo());
    sessions.release(0);
    sessions.get(0)?.record((d) => d.push('client', new TextEncoder().encode('QUIT')));
    expect(messages.map((m) => m.text)).toEqual(['QUIT']);
    for (let n = 1; n <= 256; n++) {
      sessions.bind(n, 1);
      sessions.release(n);
    }
    expect(sessions.get(0)).toBeUndefined();
    expect(sessions.get(1)?.recorder).toBe(recorder);
  });

  it('looks the port up once: a session started on no tapped connection is never bound to a later one', () => {
    const { recorder } = recording();
    const live = new Map<number, { recorder: ConnectionRecorder }>();
    let lookups = 0;
    const sessions = new EndpointBindings<number, Dissector>((port) => (lookups++, live.get(port)));
    expect(sessions.bind(7, 40002)).toBeUndefined();
    live.set(40002, { recorder });
    expect(sessions.bind(7, 40002)).toBeUndefined();
    expect(sessions.get(7)).toBeUndefined();
    expect(lookups).toBe(1);
  });

  it('records nothing before decodeWith (no TLS yet), and notes are still the recorder\'s', () => {
    const { messages, recorder } = recording();
    const session = new EndpointBindings<string, Dissector>(() => ({ recorder })).bind('s', 1);
    expect(session?.decoding).toBe(false);
    session?.record((d) => d.push('client', new TextEncoder().encode('EHLO x')));
    expect(messages).toEqual([]);
  });

  it('turns a throwing endpoint dissector into one error note, then stops decoding that session only', () => {
    const { messages, recorder } = recording();
    const other = recording();
    const sessions = new EndpointBindings<string, Dissector>((port) => (port === 1 ? { recorder } : { recorder: other.recorder }));
    const broken = sessions.bind('a', 1);
    const healthy = sessions.bind('b', 2);
    broken?.decodeWith(echo());
    healthy?.decodeWith(echo());
    const push = (text: string) => (d: Dissector) => d.push('server', new TextEncoder().encode(text));
    expect(() => broken?.record(push('250 boom'))).not.toThrow();
    broken?.record(push('250 later'));
    healthy?.record(push('250 fine'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ view: 'endpoint', dir: 'note', annotation: { title: 'Dissector error', level: 'error' } });
    expect(messages[0].text).toContain('cannot parse boom');
    expect(broken?.decoding).toBe(false);
    expect(other.messages.map((m) => m.text)).toEqual(['250 fine']);
  });
});

describe('the tap guards its dissector with the same guard', () => {
  it('a dissector that throws gives one wire error note; the bytes are still relayed', async () => {
    const upstream = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const bus = new Bus();
    const notes: LabMessage[] = [];
    bus.subscribe((event) => event.type === 'message' && notes.push(event.message));
    const tap = new Tap({
      protocol: 'smtp',
      resolveSandbox: () => 'local',
      listen: { host: '127.0.0.1', port: 0 },
      target: { host: '127.0.0.1', port: (upstream.address() as net.AddressInfo).port },
      dissector: echo,
      bus,
    });
    await tap.listen();
    try {
      const client = net.connect(tap.port, '127.0.0.1');
      let echoed = '';
      let waiting = (): void => {};
      client.on('data', (chunk: Buffer) => {
        echoed += chunk.toString();
        waiting();
      });
      const got = (text: string) =>
        new Promise<void>((resolve) => {
          waiting = () => echoed.includes(text) && resolve();
          waiting();
        });
      client.write('boom\r\n');
      await got('boom\r\n');
      client.write('after\r\n');
      await got('after\r\n');
      client.destroy();
      expect(notes.map((m) => [m.view, m.dir, m.annotation?.title])).toEqual([['wire', 'note', 'Dissector error']]);
      expect(notes[0].text).toMatch(/^Dissector failed \(cannot parse boom\); bytes are still relayed/);
    } finally {
      await tap.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });
});
