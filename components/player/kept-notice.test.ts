import { describe, expect, it } from 'vitest';
import { LabFeed, MAX_MESSAGES_PER_CONNECTION } from '@/components/lab/lab-feed';
import type { ConnectionInfo, LabMessage } from '@/lib/wire/event.ts';
import { keptNotice } from './kept-notice';

const info = (id: string, messageCount: number): ConnectionInfo => ({ id, protocol: 'smtp', sandbox: 'local', startedAt: 1, endedAt: null, messageCount, client: '127.0.0.1:9' });
const msg = (conn: string, seq: number): LabMessage => ({ id: `${conn}:${seq}`, conn, sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'server', view: 'wire', kind: 'reply', text: `m${seq}` });

/** A lab feed that received `count` live messages of `conn` (it keeps the newest). */
function fed(conn: string, count: number): LabFeed {
  const feed = new LabFeed('smtp');
  feed.loadHistory([info(conn, 0)]);
  feed.applyEvents(Array.from({ length: count }, (_, i) => ({ type: 'message' as const, message: msg(conn, i + 1) })));
  return feed;
}

describe('keptNotice', () => {
  it('says nothing while every message of the connection is there', () => {
    const feed = fed('c1', MAX_MESSAGES_PER_CONNECTION);
    expect(keptNotice([feed.connection('c1')!], feed.messagesOf('c1'))).toBeNull();
  });

  it('says that the player shows the newest 5,000 of a longer connection, and of how many', () => {
    const feed = fed('c1', 5203);
    expect(keptNotice([feed.connection('c1')!], feed.messagesOf('c1'))).toBe(
      'This connection has 5,203 messages; the player shows the newest 5,000 (from message 204 on): it keeps 5,000 per connection.',
    );
  });

  it("takes the count from the connection's info when the newest messages are still to come", () => {
    const feed = fed('d1', 5100);
    expect(keptNotice([info('c1', 10), info('d1', 9000)], feed.messagesOf('d1'))).toMatch(/^Linked connection d1 has 9,000 messages; the player shows the newest 5,000 \(from message 101 on\)/);
  });

  it('names the messages it shows around the one asked for when they are not the newest', () => {
    const feed = new LabFeed('smtp');
    feed.loadHistory([{ ...info('c1', 8000), endedAt: 2 }]);
    feed.loadMessages('c1', Array.from({ length: MAX_MESSAGES_PER_CONNECTION }, (_, i) => msg('c1', i + 1)));
    expect(keptNotice([feed.connection('c1')!], feed.messagesOf('c1'), 2)).toBe(
      'This connection has 8,000 messages; the player shows messages 1 to 5,000 of them, around message 2: it keeps 5,000 per connection.',
    );
  });
});
