/**
 * Shared links (?conn=…&msg=…) that name something a page cannot show as asked: a message past the
 * connection's last, another lab's connection. The page says so and what to do, instead of selecting
 * the end silently or drawing an FTP transcript on the SMTP page. And the player says when it shows
 * only the newest of a long connection's messages.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { Client as FtpClient } from 'basic-ftp';
import { LineClient } from '../helpers/line-client';
import { transcript } from './console';

interface Listed {
  id: string;
  client: string;
  messageCount: number;
  endedAt: number | null;
  parent?: string;
}

/**
 * The connection a client at `local` made, once the daemon lists it; with `ended`, once it has ended too,
 * so its messageCount is final (the lab records the close after the client has gone).
 */
async function listed(request: APIRequestContext, protocol: string, local: string, ended = false): Promise<Listed> {
  let found: Listed | undefined;
  await expect
    .poll(async () => {
      const { connections } = (await (await request.get(`/api/connections?protocol=${protocol}&limit=100`)).json()) as { connections: Listed[] };
      found = connections.find((c) => c.client === local && !c.parent && (!ended || c.endedAt !== null));
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** A short finished SMTP session from a plain socket; its connection as listed. */
async function smtpSession(request: APIRequestContext): Promise<Listed> {
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  const local = `127.0.0.1:${client.socket.localPort}`;
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO link.example');
  await client.command('QUIT');
  await client.whenClosed();
  return listed(request, 'smtp', local, true);
}

/** A short FTP session (login, one listing); its control connection as listed. */
async function ftpSession(request: APIRequestContext): Promise<Listed> {
  const client = new FtpClient(15_000);
  await client.access({ host: '127.0.0.1', port: Number(process.env.FTP_PORT), user: 'student', password: process.env.LAB_PASSWORD });
  const local = `127.0.0.1:${client.ftp.socket.localPort}`;
  await client.list();
  client.close();
  return listed(request, 'ftp', local, true);
}

const banner = (page: Page) => page.getByTestId('other-lab-connection');

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
  await request.post('/api/step/ftp', { data: { enabled: false } });
});

test('a link to a message past the end of a connection says how many it has, and still shows the transcript', async ({ page, request }, testInfo) => {
  const smtp = await smtpSession(request);
  await page.goto(`/smtp?conn=${smtp.id}&msg=999`);
  await expect(page.getByText(`Connection ${smtp.id} has ${smtp.messageCount} messages; message 999 is not one of them.`)).toBeVisible();
  await expect(transcript(page)).toContainText('EHLO link.example');
  await page.screenshot({ path: testInfo.outputPath('smtp-message-past-end.png') });
  // A message that is there: no banner.
  await page.goto(`/smtp?conn=${smtp.id}&msg=2`);
  await expect(transcript(page)).toContainText('EHLO link.example');
  await expect(page.getByText(/is not one of them/)).toHaveCount(0);

  const ftp = await ftpSession(request);
  await page.goto(`/ftp?conn=${ftp.id}&msg=${ftp.messageCount + 1}`);
  await expect(page.getByText(`Connection ${ftp.id} has ${ftp.messageCount} messages; message ${ftp.messageCount + 1} is not one of them.`)).toBeVisible();
  await expect(transcript(page)).toContainText('USER student');
});

test("another lab's connection is not drawn: the page names its lab and links to it with the same query", async ({ page, request }, testInfo) => {
  const ftp = await ftpSession(request);
  for (const lab of ['smtp', 'ssh', 'soap', 'gateway']) {
    await page.goto(`/${lab}?conn=${ftp.id}&msg=3`);
    await expect(banner(page)).toHaveText(`Connection ${ftp.id} belongs to the FTP & FTPS lab, not this page's: open it on the FTP & FTPS page.`);
    await expect(page.getByText('USER student')).toHaveCount(0);
    if (lab === 'smtp') await page.screenshot({ path: testInfo.outputPath('ftp-connection-on-smtp-page.png') });
  }
  await page.goto(`/smtp?conn=${ftp.id}&msg=3`);
  await banner(page).getByRole('link', { name: 'open it on the FTP & FTPS page' }).click();
  await expect(page).toHaveURL(`/ftp?conn=${ftp.id}&msg=3`);
  await expect(transcript(page)).toContainText('USER student');
  await expect(banner(page)).toHaveCount(0);

  const smtp = await smtpSession(request);
  await page.goto(`/ftp?conn=${smtp.id}`);
  await expect(banner(page)).toHaveText(`Connection ${smtp.id} belongs to the SMTP lab, not this page's: open it on the SMTP page.`);
  await expect(page.getByText('EHLO link.example')).toHaveCount(0);
});

test('the player says when it shows only the newest 5,000 messages of a longer connection, and of how many', async ({ page, request }, testInfo) => {
  test.setTimeout(240_000);
  const client = await LineClient.connect(Number(process.env.SMTP_PORT));
  const local = `127.0.0.1:${client.socket.localPort}`;
  await client.waitFor(/^220 .*\r\n/m);
  await client.command('EHLO long.example');
  // Logged in with the lab login: once classroom specs made students' sandboxes, a live connection without a
  // login is in no sandbox yet, so the owner's list would not name it.
  const login = Buffer.from(`\0student\0${process.env.LAB_PASSWORD ?? ''}`).toString('base64');
  expect(await client.command(`AUTH PLAIN ${login}`)).toMatch(/^235 /m);
  const session = await listed(request, 'smtp', local);
  await page.goto(`/sessions/${session.id}`);
  await expect(transcript(page)).toContainText('EHLO long.example');
  await expect(page.getByTestId('player-kept')).toHaveCount(0);
  // 2,600 NOOPs and their 250s, pipelined by the hundred: 5,200 messages more, watched live.
  for (let i = 0; i < 26; i++) {
    client.write('NOOP\r\n'.repeat(100));
    for (let j = 0; j < 100; j++) await client.waitFor(/^250 2\.0\.0 OK\r\n/m);
  }
  await expect(page.getByTestId('player-kept')).toHaveText(/^This connection has 5,2\d\d messages; the player shows the newest [\d,]+ \(from message [\d,]+ on\): it keeps 5,000 per connection\.$/, { timeout: 150_000 });
  await page.screenshot({ path: testInfo.outputPath('player-newest-5000.png') });
  await client.command('QUIT');
  await client.whenClosed();
});
