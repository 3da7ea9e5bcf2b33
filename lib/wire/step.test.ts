import { describe, expect, it } from 'vitest';
import type { StepState } from '../bus/events.ts';
import { StepController } from './step.ts';

describe('step controller', () => {
  it('holds messages in order, releases one per step, and lets notes behind them through', () => {
    const states: StepState[] = [];
    const released: string[] = [];
    const step = new StepController('smtp', (s) => states.push(s));
    step.setEnabled(true);
    step.hold({ bytes: 6, release: () => released.push('NOOP') });
    step.hold({ bytes: 0, release: () => released.push('note') });
    step.hold({ bytes: 8, release: () => released.push('250 OK') });
    expect(step.state().held).toBe(2);
    expect(released).toEqual([]);
    step.step();
    expect(released).toEqual(['NOOP', 'note']);
    expect(step.state().held).toBe(1);
    step.setEnabled(false);
    expect(released).toEqual(['NOOP', 'note', '250 OK']);
    expect(states.at(-1)).toMatchObject({ enabled: false, held: 0 });
  });

  it('step() with nothing held reports false', () => {
    const step = new StepController('smtp', () => {});
    step.setEnabled(true);
    expect(step.step()).toBe(false);
  });

  it('clamps the play pace and stops playing when step mode ends', () => {
    const step = new StepController('smtp', () => {});
    step.setEnabled(true);
    step.play(1);
    expect(step.state()).toMatchObject({ playing: true, paceMs: 50 });
    step.setEnabled(false);
    expect(step.state().playing).toBe(false);
  });
});

describe('held-message preview', () => {
  it('names the next held message: connection, direction and its first line, cut to fit', () => {
    const step = new StepController('smtp', () => {});
    step.setEnabled(true);
    step.hold({ bytes: 0, release: () => {}, preview: { conn: 'c0', connection: 'x', dir: 'note', text: 'a note' } });
    step.hold({ bytes: 12, release: () => {}, preview: { conn: 'c1', connection: '127.0.0.1:5000', dir: 'client', text: `MAIL FROM:<${'a'.repeat(100)}@lab.test>\r\nsecond` } });
    step.hold({ bytes: 8, release: () => {}, preview: { conn: 'c2', connection: 'browser console', dir: 'server', text: '250 OK' } });
    const next = step.state().next;
    expect(next).toMatchObject({ conn: 'c1', connection: '127.0.0.1:5000', dir: 'client' });
    expect(next?.text.startsWith('MAIL FROM:<aaa')).toBe(true);
    expect(next?.text.endsWith('…')).toBe(true);
    expect(next?.text.length).toBe(80);
    step.step();
    expect(step.state().next).toMatchObject({ conn: 'c2', dir: 'server', text: '250 OK' });
    step.step();
    expect(step.state().next).toBeUndefined();
  });
});
