/**
 * The capture store: chunks a recorder captured come back per sandbox, a message's bytes are cut
 * from its direction's stream across chunk boundaries, the cap says where it stopped, and deleting
 * a connection (retention) deletes its capture and key log. Through the writer thread, as the daemon runs it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus/bus.ts';
import { ConnectionRecorder } from '../wire/recorder.ts';
import { CaptureStore } from './captures.ts';
import { openDatabase, type Db } from './db.ts';
import { TranscriptStore } from './transcripts.ts';

const DAY = 24 * 60 * 60 * 1000;
const open: { db: Db; store: TranscriptStore; dir: string }[] = [];

afterEach(() => {
  for (const { db, store, dir } of open.splice(0)) {
    store.dispose();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function setup(captureBytes?: number, clock = { now: Date.now() }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-captures-'));
  const db = openDatabase(dir);
  const bus = new Bus({ captureBytes });
  const store = new TranscriptStore(db, bus, { retentionDays: 30 }, () => clock.now);
  open.push({ db, store, dir });
  return { bus, store, captures: new CaptureStore(db, store), db, clock };
}

/** An SMTP-like exchange: greeting, then a command split over two writes, as a recorder sees it. */
function exchange(bus: Bus, sandbox = 'local') {
  const recorder = new ConnectionRecorder(bus, { protocol: 'smtp', sandbox, client: '127.0.0.1:5000', server: '127.0.0.1:2525' });
  recorder.capture('server', Buffer.from('220 hi\r\n'));
  recorder.record({ dir: 'server', kind: 'reply', text: '220 hi', bytes: 8, at: 0 }, 'wire');
  recorder.capture('client', Buffer.from('MAIL FROM:<a@'));
  recorder.capture('client', Buffer.from('lab.test>\r\nRCPT TO:<b@lab.test>\r\n'));
  recorder.record({ dir: 'client', kind: 'command', text: 'MAIL FROM:<a@lab.test>', bytes: 24, at: 0 }, 'wire');
  recorder.record({ dir: 'client', kind: 'command', text: 'RCPT TO:<b@lab.test>', bytes: 22, at: 24 }, 'wire');
  recorder.record({ dir: 'client', kind: 'command', text: 'EHLO again', bytes: 12 }, 'endpoint');
  recorder.keylog(Buffer.from('CLIENT_RANDOM 0011 2233\n'));
  recorder.close();
  return recorder.info.id;
}

describe('CaptureStore', () => {
  it('keeps every chunk with its direction, order, offset and bytes, and the address the client reached', () => {
    const { bus, store, captures } = setup();
    const conn = exchange(bus);
    expect(captures.chunks('local', conn)?.map((c) => [c.seq, c.dir, c.offset, c.data.toString()])).toEqual([
      [1, 'server', 0, '220 hi\r\n'],
      [2, 'client', 0, 'MAIL FROM:<a@'],
      [3, 'client', 13, 'lab.test>\r\nRCPT TO:<b@lab.test>\r\n'],
    ]);
    expect(captures.capture('local', conn)?.keylog).toEqual(['CLIENT_RANDOM 0011 2233']);
    expect(store.getConnection('local', conn)?.connection.server).toBe('127.0.0.1:2525');
  });

  it("cuts a message's bytes out of its direction's stream, across chunk boundaries", () => {
    const { bus, captures } = setup();
    const conn = exchange(bus);
    const mail = captures.messageBytes('local', conn, 2);
    expect(typeof mail === 'object' && mail && [mail.at, mail.bytes, mail.data.toString(), mail.truncated]).toEqual([0, 24, 'MAIL FROM:<a@lab.test>\r\n', false]);
    const rcpt = captures.messageBytes('local', conn, 3);
    expect(typeof rcpt === 'object' && rcpt?.data.toString()).toBe('RCPT TO:<b@lab.test>\r\n');
    expect(captures.messageBytes('local', conn, 4)).toMatch(/endpoint view/);
    expect(captures.messageBytes('local', conn, 99)).toBe(`No message 99 in connection ${conn}.`);
  });

  it('answers another sandbox as if the connection did not exist', () => {
    const { bus, captures } = setup();
    const conn = exchange(bus, 'room-a');
    expect(captures.chunks('room-b', conn)).toBeNull();
    expect(captures.messageBytes('room-b', conn, 2)).toBeNull();
    expect(captures.chunks('room-a', conn)).toHaveLength(3);
  });

  it('stops at LAB_CAPTURE_BYTES (both directions together), keeps what fits, and says where it stopped', () => {
    const { bus, captures } = setup(20);
    const conn = exchange(bus);
    const capture = captures.capture('local', conn);
    expect(capture?.truncatedAt).toBe(20);
    expect(capture?.chunks.map((c) => c.data.toString())).toEqual(['220 hi\r\n', 'MAIL FROM:<a']);
    const mail = captures.messageBytes('local', conn, 2);
    expect(typeof mail === 'object' && mail && [mail.data.toString(), mail.truncated]).toEqual(['MAIL FROM:<a', true]);
    expect(captures.messageBytes('local', conn, 3)).toMatch(/stopped at 20 bytes/);
  });

  it('deletes the capture and key log with their connection when retention deletes it', () => {
    const clock = { now: Date.now() };
    const { bus, store, captures, db } = setup(undefined, clock);
    const conn = exchange(bus);
    expect(captures.chunks('local', conn)).toHaveLength(3);
    clock.now += 31 * DAY;
    expect(store.prune()).toBe(1);
    expect(captures.chunks('local', conn)).toBeNull();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM chunks`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM keylogs`).get()).toEqual({ n: 0 });
  });
});
