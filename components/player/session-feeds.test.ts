import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { SessionFeeds } from './session-feeds';

const conn = (id: string, startedAt: number, parent?: string): ConnectionInfo => ({ id, protocol: 'ftp', sandbox: 'local', startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:1', parent });
const msg = (c: string, seq: number): LabMessage => ({ id: `${c}:${seq}`, conn: c, sandbox: 'local', protocol: 'ftp', seq, t: seq, dir: 'client', view: 'wire', kind: 'command', text: `${c} ${seq}` });

describe('SessionFeeds', () => {
  it('keeps the control connection and all of its 150 data connections (a lab page keeps its newest 100)', () => {
    const feeds = new SessionFeeds('ftp');
    feeds.loadHistory([conn('ctl', 0)]);
    const children = Array.from({ length: 150 }, (_, i) => conn(`data-${i}`, 10 + i, 'ctl'));
    feeds.loadHistory(children);
    feeds.feedOf('ctl').loadMessages('ctl', [msg('ctl', 1)]);
    for (const c of children) feeds.feedOf(c.id).loadMessages(c.id, [msg(c.id, 1)]);
    expect(feeds.connection('ctl')?.id).toBe('ctl');
    expect(feeds.listConnections().filter((c) => c.parent === 'ctl')).toHaveLength(150);
    expect(feeds.messagesOf('ctl').map((m) => m.id)).toEqual(['ctl:1']);
    expect(feeds.messagesOf('data-0').map((m) => m.id)).toEqual(['data-0:1']);
  });

  it('files live events under their connection and says when anything changed', () => {
    const feeds = new SessionFeeds('ftp');
    let seen = 0;
    feeds.subscribe(() => seen++);
    const before = feeds.getVersion();
    feeds.applyEvents([
      { type: 'connection.open', connection: conn('data-new', 5, 'ctl') },
      { type: 'message', message: msg('data-new', 1) },
      { type: 'message', message: msg('ctl', 7) },
      { type: 'mail', mail: { id: 'm', sandbox: 'local', from: 'a', to: [], subject: 's', date: 0, size: 1, conn: 'smtp-x', messageId: null, inReplyTo: null } },
    ]);
    expect(feeds.connection('data-new')?.parent).toBe('ctl');
    expect(feeds.messagesOf('data-new').map((m) => m.id)).toEqual(['data-new:1']);
    expect(feeds.messagesOf('ctl').map((m) => m.id)).toEqual(['ctl:7']);
    expect(feeds.getVersion()).toBeGreaterThan(before);
    expect(seen).toBeGreaterThan(0);
  });
});
