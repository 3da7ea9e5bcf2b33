/**
 * A session longer than the 5,000 messages the browser keeps of a connection (the e2e lab stores 6,000): a class
 * rewound to one of its early messages, and a link to one, land on that message, not on the newest ones.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { desks, joinClass, teacherWithClass } from './classroom';
import { transcript } from './console';
import { labSmtpClient, listedSmtp, noops, type Listed } from './long-smtp';

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
