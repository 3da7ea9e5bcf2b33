import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { unwritten } from './unwritten';

const at = (seq: number): LabMessage => ({ id: `c:${seq}`, conn: 'c', sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'client', view: 'wire', kind: 'command', text: 'NOOP' });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => at(from + i));

describe('unwritten', () => {
  it('writes everything the first time', () => {
    expect(unwritten(range(1, 3), null)).toEqual({ rewrite: false, messages: range(1, 3) });
  });

  it('writes only what came after the last written message', () => {
    expect(unwritten(range(1, 5), { id: 'c:3', index: 2 }).messages.map((m) => m.seq)).toEqual([4, 5]);
  });

  it('keeps writing when the feed drops its oldest messages at its cap (same length, new tail)', () => {
    // 5 written; the feed, capped at 5, now holds 3..7: the list is no longer, yet 6 and 7 are new.
    const result = unwritten(range(3, 7), { id: 'c:5', index: 4 });
    expect(result.rewrite).toBe(false);
    expect(result.messages.map((m) => m.seq)).toEqual([6, 7]);
  });

  it('starts over when the last written message is gone', () => {
    expect(unwritten(range(10, 12), { id: 'c:3', index: 2 })).toEqual({ rewrite: true, messages: range(10, 12) });
  });

  it('starts over when messages were put in before the last written one (stored pages read in under a live message)', () => {
    // 1..3 and live 10 written; the rest of the stored transcript, 4..9, arrived after it.
    expect(unwritten(range(1, 10), { id: 'c:10', index: 3 })).toEqual({ rewrite: true, messages: range(1, 10) });
  });
});
