import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import type { LabEvent } from '../bus/events.ts';
import type { ConnectionInfo, LabMessage } from '../wire/event.ts';
import { openDatabase, type Db } from './db.ts';
import type { TranscriptLimits } from './retention.ts';
import { TranscriptStore } from './transcripts.ts';

const DAY = 24 * 60 * 60 * 1000;
const open: { db: Db; store: TranscriptStore; dir: string }[] = [];

function setup(limits: Partial<TranscriptLimits>, clock = { now: 100 * DAY }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-store-'));
  const db = openDatabase(dir);
  const bus = new Bus();
  // The store subscribes first, as in the daemon (before the hub).
  const store = new TranscriptStore(db, bus, limits, () => clock.now);
  const published: LabEvent[] = [];
  bus.subscribe((e) => published.push(e));
  open.push({ db, store, dir });
  return { bus, store, published, clock };
}

afterEach(() => {
  for (const { db, store, dir } of open.splice(0)) {
    store.dispose();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const info = (id: string, startedAt: number, endedAt: number | null = null, sandbox = 'local'): ConnectionInfo => ({
  id, protocol: 'smtp', sandbox, startedAt, endedAt, messageCount: 0, client: '127.0.0.1:1',
});
const message = (conn: string, seq: number, dir: 'client' | 'server' = seq % 2 ? 'client' : 'server', sandbox = 'local'): LabMessage => ({
  id: `${conn}:${seq}`, conn, sandbox, protocol: 'smtp', seq, t: seq, dir, view: 'wire',
  kind: dir === 'client' ? 'command' : 'reply', text: dir === 'client' ? 'NOOP' : '250 OK', bytes: 6,
});

/** Publishes a whole connection: open, `count` messages, and (unless live) close. */
function connection(bus: Bus, id: string, count: number, at: { startedAt: number; endedAt: number | null }, sandbox = 'local'): void {
  bus.publish({ type: 'connection.open', connection: info(id, at.startedAt, null, sandbox) });
  for (let seq = 1; seq <= count; seq++) bus.publish({ type: 'message', message: message(id, seq, undefined, sandbox) });
  if (at.endedAt !== null) bus.publish({ type: 'connection.close', connection: { ...info(id, at.startedAt, at.endedAt, sandbox), messageCount: count } });
}

/** Every page of a transcript, following `next`. */
function allPages(store: TranscriptStore, id: string, limit: number): LabMessage[][] {
  const pages: LabMessage[][] = [];
  let from: number | null = 0;
  while (from !== null) {
    const page = store.getConnection('local', id, { from, limit });
    if (!page) throw new Error(`no connection ${id}`);
    expect(page.more).toBe(page.next !== null);
    pages.push(page.messages);
    from = page.next;
  }
  return pages;
}

describe('TranscriptStore cap', () => {
  it('stores the first N messages whole and counts the rest in one summary note', () => {
    const { bus, store, published } = setup({ maxMessages: 10 });
    connection(bus, 'c1', 30, { startedAt: 1, endedAt: 2 });
    const page = store.getConnection('local', 'c1', { limit: 100 })!;
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10.5]);
    const note = page.messages[10];
    expect(note.dir).toBe('note');
    expect(note.text).toContain('Not stored, shown live only: 20 (#11–#30): client command ×10, server reply ×10; 120 bytes on the wire.');
    expect(note.annotation?.title).toBe('Transcript capped at 10 messages');
    expect(page.connection.messageCount).toBe(30);
    // Live viewers got the note when the cap was crossed and again, final, at the close.
    const notes = published.flatMap((e) => (e.type === 'message' && e.message.seq === 10.5 ? [e.message] : []));
    expect(notes.map((n) => n.text.endsWith('so far.'))).toEqual([true, false]);
    // The first one reached live viewers just before message 11, where the stored transcript stops.
    const order = published.flatMap((e) => (e.type === 'message' ? [e.message.seq] : []));
    expect(order.slice(9, 13)).toEqual([10, 10.5, 11, 12]);
  });

  it('updates the note in place while the connection is open', () => {
    const { bus, store } = setup({ maxMessages: 5 });
    connection(bus, 'c1', 8, { startedAt: 1, endedAt: null });
    expect(store.getConnection('local', 'c1')!.messages[5].text).toContain('Not stored, shown live only: 3 (#6–#8)');
    bus.publish({ type: 'message', message: message('c1', 9) });
    const page = store.getConnection('local', 'c1')!;
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 5.5]);
    expect(page.messages[5].text).toContain('Not stored, shown live only: 4 (#6–#9)');
    expect(page.connection.messageCount).toBe(9);
  });
});

