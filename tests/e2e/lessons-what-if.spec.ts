import { expect, test, type Page } from '@playwright/test';
import { terminal, transcript, type } from './console';
import { panel } from './lesson-panel';
import { startOwnSandbox } from './sandbox';

// A what-if belongs to the lesson that armed it: leaving that lesson (another lesson, closing it, Start
// over) disarms it, and whatever is still armed is said. Each test runs in a sandbox of its own.

const faultsButton = (page: Page) => page.getByTestId('faults-button');
const whatIf = (page: Page) => page.getByTestId('lesson-step-local-recipients').getByTestId('lesson-whatif');

/** Opens a lesson from Start here, as a student does, and waits for the console's greeting. */
async function openFromStart(page: Page, lesson: string, title: string) {
  await page.goto('/start');
  await page.getByTestId(`lesson-${lesson}`).click();
  await expect(panel(page)).toContainText(title);
  await expect(panel(page)).toContainText('done');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
}

/** Two recipients in one transaction: the second is the one smtp.rcpt-451-second would answer. */
async function twoRecipients(page: Page) {
  await type(page, 'EHLO student.example\n');
  await expect(terminal(page)).toContainText('S: 250-');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await type(page, 'RCPT TO:<bob@lab.test>\n');
}

test('a what-if armed in one lesson is disarmed when the student opens another: the next exchange is the server\'s own', async ({ page }, testInfo) => {
  await page.goto('/smtp');
  await startOwnSandbox(page);
  // Your first mail, started before: opening it again calls no start.
  await openFromStart(page, 'smtp-first-mail', 'Your first mail, by hand');
  await openFromStart(page, 'smtp-relays', 'Relays and 550 5.7.1');
  await whatIf(page).getByRole('button', { name: /arm the fault once/ }).click();
  await expect(whatIf(page)).toContainText('Armed for the next time');
  // The header's Faults menu says so at once: the daemon tells the page what is armed.
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');

  await openFromStart(page, 'smtp-first-mail', 'Your first mail, by hand');
  const left = page.getByTestId('lesson-disarmed');
  await expect(left).toContainText('The 2nd RCPT');
  await expect(left).toContainText('Relays and 550 5.7.1');
  // Above the steps: the panel scrolls to the current step, and the notice stays in view.
  await expect(left).toBeInViewport();
  await expect(faultsButton(page)).toHaveText('Faults');
  await expect(page.getByTestId('lesson-still-armed')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('what-if-left.png') });

  await twoRecipients(page);
  await expect(terminal(page)).toContainText(/RCPT TO:<bob@lab\.test>[\s\S]*S: 250 2\.1\.5/);
  await expect(terminal(page)).not.toContainText('451');
  await expect(transcript(page).getByTestId('injected-badge')).toHaveCount(0);
});

test('Start over and closing the lesson disarm its what-if; a fault armed in the Faults menu is named in the lesson, with a way to disarm it', async ({ page }, testInfo) => {
  await page.goto('/smtp');
  await startOwnSandbox(page);
  await openFromStart(page, 'smtp-relays', 'Relays and 550 5.7.1');
  const arm = whatIf(page).getByRole('button', { name: /arm the fault once/ });
  await arm.click();
  await expect(whatIf(page)).toContainText('Armed for the next time');
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');

  // Start over: a clean slate, the what-if included.
  await panel(page).getByRole('button', { name: 'Start over' }).click();
  await expect(panel(page)).toContainText('Started over');
  await expect(faultsButton(page)).toHaveText('Faults');
  await expect(whatIf(page)).not.toContainText('Armed for the next time');

  // Armed again, then the lesson closed: nothing of it stays armed, and two recipients both get 250.
  await whatIf(page).getByRole('button', { name: /arm the fault once/ }).click();
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');
  await panel(page).getByRole('button', { name: 'Close the lesson' }).click();
  await expect(panel(page)).toHaveCount(0);
  await expect(faultsButton(page)).toHaveText('Faults');
  await twoRecipients(page);
  await expect(terminal(page)).toContainText(/RCPT TO:<bob@lab\.test>[\s\S]*S: 250 2\.1\.5/);
  await expect(terminal(page)).not.toContainText('451');

  // A rule armed by hand in the Faults menu is the student's own choice: no lesson disarms it, and a lesson says it is there.
  await faultsButton(page).click();
  await page.getByTestId('fault-smtp.data-554').getByRole('switch').click();
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');
  await faultsButton(page).click();
  await openFromStart(page, 'smtp-first-mail', 'Your first mail, by hand');
  const still = page.getByTestId('lesson-still-armed');
  await expect(still).toContainText('DATA is refused with 554');
  await expect(still).toContainText('Faults menu');
  await expect(still).toBeInViewport();
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');
  await page.screenshot({ path: testInfo.outputPath('what-if-still-armed.png') });
  await still.getByRole('button', { name: 'Disarm' }).click();
  await expect(still).toHaveCount(0);
  await expect(faultsButton(page)).toHaveText('Faults');
});

/** What is armed in the page's sandbox, as the Faults menu reads it (GET /api/faults). */
async function armedRules(page: Page): Promise<{ rule: string; lesson?: string }[]> {
  const reply = await page.request.get('/api/faults');
  expect(reply.ok()).toBe(true);
  return ((await reply.json()) as { armed: { rule: string; lesson?: string }[] }).armed;
}

