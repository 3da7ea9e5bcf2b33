import { describe, expect, it } from 'vitest';
import { applyConnectionEvents, connectionTree } from './connection-tree';
import type { ConnectionInfo } from './types';

const c = (id: string, startedAt: number, parent?: string): ConnectionInfo => ({ id, protocol: 'ftp', sandbox: 'local', startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:1', ...(parent ? { parent } : {}) });

describe('connectionTree', () => {
  it('lists the newest first with children under their parent, oldest child first', () => {
    const lines = connectionTree([c('old', 1), c('new', 10), c('data-2', 14, 'new'), c('data-1', 12, 'new'), c('tunnel', 3, 'old'), c('orphan', 5, 'gone')]);
    expect(lines.map((l) => `${'  '.repeat(l.depth)}${l.connection.id}`)).toEqual(['new', '  data-1', '  data-2', 'orphan', 'old', '  tunnel']);
  });

  it('survives a parent cycle', () => {
    expect(connectionTree([c('a', 1, 'b'), c('b', 2, 'a')]).map((l) => l.connection.id)).toEqual(['b', 'a']);
    expect(connectionTree([c('a', 1, 'a')]).map((l) => l.connection.id)).toEqual(['a']);
  });
});

describe('applyConnectionEvents', () => {
  it('adds opened connections and replaces updated and closed ones', () => {
    const list = [c('a', 1)];
    const next = applyConnectionEvents(list, [
      { type: 'connection.open', connection: c('b', 2) },
      { type: 'connection.close', connection: { ...c('a', 1), endedAt: 5, messageCount: 9 } },
      { type: 'mail', mail: { id: 'm', sandbox: 'local', from: '', to: [], subject: '', date: 0, size: 0, conn: null, messageId: null, inReplyTo: null } },
    ]);
    expect(next.map((x) => [x.id, x.endedAt, x.messageCount])).toEqual([
      ['b', null, 0],
      ['a', 5, 9],
    ]);
  });
});