describe('TranscriptStore connection list', () => {
  it('counts a live connection\'s messages so far, and a closed one\'s as stored at its close', () => {
    const { bus, store } = setup({ maxMessages: 5 });
    connection(bus, 'live', 3, { startedAt: 1, endedAt: null });
    connection(bus, 'long', 9, { startedAt: 2, endedAt: null });
    connection(bus, 'done', 4, { startedAt: 3, endedAt: 10 });
    const counts = Object.fromEntries(store.listConnections('local', { limit: 10 }).map((c) => [c.id, c.messageCount]));
    // "long" stored its first 5 whole; the count goes on past the cap.
    expect(counts).toEqual({ live: 3, long: 9, done: 4 });
  });
});

describe('TranscriptStore paging', () => {
  it('returns every stored message exactly once across pages, in order', () => {
    const { bus, store } = setup({ maxMessages: 50 });
    connection(bus, 'c1', 80, { startedAt: 1, endedAt: 2 });
    const pages = allPages(store, 'c1', 7);
    expect(pages).toHaveLength(Math.ceil(51 / 7));
    expect(pages.flat().map((m) => m.seq)).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 50.5]);
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
  });

  it('starts a page at any seq and says when nothing follows', () => {
    const { bus, store } = setup({});
    connection(bus, 'c1', 12, { startedAt: 1, endedAt: 2 });
    expect(store.getConnection('local', 'c1', { from: 10, limit: 2 })).toMatchObject({ more: true, next: 12 });
    const last = store.getConnection('local', 'c1', { from: 12, limit: 2 })!;
    expect(last.messages.map((m) => m.seq)).toEqual([12]);
    expect(last).toMatchObject({ more: false, next: null });
    expect(store.getConnection('local', 'c1', { from: 99 })!.messages).toEqual([]);
    expect(store.getConnection('local', 'nope')).toBeNull();
  });
});

describe('TranscriptStore retention', () => {
  it('deletes finished connections past the retention age, never an open one', () => {
    const { bus, store, clock } = setup({ retentionDays: 30 });
    connection(bus, 'live-old', 3, { startedAt: 1 * DAY, endedAt: null });
    connection(bus, 'old', 3, { startedAt: 2 * DAY, endedAt: 3 * DAY });
    connection(bus, 'recent', 3, { startedAt: 90 * DAY, endedAt: 91 * DAY });
    clock.now = 100 * DAY;
    expect(store.prune()).toBe(1);
    expect(store.listConnections('local', { limit: 10 }).map((c) => c.id).sort()).toEqual(['live-old', 'recent']);
    expect(store.getConnection('local', 'old')).toBeNull();
    expect(store.getConnection('local', 'live-old')!.messages).toHaveLength(3);
  });

  it('over the size cap deletes the oldest finished connections first, never an open one', () => {
    const { bus, store } = setup({ retentionDays: 0, maxBytes: 1 << 30 });
    connection(bus, 'live', 20, { startedAt: 1, endedAt: null });
    for (let i = 1; i <= 10; i++) connection(bus, `done-${i}`, 20, { startedAt: 1 + i, endedAt: 2 + i });
    store.flush();
    const perConnection = store.storedBytes / 11;
    // A second store on the same database, with room for about four connections.
    const { db } = open[0];
    store.dispose();
    const small = new TranscriptStore(db, bus, { retentionDays: 0, maxBytes: Math.round(perConnection * 4.5) });
    open[0].store = small;
    expect(small.prune()).toBeGreaterThan(0);
    const left = small.listConnections('local', { limit: 20 }).map((c) => c.id);
    expect(left).toContain('live');
    const done = left.filter((id) => id.startsWith('done-')).map((id) => Number(id.slice(5))).sort((a, b) => a - b);
    // What is left is the newest finished ones: a contiguous run up to done-10.
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(10);
    expect(done).toEqual(Array.from({ length: done.length }, (_, i) => 11 - done.length + i));
    expect(small.storedBytes).toBeLessThanOrEqual(perConnection * 4.5);
  });

  it('prunes by size after a write once a connection has closed', () => {
    const one = Array.from({ length: 30 }, (_, i) => JSON.stringify(message('x', i + 1)).length).reduce((a, b) => a + b);
    // Room for two and a half connections: the third one written makes the oldest finished one go.
    const { bus, store } = setup({ retentionDays: 0, maxBytes: Math.round(one * 2.5) });
    connection(bus, 'live', 30, { startedAt: 1, endedAt: null });
    connection(bus, 'a', 30, { startedAt: 2, endedAt: 3 });
    connection(bus, 'b', 30, { startedAt: 4, endedAt: 5 });
    expect(store.listConnections('local', { limit: 10 }).map((c) => c.id).sort()).toEqual(['b', 'live']);
  });
});

