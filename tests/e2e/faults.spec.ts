import { expect, test } from '@playwright/test';
import { terminal, transcript, type } from './console';

test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
  await request.post('/api/faults', { data: { rule: 'smtp.data-554', enabled: false } });
});

test('a fault switched on in the Faults menu answers DATA with 554, marked injected in the transcript', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });

  await page.getByTestId('faults-button').click();
  const row = page.getByTestId('fault-smtp.data-554');
  await expect(row).toContainText('DATA is refused with 554');
  // Armed once (times 1, the menu's default) for this sandbox.
  await row.getByRole('switch').click();
  await expect(row.getByTestId('fault-armed')).toHaveText('armed for my sandbox · 1 more time');
  await expect(page.getByTestId('faults-button')).toHaveText('Faults · 1 armed');
  await page.getByTestId('faults-button').click();

  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('S: 250-');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await expect(terminal(page)).toContainText(/RCPT TO:<alice@lab\.test>[\s\S]*S: 250 /);
  await type(page, 'DATA\n');
  await expect(terminal(page)).toContainText('S: 554 5.3.0 Transaction failed');
  const injected = transcript(page).locator('li', { hasText: '554 5.3.0' });
  await expect(injected.getByTestId('injected-badge')).toHaveText('injected · smtp.data-554');
  await expect(injected).toContainText('injected by the lab: DATA is refused with 554');
  // Fired once: nothing is armed any more.
  await expect(page.getByTestId('faults-button')).toHaveText('Faults');
});

test('Escape or a click elsewhere closes the Faults menu (Presenter pressed while it is open too), and it opens under its button', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  const button = page.getByTestId('faults-button');
  const menu = page.getByTestId('faults-menu');
  const below = async () => (await menu.boundingBox())!.y >= (await button.boundingBox())!.y + (await button.boundingBox())!.height;
  await button.click();
  await expect(menu).toBeVisible();
  expect(await below()).toBe(true);
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();

  // Opened at the desk, then Presenter pressed: the menu closes rather than stay where the toolbar was.
  await button.click();
  await expect(menu).toBeVisible();
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
  await expect(page.getByTestId('font-size')).toHaveText('20px');
  await expect(menu).toBeHidden();
  await button.click();
  await expect(menu).toBeVisible();
  expect(await below()).toBe(true);
  await page.getByTestId('terminal').click();
  await expect(menu).toBeHidden();
  await page.getByRole('button', { name: 'Presenter', exact: true }).click();
});

test("a student's Faults menu shows the host-key change as the teacher's, with no switch to arm it; the owner's offers it", async ({ browser, page }) => {
  const context = await browser.newContext();
  try {
    expect((await context.request.post('/api/sandboxes', { data: {} })).ok()).toBe(true);
    const student = await context.newPage();
    await student.goto('/ssh');
    await student.getByTestId('faults-button').click();
    const row = student.getByTestId('fault-ssh.hostkey-change');
    await expect(row.getByTestId('fault-owners-only')).toHaveText(/Only the machine owner \(the teacher\) arms this one: the SSH server is shared by every sandbox/);
    await expect(row.getByRole('switch')).toBeDisabled();
  } finally {
    await context.close();
  }
  await page.goto('/ssh');
  await page.getByTestId('faults-button').click();
  const row = page.getByTestId('fault-ssh.hostkey-change');
  await expect(row.getByRole('switch')).toBeEnabled();
  await expect(row.getByTestId('fault-owners-only')).toHaveCount(0);
});
