import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DissectedMessage } from '../protocols/types.ts';
import { DirectionGate } from './gate.ts';
import { StepController, type StepHolder, type StepLane } from './step.ts';

const passThrough: StepLane = { holding: false, hold: () => {}, changed: () => {}, onFlush: () => () => {}, close: () => {}, protocol: 'smtp', faults: null, attach: () => () => {}, gate: () => undefined };

describe('DirectionGate backpressure', () => {
  it('pauses its source once per wait for drain, however many chunks arrive meanwhile, and resumes it after', async () => {
    const source = new PassThrough();
    const destination = new PassThrough({ highWaterMark: 16 });
    const gate = new DirectionGate('client', source, destination, passThrough, () => {});
    for (let i = 0; i < 50; i++) gate.accept(Buffer.alloc(64, i), []);
    expect(source.isPaused()).toBe(true);
    expect(destination.listenerCount('drain')).toBe(1);
    const drained = new Promise((resolve) => destination.once('drain', resolve));
    destination.resume();
    await drained;
    expect(source.isPaused()).toBe(false);
    expect(destination.listenerCount('drain')).toBe(0);
    gate.dispose();
  });
});

describe('DirectionGate and step mode, with framing that comes later (the dissect thread)', () => {
  const api: StepHolder = { id: 'http', sandbox: 'local' };
  const line = (text: string): DissectedMessage => ({ dir: 'client', kind: 'line', text, bytes: text.length + 2 });

  it('records a message whose bytes went through before step mode came on, and holds the ones that did not', () => {
    const step = new StepController('soap', () => {});
    const lane = step.open('c1', { sandbox: 'local' });
    const destination = new PassThrough();
    const published: { text: string; at?: number }[] = [];
    const gate = new DirectionGate('client', new PassThrough(), destination, lane, (message, at) => published.push({ text: message.text, at }));
    // Passed on at once in pass-through; step mode comes on before the thread has framed it.
    gate.accept(Buffer.from('GET / HTTP/1.1\r\n'), []);
    step.set(api, true);
    gate.frameAll([line('GET / HTTP/1.1')]);
    expect(published).toEqual([{ text: 'GET / HTTP/1.1', at: 0 }]);
    expect(step.state(api).held).toBe(0);
    // Bytes that arrive while step mode holds wait, with their message, for a Step.
    gate.accept(Buffer.from('Host: lab\r\n'), []);
    gate.frameAll([line('Host: lab')]);
    expect(published).toHaveLength(1);
    expect(step.state(api).held).toBe(1);
    step.step(api);
    expect(published).toEqual([{ text: 'GET / HTTP/1.1', at: 0 }, { text: 'Host: lab', at: 16 }]);
    expect(destination.read()?.toString()).toBe('GET / HTTP/1.1\r\nHost: lab\r\n');
    gate.dispose();
  });
});
