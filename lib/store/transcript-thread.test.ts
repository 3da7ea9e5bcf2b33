import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabMessage } from '../wire/event.ts';
import { openDatabase, type Db } from './db.ts';
import { MailboxStore } from './mailbox.ts';
import { TranscriptStore } from './transcripts.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-store-thread-'));
  dirs.push(dir);
  return dir;
}

const message = (conn: string, seq: number): LabMessage => ({
  id: `${conn}:${seq}`, conn, sandbox: 'local', protocol: 'smtp', seq, t: seq, dir: 'client', view: 'wire',
  kind: 'command', text: `NOOP ${seq}`, bytes: 6,
  annotation: { key: 'smtp.cmd.NOOP', title: 'No operation', explain: 'Asks the server for an OK — “is it alive?”', ref: 'RFC 5321 §4.1.1.9', level: 'info' },
});

function publishConnection(bus: Bus, id: string, count: number, close = true): void {
  const info = { id, protocol: 'smtp' as const, sandbox: 'local', startedAt: 1, endedAt: null, messageCount: 0, client: '127.0.0.1:1' };
  bus.publish({ type: 'connection.open', connection: info });
  for (let seq = 1; seq <= count; seq++) bus.publish({ type: 'message', message: message(id, seq) });
  if (close) bus.publish({ type: 'connection.close', connection: { ...info, endedAt: 2, messageCount: count } });
}

describe('TranscriptStore writer thread', () => {
  it('writes on a worker thread, and a read right after publishing sees every message, unchanged', () => {
    const db: Db = openDatabase(tempDir());
    const bus = new Bus();
    const store = new TranscriptStore(db, bus);
    try {
      expect(store.writer).toBe('thread');
      publishConnection(bus, 'smtp-a', 300, false);
      // No flush and no waiting: the read itself waits for the thread to commit what was published.
      const page = store.getConnection('local', 'smtp-a', { limit: 1000 });
      expect(page?.messages).toEqual(Array.from({ length: 300 }, (_, i) => message('smtp-a', i + 1)));
      expect(store.listConnections('local', { limit: 10 }).map((c) => c.id)).toEqual(['smtp-a']);
      publishConnection(bus, 'smtp-b', 3);
      expect(store.getConnection('local', 'smtp-b')?.connection.endedAt).toBe(2);
    } finally {
      store.dispose();
      db.close();
    }
  });

  it('writes everything published before dispose, for the next process to read', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const bus = new Bus();
    const store = new TranscriptStore(db, bus);
    publishConnection(bus, 'smtp-late', 500);
    store.dispose();
    db.close();

    const again = openDatabase(dir);
    try {
      const stored = again.prepare(`SELECT COUNT(*) AS n FROM messages WHERE conn = ?`).get('smtp-late') as { n: number };
      const conn = again.prepare(`SELECT ended_at, message_count FROM connections WHERE id = ?`).get('smtp-late');
      expect(stored.n).toBe(500);
      expect(conn).toEqual({ ended_at: 2, message_count: 500 });
    } finally {
      again.close();
    }
  });

  it('writes in process when asked to', () => {
    const bus = new Bus();
    const db = openDatabase(tempDir());
    const store = new TranscriptStore(db, bus, {}, Date.now, 'inline');
    try {
      expect(store.writer).toBe('inline');
      publishConnection(bus, 'smtp-c', 5);
      expect(store.getConnection('local', 'smtp-c')?.messages).toHaveLength(5);
    } finally {
      store.dispose();
      db.close();
    }
  });
});

describe('TranscriptStore writer thread, odd input', () => {
  it('stores what JSON keeps of a message that cannot be cloned, and the next read does not hang', () => {
    const db: Db = openDatabase(tempDir());
    const bus = new Bus();
    const store = new TranscriptStore(db, bus);
    try {
      publishConnection(bus, 'smtp-odd', 1, false);
      const odd = { ...message('smtp-odd', 2), fields: [{ name: 'x', value: 'y', note: (() => 'not data') as unknown as string }] };
      bus.publish({ type: 'message', message: odd });
      const stored = store.getConnection('local', 'smtp-odd')?.messages;
      expect(stored?.map((m) => m.seq)).toEqual([1, 2]);
      expect(stored?.[1].fields).toEqual([{ name: 'x', value: 'y' }]);
    } finally {
      store.dispose();
      db.close();
    }
  });
});

describe('MailboxStore through the writer thread', () => {
  it('hands its rows to the store\'s writer and resolves a delivery once the mail can be read here', async () => {
    const db: Db = openDatabase(tempDir());
    const bus = new Bus();
    const store = new TranscriptStore(db, bus);
    const batches: number[] = [];
    const mailbox = new MailboxStore(db, bus, { writeMails: (rows) => (batches.push(rows.length), store.mailSink.writeMails(rows)) });
    try {
      const raw = Buffer.from('From: a@lab.test\r\nTo: b@lab.test\r\nSubject: via the writer\r\n\r\nhello\r\n');
      const delivered = await Promise.all([1, 2, 3].map(() => mailbox.deliver({ sandbox: 'local', conn: null, from: 'a@lab.test', to: ['b@lab.test'], raw })));
      expect(batches).toEqual([3]);
      expect(mailbox.list('local').map((m) => m.id).sort()).toEqual(delivered.map((m) => m.id).sort());
      expect(mailbox.raw('local', delivered[0].id)?.equals(raw)).toBe(true);
      expect(store.writer).toBe('thread');
    } finally {
      store.dispose();
      db.close();
    }
  });
});
