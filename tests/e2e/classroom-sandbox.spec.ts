import { expect, test, type Page } from '@playwright/test';
import nodemailer from 'nodemailer';
import { card, chipId, newStudent, openCard, SANDBOX_ID, startOwnSandbox } from './sandbox';

interface Login {
  sandbox: string;
  user: string;
  password: string;
  mailDomain: string;
  shared: boolean;
}

/** GET /api/lab as this browser (its cookie): the sandbox and login the daemon says it has. */
async function loginOf(page: Page): Promise<Login> {
  const res = await page.context().request.get('/api/lab');
  expect(res.ok()).toBe(true);
  return (await res.json()) as Login;
}

test('two students each start their own sandbox, see their own login, reopen it elsewhere, and never see each other’s mail', async ({ browser, request }, testInfo) => {
  const a = await newStudent(browser);
  const b = await newStudent(browser);
  const idA = await startOwnSandbox(a);
  const idB = await startOwnSandbox(b);
  expect(idA).not.toBe(idB);

  // A's card shows A's login (the password only after Show) and A's mail domain.
  const loginA = await loginOf(a);
  expect(loginA).toMatchObject({ sandbox: idA, user: idA, mailDomain: `${idA}.lab.test`, shared: false });
  await openCard(a);
  await expect(card(a).getByTestId('sandbox-id')).toHaveText(idA);
  await expect(card(a).getByTestId('sandbox-user')).toHaveText(loginA.user);
  await expect(card(a).getByTestId('sandbox-password')).not.toContainText(loginA.password);
  await card(a).getByRole('button', { name: 'Show' }).click();
  await expect(card(a).getByTestId('sandbox-password')).toHaveText(loginA.password);
  await expect(card(a).getByTestId('sandbox-mail-domain')).toHaveText(`anything@${idA}.lab.test`);
  await expect(card(a)).toContainText('Each sandbox has its own mailbox, files, transcripts, step mode and faults');
  await a.screenshot({ path: testInfo.outputPath('sandbox-card.png') });
  await card(a).getByRole('button', { name: 'Close the sandbox card' }).click();

  // The page's own-client recipes use A's login and domain, not the machine's.
  await a.getByRole('tab', { name: 'Own client' }).click();
  await expect(a.locator('pre', { hasText: 'swaks' })).toContainText(`--auth-user ${loginA.user} --auth-password '${loginA.password}' --to alice@${idA}.lab.test`);

  // A third browser (another machine) reopens A's sandbox with its id and password; a wrong password is refused in the form.
  const c = await newStudent(browser);
  await expect(chipId(c)).toHaveText('local');
  await openCard(c);
  await card(c).getByRole('button', { name: 'Open a sandbox…' }).click();
  const form = c.getByTestId('sandbox-open-form');
  await form.getByLabel('sandbox id').fill(idA);
  await form.getByLabel('password').fill('not-the-password');
  await form.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(c.getByTestId('sandbox-open-error')).toContainText('No sandbox has that id and password');
  await expect(chipId(c)).toHaveText('local');
  await form.getByLabel('password').fill(loginA.password);
  await form.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(chipId(c)).toHaveText(idA);
  expect((await loginOf(c)).sandbox).toBe(idA);

  // Leaving puts C back in the machine's shared sandbox; A's stays A's.
  await openCard(c);
  await card(c).getByRole('button', { name: 'Leave this sandbox' }).click();
  await expect(chipId(c)).toHaveText('local');
  await expect(c.getByTestId('sandbox-chip')).toContainText('shared');
  expect((await loginOf(a)).sandbox).toBe(idA);

  // Mail sent with a sandbox's login lands in that sandbox only.
  const health = (await (await request.get('/api/health')).json()) as { servers: { protocol: string; port: number }[] };
  const smtpPort = health.servers.find((s) => s.protocol === 'smtp')?.port;
  expect(smtpPort).toBeTruthy();
  const send = async (login: Login, subject: string) => {
    // SMTP AUTH with the sandbox's login files the session in that sandbox, whatever lab address it names.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, auth: { user: login.user, pass: login.password }, tls: { rejectUnauthorized: false } });
    try {
      const info = await transport.sendMail({ from: `student@${login.mailDomain}`, to: 'alice@lab.test', subject, text: `sent by ${login.sandbox}` });
      expect(info.accepted).toEqual(['alice@lab.test']);
    } finally {
      transport.close();
    }
  };
  // A's page is open on its mailbox (empty: a new sandbox) when A's mail arrives.
  await a.getByRole('tab', { name: 'Mailbox' }).click();
  await expect(a.getByText(`Send one to student@${idA}.lab.test`)).toBeVisible();
  await send(loginA, `only for ${idA}`);
  await expect(a.getByTestId('mailbox')).toContainText(`only for ${idA}`);

  // B's page reloads after A's mail and B's own are in: the one mailbox read that would show A's if it leaked.
  await send(await loginOf(b), `only for ${idB}`);
  await b.reload();
  await expect(b.getByTestId('mailbox')).toContainText(`only for ${idB}`);
  await expect(b.getByTestId('mailbox')).not.toContainText(`only for ${idA}`);
  const boxB = (await (await b.context().request.get('/api/mailbox')).json()) as { messages: { subject: string }[] };
  expect(boxB.messages.map((m) => m.subject)).toEqual([`only for ${idB}`]);

  for (const page of [a, b, c]) await page.context().close();
});