test("a what-if stays armed through a reload of its lesson's page, and is disarmed when the student goes to the home page", async ({ page }) => {
  await page.goto('/smtp');
  await startOwnSandbox(page);
  await openFromStart(page, 'smtp-relays', 'Relays and 550 5.7.1');
  await whatIf(page).getByRole('button', { name: /arm the fault once/ }).click();
  await expect(whatIf(page)).toContainText('Armed for the next time');
  expect(await armedRules(page)).toMatchObject([{ rule: 'smtp.rcpt-451-second', lesson: 'smtp-relays' }]);

  // A reload still shows the lesson, and what its what-if armed.
  await page.reload();
  await expect(panel(page)).toContainText('Relays and 550 5.7.1');
  await expect(whatIf(page)).toContainText('Armed for the next time');
  await expect(faultsButton(page)).toHaveText('Faults · 1 armed');

  // The header's home link: a page without the lesson. Nothing it armed stays.
  await page.locator('header').getByRole('link', { name: 'Protocol Lab' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => armedRules(page)).toEqual([]);
  // The student's next plain session is the server's own.
  await page.locator('header nav').getByRole('link', { name: 'SMTP', exact: true }).click();
  await expect(faultsButton(page)).toHaveText('Faults');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await twoRecipients(page);
  await expect(terminal(page)).toContainText(/RCPT TO:<bob@lab\.test>[\s\S]*S: 250 2\.1\.5/);
  await expect(terminal(page)).not.toContainText('451');
});

test("a what-if is disarmed a little after the student closes the lesson's tab", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.goto('/smtp');
    await startOwnSandbox(page);
    await openFromStart(page, 'smtp-relays', 'Relays and 550 5.7.1');
    await whatIf(page).getByRole('button', { name: /arm the fault once/ }).click();
    await expect(faultsButton(page)).toHaveText('Faults · 1 armed');
    await page.close({ runBeforeUnload: true });
    // The daemon waits out a reload's grace (10 s) before disarming.
    await expect
      .poll(async () => ((await (await context.request.get('/api/faults')).json()) as { armed: unknown[] }).armed, { timeout: 30_000 })
      .toEqual([]);
  } finally {
    await context.close();
  }
});

test("a what-if stays armed when one of two windows showing its lesson closes: the other says it still shows it", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const projector = await context.newPage();
    await projector.goto('/smtp');
    await startOwnSandbox(projector);
    await openFromStart(projector, 'smtp-relays', 'Relays and 550 5.7.1');
    await whatIf(projector).getByRole('button', { name: /arm the fault once/ }).click();
    await expect(faultsButton(projector)).toHaveText('Faults · 1 armed');
    // A second window of the same lesson (the teacher's laptop beside the projector): both stay visible, so
    // closing one changes nothing the other could notice by itself.
    const laptop = await context.newPage();
    await laptop.goto(projector.url());
    await expect(panel(laptop)).toContainText('Relays and 550 5.7.1');
    await expect(faultsButton(laptop)).toHaveText('Faults · 1 armed');
    // What the laptop's page says once the daemon tells it the projector's page unloaded.
    const still = laptop.waitForRequest((req) => req.method() === 'POST' && /\/api\/lessons\/smtp-relays\/open\?still=1$/.test(req.url()));
    await projector.close({ runBeforeUnload: true });
    await still;
    // Past the daemon's grace for a reload (10 s), the what-if is still armed, and the laptop's page says so.
    await laptop.waitForTimeout(12_000);
    expect(((await (await context.request.get('/api/faults')).json()) as { armed: { rule: string }[] }).armed).toMatchObject([{ rule: 'smtp.rcpt-451-second' }]);
    await expect(faultsButton(laptop)).toHaveText('Faults · 1 armed');
  } finally {
    await context.close();
  }
});

test("the host-key lesson's what-if is the teacher's switch for a student, said in the step; the machine owner's step offers the button", async ({ browser, page }, testInfo) => {
  const changed = (p: Page) => p.getByTestId('lesson-step-changed').getByTestId('lesson-whatif');
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    expect((await context.request.post('/api/sandboxes', { data: {} })).ok()).toBe(true);
    const student = await context.newPage();
    await student.goto('/ssh?lesson=ssh-host-keys&step=changed');
    // The sentence replaces the button: the daemon would answer the student's arming 403 (the host key is every sandbox's).
    await expect(changed(student).getByTestId('lesson-whatif-owners-only')).toContainText("This what-if is the teacher's switch");
    await expect(changed(student).getByTestId('lesson-whatif-owners-only')).toContainText('the SSH server that every sandbox shares');
    await expect(changed(student).getByRole('button')).toHaveCount(0);
    await student.screenshot({ path: testInfo.outputPath('what-if-owners-only.png') });
  } finally {
    await context.close();
  }
  // Not armed here: arming it would rotate the key every other test's sandbox uses.
  await page.goto('/ssh?lesson=ssh-host-keys&step=changed');
  await expect(changed(page).getByRole('button', { name: /arm the fault once/ })).toBeVisible();
  await expect(changed(page).getByTestId('lesson-whatif-owners-only')).toHaveCount(0);
});
