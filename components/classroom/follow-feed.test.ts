import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@/lib/bus/events.ts';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { FollowFeed, laterThanFrozen, upToFrozen } from './follow-feed';

const conn = (id: string, startedAt: number, protocol: Protocol = 'smtp', sandbox = 'local'): ConnectionInfo => ({
  id, protocol, sandbox, startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:9',
});
const msg = (c: string, seq: number, t: number, protocol: Protocol = 'smtp', sandbox = 'local'): LabMessage => ({
  id: `${c}:${seq}`, conn: c, sandbox, protocol, seq, t, dir: 'server', view: 'wire', kind: 'reply', text: `${c}-${seq}`,
});
const live = (m: LabMessage): LabEvent => ({ type: 'message', message: m });
const texts = (feed: FollowFeed) => feed.timeline().map((m) => m.text);

describe('FollowFeed', () => {
  it("keeps the teacher's events in wire order across connections and protocols, and none of the page's own sandbox", () => {
    const feed = new FollowFeed();
    const fresh = feed.applyEvents(
      [
        { type: 'connection.open', connection: conn('a', 1000) },
        live(msg('a', 1, 0)),
        { type: 'connection.open', connection: conn('b', 1005, 'ftp') },
        live(msg('b', 1, 0, 'ftp')),
        live(msg('a', 2, 10)),
        { type: 'connection.open', connection: conn('mine', 1001, 'smtp', 'k3xm9p') },
        live(msg('mine', 1, 1, 'smtp', 'k3xm9p')),
      ],
      'k3xm9p',
    );
    expect(fresh).toEqual([]);
    expect(texts(feed)).toEqual(['a-1', 'b-1', 'a-2']);
    expect(feed.connections().map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('names a connection first seen mid-way once, and merges its earlier messages when they are read', () => {
    const feed = new FollowFeed();
    expect(feed.applyEvents([live(msg('a', 3, 30))], 'k3xm9p')).toEqual(['a']);
    expect(feed.applyEvents([live(msg('a', 4, 40))], 'k3xm9p')).toEqual([]);
    // Not in the timeline until its start is known.
    expect(texts(feed)).toEqual([]);
    feed.loadPage({ connection: conn('a', 1000), messages: [msg('a', 1, 0), msg('a', 2, 10), msg('a', 3, 30)], more: false, next: null });
    expect(texts(feed)).toEqual(['a-1', 'a-2', 'a-3', 'a-4']);
  });

  it("keeps an FTP session's control connection beside its 40 data connections (the cap counts sessions, not lanes)", () => {
    const feed = new FollowFeed();
    const data = Array.from({ length: 40 }, (_, i) => ({ ...conn(`data-${i}`, 1010 + i, 'ftp'), parent: 'ctl' }));
    feed.applyEvents(
      [
        { type: 'connection.open', connection: conn('ctl', 1000, 'ftp') },
        live(msg('ctl', 1, 0, 'ftp')),
        ...data.flatMap((c): LabEvent[] => [{ type: 'connection.open', connection: c }, live(msg(c.id, 1, 1, 'ftp'))]),
        live(msg('ctl', 2, 100, 'ftp')),
      ],
      'k3xm9p',
    );
    expect(feed.connections().map((c) => c.id)).toEqual(['ctl', ...data.map((c) => c.id)]);
    expect(texts(feed)[0]).toBe('ctl-1');
    expect(texts(feed).at(-1)).toBe('ctl-2');
  });

  it("keeps an FTP session's control connection when 150 data connections came live and a page was read again (lftp mirror)", () => {
    const feed = new FollowFeed();
    const data = Array.from({ length: 150 }, (_, i) => ({ ...conn(`data-${i}`, 1010 + i, 'ftp'), parent: 'ctl' }));
    feed.applyEvents(
      [
        { type: 'connection.open', connection: conn('ctl', 1000, 'ftp') },
        live(msg('ctl', 1, 0, 'ftp')),
        ...data.flatMap((c): LabEvent[] => [{ type: 'connection.open', connection: c }, live(msg(c.id, 1, 1, 'ftp')), { type: 'connection.close', connection: { ...c, endedAt: c.startedAt + 2 } }]),
        live(msg('ctl', 2, 200, 'ftp')),
      ],
      'k3xm9p',
    );
    // A reconnect reads the open control connection again: that page used to trim the protocol's feed to 100.
    feed.loadPage({ connection: conn('ctl', 1000, 'ftp'), messages: [msg('ctl', 1, 0, 'ftp'), msg('ctl', 2, 200, 'ftp')], more: false, next: null });
    expect(feed.connections().map((c) => c.id)).toEqual(['ctl', ...data.slice(50).map((c) => c.id)]);
    expect(texts(feed)[0]).toBe('ctl-1');
    expect(texts(feed).at(-1)).toBe('ctl-2');
    expect([...feed.droppedLanes()]).toEqual([['ctl', 50]]);
  });

  it('holds at most 100 data connections per session however many come live, and forgets the rest (the memory bound)', () => {
    const feed = new FollowFeed();
    feed.applyEvents([{ type: 'connection.open', connection: conn('ctl', 1000, 'ftp') }], 'k3xm9p');
    for (let i = 0; i < 1000; i++) {
      const c = { ...conn(`data-${i}`, 1001 + i, 'ftp'), parent: 'ctl' };
      feed.applyEvents([{ type: 'connection.open', connection: c }, live(msg(c.id, 1, 0, 'ftp')), { type: 'connection.close', connection: { ...c, endedAt: c.startedAt + 1 } }], 'k3xm9p');
    }
    expect(feed.size).toBe(101);
    expect(feed.connections()[0].id).toBe('ctl');
    expect(feed.connections().at(-1)?.id).toBe('data-999');
    expect(feed.droppedLanes().get('ctl')).toBe(900);
    // A late event of a connection let go neither brings it back nor asks for its history.
    expect(feed.applyEvents([live(msg('data-0', 2, 5, 'ftp'))], 'k3xm9p')).toEqual([]);
    expect(feed.connections().some((c) => c.id === 'data-0')).toBe(false);
    expect(feed.has('data-0')).toBe(true);
  });

  it("keeps a tunnelled FTP session's control connection while its data connections are kept, the SSH session counting once", () => {
    const feed = new FollowFeed();
    const data = Array.from({ length: 120 }, (_, i): ConnectionInfo => ({ ...conn(`data-${i}`, 1010 + i, 'ftp'), parent: 'ftp-ctl' }));
    const others = Array.from({ length: 29 }, (_, i) => conn(`s${i}`, 2000 + i));
    feed.applyEvents(
      [
        { type: 'connection.open', connection: conn('ssh', 1000, 'ssh') },
        { type: 'connection.open', connection: { ...conn('ftp-ctl', 1005, 'ftp'), parent: 'ssh' } },
        ...data.map((c): LabEvent => ({ type: 'connection.open', connection: c })),
        ...others.map((c): LabEvent => ({ type: 'connection.open', connection: c })),
      ],
      'k3xm9p',
    );
    const ids = feed.connections().map((c) => c.id);
    expect(ids.slice(0, 2)).toEqual(['ssh', 'ftp-ctl']);
    expect(ids).toHaveLength(2 + 99 + 29);
    expect(ids).not.toContain('data-20');
    expect(ids).toContain('data-21');
    // The 31st session goes whole, and a data connection of it opened later does not come back.
    feed.applyEvents([{ type: 'connection.open', connection: conn('s29', 3000) }, { type: 'connection.open', connection: { ...conn('data-late', 3001, 'ftp'), parent: 'ftp-ctl' } }], 'k3xm9p');
    expect(feed.connections().map((c) => c.id)).toEqual([...others.map((c) => c.id), 's29']);
    expect(feed.size).toBe(30);
    expect(feed.droppedLanes().size).toBe(0);
  });

  it('shows a connection as ended when a page read again says it ended while the page did not follow', () => {
    const feed = new FollowFeed();
    feed.applyEvents([{ type: 'connection.open', connection: conn('a', 1000) }, live(msg('a', 1, 0))], 'k3xm9p');
    feed.loadPage({ connection: { ...conn('a', 1000), endedAt: 1500, messageCount: 2 }, messages: [msg('a', 1, 0), msg('a', 2, 400)], more: false, next: null });
    expect(feed.connections()[0].endedAt).toBe(1500);
    expect(texts(feed)).toEqual(['a-1', 'a-2']);
  });

  it('keeps the newest 30 sessions, each with its lanes', () => {
    const feed = new FollowFeed();
    const sessions = Array.from({ length: 35 }, (_, i) => conn(`s${i}`, 1000 + i * 10));
    feed.applyEvents([...sessions.map((c): LabEvent => ({ type: 'connection.open', connection: c })), { type: 'connection.open', connection: { ...conn('lane', 1341), parent: 's34' } }], 'k3xm9p');
    expect(feed.connections().map((c) => c.id)).toEqual([...sessions.slice(5).map((c) => c.id), 'lane']);
  });

  it("keeps the session the teacher is still in when 40 newer short ones came and went (ended sessions go first)", () => {
    const feed = new FollowFeed();
    feed.applyEvents([{ type: 'connection.open', connection: conn('demo', 1) }, live(msg('demo', 1, 0))], 'k3xm9p');
    for (let i = 0; i < 40; i++) {
      const info = conn(`short-${i}`, 10 + i);
      feed.applyEvents([{ type: 'connection.open', connection: info }, { type: 'connection.close', connection: { ...info, endedAt: 11 + i } }], 'k3xm9p');
    }
    const ids = feed.connections().map((c) => c.id);
    expect(ids).toContain('demo');
    expect(ids).toHaveLength(30);
    expect(ids).not.toContain('short-10');
    expect(ids).toContain('short-39');
  });

  it('bumps its version only when something of the teacher changed', () => {
    const feed = new FollowFeed();
    const before = feed.getVersion();
    feed.applyEvents([live(msg('mine', 1, 0, 'smtp', 'k3xm9p')), { type: 'mail', mail: { id: 'm', sandbox: 'local' } as never }], 'k3xm9p');
    expect(feed.getVersion()).toBe(before);
  });
});

describe('upToFrozen', () => {
  const timeline = [msg('a', 1, 0), msg('b', 1, 1), msg('a', 2, 2), msg('a', 3, 3)];

  it('stops after the message the class is frozen on', () => {
    expect(upToFrozen(timeline, { conn: 'a', seq: 2 })?.map((m) => m.id)).toEqual(['a:1', 'b:1', 'a:2']);
  });

  it('answers null while the frozen message has not been read', () => {
    expect(upToFrozen(timeline, { conn: 'a', seq: 9 })).toBeNull();
    expect(upToFrozen(timeline, { conn: 'z', seq: 1 })).toBeNull();
  });
});

describe('laterThanFrozen (walk B #5: "44 later messages wait" for a 9-message session frozen on #6)', () => {
  it("counts only the frozen session's later messages, not those of the teacher's other sessions that came after", () => {
    const smtp = Array.from({ length: 9 }, (_, i) => msg('smtp-R0Y9', i + 1, i));
    // Another session (an FTP client) streamed into the same feed after the frozen message.
    const ftp = Array.from({ length: 32 }, (_, i) => msg('ftp-x', i + 1, 6 + i, 'ftp'));
    const timeline = [...smtp, ...ftp].sort((a, b) => a.t - b.t);
    expect(laterThanFrozen(timeline, { conn: 'smtp-R0Y9', seq: 6 })).toBe(3);
    expect(laterThanFrozen(timeline, { conn: 'smtp-R0Y9', seq: 9 })).toBe(0);
  });
});
