import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import type { MailSummary } from '../../lib/bus/events.ts';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { startTestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

describe('SMTP lab robustness', () => {
  it('keeps transcripts and mail across a restart of the daemon', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-restart-'));
    const first = await startTestLab({ labs: [smtpLab], dataDir });
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: first.port('smtp'), ignoreTLS: true });
    const closed = nextEvent(first.daemon.bus, 'connection.close');
    await transport.sendMail({ from: 'student@lab.test', to: 'bob@lab.test', subject: 'Survives a restart', text: 'still here' });
    transport.close();
    const { connection } = await closed;
    await first.stop();

    const second = await startTestLab({ labs: [smtpLab], dataDir });
    try {
      const { messages: mails } = await second.api<{ messages: MailSummary[] }>('/api/mailbox');
      expect(mails.map((m) => m.subject)).toContain('Survives a restart');
      const stored = await second.api<{ connection: ConnectionInfo; messages: LabMessage[] }>(`/api/connections/${connection.id}`);
      // The close was stored before the restart: closeOrphans would have set endedAt = startedAt instead.
      expect(connection.endedAt).toBeGreaterThan(connection.startedAt);
      expect(stored.connection.endedAt).toBe(connection.endedAt);
      expect(stored.messages.some((m) => m.text.startsWith('354'))).toBe(true);
    } finally {
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers a 1 MB line without CRLF, records it bounded, and other sessions carry on', async () => {
    const lab = await startTestLab({ labs: [smtpLab] });
    try {
      const client = await LineClient.connect(lab.port('smtp'));
      await client.replyFrom(0);
      const address = `127.0.0.1:${client.socket.localPort}`;
      const closed = nextEvent(lab.daemon.bus, 'connection.close', (e) => e.connection.client === address);
      const start = client.received.length;
      client.write('X'.repeat(1024 * 1024));
      client.write('\r\n');
      // smtp-server refuses the line (or the whole session); either way with a 5xx/4xx reply, not silence.
      expect(await client.replyFrom(start)).toMatch(/^[45]\d\d /m);
      client.close();
      const { connection } = await closed;
      const { messages } = await lab.api<{ messages: LabMessage[] }>(`/api/connections/${connection.id}`);
      const overlong = messages.filter((m) => m.dir === 'client' && m.kind === 'overlong');
      expect(overlong.length).toBeGreaterThan(0);
      expect(messages.every((m) => m.text.length < 10_000)).toBe(true);
      expect(overlong[0].annotation?.level).toBe('error');

      const other = await LineClient.connect(lab.port('smtp'));
      await other.replyFrom(0);
      expect(await other.command('NOOP')).toMatch(/^250 /);
      other.close();
    } finally {
      await lab.stop();
    }
  });
});
