import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { TranscriptPage } from '../../lib/store/transcripts.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';
import { noopFlood } from './transcript-flood.ts';

const CAP = 100;
const FLOOD = 50_000;

function dbBytes(dataDir: string): number {
  return ['lab.sqlite', 'lab.sqlite-wal']
    .map((name) => path.join(dataDir, name))
    .reduce((sum, file) => sum + (fs.existsSync(file) ? fs.statSync(file).size : 0), 0);
}

/** Sends NOOPs on a fresh SMTP connection and returns it once the store has it closed. */
async function floodAndClose(lab: TestLab, count: number): Promise<ConnectionInfo> {
  const closed = new Map<string, ConnectionInfo>();
  const unsubscribe = lab.daemon.bus.subscribe((e) => {
    if (e.type === 'connection.close') closed.set(e.connection.client, e.connection);
  });
  const { localPort } = await noopFlood(lab.port('smtp'), count);
  const address = `127.0.0.1:${localPort}`;
  const connection = closed.get(address) ?? (await nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === address)).connection;
  unsubscribe();
  return connection;
}

async function allPages(lab: TestLab, id: string, limit: number): Promise<LabMessage[]> {
  const messages: LabMessage[] = [];
  let from: number | null = 0;
  while (from !== null) {
    const page: TranscriptPage = await lab.api<TranscriptPage>(`/api/connections/${id}?from=${from}&limit=${limit}`);
    expect(page.messages.length).toBeLessThanOrEqual(limit);
    messages.push(...page.messages);
    from = page.next;
  }
  return messages;
}

describe('transcript cap', () => {
  it(`keeps ${CAP} messages of ${FLOOD.toLocaleString('en')} NOOPs whole, counts the rest, and the database stays small`, async () => {
    const lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxMessages: CAP } } });
    try {
      const before = dbBytes(lab.dataDir);
      const connection = await floodAndClose(lab, FLOOD);
      expect(connection.messageCount).toBeGreaterThanOrEqual(2 * FLOOD);

      const first = await lab.api<TranscriptPage>(`/api/connections/${connection.id}`);
      expect(first.connection.messageCount).toBe(connection.messageCount);
      const stored = first.messages.filter((m) => Number.isInteger(m.seq));
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: CAP }, (_, i) => i + 1));
      expect(first.next).toBeNull();
      const note = first.messages[CAP];
      expect(note).toMatchObject({ seq: CAP + 0.5, dir: 'note', annotation: { title: `Transcript capped at ${CAP} messages` } });
      expect(note.text).toContain(`Not stored, shown live only: ${(connection.messageCount - CAP).toLocaleString('en-US')}`);
      expect(note.text).toMatch(/client command ×\d{2},\d{3}, server reply ×\d{2},\d{3}/);
      // Before the cap, this connection added about 75 MB.
      expect(dbBytes(lab.dataDir) - before).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await lab.stop();
    }
  });

  it('pages a transcript so that every stored message comes exactly once', async () => {
    const lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxMessages: CAP } } });
    try {
      const connection = await floodAndClose(lab, 500);
      const messages = await allPages(lab, connection.id, 7);
      expect(messages.map((m) => m.seq)).toEqual([...Array.from({ length: CAP }, (_, i) => i + 1), CAP + 0.5]);
      const whole = await lab.api<TranscriptPage>(`/api/connections/${connection.id}?limit=2000`);
      expect(whole.messages).toEqual(messages);
      await expect(lab.api(`/api/connections/${connection.id}?limit=2001`)).rejects.toThrow(/^400 /);
      await expect(lab.api(`/api/connections/${connection.id}?from=-1`)).rejects.toThrow(/^400 /);
      await expect(lab.api(`/api/connections/${connection.id}?from=abc`)).rejects.toThrow(/^400 /);
    } finally {
      await lab.stop();
    }
  });

  it('says in words why a message past the cap has no bytes in the bytes view, and the capture still holds them', async () => {
    const lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxMessages: CAP } } });
    try {
      const connection = await floodAndClose(lab, 100);
      const past = CAP + 41;
      const res = await fetch(`${lab.baseUrl}/api/connections/${connection.id}/messages/${past}/bytes`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe(
        `Message ${past} was shown live but not stored: the lab stores the first ${CAP} messages of a connection (LAB_TRANSCRIPT_MESSAGES) and only counts later ones, ` +
          `so it has no record of where message ${past}'s bytes lie. The connection's capture still holds them: export it as pcapng.`,
      );
      // What that says of the capture is so: every NOOP of the flood, stored message or not, is in the export.
      const exported = (await (await fetch(`${lab.baseUrl}/api/connections/${connection.id}/export?format=json`)).json()) as { connections: { chunks: { data: string }[] }[] };
      const bytes = Buffer.concat(exported.connections[0].chunks.map((c) => Buffer.from(c.data, 'base64'))).toString('latin1');
      expect(bytes.split('NOOP\r\n').length - 1).toBe(100);
      // A message past the connection's last is still "no message".
      const beyond = await fetch(`${lab.baseUrl}/api/connections/${connection.id}/messages/${connection.messageCount + 1}/bytes`);
      expect(((await beyond.json()) as { error: string }).error).toBe(`No message ${connection.messageCount + 1} in connection ${connection.id}.`);
    } finally {
      await lab.stop();
    }
  });

  it('keeps the data dir 0700 and the database files 0600 while running', async () => {
    const lab = await startTestLab({ labs: [smtpLab] });
    try {
      await floodAndClose(lab, 1);
      await lab.api('/api/connections');
      expect(fs.statSync(lab.dataDir).mode & 0o777).toBe(0o700);
      for (const name of ['lab.sqlite', 'lab.sqlite-wal', 'lab.sqlite-shm']) {
        expect([name, fs.statSync(path.join(lab.dataDir, name)).mode & 0o777]).toEqual([name, 0o600]);
      }
    } finally {
      await lab.stop();
    }
  });
});

