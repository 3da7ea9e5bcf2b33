import { afterAll, beforeAll, expect, it } from 'vitest';
import { smtpLab } from '../../servers/smtp/lab.ts';
import { startTestLab, type TestLab } from '../helpers/daemon.ts';
import { LineClient } from '../helpers/line-client.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startTestLab({ labs: [smtpLab] });
});
afterAll(async () => {
  await lab?.stop();
});

it('shows raw UTF-8 header values as the sender wrote them, not byte by byte', async () => {
  const client = await LineClient.connect(lab.port('smtp'));
  await client.waitFor(/^220 /m);
  await client.command('EHLO utf8.example');
  await client.command('MAIL FROM:<a@lab.test>');
  await client.command('RCPT TO:<student@lab.test>');
  await client.command('DATA');
  const start = client.received.length;
  client.write(Buffer.from('Subject: h\u00e9llo \u2603\r\nX-Note: gr\u00fc\u00dfe\r\n\r\nbody\r\n.\r\n', 'utf8'));
  expect(await client.replyFrom(start)).toMatch(/^250 /);
  client.close();
  const { messages } = await lab.api<{ messages: { id: string; subject: string }[] }>('/api/mailbox');
  const mail = await lab.api<{ headers: { name: string; value: string }[] }>(`/api/mailbox/${messages[0].id}`);
  expect(mail.headers.find((h) => h.name === 'subject')?.value).toBe('h\u00e9llo \u2603');
  expect(mail.headers.find((h) => h.name === 'x-note')?.value).toBe('gr\u00fc\u00dfe');
});
