import { describe, expect, it } from 'vitest';
import { StartupSlots } from './startup-slots.ts';

describe('StartupSlots', () => {
  it('starts up to max at once, queues the rest and starts the longest-waiting when one is done', () => {
    const slots = new StartupSlots(2);
    const started: string[] = [];
    const take = (id: string) => slots.take(id, () => started.push(id));
    expect([take('a'), take('b'), take('c'), take('d')]).toEqual([true, true, false, false]);
    expect(started).toEqual(['a', 'b']);
    expect(slots.counts).toEqual({ open: 2, waiting: 2 });
    slots.release('b');
    expect(started).toEqual(['a', 'b', 'c']);
    slots.release('b'); // twice (logged in, then closed): frees nothing more
    expect(started).toEqual(['a', 'b', 'c']);
    expect(slots.counts).toEqual({ open: 2, waiting: 1 });
  });

  it('a connection that goes away while it waits leaves the queue without taking a slot', () => {
    const slots = new StartupSlots(1);
    const started: string[] = [];
    slots.take('a', () => started.push('a'));
    slots.take('b', () => started.push('b'));
    slots.take('c', () => started.push('c'));
    slots.release('b');
    expect(slots.counts).toEqual({ open: 1, waiting: 1 });
    slots.release('a');
    expect(started).toEqual(['a', 'c']);
  });

  it('refuses a size below one', () => {
    expect(() => new StartupSlots(0)).toThrow(/at least one/);
  });
});
