import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabMessage } from '../../lib/wire/event.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab } from '../helpers/daemon.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Sends `lines` one at a time, each after the previous reply, and resolves once the server closed. */
function session(port: number, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const queue = [...lines];
    socket.on('data', () => {
      const next = queue.shift();
      if (next !== undefined) socket.write(`${next}\r\n`);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

describe('stopping the daemon', () => {
  it('keeps every message of a session that ended just before the stop (the writer thread is flushed, not dropped)', async () => {
    // Our own data dir: the test lab removes one it made when it stops.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'protocol-lab-shutdown-'));
    dirs.push(dataDir);
    const lab = await startTestLab({ labs: [smtpLab], dataDir });
    const published: LabMessage[] = [];
    lab.daemon.bus.subscribe((e) => {
      if (e.type === 'message') published.push(e.message);
    });
    const closed = nextEvent(lab.daemon.bus, 'connection.close');
    const noops = Array.from({ length: 200 }, (_, i) => `NOOP ${i}`);
    await session(lab.port('smtp'), ['EHLO student.lab.test', ...noops, 'QUIT']);
    const { connection } = await closed;
    // Stop at once: nothing has read the transcript, so nothing has waited for the writer yet.
    await lab.stop();

    const db = new Database(`${lab.dataDir}/lab.sqlite`, { readonly: true });
    try {
      const bodies = db.prepare(`SELECT body FROM messages WHERE conn = ? ORDER BY seq`).all(connection.id) as { body: string }[];
      const expected = published.filter((m) => m.conn === connection.id);
      expect(expected.length).toBeGreaterThan(400);
      expect(bodies.map((r) => JSON.parse(r.body) as LabMessage)).toEqual(expected);
      expect(db.prepare(`SELECT ended_at FROM connections WHERE id = ?`).get(connection.id)).toEqual({ ended_at: connection.endedAt });
    } finally {
      db.close();
    }
  });
});