describe('transcript retention', () => {
  it('over the size cap drops the oldest finished connections first and never an open one', async () => {
    // A short SMTP session stores about 2.6 KB: room for the open one and about three finished.
    const lab = await startTestLab({ labs: [smtpLab], config: { transcripts: { maxBytes: 10_000 } } });
    try {
      const open = await LineClient.connect(lab.port('smtp'));
      await open.waitFor(/^220 /m);
      expect(await open.command('NOOP')).toMatch(/^250 /m);
      const finished: string[] = [];
      for (let i = 0; i < 8; i++) finished.push((await floodAndClose(lab, 1)).id);

      const { connections } = await lab.api<{ connections: ConnectionInfo[] }>('/api/connections?limit=100');
      const live = connections.filter((c) => c.endedAt === null);
      expect(live).toHaveLength(1);
      expect((await lab.api<TranscriptPage>(`/api/connections/${live[0].id}`)).messages.length).toBeGreaterThanOrEqual(3);
      const kept = finished.filter((id) => connections.some((c) => c.id === id));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(finished.length);
      // What is kept is the newest run: oldest went first.
      expect(kept).toEqual(finished.slice(finished.length - kept.length));
      await expect(lab.api(`/api/connections/${finished[0]}`)).rejects.toThrow(/^404 /);
      open.close();
    } finally {
      await lab.stop();
    }
  });

  it('at start deletes connections that finished longer ago than the retention age', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-retention-'));
    try {
      const first = await startTestLab({ labs: [smtpLab], dataDir });
      const old = await floodAndClose(first, 1);
      await first.stop();
      const kept = await startTestLab({ labs: [smtpLab], dataDir });
      expect((await kept.api<TranscriptPage>(`/api/connections/${old.id}`)).messages.length).toBeGreaterThan(0);
      await kept.stop();
      // A retention age of about a millisecond: the connection above is older than that.
      const second = await startTestLab({ labs: [smtpLab], dataDir, config: { transcripts: { retentionDays: 1e-8 } } });
      try {
        await expect(second.api(`/api/connections/${old.id}`)).rejects.toThrow(/^404 /);
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
