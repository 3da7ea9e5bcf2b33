import { describe, expect, it } from 'vitest';
import type { ConnectionInfo, LabMessage } from '../wire/event.ts';
import { searchTranscripts, type TranscriptSource } from './search-transcripts.ts';

/** A store of `n` connections of `size` messages each in sandbox 'a' (newest = highest number) and one in 'b'. */
function store(n: number, size: number): TranscriptSource & { reads: number } {
  const connections: ConnectionInfo[] = [...Array.from({ length: n }, (_, i) => i + 1), 99].map((i) => ({
    id: `c${i}`, protocol: 'smtp', sandbox: i === 99 ? 'b' : 'a', startedAt: i, endedAt: i + 1, messageCount: size, client: '127.0.0.1:1',
  }));
  const messages = (c: ConnectionInfo): LabMessage[] =>
    Array.from({ length: size }, (_, k) => ({ id: `${c.id}:${k + 1}`, conn: c.id, sandbox: c.sandbox, protocol: 'smtp', seq: k + 1, t: k, dir: 'client', view: 'wire', kind: 'command', text: `m${k + 1}` }));
  const source = {
    reads: 0,
    listConnections: (sandbox: string, filter: { limit: number }) => connections.filter((c) => c.sandbox === sandbox).sort((x, y) => y.startedAt - x.startedAt).slice(0, filter.limit),
    getConnection(sandbox: string, id: string, page: { from?: number; limit?: number }) {
      source.reads++;
      const c = connections.find((x) => x.id === id && x.sandbox === sandbox);
      if (!c) return null;
      const all = messages(c).filter((m) => m.seq >= (page.from ?? 0));
      const limit = page.limit ?? 500;
      return { connection: c, messages: all.slice(0, limit), next: all.length > limit ? all[limit].seq : null };
    },
  };
  return source;
}

describe('searchTranscripts', () => {
  it('reads newest connection first, each in seq order, and only the sandbox asked for', () => {
    const result = searchTranscripts(store(3, 2), 'a', () => true, { limit: 100, maxConnections: 10, maxMessages: 1000 });
    expect(result.hits.map((h) => h.message.id)).toEqual(['c3:1', 'c3:2', 'c2:1', 'c2:2', 'c1:1', 'c1:2']);
    expect(result).toMatchObject({ scanned: { connections: 3, messages: 6 }, stoppedBy: null });
  });

  it('pages through a long transcript', () => {
    const result = searchTranscripts(store(1, 1200), 'a', (m) => m.seq % 400 === 0, { limit: 100, maxConnections: 10, maxMessages: 5000 });
    expect(result.hits.map((h) => h.message.seq)).toEqual([400, 800, 1200]);
    expect(result.stoppedBy).toBeNull();
  });

  it('stops at the hit limit', () => {
    const result = searchTranscripts(store(3, 5), 'a', () => true, { limit: 4, maxConnections: 10, maxMessages: 1000 });
    expect(result.hits).toHaveLength(4);
    expect(result.stoppedBy).toBe('limit');
  });

  it('says when the bound on connections or messages cut the search short', () => {
    expect(searchTranscripts(store(5, 1), 'a', () => false, { limit: 10, maxConnections: 3, maxMessages: 1000 })).toMatchObject({ scanned: { connections: 3 }, stoppedBy: 'connections' });
    const source = store(5, 10);
    const result = searchTranscripts(source, 'a', () => false, { limit: 10, maxConnections: 10, maxMessages: 25 });
    expect(result).toMatchObject({ scanned: { messages: 25 }, stoppedBy: 'messages' });
    expect(source.reads).toBe(3);
  });
});
