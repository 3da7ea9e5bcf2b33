import { describe, expect, it } from 'vitest';
import type { TranscriptPage } from '@/lib/store/transcripts.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { LabFeed, MAX_MESSAGES_PER_CONNECTION } from './lab-feed';
import { loadTranscript, OtherLabError, type TranscriptReader } from './use-lab-feed';

const msg = (seq: number): LabMessage => ({
  id: `c1:${seq}`, conn: 'c1', sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'server', view: 'wire', kind: 'reply', text: `m${seq}`,
});
const summary = (cap: number): LabMessage => ({ ...msg(cap + 0.5), id: 'c1:summary', dir: 'note', kind: 'note' });

/**
 * Pages as GET /api/connections/:id serves them (lib/store/transcripts.ts getConnection): stored messages with
 * seq ≥ from, `next` the seq after the page. `stored` messages are kept, then the summary note if `count` is higher.
 */
function store(count: number, stored = count, protocol: Protocol = 'smtp'): { read: TranscriptReader; froms: number[] } {
  const all = Array.from({ length: stored }, (_, i) => msg(i + 1));
  if (stored < count) all.push(summary(stored));
  const connection: ConnectionInfo = { id: 'c1', protocol, sandbox: 'local', startedAt: 1, endedAt: 2, messageCount: count, client: '127.0.0.1:9' };
  const froms: number[] = [];
  const read: TranscriptReader = async (_id, { from, limit }): Promise<TranscriptPage> => {
    froms.push(from);
    const rows = all.filter((m) => m.seq >= from).slice(0, limit + 1);
    const more = rows.length > limit;
    return { connection, messages: rows.slice(0, limit), more, next: more ? rows[limit].seq : null };
  };
  return { read, froms };
}
const seqs = (feed: LabFeed) => feed.messagesOf('c1').map((m) => m.seq);

