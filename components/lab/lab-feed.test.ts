import { describe, expect, it } from 'vitest';
import type { LabMessage } from '@/lib/wire/event.ts';
import { LabFeed } from './lab-feed';

const msg = (seq: number, conn = 'c1'): LabMessage => ({
  id: `${conn}:${seq}`, conn, sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'server', view: 'wire', kind: 'reply', text: `m${seq}`,
});
const live = (feed: LabFeed, ...seqs: number[]) => feed.applyEvents(seqs.map((seq) => ({ type: 'message', message: msg(seq) })));

describe('LabFeed', () => {
  it('appends live messages in order and merges overlapping history without duplicates', () => {
    const feed = new LabFeed('smtp');
    live(feed, 4, 5);
    feed.loadMessages('c1', [msg(1), msg(2), msg(3), msg(4)]);
    live(feed, 6);
    expect(feed.messagesOf('c1').map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ignores other protocols and counts a version bump only when something changed', () => {
    const feed = new LabFeed('smtp');
    const before = feed.getVersion();
    expect(feed.applyEvents([{ type: 'message', message: { ...msg(1), protocol: 'ftp' } }])).toBe(false);
    expect(feed.getVersion()).toBe(before);
    live(feed, 1);
    expect(feed.getVersion()).toBe(before + 1);
  });

  it('keeps at most the newest 5000 messages of a connection', () => {
    const feed = new LabFeed('smtp');
    live(feed, ...Array.from({ length: 5003 }, (_, i) => i + 1));
    const seqs = feed.messagesOf('c1').map((m) => m.seq);
    expect(seqs).toHaveLength(5000);
    expect(seqs[0]).toBe(4);
  });
});
