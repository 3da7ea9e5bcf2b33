import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import type { ConnectionInfo, LabMessage } from '../../lib/wire/event.ts';
import { nextEvent } from '../helpers/bus.ts';
import { TEST_PASSWORD, startTestLab, type TestLab } from '../helpers/daemon.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

describe('SMTP after STARTTLS with TLS 1.3, as an eavesdropper sees it', () => {
  it('names the encrypted handshake records and session tickets by their order, before any SMTP', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: lab.port('smtp'),
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false, minVersion: 'TLSv1.3' },
      auth: { user: 'student', pass: TEST_PASSWORD },
    });
    const closed = nextEvent(lab.daemon.bus, 'connection.close');
    await transport.sendMail({ from: 'student@lab.test', to: 'alice@lab.test', subject: 'tls roles', text: 'x' });
    transport.close();
    const { connection } = await closed;
    const { messages } = await lab.api<{ connection: ConnectionInfo; messages: LabMessage[] }>(`/api/connections/${connection.id}`);
    const records = messages.filter((m) => m.view === 'wire' && m.kind === 'tls-record');
    const keys = (dir: LabMessage['dir']) => records.filter((m) => m.dir === dir).map((m) => m.annotation?.key?.replace('smtp.tls.', ''));

    expect(keys('server').slice(0, 8)).toEqual([
      'server-hello',
      'ccs',
      'encrypted-extensions',
      'certificate',
      'certificate-verify',
      'server-finished',
      'session-ticket',
      'session-ticket',
    ]);
    expect(keys('server').slice(8)).toContain('appdata');
    expect(keys('client').slice(0, 4)).toEqual(['client-hello', 'ccs', 'client-finished', 'appdata']);
    const certificate = records.find((m) => m.annotation?.key === 'smtp.tls.certificate');
    expect(certificate?.text).toMatch(/Application Data, [\d,]+ bytes \(encrypted\) — likely the server's Certificate/);
    expect(certificate?.annotation?.ref).toMatch(/RFC 8446 §2, §4\.4\.2/);
    const start = messages.find((m) => m.annotation?.key === 'smtp.tls.start');
    expect(start?.annotation?.explain).toMatch(/handshake/);
  });
});