describe('loadTranscript', () => {
  it('loads a short transcript whole and resolves with the connection', async () => {
    const feed = new LabFeed('smtp');
    const info = await loadTranscript(feed, 'c1', undefined, store(1200).read);
    expect(seqs(feed)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect(info?.messageCount).toBe(1200);
  });

  it('keeps the newest messages of a transcript longer than the feed keeps, without reading the ones between', async () => {
    const feed = new LabFeed('smtp');
    const { read, froms } = store(8000);
    await loadTranscript(feed, 'c1', undefined, read);
    expect(seqs(feed)).toHaveLength(MAX_MESSAGES_PER_CONNECTION);
    expect(seqs(feed)[0]).toBe(8000 - MAX_MESSAGES_PER_CONNECTION + 1);
    expect(seqs(feed).at(-1)).toBe(8000);
    expect(froms.filter((from) => from > 500 && from < 3001)).toEqual([]);
  });

  it('keeps the newest stored messages and the summary when the store kept fewer than the count', async () => {
    const feed = new LabFeed('smtp');
    await loadTranscript(feed, 'c1', undefined, store(9000, 6000).read);
    const kept = seqs(feed);
    expect(kept).toHaveLength(MAX_MESSAGES_PER_CONNECTION);
    expect(kept.at(-1)).toBe(6000.5);
    expect(kept.at(-2)).toBe(6000);
    expect(kept[0]).toBe(6000 - MAX_MESSAGES_PER_CONNECTION + 2);
  });

  it('finds the newest stored messages when they all end before the newest counted ones', async () => {
    const feed = new LabFeed('smtp');
    await loadTranscript(feed, 'c1', undefined, store(20_000, 6000).read);
    const kept = seqs(feed);
    expect(kept).toHaveLength(MAX_MESSAGES_PER_CONNECTION);
    expect([kept[0], kept.at(-2), kept.at(-1)]).toEqual([6000 - MAX_MESSAGES_PER_CONNECTION + 2, 6000, 6000.5]);
  });

  it('loads the messages around an older one asked for (a class rewound to it, a link to it), and holds back later ones', async () => {
    const feed = new LabFeed('smtp');
    feed.loadHistory([{ id: 'c1', protocol: 'smtp', sandbox: 'local', startedAt: 1, endedAt: null, messageCount: 8000, client: '127.0.0.1:9' }]);
    await loadTranscript(feed, 'c1', undefined, store(8000).read, { around: 2 });
    expect(seqs(feed)).toEqual(Array.from({ length: MAX_MESSAGES_PER_CONNECTION }, (_, i) => i + 1));
    // A live message would push message 1 out and leave a gap before it: it is counted, not kept.
    feed.applyEvents([{ type: 'message', message: msg(8001) }]);
    expect(seqs(feed).at(-1)).toBe(MAX_MESSAGES_PER_CONNECTION);
    expect(feed.connection('c1')?.messageCount).toBe(8001);
  });

  it('centres the window on the message asked for', async () => {
    const feed = new LabFeed('smtp');
    await loadTranscript(feed, 'c1', undefined, store(20_000).read, { around: 4000 });
    const kept = seqs(feed);
    expect([kept.length, kept[0], kept.at(-1)]).toEqual([MAX_MESSAGES_PER_CONNECTION, 4000 - MAX_MESSAGES_PER_CONNECTION / 2, 4000 + MAX_MESSAGES_PER_CONNECTION / 2 - 1]);
  });

  it('fills the window from before the message asked for when the stored ones end after it', async () => {
    const feed = new LabFeed('smtp');
    await loadTranscript(feed, 'c1', undefined, store(20_000, 6000).read, { around: 5800 });
    const kept = seqs(feed);
    expect([kept.length, kept[0], kept.at(-2), kept.at(-1)]).toEqual([MAX_MESSAGES_PER_CONNECTION, 6000 - MAX_MESSAGES_PER_CONNECTION + 2, 6000, 6000.5]);
  });

  it('loads the newest as before when the message asked for is among them', async () => {
    const feed = new LabFeed('smtp');
    await loadTranscript(feed, 'c1', undefined, store(8000).read, { around: 7000 });
    expect([seqs(feed)[0], seqs(feed).at(-1)]).toEqual([8000 - MAX_MESSAGES_PER_CONNECTION + 1, 8000]);
  });

  // Each notification is a render of every message shown so far (transcript rows, terminal, scrubber): one per
  // page of 500 made opening 5,000 stored messages cost 1 + 2 + … + 10 full renders.
  it('tells its readers twice for a transcript of many pages: the first page at once, then the rest together', async () => {
    const feed = new LabFeed('smtp');
    const shown: number[] = [];
    feed.subscribe(() => shown.push(seqs(feed).length));
    await loadTranscript(feed, 'c1', undefined, store(5007).read);
    expect(shown).toEqual([500, MAX_MESSAGES_PER_CONNECTION]);
  });

  it('tells its readers twice for the messages around an older one too', async () => {
    const feed = new LabFeed('smtp');
    const shown: number[] = [];
    feed.subscribe(() => shown.push(seqs(feed).length));
    await loadTranscript(feed, 'c1', undefined, store(8000).read, { around: 2 });
    expect(shown).toEqual([500, MAX_MESSAGES_PER_CONNECTION]);
  });

  it('keeps a live message that arrives during the load after the stored ones, in wire order', async () => {
    const feed = new LabFeed('smtp');
    const { read } = store(3000);
    let pages = 0;
    const liveDuringLoad: TranscriptReader = async (id, page, signal) => {
      if (++pages === 3) feed.applyEvents([{ type: 'message', message: msg(3001) }]);
      return read(id, page, signal);
    };
    await loadTranscript(feed, 'c1', undefined, liveDuringLoad);
    expect(seqs(feed)).toEqual(Array.from({ length: 3001 }, (_, i) => i + 1));
  });

  it("refuses another lab's connection and draws none of it", async () => {
    const feed = new LabFeed('smtp');
    const loading = loadTranscript(feed, 'c1', undefined, store(10, 10, 'ftp').read);
    await expect(loading).rejects.toBeInstanceOf(OtherLabError);
    await expect(loading).rejects.toMatchObject({ conn: 'c1', protocol: 'ftp' });
    expect(seqs(feed)).toEqual([]);
  });
});
