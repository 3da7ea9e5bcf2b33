import { describe, expect, it } from 'vitest';
import type { TranscriptReader } from '@/components/lab/use-lab-feed';
import type { ConnectionInfo, LabMessage, Protocol } from '@/lib/wire/event.ts';
import { readTranscript } from './read-transcript';

const conn = (id: string, startedAt: number, protocol: Protocol = 'ftp', parent?: string): ConnectionInfo => ({ id, protocol, sandbox: 'abc234', startedAt, endedAt: null, messageCount: 0, client: '127.0.0.1:1', ...(parent ? { parent } : {}) });
const msg = (c: string, seq: number, t: number, text: string): LabMessage => ({ id: `${c}:${seq}`, conn: c, sandbox: 'abc234', protocol: 'ftp', seq, t, dir: 'server', view: 'wire', kind: 'reply', text, bytes: text.length });

/** A store of three connections: a control connection, its data connection, and a tunnelled SMTP child. */
const store = new Map<string, { connection: ConnectionInfo; messages: LabMessage[] }>([
  ['ctl', { connection: conn('ctl', 1000), messages: [msg('ctl', 1, 0, '227 Entering Passive Mode'), msg('ctl', 2, 5, 'LIST'), msg('ctl', 3, 30, '226 Transfer complete')] }],
  ['data', { connection: conn('data', 1010, 'ftp', 'ctl'), messages: [msg('data', 1, 2, 'Data connection opened'), msg('data', 2, 10, 'README.txt')] }],
  ['smtp', { connection: conn('smtp', 1001, 'smtp', 'ctl'), messages: [msg('smtp', 1, 0, '220 hello')] }],
]);
/** Pages of two messages, children named on the first page, as the daemon answers. */
const reader: TranscriptReader = async (id, page) => {
  const t = store.get(id);
  if (!t) throw new Error(`no ${id}`);
  const messages = t.messages.filter((m) => m.seq >= page.from).slice(0, 2);
  const rest = t.messages.filter((m) => m.seq > (messages.at(-1)?.seq ?? Infinity));
  const children = page.from === 0 ? [...store.values()].map((s) => s.connection).filter((c) => c.parent === id) : undefined;
  return { connection: t.connection, messages, more: rest.length > 0, next: rest[0]?.seq ?? null, ...(children ? { children } : {}) };
};

describe('readTranscript', () => {
  it('reads every page of the connection alone unless asked for its children', async () => {
    expect((await readTranscript(reader, 'ctl')).messages.map((m) => m.text)).toEqual(['227 Entering Passive Mode', 'LIST', '226 Transfer complete']);
  });

  it("merges its same-protocol children's messages in wire order", async () => {
    const { messages } = await readTranscript(reader, 'ctl', undefined, { withChildren: true });
    expect(messages.map((m) => m.text)).toEqual(['227 Entering Passive Mode', 'LIST', 'Data connection opened', 'README.txt', '226 Transfer complete']);
  });
});
