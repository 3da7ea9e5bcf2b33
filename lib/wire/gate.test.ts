import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DirectionGate } from './gate.ts';
import type { StepLane } from './step.ts';

const passThrough: StepLane = { holding: false, hold: () => {}, onFlush: () => () => {}, close: () => {}, protocol: 'smtp', faults: null, attach: () => () => {}, gate: () => undefined };

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
