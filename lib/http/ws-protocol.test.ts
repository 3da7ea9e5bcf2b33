import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../bus/events.ts';
import { encodeEventsFrame, encodeServerMessage } from './ws-protocol.ts';

const message = (seq: number, text: string): LabEvent => ({
  type: 'message',
  message: { id: `c:${seq}`, conn: 'c', sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'client', view: 'wire', kind: 'command', text, bytes: text.length },
});

describe('encodeEventsFrame', () => {
  it('gives the frame encodeServerMessage gives, control characters made visible once', () => {
    const events = [message(1, 'EHLO \x1b[31mred\x07'), message(2, 'line\r\nnext\rback'), message(3, 'DEL\x7f C1\x9b')];
    const encoded = new WeakMap<LabEvent, string>();
    const frame = encodeEventsFrame(events, encoded);
    expect(frame).toBe(encodeServerMessage({ type: 'events', events }));
    expect(frame).not.toMatch(/\\u001b|\\u0007|\x7f|\x9b/);
    expect(JSON.parse(frame)).toEqual(JSON.parse(encodeServerMessage({ type: 'events', events })));
  });

  it('serialises an event once for every frame it is sent in', () => {
    const shared = message(1, 'NOOP');
    const encoded = new WeakMap<LabEvent, string>();
    encodeEventsFrame([shared], encoded);
    // A second frame reads the event's text from the cache: a stale entry would show here.
    encoded.set(shared, '{"cached":true}');
    expect(encodeEventsFrame([shared, message(2, 'QUIT')], encoded)).toMatch(/^\{"type":"events","events":\[\{"cached":true\},\{"type":"message"/);
  });
});