test('the sandbox card fits 1280×720 on every lab page, and in Presenter mode', async ({ browser }, testInfo) => {
  const page = await newStudent(browser);
  const id = await startOwnSandbox(page);
  const fits = async () => {
    const box = await card(page).boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
    expect(box!.y + box!.height).toBeLessThanOrEqual(720);
    // Its buttons are on screen, not scrolled away.
    for (const name of ['Start my own sandbox', 'Open a sandbox…', 'Leave this sandbox']) await expect(card(page).getByRole('button', { name })).toBeInViewport();
  };

  for (const lab of ['smtp', 'ssh', 'ftp', 'soap', 'zmq', 'policy', 'gateway']) {
    await page.goto(`/${lab}`);
    await expect(chipId(page)).toHaveText(id);
    await expect(page.getByTestId('sandbox-chip')).toBeInViewport({ ratio: 1 });
  }

  await page.goto('/ftp');
  await openCard(page);
  await card(page).getByRole('button', { name: 'Open a sandbox…' }).click();
  await fits();
  await page.screenshot({ path: testInfo.outputPath('sandbox-card-1280.png') });

  await page.getByRole('button', { name: 'Presenter' }).click();
  await expect(page.locator('html')).toHaveClass(/presenter/);
  for (const lab of ['smtp', 'ssh', 'ftp', 'soap', 'zmq', 'policy', 'gateway']) {
    await page.goto(`/${lab}`);
    await expect(page.locator('html'), lab).toHaveClass(/presenter/);
    await expect(page.getByTestId('sandbox-chip')).toBeInViewport({ ratio: 1 });
  }
  await page.screenshot({ path: testInfo.outputPath('sandbox-chip-presenter.png') });
  await openCard(page);
  // The card hangs below the chip, never over it (the chip closes it again).
  expect((await card(page).boundingBox())!.y).toBeGreaterThan((await page.getByTestId('sandbox-chip').boundingBox())!.y);
  await card(page).getByRole('button', { name: 'Show' }).click();
  await card(page).getByRole('button', { name: 'Open a sandbox…' }).click();
  await fits();
  await page.screenshot({ path: testInfo.outputPath('sandbox-card-presenter.png') });
  await page.getByTestId('sandbox-chip').click();
  await expect(card(page)).toHaveCount(0);
  await page.context().close();
});