describe('sandboxes', () => {
  it("over a sandbox's own cap deletes that sandbox's oldest finished connections, never another's or an open one", () => {
    const one = Array.from({ length: 30 }, (_, i) => JSON.stringify(message('s-1', i + 1, undefined, 'stud01')).length).reduce((a, b) => a + b);
    // Room for two and a half connections per sandbox; the owner's sandbox and the shared cap are far from full.
    const { bus, store } = setup({ retentionDays: 0, maxBytes: 1 << 30, maxBytesPerSandbox: Math.round(one * 2.5), uncappedSandbox: 'local' });
    connection(bus, 's-live', 30, { startedAt: 1, endedAt: null }, 'stud01');
    connection(bus, 'other-1', 30, { startedAt: 2, endedAt: 3 }, 'stud02');
    connection(bus, 'other-2', 30, { startedAt: 2, endedAt: 3 }, 'stud02');
    for (let i = 1; i <= 5; i++) {
      connection(bus, `s-${i}`, 30, { startedAt: 10 + i, endedAt: 11 + i }, 'stud01');
      connection(bus, `mine-${i}`, 30, { startedAt: 10 + i, endedAt: 11 + i });
    }
    store.flush();
    // The student keeps its open connection and its newest finished one; the rest of its own went, oldest first.
    expect(store.listConnections('stud01', { limit: 20 }).map((c) => c.id).sort()).toEqual(['s-5', 's-live']);
    expect(store.getConnection('stud01', 's-live')?.messages).toHaveLength(30);
    expect(store.listConnections('stud02', { limit: 20 }).map((c) => c.id).sort()).toEqual(['other-1', 'other-2']);
    expect(store.listConnections('local', { limit: 20 })).toHaveLength(5);
  });

  it('lists and reads only the connections of the sandbox asked for', () => {
    const { bus, store } = setup({});
    connection(bus, 'mine', 2, { startedAt: 1, endedAt: 2 });
    bus.publish({ type: 'connection.open', connection: { ...info('theirs', 3), sandbox: 'other' } });
    expect(store.listConnections('local', { limit: 10 }).map((c) => c.id)).toEqual(['mine']);
    expect(store.listConnections('other', { limit: 10, protocol: 'smtp' }).map((c) => c.id)).toEqual(['theirs']);
    expect(store.getConnection('other', 'mine')).toBeNull();
    expect(store.getConnection('local', 'theirs')).toBeNull();
    expect(store.getConnection('local', 'mine')?.messages).toHaveLength(2);
  });

  it("names a connection's children (its own sandbox's only) on the first page of its transcript", () => {
    const { bus, store } = setup({});
    connection(bus, 'control', 4, { startedAt: 1, endedAt: null });
    for (const [id, startedAt, sandbox] of [['data-2', 3, 'local'], ['data-1', 2, 'local'], ['elsewhere', 4, 'other']] as const) {
      bus.publish({ type: 'connection.open', connection: { ...info(id, startedAt, null, sandbox), parent: 'control' } });
    }
    const first = store.getConnection('local', 'control', { from: 0, limit: 2 });
    expect(first?.children?.map((c) => c.id)).toEqual(['data-1', 'data-2']);
    expect(store.getConnection('local', 'control', { from: first?.next ?? 0, limit: 2 })?.children).toBeUndefined();
    expect(store.getConnection('local', 'data-1')?.children).toEqual([]);
  });

  it('applies a connection.update (a new label) without reopening the connection', () => {
    const { bus, store } = setup({});
    connection(bus, 'c', 3, { startedAt: 1, endedAt: null });
    bus.publish({ type: 'connection.update', connection: { ...info('c', 1), label: 'sftp' } });
    const page = store.getConnection('local', 'c');
    expect(page?.connection).toMatchObject({ label: 'sftp', endedAt: null });
    expect(page?.messages).toHaveLength(3);
  });
});
