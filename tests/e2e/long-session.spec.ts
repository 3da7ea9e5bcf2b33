/**
 * Sessions longer than what is kept of them: longer than the 5,000 messages the browser keeps of a connection (the
 * e2e lab stores 6,000), where a class rewound to one of its early messages, and a link to one, land on that
 * message, not on the newest ones; and longer than what the lab stores, whose later messages the Bytes panel
 * says it has no record of.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { desks, joinClass, teacherWithClass } from './classroom';
import { transcript } from './console';
import { E2E_STORED_MESSAGES, labSmtpClient, listedSmtp, noops, type Listed } from './long-smtp';

const bytesView = (page: Page) => page.getByTestId('bytes-view');

const newPage = desks();

/** One finished session of 5,205 messages, all stored, made once for this file's tests. */
let long: Promise<Listed> | null = null;
function longSession(request: APIRequestContext): Promise<Listed> {
  long ??= (async () => {
    const { client, local } = await labSmtpClient('rewind.example');
    await noops(client, 2600);
    await client.command('QUIT');
    await client.whenClosed();
    return listedSmtp(request, local, true);
  })();
  return long;
}

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
});

test("a class rewound to message 2 of a session of 5,200 messages lands there: the student's player loads the messages around it and says which it shows", async ({ browser, request }, testInfo) => {
  test.setTimeout(240_000);
  const session = await longSession(request);
  expect(session.messageCount).toBeGreaterThan(5200);
  const { teacher, code } = await teacherWithClass(newPage, browser, 'Long rewind');
  const ana = await newPage(browser);
  await joinClass(ana, code, 'Ana', 'Long rewind');

  const own = teacher.getByTestId('own-sessions');
  await own.getByLabel('Your session').selectOption(session.id);
  await own.getByLabel('Step to rewind to').fill('2');
  await own.getByRole('button', { name: 'Rewind class' }).click();

  const player = ana.getByTestId('session-player');
  // Drawing 5,000 messages takes the page a while on a 2-core machine.
  await expect(player.getByTestId('player-kept')).toContainText('around message 2', { timeout: 90_000 });
  await expect(player.locator('[aria-expanded="true"]')).toContainText('EHLO rewind.example');
  await expect(player.getByTestId('message-detail')).toContainText('#2 · command');
  await expect(player.getByTestId('player-kept')).toHaveText(
    `This connection has ${session.messageCount.toLocaleString('en-US')} messages; the player shows messages 1 to 5,000 of them, around message 2: it keeps 5,000 per connection.`,
  );
  await ana.screenshot({ path: testInfo.outputPath('class-rewound-long.png') });
});

test('a link to message 2 of a session of 5,200 messages opens the player there', async ({ page, request }) => {
  test.setTimeout(240_000);
  const session = await longSession(request);
  await page.goto(`/sessions/${session.id}?msg=2`);
  await expect(page.getByTestId('player-kept')).toContainText('around message 2', { timeout: 90_000 });
  await expect(transcript(page).locator('[aria-expanded="true"]')).toContainText('EHLO rewind.example');
  await expect(page.getByTestId('message-detail')).toContainText('#2 · command');
  await expect(page.getByTestId('player-kept')).toContainText('the player shows messages 1 to 5,000 of them, around message 2');
  // Forward steps on through the loaded messages.
  await page.getByRole('button', { name: /Forward/ }).click();
  await expect(page.getByTestId('message-detail')).toContainText('#3 · reply');
});

test('a live message past what the lab stores of a connection says in the Bytes panel why it has no bytes there', async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  const { client, local } = await labSmtpClient('capped.example');
  const session = await listedSmtp(request, local);
  await page.goto(`/sessions/${session.id}`);
  await expect(transcript(page)).toContainText('EHLO capped.example');
  // Five messages so far, then 3,000 NOOPs and their 250s, watched live: past the 6,000 messages the e2e lab stores.
  await noops(client, E2E_STORED_MESSAGES / 2);
  const last = E2E_STORED_MESSAGES + 5;
  await expect
    .poll(async () => ((await (await request.get(`/api/connections/${session.id}?limit=1`)).json()) as { connection: { messageCount: number } }).connection.messageCount)
    .toBe(last);
  // The player follows the newest, the last 250 (drawing 6,000 live messages takes the page a while on 2 cores).
  await expect(page.getByTestId('message-detail')).toContainText(`#${last} · reply`, { timeout: 200_000 });
  await expect(transcript(page)).toContainText(`Transcript capped at ${E2E_STORED_MESSAGES.toLocaleString('en-US')} messages`);
  const n = last.toLocaleString('en-US');
  await expect(bytesView(page)).toHaveText(
    `No bytes for this message: Message ${n} was shown live but not stored: the lab stores the first 6,000 messages of a connection (LAB_TRANSCRIPT_MESSAGES) and only counts later ones, ` +
      `so it has no record of where message ${n}'s bytes lie. The connection's capture still holds them: export it as pcapng.`,
  );
  await page.screenshot({ path: testInfo.outputPath('player-bytes-past-stored.png') });
  await client.command('QUIT');
  await client.whenClosed();
});
