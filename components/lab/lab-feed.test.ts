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

  it('renames a listed connection on connection.update and keeps one entry for it', () => {
    const feed = new LabFeed('ssh');
    const info = { id: 'c1', protocol: 'ssh' as const, sandbox: 'local', startedAt: 1, endedAt: null, messageCount: 0, client: '127.0.0.1:9' };
    feed.applyEvents([{ type: 'connection.open', connection: info }]);
    expect(feed.applyEvents([{ type: 'connection.update', connection: { ...info, label: 'sftp' } }])).toBe(true);
    expect(feed.listConnections()).toMatchObject([{ id: 'c1', label: 'sftp' }]);
  });

  it('keeps at most the newest 5000 messages of a connection', () => {
    const feed = new LabFeed('smtp');
    live(feed, ...Array.from({ length: 5003 }, (_, i) => i + 1));
    const seqs = feed.messagesOf('c1').map((m) => m.seq);
    expect(seqs).toHaveLength(5000);
    expect(seqs[0]).toBe(4);
  });

  it('replaces a capped transcript\'s summary note in place instead of adding another', () => {
    const feed = new LabFeed('smtp');
    const note = (text: string): LabMessage => ({ ...msg(2.5), id: 'c1:summary', dir: 'note', kind: 'note', text });
    live(feed, 1, 2);
    feed.applyEvents([{ type: 'message', message: note('so far') }]);
    live(feed, 3, 4);
    feed.applyEvents([{ type: 'message', message: note('final') }]);
    expect(feed.messagesOf('c1').map((m) => [m.seq, m.text])).toEqual([[1, 'm1'], [2, 'm2'], [2.5, 'final'], [3, 'm3'], [4, 'm4']]);
  });

  it('keeps the summary note first when older messages fall off', () => {
    const feed = new LabFeed('smtp');
    live(feed, 1, 2);
    feed.applyEvents([{ type: 'message', message: { ...msg(2.5), id: 'c1:summary', dir: 'note', kind: 'note', text: 'capped' } }]);
    live(feed, ...Array.from({ length: 5003 }, (_, i) => i + 3));
    const seqs = feed.messagesOf('c1').map((m) => m.seq);
    expect(seqs).toHaveLength(5000);
    expect(seqs.slice(0, 2)).toEqual([2.5, 7]);
    expect(seqs.at(-1)).toBe(5005);
  });
});

describe('LabFeed on a busy lab', () => {
  const info = (n: number, endedAt: number | null = n + 1) => ({ id: `c${n}`, protocol: 'smtp' as const, sandbox: 'local', startedAt: n, endedAt, messageCount: 0, client: `127.0.0.1:${n}` });
  /** `count` connections that open, say one thing and close, as a script's mails would. */
  const churn = (feed: LabFeed, from: number, count: number) => {
    for (let n = from; n < from + count; n++) {
      feed.applyEvents([{ type: 'connection.open', connection: info(n, null) }, { type: 'message', message: msg(1, `c${n}`) }, { type: 'connection.close', connection: info(n) }]);
    }
  };

  it('lets go of the oldest ended connections while events come live, not only when history is read', () => {
    const feed = new LabFeed('smtp');
    churn(feed, 1, 1000);
    expect(feed.listConnections().length).toBeLessThanOrEqual(200);
    expect(feed.connection('c1000')).toBeDefined();
    expect(feed.messagesOf('c1')).toEqual([]);
  });

  it('never lets go of a connection still open or one a panel shows', () => {
    const feed = new LabFeed('smtp');
    feed.applyEvents([{ type: 'connection.open', connection: info(0, null) }]);
    churn(feed, 1, 1);
    const unpin = feed.pin('c1');
    churn(feed, 2, 1000);
    feed.loadHistory([info(5000)]);
    expect(feed.connection('c0')?.endedAt).toBeNull();
    expect(feed.messagesOf('c1').map((m) => m.seq)).toEqual([1]);
    unpin();
    churn(feed, 3000, 300);
    expect(feed.connection('c1')).toBeUndefined();
    expect(feed.connection('c0')).toBeDefined();
  });
});
